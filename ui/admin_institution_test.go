package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

// TestInstitution_Settings changes the filed categories and the installation number in the
// window, and sees a registration use them.
func TestInstitution_Settings(t *testing.T) {
	env := newTestEnv(t)
	v := newInstitutionScreen(env)
	show(env, v.content())
	if v.name.Text != "闽清县职业病防治院" || v.code.Text != "350124001" {
		t.Fatalf("loaded %q %q", v.name.Text, v.code.Text)
	}
	v.prefix.SetText("")
	typeInto(v.prefix, "3")
	v.hazards.SetSelected(append(v.hazards.Selected, app.HazardSpecial.Name()))
	test.Tap(v.save)
	in, err := env.Services.Institution.Institution(env.Ctx)
	if err != nil || in.InstallationPrefix != "3" || !in.HasHazardCategory(app.HazardSpecial) {
		t.Fatalf("saved %+v %v (msg %q)", in, err, v.msg.Text)
	}
	emp := &app.Employer{Name: "测试单位", CreditCode: "91350100M000100Y43", AreaCode: "350124", IndustryCode: "1391", EconomicTypeCode: "173", SizeCode: "03"}
	if _, err := env.Services.Employers.CreateEmployer(env.Ctx, emp); err != nil {
		t.Fatal(err)
	}
	w := &app.Worker{Name: "陈一", IDNumber: "11010519491231002X"}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	e, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID, Type: app.ExamPeriodic, Hazards: []string{"3008"}, Date: time.Date(2026, 11, 30, 0, 0, 0, 0, time.Local)})
	if err != nil || e.Number[:1] != "3" {
		t.Fatalf("exam number %v %v", e, err)
	}

	// A bad code is refused with the field named, and nothing is saved.
	v.code.SetText("12")
	test.Tap(v.save)
	if in2, _ := env.Services.Institution.Institution(env.Ctx); in2.Code != "350124001" || v.msg.Text == "" {
		t.Fatalf("bad code saved or not reported: %q", v.msg.Text)
	}
}
