package remote_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"occhealth/app"
)

// TestTwoWorkstations: the second save of a stale version is refused naming who and when,
// and a change notice reaches the other workstation within a second.
func TestTwoWorkstations(t *testing.T) {
	e := newEnv(t, nil)
	_, svc1 := e.dial(t, "前台1")
	admin := setup(t, svc1)
	u := &app.User{Username: "dengji", Name: "王登记", Roles: []app.Role{app.RoleRegistrar}}
	if err := svc1.Users.CreateUser(admin, u, "Passw0rd1"); err != nil {
		t.Fatal(err)
	}
	_, svc2 := e.dial(t, "前台2")
	clerk := login(t, svc2, "dengji", "Passw0rd1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	notices := svc2.Changes.Subscribe(ctx)
	time.Sleep(300 * time.Millisecond) // the stream is up

	emp := employer("南宁市兴宁区红星锰业有限公司", creditCode("91450102MA5K00001"))
	if _, err := svc1.Employers.CreateEmployer(admin, emp); err != nil {
		t.Fatal(err)
	}
	waitNotice(t, notices, app.ChangeEmployer, emp.ID)

	// Both read version 1; the clerk saves first, the administrator's save is refused.
	a, err := svc1.Employers.FindEmployerByID(admin, emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc2.Employers.FindEmployerByID(clerk, emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Hour)
	b.Note = "前台2 改的"
	if _, err := svc2.Employers.UpdateEmployer(clerk, b); err != nil {
		t.Fatal(err)
	}
	a.Note = "前台1 改的"
	_, err = svc1.Employers.UpdateEmployer(admin, a)
	if code(err) != app.ECONFLICT || !strings.Contains(err.Error(), "dengji") && !strings.Contains(err.Error(), "王登记") || !strings.Contains(err.Error(), "10:00") {
		t.Fatalf("stale save: %v", err)
	}
	got, _ := svc1.Employers.FindEmployerByID(admin, emp.ID)
	if got.Note != "前台2 改的" {
		t.Fatalf("note %q: the first save was overwritten", got.Note)
	}
}

func waitNotice(t *testing.T, ch <-chan app.Change, kind string, id int64) {
	t.Helper()
	deadline := time.After(time.Second)
	for {
		select {
		case c, ok := <-ch:
			if !ok {
				t.Fatal("feed closed")
			}
			if c.Kind == kind && (id == 0 || len(c.IDs) == 0 || c.IDs[0] == id) {
				return
			}
		case <-deadline:
			t.Fatalf("no %s notice within a second", kind)
		}
	}
}

// TestServerAway: calls fail with EUNAVAILABLE and the connection goes offline while the
// server is stopped; restarted on the same address, calls work, the state is online again and
// the change stream resumes with a ChangeAll notice.
func TestServerAway(t *testing.T) {
	e := newEnv(t, nil)
	c, svc := e.dial(t, "前台1")
	admin := setup(t, svc)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	notices := svc.Changes.Subscribe(ctx)
	states := svc.Connection.Watch(ctx)
	time.Sleep(300 * time.Millisecond)

	e.stop()
	start := time.Now()
	_, err := svc.Employers.CreateEmployer(admin, employer("某单位", creditCode("91450102MA5K00002")))
	if code(err) != app.EUNAVAILABLE || !strings.Contains(err.Error(), e.addr) || !strings.Contains(err.Error(), "没有保存") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d < time.Second {
		t.Fatalf("gave up after %v without retrying", d)
	}
	if _, _, err := svc.Employers.FindEmployers(admin, app.EmployerFilter{}); code(err) != app.EUNAVAILABLE || strings.Contains(err.Error(), "没有保存") {
		t.Fatalf("read while away: %v", err)
	}
	if st := c.State(); st.Online || st.Message == "" {
		t.Fatalf("state %+v", st)
	}
	waitState(t, states, false)

	e.restart(t)
	waitState(t, states, true)
	waitNotice(t, notices, app.ChangeAll, 0)
	if _, err := svc.Employers.CreateEmployer(admin, employer("某单位", creditCode("91450102MA5K00002"))); err != nil {
		t.Fatal(err)
	}
	if st := c.State(); !st.Online {
		t.Fatalf("state %+v", st)
	}
}

func waitState(t *testing.T, ch <-chan app.ConnectionState, online bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case s := <-ch:
			if s.Online == online {
				return
			}
		case <-deadline:
			t.Fatalf("connection not online=%v within 5 s", online)
		}
	}
}

// TestRetriedWriteAppliedOnce: the same request ID twice is answered from memory.
func TestRetriedWriteAppliedOnce(t *testing.T) {
	e := newEnv(t, nil)
	c, svc := e.dial(t, "前台1")
	admin := setup(t, svc)
	_, before, _ := svc.Audit.FindAudit(admin, app.AuditFilter{})
	args := map[string]any{"e": employer("重试单位", creditCode("91450102MA5K00003"))}
	var r1, r2 struct {
		E *app.Employer `json:"e"`
	}
	if err := c.CallWithID(admin, "Employers.CreateEmployer", "req-1", args, &r1); err != nil {
		t.Fatal(err)
	}
	if err := c.CallWithID(admin, "Employers.CreateEmployer", "req-1", args, &r2); err != nil {
		t.Fatalf("the retry was applied again: %v", err)
	}
	if r1.E == nil || r2.E == nil || r1.E.ID != r2.E.ID {
		t.Fatalf("%+v %+v", r1.E, r2.E)
	}
	list, n, err := svc.Employers.FindEmployers(admin, app.EmployerFilter{})
	if err != nil || n != 1 || len(list) != 1 {
		t.Fatalf("%d employers: %v", n, err)
	}
	_, after, _ := svc.Audit.FindAudit(admin, app.AuditFilter{})
	// FindAudit itself is not audited: one create, one audit entry.
	if after != before+1 {
		t.Fatalf("audit entries %d → %d", before, after)
	}
	// Another request ID is another request: the duplicate is refused.
	if err := c.CallWithID(admin, "Employers.CreateEmployer", "req-2", args, &r2); code(err) != app.ECONFLICT {
		t.Fatalf("err = %v", err)
	}
}
