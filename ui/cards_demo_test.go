package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/demo"
)

// The worklist of a demo archive (the issue's screenshot): cards of several employers in
// every state — some exported, one returned, one reported — with their pre-flight counts and,
// a week after release, the due dates in red.
func TestCards_DemoWorklist(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a demo archive")
	}
	env := newIntakeEnv(t)
	res, err := demo.Fill(env.Ctx, env.Services, demo.Options{Workers: 40, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if res.Released < 5 {
		t.Fatalf("demo released %d exams", res.Released)
	}
	fillCardSettings(t, env, "5")

	// Export the first passing cards and record what the platform said about two of them.
	ds, err := env.Services.Cards.CardData(env.Ctx, time.Time{}, time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pass []app.CardData
	for _, d := range ds {
		if errs, _ := countIssues(checkCard(env, d)); errs == 0 && len(pass) < 4 {
			pass = append(pass, d)
		}
	}
	if len(pass) >= 2 {
		files, err := env.Services.Documents.ExportCards(app.CardFormatNational, "DEMO-1", pass)
		if err != nil || len(files) == 0 {
			t.Fatalf("export: %v", err)
		}
		if err := env.Services.Cards.RecordExport(env.Ctx, "DEMO-1", app.CardFormatNational, pass); err != nil {
			t.Fatal(err)
		}
		for i, st := range []app.CardStatus{app.CardReturned, app.CardReported} {
			fb := app.CardFeedback{ExamNumber: pass[i].Card.ExamNumber, Status: st, At: testNow}
			if st == app.CardReturned {
				fb.Reason = "体检结论与检查结果不一致"
			}
			if err := env.Services.Cards.SetCardStatus(env.Ctx, fb); err != nil {
				t.Fatal(err)
			}
		}
	}

	clerk := staffAs(t, env, "tongji2", "郑统计", app.RoleReportingClerk)
	clerk.Services.Now = func() time.Time { return testNow.AddDate(0, 0, 7) }
	v := openCards(clerk)
	show(clerk, v.content())
	due := v.total
	v.view.SetSelected(cardViewAll)
	if v.total != res.Released || due > v.total {
		t.Errorf("全部 lists %d cards, %d due; %d released", v.total, due, res.Released)
	}
	statuses := map[string]bool{}
	red := 0
	for i := 0; i < v.total; i++ {
		statuses[cardCell(v.at(i), colStatus)] = true
		l := widget.NewLabel("")
		v.cell(widget.TableCellID{Row: i, Col: colDue}, l)
		if l.Importance == widget.DangerImportance {
			red++
		}
	}
	if len(pass) >= 2 && (!statuses["退回"] || !statuses["已上报"] || !statuses["已导出"] || !statuses["待上报"]) {
		t.Errorf("statuses listed: %v", statuses)
	}
	if red == 0 {
		t.Error("no overdue due date in red a week after release")
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	relayout(clerk.Window)
	saveShot(t, clerk.Window, "cards-worklist.png")
	if !strings.Contains(v.detail.header.Text, "体检号") {
		t.Errorf("detail: %q", v.detail.header.Text)
	}
}

func countIssues(is []app.CardIssue) (errs, warns int) {
	for _, x := range is {
		if x.Level == app.LevelError {
			errs++
		} else {
			warns++
		}
	}
	return
}

// BenchmarkCards_Worklist opens the 个案卡 worklist of a demo archive of 3,000 workers and
// goes through its views (each view's first page read and its first 20 rows' cells drawn), as
// a reporting clerk does each morning.
func BenchmarkCards_Worklist(b *testing.B) {
	test.NewTempApp(b)
	env := benchIntakeEnv(b)
	res, err := demo.Fill(env.Ctx, env.Services, demo.Options{Workers: 3000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	open := func() int {
		v := openCards(env)
		for _, view := range cardViews[1:] {
			v.view.SetSelected(view)
			for i := 0; i < min(v.total, 20); i++ {
				for c := range cardColumns {
					cardCell(v.at(i), c)
				}
			}
		}
		return v.total
	}
	// The first open after the archive opens runs the pre-flight check of every card (the
	// store keeps the counts); later opens read them.
	start := time.Now()
	open()
	cold := time.Since(start)
	b.ResetTimer()
	total := 0
	for b.Loop() {
		total = open()
	}
	b.ReportMetric(float64(total), "cards")
	b.ReportMetric(float64(cold.Milliseconds()), "first-open-ms")
	if total != res.Released {
		b.Fatalf("全部 lists %d cards, %d released", total, res.Released)
	}
}
