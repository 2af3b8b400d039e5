package ui

import (
	"testing"

	"occhealth/app"
)

func TestHome_Facts(t *testing.T) {
	env := newTestEnv(t)
	addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	if err := env.Services.Workers.CreateWorker(env.Ctx, &app.Worker{Name: "张三", DocType: app.DocResidentID, IDNumber: idNumber("35012419900307123")}); err != nil {
		t.Fatal(err)
	}
	show(env, newHomeScreen(env).content())
	relayout(env.Window)
	for _, want := range []string{"闽清县职业病防治院（350124001）", "职业健康检查机构、职业病诊断机构", "350124 福建省 福州市 闽清县",
		"林管理（admin）：管理员", "2026年11月30日 星期一", env.ArchivePath, "1 家", "1 人"} {
		if !markupHas(env.Window, want) {
			t.Errorf("home screen lacks %q", want)
		}
	}
	// A follow-up nurse reaches only her patients: no archive-wide worker count.
	nurse := envAs(t, env, app.RoleFollowUpNurse)
	show(nurse, newHomeScreen(nurse).content())
	if markupHas(nurse.Window, "1 人") {
		t.Error("a follow-up nurse sees the archive-wide worker count")
	}
}
