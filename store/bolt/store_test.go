package bolt_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/bolt"
)

func TestOpen_SecondInstanceIsLocked(t *testing.T) {
	onPostgres(t) // a file lock; several server instances share one PostgreSQL database
	td := MustOpenDB(t)
	_, err := bolt.Open(td.path, bolt.Options{Keys: td.keys, Timeout: 100 * time.Millisecond})
	if app.ErrorCode(err) != app.ELOCKED || !strings.Contains(app.ErrorMessage(err), "已被另一个程序打开") {
		t.Fatalf("err = %v", err)
	}
}

func TestSetup_Twice(t *testing.T) {
	td := MustOpenDB(t)
	st, err := td.svc.Setup.Status(context.Background())
	if err != nil || !st.Initialized || st.Institution.Name != "测试县人民医院" || st.Institution.AreaUnverified {
		t.Fatalf("status %+v %v", st, err)
	}
	_, err = td.svc.Setup.Initialize(context.Background(), app.SetupInput{})
	if app.ErrorCode(err) != app.ESETUP {
		t.Fatalf("second set-up: %v", err)
	}
}

func TestUserService(t *testing.T) {
	td := MustOpenDB(t)
	t.Run("login", func(t *testing.T) {
		u, err := td.svc.Auth.Login(context.Background(), "admin", adminPassword)
		if err != nil || !u.HasRole(app.RoleAdmin) {
			t.Fatalf("%v %v", u, err)
		}
		if _, err := td.svc.Auth.Login(context.Background(), "admin", "wrong"); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("wrong password: %v", err)
		}
	})
	t.Run("create, disable, reset", func(t *testing.T) {
		u := &app.User{Username: "doc1", Name: "王医生", Roles: []app.Role{app.RoleExamDoctor, app.RoleChiefExaminer},
			Qualifications: []app.Qualification{{Kind: "主检医师", ValidUntil: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)}}}
		if err := td.svc.Users.CreateUser(td.admin, u, "Doctor123"); err != nil {
			t.Fatal(err)
		}
		if err := td.svc.Users.CreateUser(td.admin, &app.User{Username: "doc1", Name: "重名", Roles: []app.Role{app.RoleExamDoctor}}, "Doctor123"); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("duplicate: %v", err)
		}
		if err := td.svc.Users.SetUserDisabled(td.admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := td.svc.Auth.Login(context.Background(), "doc1", "Doctor123"); app.ErrorCode(err) != app.EUNAUTHORIZED || !strings.Contains(err.Error(), "停用") {
			t.Fatalf("disabled login: %v", err)
		}
		if err := td.svc.Users.SetUserDisabled(td.admin, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := td.svc.Users.ResetPassword(td.admin, u.ID, "NewPass123"); err != nil {
			t.Fatal(err)
		}
		got, err := td.svc.Auth.Login(context.Background(), "doc1", "NewPass123")
		if err != nil || !got.MustChangePassword {
			t.Fatalf("after reset: %+v %v", got, err)
		}
		ctx := app.NewContextWithUser(context.Background(), got)
		if err := td.svc.Users.ChangePassword(ctx, "NewPass123", "Mine12345"); err != nil {
			t.Fatal(err)
		}
		if _, err := td.svc.Auth.Login(context.Background(), "doc1", "Mine12345"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("last admin stays", func(t *testing.T) {
		admin := app.UserFromContext(td.admin)
		if err := td.svc.Users.SetUserDisabled(td.admin, admin.ID, true); err == nil {
			t.Fatal("disabled oneself")
		}
		roles := []app.Role{app.RoleRegistrar}
		if _, err := td.svc.Users.UpdateUser(td.admin, admin.ID, 1, app.UserUpdate{Roles: &roles}); err == nil {
			t.Fatal("removed own admin role")
		}
	})
	t.Run("stale version", func(t *testing.T) {
		us, _ := td.svc.Users.FindUsers(td.admin, app.UserFilter{Username: "doc1"})
		name := "王大夫"
		if _, err := td.svc.Users.UpdateUser(td.admin, us[0].ID, us[0].Version, app.UserUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if _, err := td.svc.Users.UpdateUser(td.admin, us[0].ID, us[0].Version, app.UserUpdate{Name: &name}); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("stale: %v", err)
		}
	})
}

func TestEmployerService(t *testing.T) {
	td := MustOpenDB(t)
	e := td.employer(t, "南宁市兴宁区红星锰业有限公司", creditCode("91450102MA5K00001"))
	t.Run("duplicate credit code", func(t *testing.T) {
		dup := *e
		dup.ID = 0
		if _, err := td.svc.Employers.CreateEmployer(td.admin, &dup); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(err.Error(), "红星锰业") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("bad codes", func(t *testing.T) {
		bad := &app.Employer{Name: "坏单位", CreditCode: creditCode("91450102MA5K00002"), AreaCode: "450102", IndustryCode: "9999", EconomicTypeCode: "173", SizeCode: "03"}
		if _, err := td.svc.Employers.CreateEmployer(td.admin, bad); err == nil || !strings.Contains(err.Error(), "行业类别") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unknown area is a warning", func(t *testing.T) {
		w := &app.Employer{Name: "新区单位", CreditCode: creditCode("91450102MA5K00003"), AreaCode: "459999", IndustryCode: "1391", EconomicTypeCode: "173", SizeCode: "03"}
		warns, err := td.svc.Employers.CreateEmployer(td.admin, w)
		if err != nil || len(warns) != 1 {
			t.Fatalf("%v %v", warns, err)
		}
	})
	t.Run("find", func(t *testing.T) {
		for _, q := range []string{"红星", "nnsxnqhxmy", e.CreditCode[:8], ""} {
			got, _, err := td.svc.Employers.FindEmployers(td.admin, app.EmployerFilter{Query: q})
			if err != nil || len(got) == 0 || got[0].ID != e.ID && q != "" {
				t.Errorf("%q: %v %v", q, got, err)
			}
		}
	})
	t.Run("conflict names the editor", func(t *testing.T) {
		a := *e
		a.Note = "第一次"
		if _, err := td.svc.Employers.UpdateEmployer(td.admin, &a); err != nil {
			t.Fatal(err)
		}
		b := *e
		b.Note = "第二次"
		_, err := td.svc.Employers.UpdateEmployer(td.admin, &b)
		if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(err.Error(), "admin") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestWorkerService(t *testing.T) {
	td := MustOpenDB(t)
	emp := td.employer(t, "红星锰业", creditCode("91450102MA5K00001"))
	id := idNumber("45010219800101001")
	w := &app.Worker{Name: "曾乐", IDNumber: strings.ToLower(id), Phone: "13812345678",
		WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "电解车间", JobName: "电解工", Start: time.Date(2010, 3, 1, 0, 0, 0, 0, time.UTC)}},
		Exposures:   []app.Exposure{{HazardCode: "1038", Start: time.Date(2010, 3, 1, 0, 0, 0, 0, time.UTC)}}}
	if err := td.svc.Workers.CreateWorker(td.admin, w); err != nil {
		t.Fatal(err)
	}
	if w.Sex != app.SexMale || w.IDNumber != id {
		t.Fatalf("derived: %+v", w)
	}
	t.Run("duplicate id", func(t *testing.T) {
		err := td.svc.Workers.CreateWorker(td.admin, &app.Worker{Name: "别人", IDNumber: id})
		if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(err.Error(), "曾乐") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("search", func(t *testing.T) {
		for _, q := range []string{id, "450102800101001", id[12:], "13812345678", "zl", "zy", "ZL", "曾", "曾乐"} {
			ids, err := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{Query: q})
			if err != nil || len(ids) != 1 || ids[0] != w.ID {
				t.Errorf("%q: %v %v", q, ids, err)
			}
		}
		ids, _ := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{EmployerID: emp.ID})
		if len(ids) != 1 {
			t.Errorf("by employer: %v", ids)
		}
	})
	t.Run("restricted scope", func(t *testing.T) {
		nurse := td.as(t, "nurse", app.RoleFollowUpNurse)
		if _, err := td.svc.Workers.SearchWorkers(nurse, app.WorkerSearch{Query: "zl"}); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatalf("nurse by initials: %v", err)
		}
		if ids, err := td.svc.Workers.SearchWorkers(nurse, app.WorkerSearch{Query: id}); err != nil || len(ids) != 1 {
			t.Fatalf("nurse by id: %v %v", ids, err)
		}
	})
	t.Run("correct id number", func(t *testing.T) {
		newID := idNumber("45010219800202002")
		if _, err := td.svc.Workers.CorrectIDNumber(td.admin, w.ID, w.Version, app.DocResidentID, newID, ""); err == nil {
			t.Fatal("no reason accepted")
		}
		got, err := td.svc.Workers.CorrectIDNumber(td.admin, w.ID, w.Version, app.DocResidentID, newID, "登记时录错")
		if err != nil {
			t.Fatal(err)
		}
		if got.Sex != app.SexFemale || got.BirthDate.Format("20060102") != "19800202" {
			t.Fatalf("re-derived: %+v", got)
		}
		if ids, _ := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{Query: id}); len(ids) != 0 {
			t.Fatalf("old number still indexed")
		}
		if ids, _ := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{Query: newID}); len(ids) != 1 {
			t.Fatalf("new number not indexed")
		}
		entries, _, _ := td.svc.Audit.FindAudit(td.admin, app.AuditFilter{Entity: "worker", EntityID: w.ID})
		if len(entries) == 0 || !strings.Contains(entries[0].Note, "登记时录错") || !strings.Contains(entries[0].Diff, id) {
			t.Fatalf("audit: %+v", entries)
		}
	})
}

func TestClockBackwardsRefused(t *testing.T) {
	td := MustOpenDB(t)
	td.employer(t, "甲单位", creditCode("91450102MA5K00001"))
	td.clock.Add(-time.Hour)
	_, err := td.svc.Employers.CreateEmployer(td.admin, &app.Employer{Name: "乙单位", CreditCode: creditCode("91450102MA5K00002"), AreaCode: "450102", IndustryCode: "1391", EconomicTypeCode: "173", SizeCode: "03"})
	if app.ErrorCode(err) != app.ECLOCK || !strings.Contains(err.Error(), "早于") {
		t.Fatalf("err = %v", err)
	}
}

func TestNetworkPathRefused(t *testing.T) {
	// A path that CheckLocalPath accepts is a local one; the detection itself is tested with
	// a mounts fixture in package store.
	if err := store.CheckLocalPath(filepath.Join(t.TempDir(), "a.db")); err != nil {
		t.Fatal(err)
	}
}

var _ = errors.New
