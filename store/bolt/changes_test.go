package bolt_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/store/bolt"

	"github.com/jackc/pgx/v5"
)

// next reads one notice or fails after a while.
func next(t *testing.T, ch <-chan app.Change) app.Change {
	t.Helper()
	select {
	case c, ok := <-ch:
		if !ok {
			t.Fatal("feed closed")
		}
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no change notice within 5 s")
	}
	return app.Change{}
}

func quiet(t *testing.T, ch <-chan app.Change) {
	t.Helper()
	select {
	case c := <-ch:
		t.Fatalf("unexpected notice %+v", c)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestChanges_Notices(t *testing.T) {
	td := MustOpenDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := td.DB.Changes().Subscribe(ctx)

	emp := td.employer(t, "红星锰业", creditCode("91450102MA5K00001"))
	c := next(t, ch)
	if c.Kind != app.ChangeEmployer || !slices.Equal(c.IDs, []int64{emp.ID}) || c.By != "admin" || c.Seq == 0 || c.At.IsZero() {
		t.Fatalf("employer notice %+v", c)
	}
	quiet(t, ch) // the audit entry of the write adds no notice of its own

	w := &app.Worker{Name: "张三", IDNumber: idNumber("45010219800101001")}
	if err := td.svc.Workers.CreateWorker(td.admin, w); err != nil {
		t.Fatal(err)
	}
	c2 := next(t, ch)
	if c2.Kind != app.ChangeWorker || !slices.Equal(c2.IDs, []int64{w.ID}) || c2.Seq <= c.Seq {
		t.Fatalf("worker notice %+v after %+v", c2, c)
	}

	// A refused write commits nothing and says nothing.
	if err := td.svc.Workers.CreateWorker(td.admin, &app.Worker{Name: ""}); err == nil {
		t.Fatal("empty worker accepted")
	}
	quiet(t, ch)

	// A user created: one user notice.
	td.as(t, "nurse", app.RoleFollowUpNurse)
	if c := next(t, ch); c.Kind != app.ChangeUser || len(c.IDs) != 1 {
		t.Fatalf("user notice %+v", c)
	}

	cancel()
	for range ch { // closed after ctx ends
	}
}

// A subscriber that does not read never blocks a commit; it gets one ChangeAll for what it
// missed, then notices again once it reads on.
func TestChanges_SlowSubscriber(t *testing.T) {
	td := MustOpenDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := td.DB.Changes().Subscribe(ctx)
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 100; i++ {
			e := &app.Employer{Name: fmt.Sprintf("单位%d", i), CreditCode: creditCode(fmt.Sprintf("91450102MA5K%05d", i)), AreaCode: "450102",
				IndustryCode: "1391", EconomicTypeCode: "173", SizeCode: "03"}
			if _, err := td.svc.Employers.CreateEmployer(td.admin, e); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("commits blocked by a subscriber that does not read")
	}
	var got []app.Change
	for len(ch) > 0 {
		got = append(got, <-ch)
	}
	if len(got) != cap(ch) || got[len(got)-1].Kind != app.ChangeAll {
		t.Fatalf("%d notices, last %+v: want a full buffer ending in ChangeAll", len(got), got[len(got)-1])
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq <= got[i-1].Seq {
			t.Fatalf("Seq not increasing: %d then %d", got[i-1].Seq, got[i].Seq)
		}
	}
	td.employer(t, "之后的单位", creditCode("91450102MA5K99999"))
	if c := next(t, ch); c.Kind != app.ChangeEmployer {
		t.Fatalf("after draining: %+v", c)
	}
}

// Two server instances on one PostgreSQL database hear each other's commits (and not their
// own twice), and drop the caches those commits make stale.
func TestChanges_SecondInstance(t *testing.T) {
	if testEngine() != "postgres" {
		t.Skip("instances share a store only on PostgreSQL (OCCHEALTH_TEST_ENGINE=postgres)")
	}
	td := MustOpenDB(t)
	other, err := reopenArchive(td.path, bolt.Options{Keys: td.keys, Codes: testCatalogs(t), Now: td.clock.Now, FastPasswords: true, Planner: ruleTable})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mine, theirs := td.DB.Changes().Subscribe(ctx), other.Changes().Subscribe(ctx)
	time.Sleep(200 * time.Millisecond) // the LISTEN connection is up

	emp := td.employer(t, "红星锰业", creditCode("91450102MA5K00001"))
	for name, ch := range map[string]<-chan app.Change{"this instance": mine, "other instance": theirs} {
		c := next(t, ch)
		if c.Kind != app.ChangeEmployer || !slices.Equal(c.IDs, []int64{emp.ID}) || c.By != "admin" {
			t.Fatalf("%s: %+v", name, c)
		}
	}
	quiet(t, mine) // its own echo through PostgreSQL is dropped

	// A rolled-back write sends nothing anywhere.
	if _, err := td.svc.Employers.CreateEmployer(td.admin, &app.Employer{Name: ""}); err == nil {
		t.Fatal("empty employer accepted")
	}
	quiet(t, theirs)

	// The other instance's writes come back the other way.
	osvc := other.Services(testCatalogs(t))
	w := &app.Worker{Name: "李四", IDNumber: idNumber("45010219800101002")}
	if err := osvc.Workers.CreateWorker(td.admin, w); err != nil {
		t.Fatal(err)
	}
	if c := next(t, mine); c.Kind != app.ChangeWorker || !slices.Equal(c.IDs, []int64{w.ID}) {
		t.Fatalf("from the other instance: %+v", c)
	}
	got, err := td.svc.Workers.WorkersByIDs(td.admin, []int64{w.ID})
	if err != nil || len(got) != 1 || got[0].Name != "李四" {
		t.Fatalf("worker written by the other instance: %v %v", got, err)
	}
}

// When the instance's LISTEN connection breaks, it reconnects and tells its subscribers to
// refresh everything (notices sent meanwhile are lost).
func TestChanges_ListenerReconnects(t *testing.T) {
	if testEngine() != "postgres" {
		t.Skip("only PostgreSQL carries notices between processes")
	}
	td := MustOpenDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := td.DB.Changes().Subscribe(ctx)
	dsn, _ := pgArchives.Load(td.path)
	conn, err := pgx.Connect(ctx, dsn.(string))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no LISTEN connection found")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if c := next(t, ch); c.Kind != app.ChangeAll {
		t.Fatalf("after the listener's connection broke: %+v, want ChangeAll", c)
	}
}
