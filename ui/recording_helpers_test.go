package ui

import (
	"context"
	"testing"
	"time"

	"occhealth/app"
)

// Shared by the recording screens' tests (inquiry, results, audiometry, import, conclusion,
// review, release).

// recordingExam registers, on an intake environment, one in-service exam of a male worker
// (born 1978) of a cement company for 矽尘 (1038) and 噪声 (3008), dated testNow.
func recordingExam(t *testing.T, env *Env) (*app.Exam, *app.Worker, *app.Employer) {
	t.Helper()
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	start := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	w := &app.Worker{Name: "王建国", DocType: app.DocResidentID, IDNumber: idNumber("35012219780315001"), Phone: "13905910001",
		WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "烧成车间", JobName: "窑操作工", Start: start}},
		Exposures:   []app.Exposure{{HazardCode: "1038", Start: start}, {HazardCode: "3008", Start: start}}}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatalf("create worker: %v", err)
	}
	c := addContract(t, env, emp, "2026-050")
	e, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID, ContractID: c.ID,
		Type: app.ExamPeriodic, Hazards: []string{"1038", "3008"}, Date: testNow, Workshop: "烧成车间", JobName: "窑操作工"})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return e, w, emp
}

// staffAs returns an environment on env's archive for a new user login with roles; a chief
// examiner also gets a valid 主检医师 qualification. Unlike envAs it can be called several
// times on one archive (one login per name).
func staffAs(t *testing.T, env *Env, login, name string, roles ...app.Role) *Env {
	t.Helper()
	u := &app.User{Username: login, Name: name, Roles: roles}
	for _, r := range roles {
		if r == app.RoleChiefExaminer {
			u.Qualifications = append(u.Qualifications, app.Qualification{Kind: app.QualificationChiefExaminer,
				Number: "ZJ2026-" + login, ValidUntil: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)})
		}
	}
	if err := env.Services.Users.CreateUser(env.Ctx, u, login+"2026pw"); err != nil {
		t.Fatalf("create user %s: %v", login, err)
	}
	base := app.NewContextWithWorkstation(context.Background(), "测试机")
	lu, err := env.Services.Auth.Login(base, login, login+"2026pw")
	if err != nil {
		t.Fatalf("login %s: %v", login, err)
	}
	e := *env
	e.User, e.Ctx = lu, app.NewContextWithUser(base, lu)
	return &e
}

func TestRecordingHelpers(t *testing.T) {
	env := newIntakeEnv(t)
	e, w, _ := recordingExam(t, env)
	if e.State != app.ExamRegistered || len(e.Items) == 0 || w.Sex != app.SexMale {
		t.Fatalf("exam %+v worker sex %q", e.State, w.Sex)
	}
	chief := staffAs(t, env, "zhujian", "李主检", app.RoleChiefExaminer)
	if !chief.User.HasQualification(app.QualificationChiefExaminer, testNow) {
		t.Fatal("chief examiner lacks the qualification")
	}
}
