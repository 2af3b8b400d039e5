package ui

import (
	"fmt"
	"strings"
	"testing"

	"occhealth/app"
)

func TestAdminAudit_VerifyAndPage(t *testing.T) {
	env := newTestEnv(t)
	w := env.Window
	// Writes to fill more than one page: 60 name changes of a new user.
	u := &app.User{Username: "lisi", Name: "李四", Roles: []app.Role{app.RoleRegistrar}}
	if err := env.Services.Users.CreateUser(env.Ctx, u, "abc12345x"); err != nil {
		t.Fatal(err)
	}
	version := u.Version
	for i := 0; i < 60; i++ {
		name := fmt.Sprintf("李四%s", strings.Repeat("一", i%3+1))
		got, err := env.Services.Users.UpdateUser(env.Ctx, u.ID, version, app.UserUpdate{Name: &name})
		if err != nil {
			t.Fatal(err)
		}
		version = got.Version
	}

	v := newAuditScreen(env)
	show(env, v.content())
	if v.total < 62 || len(v.entries) != auditPageSize {
		t.Fatalf("first page: %d of %d", len(v.entries), v.total)
	}
	if !strings.HasPrefix(v.pageInfo.Text, "第 1 / 2 页") || !v.prevBtn.Disabled() || v.nextBtn.Disabled() {
		t.Errorf("page info %q, prev disabled %v, next disabled %v", v.pageInfo.Text, v.prevBtn.Disabled(), v.nextBtn.Disabled())
	}
	// Newest first, with the permission table's title for the action.
	if v.entries[0].Action != "UserService.UpdateUser" || !markupHas(w, "修改用户角色与资格") {
		t.Errorf("newest entry %+v; title not shown", v.entries[0])
	}
	v.table.Select(widgetCell(0, 3))
	if !strings.Contains(v.detail.Text, "修改用户角色与资格（UserService.UpdateUser）") || !strings.Contains(v.detail.Text, "工作站 测试机") {
		t.Errorf("detail = %q", v.detail.Text)
	}
	adminTapButton(t, w, "下一页")
	if !strings.HasPrefix(v.pageInfo.Text, "第 2 / 2 页") || !v.nextBtn.Disabled() {
		t.Errorf("second page: %q", v.pageInfo.Text)
	}
	if adminActionTitle("AuthService.Login") != "登录" || adminActionTitle("SetupService.Initialize") != "首次设置" {
		t.Error("actions outside the permission table are not named in Chinese")
	}
	// The oldest entries are the set-up's, written by the system or the first administrator.
	if last := v.entries[len(v.entries)-1]; last.Seq != 1 {
		t.Errorf("oldest entry seq %d", last.Seq)
	}

	// Filter by object and id.
	typeInto(v.entity, "user")
	typeInto(v.entityID, fmt.Sprint(u.ID))
	adminTapButton(t, w, "查询")
	if v.total != 61 {
		t.Errorf("entries of user %d: %d", u.ID, v.total)
	}
	v.entityID.SetText("x")
	adminTapButton(t, w, "查询")
	if !adminDialogHas(w, "应为正整数") {
		t.Errorf("bad id dialog = %q", dialogText(w))
	}
	closeDialogs(w)

	// Verify: runs in the background and reports 校验通过 with the counts.
	v.background = func(work func()) { work() } // see runInBackground
	adminTapButton(t, w, "校验审计链")
	if !strings.HasPrefix(v.result.Text, "校验通过") || !strings.Contains(v.result.Text, "链段 1 个") {
		t.Fatalf("verify result = %q", v.result.Text)
	}
	if !markupHas(w, "校验通过") {
		t.Error("校验通过 not on screen")
	}

	// A broken chain names the first bad entry and the problem.
	v.showReport(app.AuditReport{OK: false, Entries: 70, Segments: 1, FirstBad: 7, Problem: "MAC 不符（记录被改动或删除）", Head: "hmac-sha256:0123456789abcdef"})
	if !strings.Contains(v.result.Text, "第 7 条审计记录：MAC 不符") || !strings.Contains(v.result.Text, "链头 0123456789ab") {
		t.Errorf("failed report = %q", v.result.Text)
	}
}
