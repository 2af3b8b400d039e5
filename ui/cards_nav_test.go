package ui

import (
	"strings"
	"testing"

	"occhealth/app"
)

// Env.Open (set by the shell) shows a screen with a record on it: the way a case card's
// pre-flight finding leads to the screen that fixes it.
func TestShell_OpenRecord(t *testing.T) {
	s := loginAs(t, app.RoleRegistrar)
	sh := s.shell
	env := sh.env
	if env.Open == nil {
		t.Fatal("the shell sets no Env.Open")
	}
	emp := &app.Employer{Name: "闽清示例陶瓷有限公司", CreditCode: validCreditCode, AreaCode: "350124", IndustryCode: "3011", EconomicTypeCode: "173", SizeCode: "03"}
	if _, err := env.Services.Employers.CreateEmployer(env.Ctx, emp); err != nil {
		t.Fatal(err)
	}
	w := &app.Worker{Name: "周五", DocType: app.DocResidentID, IDNumber: idNumber("35012419800101002")}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	if !env.Open("employers", emp.ID) || sh.current != "employers" {
		t.Fatalf("Open(employers) did not show the screen (current %q)", sh.current)
	}
	if !markupHas(s.win, "闽清示例陶瓷有限公司") || markupHas(s.win, "新建用人单位") {
		t.Error("the employer screen did not open the employer")
	}
	if env.OpenID != 0 {
		t.Errorf("OpenID left at %d", env.OpenID)
	}
	// Opening the screen on display again shows the other record.
	if !env.Open("workers", w.ID) || !markupHas(s.win, "劳动者：周五") {
		t.Error("Open(workers) did not open the worker")
	}
	// A screen the user may not open is refused.
	if env.Open("admin_users", 0) || sh.current != "workers" {
		t.Errorf("a registrar opened 用户管理 (current %q)", sh.current)
	}
}

// The 上报 group holds 个案卡 for a reporting clerk; 上报设置 is the administrator's. (The
// screen itself reads its worklist in the background: its tests build it directly.)
func TestShell_ReportingClerkOpensCards(t *testing.T) {
	s := loginAs(t, app.RoleReportingClerk)
	sh := s.shell
	ids := screenIDs(sh.defs)
	if !strings.Contains(ids, "cards") || strings.Contains(ids, "admin_cards") {
		t.Fatalf("reporting clerk screens: %s", ids)
	}
	if sh.env.Open("admin_cards", 0) {
		t.Error("a clerk opened 上报设置")
	}
}
