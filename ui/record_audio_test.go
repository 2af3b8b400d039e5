package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/criteria"
)

// showAudiogramPanel is the standalone harness: the panel alone in the test window (tall
// enough for all of it), for one exam of the recording helpers' noise worker.
func showAudiogramPanel(t *testing.T, env *Env, exam *app.Exam, worker *app.Worker) *audiogramPanel {
	t.Helper()
	p := newAudiogramPanel(env, exam, worker)
	env.Window.SetContent(container.NewVScroll(container.NewPadded(container.NewVBox(heading("纯音听阈测试"), p.content()))))
	env.Window.Resize(fyne.NewSize(1280, 1060))
	return p
}

// typeAudiogram types levels into the grid the way a doctor does: focus the first cell of an
// ear's air row, then type each level and press Enter, which moves to the next cell.
func typeAudiogram(t *testing.T, env *Env, p *audiogramPanel, side criteria.Side, levels ...string) {
	t.Helper()
	c := env.Window.Canvas()
	c.Focus(p.cell(side, false, 500))
	for i, v := range levels {
		want := p.cell(side, false, criteria.StandardFreqs[i])
		if c.Focused() != want {
			t.Fatalf("%s: focus is on %v, want the %d Hz cell", side.Name(), c.Focused(), criteria.StandardFreqs[i])
		}
		for _, r := range v {
			c.Focused().TypedRune(r)
		}
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
}

// panelText returns every label text of the panel, one per line.
func panelText(p *audiogramPanel) string {
	var b strings.Builder
	walk(p.content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}

// saveShot writes the window as a PNG into $OCCHEALTH_SHOTS (when set), for a person to look at.
func saveShot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("OCCHEALTH_SHOTS")
	if dir == "" {
		return
	}
	relayout(w)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// A noise worker (male, 48 on the exam day, noise since 2015) with a high-frequency notch
// in both ears, worse on the left.
var (
	noiseLeft  = []string{"25", "30", "35", "60", "70", "65"}
	noiseRight = []string{"20", "25", "30", "55", "65", "60"}
)

func TestAudiogramPanel_NoiseWorker(t *testing.T) {
	env := newIntakeEnv(t)
	exam, worker, _ := recordingExam(t, env)
	p := showAudiogramPanel(t, env, exam, worker)

	// Before anything is typed, nothing is computed and the suggestions say what is missing.
	if got := panelText(p); !strings.Contains(got, "—（缺少 左耳 500 Hz、左耳 1000 Hz、左耳 2000 Hz）") ||
		!strings.Contains(got, "【无法判断】") {
		t.Fatalf("empty panel:\n%s", got)
	}

	typeAudiogram(t, env, p, criteria.Left, noiseLeft...)
	typeAudiogram(t, env, p, criteria.Right, noiseRight...)
	// Enter at the last left cell went on to the first right cell (typeAudiogram checked the
	// focus of every cell it typed).

	got := panelText(p)
	for _, want := range []string{
		// Raw averages (500/1000/2000 and 3000/4000/6000 Hz per ear, six high values together).
		"左耳语频平均听阈\n30 dB HL\n",
		"右耳语频平均听阈\n25 dB HL\n",
		"左耳高频平均听阈\n65 dB HL\n",
		"右耳高频平均听阈\n60 dB HL\n",
		"双耳高频平均听阈\n62.5 dB HL\n",
		// GBZ 49: left 30×0.9+70×0.1 = 34, right 25×0.9+65×0.1 = 29 → the right ear is better.
		"右耳 29 dB HL（轻度噪声聋）",
		// Corrected for a man of 48 (band 40–49: 2 2 3 6 8 9 dB), beside the raw values and
		// marked as unverified data.
		"年龄性别修正后（修正表待核实）：48 岁，男",
		"左耳语频平均听阈\n30 dB HL\n27.7 dB HL", // (23+28+32)/3
		"左耳高频平均听阈\n65 dB HL\n57.3 dB HL", // (54+62+56)/3
		"双耳高频平均听阈\n62.5 dB HL\n54.8 dB HL",
		"右耳 29 dB HL（轻度噪声聋）\n右耳 26.1 dB HL（轻度噪声聋）",
		"加权公式待核实，分级部分核实",
		// The criteria for 噪声 in an in-service exam of the 2025 edition, as suggestions.
		"规则提示：噪声（GBZ 188-2025）— 建议，由医师判断",
		"【符合】左耳 1000 Hz 听阈 30 dBHL > 25 dBHL",
		"GBZ 188—2025 7.1.2.1 a)",
		"【不符合】",
		"噪声作业 140 个月，已超过 12 个月",
		"【符合】双耳高频平均听阈 62.5 dBHL ≥ 40 dBHL（参考",
		"：疑似职业病（GBZ 49-2014",
		"需医师确认：是否为噪声以外原因引起的永久性感音神经性听力损失",
		"〔条文部分核实〕",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("panel lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("panel:\n%s", got)
	}
	// 矽尘 has no hearing criteria: no heading for it.
	if strings.Contains(got, "矽尘（GBZ") {
		t.Errorf("suggestions for 矽尘 shown in the audiometry panel")
	}

	rs, err := p.results()
	if err != nil {
		t.Fatalf("results: %v", err)
	}
	byCode := map[string]app.Result{}
	for _, r := range rs {
		byCode[r.ItemCode] = r
		if r.GroupCode != audiometryGroup || r.Kind != app.ResultNumeric || r.Unit != "dB HL" || r.Status != app.ResultDone || r.Doctor != env.User.Username {
			t.Errorf("result %+v", r)
		}
	}
	want := map[string]string{
		"3040100": "25", "3040200": "30", "3040300": "35", "3040400": "60", "3040500": "70", "3040600": "65", // 左耳 气导
		"3040800": "20", "3040900": "25", "3041000": "30", "3041100": "55", "3041200": "65", "3041300": "60", // 右耳 气导
	}
	if len(rs) != len(want) {
		t.Errorf("%d results, want %d: %+v", len(rs), len(want), rs)
	}
	for code, v := range want {
		if r := byCode[code]; r.Value != v {
			t.Errorf("item %s = %q, want %q", code, r.Value, v)
		}
	}
	// Judged against the reference ranges (≤25 dB HL normal at 500–2000 Hz).
	if f := byCode["3040200"].Flag; f != app.FlagHigh {
		t.Errorf("左耳 1000 Hz 30 dB HL flag %q, want high", f)
	}
	if f := byCode["3040800"].Flag; f != app.FlagNormal {
		t.Errorf("右耳 500 Hz 20 dB HL flag %q, want normal", f)
	}

	saveShot(t, env.Window, "audiogram-noise.png")
	assertMarkup(t, "record_audio_noise.xml", env.Window)

	// The store takes the results as they are and gives them back: a new panel loads them.
	doctor := staffAs(t, env, "tingli", "听力室医生", app.RoleExamDoctor)
	saved, err := doctor.Services.Records.SaveResults(doctor.Ctx, exam.ID, exam.Version, rs)
	if err != nil {
		t.Fatalf("save results: %v", err)
	}
	q := newAudiogramPanel(doctor, saved, worker)
	q.load(saved.Record)
	for i, hz := range criteria.StandardFreqs {
		if l, r := q.cell(criteria.Left, false, hz).Text, q.cell(criteria.Right, false, hz).Text; l != noiseLeft[i] || r != noiseRight[i] {
			t.Errorf("%d Hz loaded back as %q/%q", hz, l, r)
		}
	}
	if got := panelText(q); !strings.Contains(got, "双耳高频平均听阈\n62.5 dB HL") {
		t.Errorf("reloaded panel:\n%s", got)
	}
}

func TestAudiogramPanel_BadInput(t *testing.T) {
	env := newIntakeEnv(t)
	exam, worker, _ := recordingExam(t, env)
	p := showAudiogramPanel(t, env, exam, worker)

	typeInto(p.cell(criteria.Left, false, 500), "２０") // full-width digits from a Chinese keyboard
	typeInto(p.cell(criteria.Left, false, 1000), "abc")
	typeInto(p.cell(criteria.Left, false, 2000), "130")
	typeInto(p.cell(criteria.Right, false, 4000), "42.5")
	typeInto(p.cell(criteria.Right, false, 6000), "42")

	got := panelText(p)
	for _, want := range []string{
		"左耳气导 1000 Hz：“abc”不是数字",
		"左耳气导 2000 Hz：130 超出 -10～120 dB HL",
		"右耳气导 4000 Hz：42.5 不是整数：听阈按 dB 整数记录",
		"右耳气导 6000 Hz 不是 5 dB 的整数倍，请核对听力计的读数。",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("panel lacks %q:\n%s", want, got)
		}
	}
	rs, err := p.results()
	if app.ErrorCode(err) != app.EINVALID || rs != nil {
		t.Fatalf("results = %v, %v; want EINVALID and nothing", rs, err)
	}
	msg := app.ErrorMessage(err)
	for _, want := range []string{"左耳气导 1000 Hz", "左耳气导 2000 Hz", "右耳气导 4000 Hz"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %s", msg, want)
		}
	}

	// Corrected, the grid gives its results; the full-width 20 is 20, the odd 42 is kept.
	p.cell(criteria.Left, false, 1000).SetText("25")
	p.cell(criteria.Left, false, 2000).SetText("120")
	p.cell(criteria.Right, false, 4000).SetText("40")
	rs, err = p.results()
	if err != nil {
		t.Fatalf("results: %v", err)
	}
	vals := map[string]string{}
	for _, r := range rs {
		vals[r.ItemCode] = r.Value
	}
	if vals["3040100"] != "20" || vals["3040300"] != "120" || vals["3041300"] != "42" || len(rs) != 5 {
		t.Errorf("results %v", vals)
	}
	if strings.Contains(panelText(p), "不是数字") {
		t.Error("the message stayed after the cell was corrected")
	}
}

func TestAudiogramPanel_LoadBoneAndClear(t *testing.T) {
	env := newIntakeEnv(t)
	exam, worker, _ := recordingExam(t, env)
	p := showAudiogramPanel(t, env, exam, worker)
	if p.boneRows[0].Visible() {
		t.Fatal("bone conduction rows shown before asked for")
	}
	test.Tap(p.boneBox)
	if !p.boneRows[0].Visible() {
		t.Fatal("录入骨导听阈 did not show the bone rows")
	}
	typeAudiogram(t, env, p, criteria.Left, noiseLeft...)
	typeAudiogram(t, env, p, criteria.Right, noiseRight...)
	typeInto(p.cell(criteria.Left, true, 500), "15")
	typeInto(p.cell(criteria.Right, true, 4000), "60")
	rs, err := p.results()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 14 {
		t.Fatalf("%d results, want 12 air and 2 bone", len(rs))
	}
	saveShot(t, env.Window, "audiogram-bone.png")

	// A second panel loads what the first gave, bone rows open.
	rec := &app.ExamRecord{ExamID: exam.ID, Results: rs}
	q := newAudiogramPanel(env, exam, worker)
	env.Window.SetContent(q.content())
	q.load(rec)
	if !q.boneBox.Checked || q.cell(criteria.Left, true, 500).Text != "15" || q.cell(criteria.Right, true, 4000).Text != "60" ||
		q.cell(criteria.Left, false, 4000).Text != "70" || q.cell(criteria.Right, false, 6000).Text != "60" {
		t.Fatalf("loaded grid wrong")
	}
	if !strings.Contains(panelText(q), "双耳高频平均听阈\n62.5 dB HL") {
		t.Errorf("loaded panel did not compute:\n%s", panelText(q))
	}
	// Clearing a loaded level records 未检 for it instead of keeping the old level; untouched
	// empty cells give nothing.
	q.cell(criteria.Right, true, 4000).SetText("")
	rs, err = q.results()
	if err != nil {
		t.Fatal(err)
	}
	var cleared *app.Result
	for i := range rs {
		if rs[i].ItemCode == "3051200" {
			cleared = &rs[i]
		}
	}
	if len(rs) != 14 || cleared == nil || cleared.Status != app.ResultMissing || cleared.Value != "" {
		t.Errorf("after clearing: %d results, 右耳骨导 4000 Hz %+v", len(rs), cleared)
	}

	// Read-only for a locked exam: no cell takes typing.
	q.setEditable(false)
	typeInto(q.cell(criteria.Left, false, 500), "9")
	if q.cell(criteria.Left, false, 500).Text != "25" || !q.boneBox.Disabled() {
		t.Errorf("a read-only panel took typing: %q", q.cell(criteria.Left, false, 500).Text)
	}
	q.setEditable(true)
}

func TestAudiogramPanel_UnknownBirthDate(t *testing.T) {
	env := newIntakeEnv(t)
	exam, worker, _ := recordingExam(t, env)
	p := showAudiogramPanel(t, env, exam, &app.Worker{Name: worker.Name, Sex: app.SexMale})
	typeAudiogram(t, env, p, criteria.Left, noiseLeft...)
	if got := panelText(p); !strings.Contains(got, "—（出生日期未知，无法修正）") || !strings.Contains(got, "左耳高频平均听阈\n65 dB HL") {
		t.Errorf("panel without a birth date:\n%s", got)
	}
}

func TestAudiogramPanel_NoiseSensitive(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例机械有限公司", validCreditCode)
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	w := &app.Worker{Name: "林小军", DocType: app.DocResidentID, IDNumber: idNumber("35012219980506003"), Phone: "13905910002",
		WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "冲压车间", JobName: "冲压工", Start: start}},
		Exposures:   []app.Exposure{{HazardCode: "3008", Start: start}}}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	c := addContract(t, env, emp, "2026-051")
	reg := func(typ app.ExamType, day time.Time) *app.Exam {
		e, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID, ContractID: c.ID,
			Type: typ, Hazards: []string{"3008"}, Date: day, Workshop: "冲压车间", JobName: "冲压工"})
		if err != nil {
			t.Fatalf("register %s: %v", typ, err)
		}
		return e
	}
	doctor := staffAs(t, env, "tingli", "听力室医生", app.RoleExamDoctor)

	// Pre-employment: every level ≤ 25 dB HL.
	pre := reg(app.ExamPreEmployment, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	p := newAudiogramPanel(doctor, pre, w)
	if p.baselineNote.Visible() {
		t.Errorf("a pre-employment exam looks for a baseline: %q", p.baselineNote.Text)
	}
	for _, s := range criteria.Sides {
		for _, hz := range criteria.StandardFreqs {
			p.cell(s, false, hz).SetText("15")
		}
	}
	rs, err := p.results()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := doctor.Services.Records.SaveResults(doctor.Ctx, pre.ID, pre.Version, rs); err != nil {
		t.Fatal(err)
	}

	// Nine months of noise later, 4000 Hz at 65 dB HL in the left ear: 噪声敏感者.
	now := reg(app.ExamPeriodic, testNow)
	q := showAudiogramPanel(t, doctor, now, w)
	typeAudiogram(t, doctor, q, criteria.Left, "15", "15", "20", "45", "65", "50")
	typeAudiogram(t, doctor, q, criteria.Right, "15", "15", "15", "30", "40", "35")
	got := panelText(q)
	for _, want := range []string{
		"上岗前听阈：取自上岗前体检 " + pre.Number + "（2026-02-20）",
		"【符合】上岗前各频率听阈均 ≤ 25 dBHL，噪声作业 8 个月，左耳 4000 Hz 听阈 65 dBHL ≥ 65 dBHL：职业禁忌证",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("panel lacks %q:\n%s", want, got)
		}
	}
	saveShot(t, doctor.Window, "audiogram-sensitive.png")
}

// The panel inside the results screen: 听力室 shows it for the pure-tone group, Ctrl+S (the
// save button) stores the levels, and 弃检 of the group makes it read-only.
func TestAudiogramPanel_InResultsScreen(t *testing.T) {
	env := newIntakeEnv(t)
	exam, _, _ := recordingExam(t, env)
	doc := staffAs(t, env, "tingli", "听力室医生", app.RoleExamDoctor)
	v := newRecordScreen(doc)
	show(doc, v.content())
	typeInto(v.search, exam.Number)
	enter(v.search)
	if v.exam == nil || v.exam.ID != exam.ID {
		t.Fatalf("exam not opened: %q", v.listMsg.Text)
	}
	g := v.dept(t, "听力室").group(t, audiometryGroup)
	p, ok := g.panel.(*audiogramPanel)
	if !ok {
		t.Fatalf("听力室 shows %T for the pure-tone group, want the audiometry panel", g.panel)
	}
	typeAudiogram(t, doc, p, criteria.Left, noiseLeft...)
	typeAudiogram(t, doc, p, criteria.Right, noiseRight...)
	if !strings.Contains(panelText(p), "双耳高频平均听阈\n62.5 dB HL") {
		t.Fatalf("panel in the screen did not compute:\n%s", panelText(p))
	}
	saveShot(t, doc.Window, "audiogram-in-results.png")
	test.Tap(v.saveBtn)
	got, err := doc.Services.Exams.FindExamByID(doc.Ctx, exam.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, hz := range criteria.StandardFreqs {
		for _, side := range criteria.Sides {
			want := noiseLeft[i]
			if side == criteria.Right {
				want = noiseRight[i]
			}
			r, ok := got.Record.ResultFor(audiometryGroup, env.Criteria().AudiogramItem(side, false, hz))
			if !ok || r.Value != want || r.Unit != "dB HL" || r.Doctor != "tingli" {
				t.Errorf("stored %s %d Hz: %+v (%v)", side.Name(), hz, r, ok)
			}
		}
	}
	// 弃检 of the whole group: the cells take no typing.
	test.Tap(g.refuseBtn)
	if !p.cell(criteria.Left, false, 500).Disabled() {
		t.Error("the panel stays editable after 弃检")
	}
	test.Tap(g.refuseBtn)
	if p.cell(criteria.Left, false, 500).Disabled() {
		t.Error("the panel stays read-only after 撤销弃检")
	}
}
