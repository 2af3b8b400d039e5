package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

// A doctor who is both chief examiner and reviewer cannot pass their own signature; the
// refusal is shown and the exam stays 已总检.
func TestReview_OwnSignatureRefused(t *testing.T) {
	env := newIntakeEnv(t)
	e, _, _ := recordingExam(t, env)
	doc := staffAs(t, env, "tijian", "陈医生", app.RoleExamDoctor)
	e = refuseLung(t, doc, saveResults(t, doc, e, flowResults(t, env)))
	both := staffAs(t, env, "zhuren", "郑主任", app.RoleChiefExaminer, app.RoleReviewer)
	c := app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "1038", Code: app.ConclusionNormal},
		{Hazard: "3008", Code: app.ConclusionOther, Other: "双耳高频听力下降"}}}
	e, err := both.Services.Records.SaveConclusion(both.Ctx, e.ID, e.Version, c)
	if err != nil {
		t.Fatal(err)
	}
	if e, err = both.Services.Records.Sign(both.Ctx, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	r := newReviewScreen(both)
	show(both, r.content())
	scan(r.list, e.Number)
	if !strings.Contains(r.summary.Text, "其他疾病或异常：双耳高频听力下降") {
		t.Errorf("summary %q", r.summary.Text)
	}
	test.Tap(r.approveBtn)
	r.approveAsk.Confirm()
	if d := dialogText(both.Window); !strings.Contains(d, "不能审核本人签名的体检") {
		t.Errorf("own signature: dialog %q", d)
	}
	if r.b.exam.State != app.ExamConcluded {
		t.Errorf("state %s", r.b.exam.State.Name())
	}
}
