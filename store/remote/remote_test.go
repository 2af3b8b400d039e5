package remote_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/store/remote"
)

func TestLogin(t *testing.T) {
	e := newEnv(t, nil)
	_, svc := e.dial(t, "前台1")
	admin := setup(t, svc)
	if u := app.UserFromContext(admin); u.ID == 0 || u.Username != "admin" {
		t.Fatalf("initialize returned %+v", u)
	}
	t.Run("logged in", func(t *testing.T) {
		ctx := login(t, svc, "admin", adminPassword)
		us, err := svc.Users.FindUsers(ctx, app.UserFilter{})
		if err != nil || len(us) != 1 {
			t.Fatalf("%v %v", us, err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		_, err := svc.Auth.Login(context.Background(), "admin", "nope-nope")
		if code(err) != app.EUNAUTHORIZED || err.Error() != "用户名或密码错误" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("no token", func(t *testing.T) {
		_, err := svc.Users.FindUsers(context.Background(), app.UserFilter{})
		if code(err) != app.EUNAUTHORIZED {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a context user without a session is not trusted", func(t *testing.T) {
		forged := app.NewContextWithUser(context.Background(), &app.User{ID: 1, Username: "admin", Roles: []app.Role{app.RoleAdmin}})
		_, other := e.dial(t, "别的电脑")
		if _, err := other.Users.FindUsers(forged, app.UserFilter{}); code(err) != app.EUNAUTHORIZED {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("audit names the workstation", func(t *testing.T) {
		es, _, err := svc.Audit.FindAudit(admin, app.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range es {
			if a.Action == "AuthService.Login" && a.Workstation == "前台1" {
				found = true
			}
		}
		if !found {
			t.Fatalf("no login entry from 前台1 in %+v", es)
		}
	})
}

func TestRoleAndDisabledUser(t *testing.T) {
	e := newEnv(t, nil)
	_, svc := e.dial(t, "前台1")
	admin := setup(t, svc)
	clerk := user(t, svc, admin, "dengji", app.RoleRegistrar)
	err := svc.Users.CreateUser(clerk, &app.User{Username: "x1", Name: "某某", Roles: []app.Role{app.RoleAdmin}}, "Passw0rd1")
	if code(err) != app.EFORBIDDEN {
		t.Fatalf("registrar creating a user: %v", err)
	}
	if _, _, err := svc.Employers.FindEmployers(clerk, app.EmployerFilter{}); err != nil {
		t.Fatalf("registrar listing employers: %v", err)
	}
	// A role granted on the server counts at the next call, without a new login.
	cu := app.UserFromContext(clerk)
	roles := []app.Role{app.RoleRegistrar, app.RoleAdmin}
	if _, err := svc.Users.FindUsers(clerk, app.UserFilter{}); code(err) != app.EFORBIDDEN {
		t.Fatalf("registrar listing users: %v", err)
	}
	if _, err := svc.Users.UpdateUser(admin, cu.ID, cu.Version, app.UserUpdate{Roles: &roles}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Users.FindUsers(clerk, app.UserFilter{}); err != nil {
		t.Fatalf("after the role was granted: %v", err)
	}
	// Disabled on the server: refused at once, without a new login.
	if err := svc.Users.SetUserDisabled(admin, app.UserFromContext(clerk).ID, true); err != nil {
		t.Fatal(err)
	}
	_, _, err = svc.Employers.FindEmployers(clerk, app.EmployerFilter{})
	if code(err) != app.EUNAUTHORIZED || !strings.Contains(err.Error(), "停用") {
		t.Fatalf("disabled user: %v", err)
	}
}

func TestPointerCopyBackAndErrors(t *testing.T) {
	e := newEnv(t, nil)
	_, svc := e.dial(t, "前台1")
	admin := setup(t, svc)
	emp := employer("南宁市兴宁区红星锰业有限公司", creditCode("91450102MA5K00001"))
	if _, err := svc.Employers.CreateEmployer(admin, emp); err != nil {
		t.Fatal(err)
	}
	if emp.ID == 0 || emp.Version == 0 {
		t.Fatalf("employer not filled: %+v", emp)
	}
	w := &app.Worker{Name: "张三", DocType: app.DocResidentID, IDNumber: idNumber("45010219800101001"), Phone: "13800138000"}
	if err := svc.Workers.CreateWorker(admin, w); err != nil {
		t.Fatal(err)
	}
	if w.ID == 0 || w.Version == 0 || w.Sex == "" {
		t.Fatalf("worker not filled: %+v", w)
	}
	got, err := svc.Workers.FindWorkerByID(admin, w.ID)
	if err != nil || got.Name != "张三" || got.IDNumber != w.IDNumber {
		t.Fatalf("%+v %v", got, err)
	}
	// The same bad input gives the same error (code, message, field) remotely and locally.
	localAdmin := app.NewContextWithUser(context.Background(), app.UserFromContext(admin))
	for name, f := range map[string]func(svc app.Services, ctx context.Context) error{
		"duplicate credit code": func(svc app.Services, ctx context.Context) error {
			dup := *emp
			dup.ID = 0
			_, err := svc.Employers.CreateEmployer(ctx, &dup)
			return err
		},
		"bad worker": func(svc app.Services, ctx context.Context) error {
			return svc.Workers.CreateWorker(ctx, &app.Worker{Name: "李", DocType: app.DocResidentID, IDNumber: "450102198001010010"})
		},
		"not found": func(svc app.Services, ctx context.Context) error {
			_, err := svc.Workers.FindWorkerByID(ctx, 999)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			rerr, lerr := f(svc, admin), f(e.local, localAdmin)
			if rerr == nil || lerr == nil {
				t.Fatalf("remote %v, local %v", rerr, lerr)
			}
			if code(rerr) != code(lerr) || rerr.Error() != lerr.Error() {
				t.Fatalf("remote %q (%s), local %q (%s)", rerr, code(rerr), lerr, code(lerr))
			}
			if re, le := fieldOf(rerr), fieldOf(lerr); re != le {
				t.Fatalf("field: remote %q, local %q", re, le)
			}
		})
	}
}

func fieldOf(err error) string {
	if ae, ok := err.(*app.Error); ok {
		return ae.Field
	}
	if es, ok := err.(app.Errors); ok {
		var fs []string
		for _, e := range es {
			fs = append(fs, e.Field)
		}
		return strings.Join(fs, ",")
	}
	return "?"
}

func TestVersionMismatch(t *testing.T) {
	e := newEnv(t, nil)
	opts := remote.WithGeneration(e.clientOptions("旧电脑"), "0/0000000000000000")
	opts.Version = "1.0.0"
	_, err := remote.Dial(context.Background(), e.addr, e.fp, opts)
	if code(err) != app.EVERSION {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"1.0.0", "测试版", "0/0000000000000000", remote.Generation(), "升级"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not name %q", err, want)
		}
	}
	info, err := remote.Connector{Options: opts}.Probe(context.Background(), e.addr)
	if err != nil || info.Compatible || !strings.Contains(info.Message, "升级") {
		t.Fatalf("probe: %+v %v", info, err)
	}
}

func TestProbeAndPin(t *testing.T) {
	e := newEnv(t, nil)
	k := remote.Connector{Options: e.clientOptions("前台1")}
	info, err := k.Probe(context.Background(), e.addr)
	if err != nil {
		t.Fatal(err)
	}
	if info.Fingerprint != e.fp || !info.Compatible || info.Protocol != remote.Protocol || info.Version != "测试版" {
		t.Fatalf("probe: %+v, want fingerprint %s", info, e.fp)
	}
	if len(strings.Fields(info.Fingerprint)) != 16 {
		t.Fatalf("fingerprint %q is not 16 groups of four", info.Fingerprint)
	}
	svc, err := k.Connect(context.Background(), e.addr, strings.ToLower(strings.ReplaceAll(e.fp, " ", ":")))
	if err != nil {
		t.Fatalf("connect with the fingerprint in another spelling: %v", err)
	}
	svc.Connection.Close()
	setup(t, e.local)
	if info, _ = k.Probe(context.Background(), e.addr); info.Institution != "测试县人民医院" {
		t.Fatalf("institution %q", info.Institution)
	}
	other := "0000" + e.fp[4:]
	_, err = k.Connect(context.Background(), e.addr, other)
	if code(err) != app.EUNSAFE || !strings.Contains(err.Error(), "冒充") || !strings.Contains(err.Error(), e.fp) {
		t.Fatalf("pin mismatch: %v", err)
	}
}

func TestServerClock(t *testing.T) {
	e := newEnv(t, nil)
	e.clock.Add(-400 * 24 * time.Hour) // the server's clock is what counts, not this PC's
	_, svc := e.dial(t, "前台1")
	if d := svc.Now().Sub(e.clock.Now()); d < -2*time.Second || d > 2*time.Second {
		t.Fatalf("client clock %v, server %v", svc.Now(), e.clock.Now())
	}
}

func TestBodyLimit(t *testing.T) {
	e := newEnv(t, func(o *remote.ServerOptions) { o.MaxBody = 4 << 20 })
	_, svc := e.dial(t, "前台1")
	admin := setup(t, svc)
	err := svc.DocumentSettings.SaveSealImage(admin, make([]byte, 5<<20))
	if code(err) != app.EINVALID || !strings.Contains(err.Error(), "太大") {
		t.Fatalf("err = %v", err)
	}
}

// TestEveryService calls one method of every remote service: each answers with a result or
// an *app.Error, never a transport failure.
func TestEveryService(t *testing.T) {
	e := newEnv(t, nil)
	_, svc := e.dial(t, "前台1")
	admin := setup(t, svc)
	calls := map[string]func() error{
		"Setup": func() error { st, err := svc.Setup.Status(admin); return okIf(err, st.Initialized) },
		"Auth":  func() error { _, err := svc.Auth.Login(admin, "admin", adminPassword); return err },
		"Users": func() error { _, err := svc.Users.FindUserByID(admin, app.UserFromContext(admin).ID); return err },
		"Institution": func() error {
			in, err := svc.Institution.Institution(admin)
			return okIf(err, in != nil && in.Name == "测试县人民医院")
		},
		"Employers": func() error { _, _, err := svc.Employers.FindEmployers(admin, app.EmployerFilter{}); return err },
		"Workers":   func() error { _, err := svc.Workers.SearchWorkers(admin, app.WorkerSearch{Query: "张"}); return err },
		"Catalog":   func() error { _, err := svc.Catalog.CatalogOverrides(admin); return err },
		"Audit":     func() error { _, n, err := svc.Audit.FindAudit(admin, app.AuditFilter{}); return okIf(err, n > 0) },
		"Backup":    func() error { _, err := svc.Backup.BackupSettings(admin); return err },
		"Contracts": func() error { _, _, err := svc.Contracts.FindContracts(admin, app.ContractFilter{}); return err },
		"Packages":  func() error { _, err := svc.Packages.FindPackages(admin, true); return err },
		"Exams":     func() error { _, _, err := svc.Exams.FindExams(admin, app.ExamFilter{}); return err },
		"Intake": func() error {
			_, err := svc.Intake.PreviewRoster(admin, 99, app.RosterFile{})
			return expect(err, app.ENOTFOUND, app.EINVALID)
		},
		"Rules":            func() error { _, err := svc.Rules.RuleTableOverride(admin); return err },
		"Records":          func() error { _, err := svc.Records.OpenCriticals(admin); return err },
		"DocumentSettings": func() error { _, err := svc.DocumentSettings.DocumentTexts(admin); return err },
		"PrintLog":         func() error { _, err := svc.PrintLog.FindPrints(admin, 0, 0); return err },
		"Calendar":         func() error { _, err := svc.Calendar.Calendar(admin); return err },
		"Cards":            func() error { _, _, err := svc.Cards.Cards(admin, app.CardFilter{}); return err },
	}
	for name, f := range calls {
		t.Run(name, func(t *testing.T) {
			if err := f(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func okIf(err error, ok bool) error {
	if err == nil && !ok {
		return app.Errorf(app.EINTERNAL, "unexpected result")
	}
	return err
}

func expect(err error, codes ...string) error {
	for _, c := range codes {
		if code(err) == c {
			return nil
		}
	}
	return err
}

func TestStaleSessionCanLogIn(t *testing.T) {
	e := newEnv(t, nil)
	_, svc := e.dial(t, "前台1")
	admin := setup(t, svc)
	// Another server secret: the old session is no longer valid, but logging in still works.
	e.stop()
	e.opts.Secret = []byte("another secret of thirty-two bytes!!")
	e.restart(t)
	if _, err := svc.Users.FindUsers(admin, app.UserFilter{}); code(err) != app.EUNAUTHORIZED || !strings.Contains(err.Error(), "重新登录") {
		t.Fatalf("stale session: %v", err)
	}
	if _, err := svc.Auth.Login(admin, "admin", adminPassword); err != nil {
		t.Fatalf("login with a stale session in the context: %v", err)
	}
}

func TestProbeNoServer(t *testing.T) {
	e := newEnv(t, nil)
	e.stop()
	_, err := remote.Connector{Options: e.clientOptions("前台1")}.Probe(context.Background(), e.addr)
	if code(err) != app.EUNAVAILABLE || !strings.Contains(err.Error(), e.addr) || !strings.Contains(err.Error(), "防火墙") {
		t.Fatalf("err = %v", err)
	}
}
