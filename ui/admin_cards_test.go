package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

func TestCardSettings_ValidateSaveReload(t *testing.T) {
	env := newIntakeEnv(t)
	v := newCardSettingsScreen(env)
	show(env, v.content())
	if v.due.Text != "0" {
		t.Errorf("due days of a new archive: %q", v.due.Text)
	}

	// Bad input: each problem beside its field (the store's checks), nothing stored.
	typeInto(v.zone, "35012a")
	typeInto(v.writerPhone, "电话0591")
	typeInto(v.org, "3501 24")
	test.Tap(v.save)
	for _, c := range []struct {
		msg  string
		want string
	}{{v.zoneMsg.Text, "应为 6 位或 9 位数字"}, {v.writerPhoneMsg.Text, "不允许的字符“电”"}, {v.orgMsg.Text, "不含空格"}, {v.msg.Text, "未保存"}} {
		if !strings.Contains(c.msg, c.want) {
			t.Errorf("message %q lacks %q", c.msg, c.want)
		}
	}
	if !v.zoneMsg.Visible() || v.licenseMsg.Visible() || v.dueMsg.Visible() {
		t.Error("messages shown beside the wrong fields")
	}
	if s, err := env.Services.Cards.CardSettings(env.Ctx); err != nil || s.ReportZoneCode != "" || !s.UpdatedAt.IsZero() {
		t.Fatalf("bad settings stored: %+v %v", s, err)
	}
	relayout(env.Window)
	saveShot(t, env.Window, "card-settings-errors.png")
	// Days that are not a number, or out of range.
	v.due.SetText("")
	typeInto(v.due, "十")
	test.Tap(v.save)
	if !strings.Contains(v.dueMsg.Text, "整数") {
		t.Errorf("due days 十: %q", v.dueMsg.Text)
	}
	v.due.SetText("400")
	test.Tap(v.save)
	if !strings.Contains(v.dueMsg.Text, "0–365") {
		t.Errorf("due days 400: %q", v.dueMsg.Text)
	}

	// Corrected, saved and read back.
	v.zone.SetText("")
	typeInto(v.zone, "350124000")
	v.org.SetText("")
	typeInto(v.org, "350124001")
	typeInto(v.license, "LIC-2026-0001")
	typeInto(v.writer, "郑统计")
	v.writerPhone.SetText("")
	typeInto(v.writerPhone, "0591-22334455")
	typeInto(v.reporter, "林院长")
	typeInto(v.reporterPhone, "13905910002")
	v.due.SetText("")
	typeInto(v.due, "30")
	test.Tap(v.save)
	if !strings.Contains(v.msg.Text, "已保存") || v.zoneMsg.Visible() || v.dueMsg.Visible() {
		t.Fatalf("save: %q %q %q", v.msg.Text, v.zoneMsg.Text, v.dueMsg.Text)
	}
	s, err := env.Services.Cards.CardSettings(env.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := app.CardSettings{ReportZoneCode: "350124000", ReportOrgCode: "350124001", License: "LIC-2026-0001", Writer: "郑统计",
		WriterPhone: "0591-22334455", Reporter: "林院长", ReporterPhone: "13905910002", DueDays: 30}
	got := *s
	got.UpdatedAt, got.UpdatedBy = want.UpdatedAt, want.UpdatedBy
	if got != want {
		t.Errorf("stored %+v\nwant %+v", got, want)
	}
	v2 := newCardSettingsScreen(env)
	if v2.zone.Text != "350124000" || v2.due.Text != "30" || v2.reporterPhone.Text != "13905910002" {
		t.Errorf("read back: %q %q %q", v2.zone.Text, v2.due.Text, v2.reporterPhone.Text)
	}
	show(env, v2.content())
	saveShot(t, env.Window, "card-settings.png")
}
