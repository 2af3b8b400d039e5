package ui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

// addEmployer stores an employer through the service.
func addEmployer(t *testing.T, env *Env, name, credit string) *app.Employer {
	t.Helper()
	e := &app.Employer{Name: name, CreditCode: credit, AreaCode: "350124", IndustryCode: "3011", EconomicTypeCode: "173", SizeCode: "03"}
	if _, err := env.Services.Employers.CreateEmployer(env.Ctx, e); err != nil {
		t.Fatalf("create employer: %v", err)
	}
	return e
}

func enter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

func TestWorker_CreateAndSearch(t *testing.T) {
	env := newTestEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	v := newWorkerScreen(env)
	v.delay = -1 // search as each key is typed
	show(env, v.content())
	f := v.form

	typeInto(f.name, "张三丰")
	if f.docType.Selected != "居民身份证" {
		t.Fatalf("default document type = %q", f.docType.Selected)
	}
	id := idNumber("35012419900307123")
	wrong := id[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", id[17])+1)%11])
	typeInto(f.number, wrong)
	if m := f.msgs[fWNumber]; !strings.Contains(m.Text, "校验位错误") {
		t.Fatalf("wrong check character: message %q", m.Text)
	}
	f.number.SetText("")
	typeInto(f.number, strings.ToLower(id))
	if m := f.msgs[fWNumber]; !strings.Contains(m.Text, "校验通过：男，1990-03-07 出生") || !strings.Contains(m.Text, "闽清县") {
		t.Errorf("valid number: message %q", m.Text)
	}
	if f.sex.Selected != "男" || f.birth.Text != "1990-03-07" || !f.sex.Disabled() || !f.birth.Disabled() {
		t.Errorf("derived: sex %q (disabled %v), birth %q (disabled %v)", f.sex.Selected, f.sex.Disabled(), f.birth.Text, f.birth.Disabled())
	}
	typeInto(f.phone, "13905912345")

	// A work-history row, typed with the keyboard: the employer by pinyin initials.
	test.Tap(f.history.add)
	if len(f.history.rows) != 1 {
		t.Fatal("添加工作经历 added no row")
	}
	h := f.history.rows[0]
	typeInto(h.employer.entry, "mqsl")
	enter(h.employer.entry)
	if it, ok := h.employer.Selected(); !ok || it.Key != strconv.FormatInt(emp.ID, 10) {
		t.Fatalf("employer pick = %+v", it)
	}
	typeInto(h.workshop, "烧成车间")
	typeInto(h.job.entry, "水泥烘干")
	enter(h.job.entry)
	if it, _ := h.job.Selected(); it.Key != "25-002" {
		t.Errorf("job pick = %+v", it)
	}
	typeInto(h.start, "2015/3/1")
	typeInto(h.end, "2015-13-01")
	if !strings.Contains(h.msg.Text, "不是有效日期") {
		t.Errorf("bad end date: row message %q", h.msg.Text)
	}
	h.end.SetText("")

	// An exposure: the hazard by name.
	test.Tap(f.exposures.add)
	x := f.exposures.rows[0]
	typeInto(x.hazard.entry, "矽尘")
	enter(x.hazard.entry)
	if it, _ := x.hazard.Selected(); it.Key != "1038" {
		t.Errorf("hazard pick = %+v", it)
	}
	typeInto(x.start, "20150301")

	assertMarkup(t, "worker_form.xml", env.Window)

	test.Tap(f.saveBtn)
	if f.current == nil || f.current.ID == 0 {
		t.Fatalf("not saved: status %q, dialog %q", f.status.Text, dialogText(env.Window))
	}
	w, err := env.Services.Workers.FindWorkerByID(env.Ctx, f.current.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w.IDNumber != id || w.Sex != app.SexMale || len(w.WorkHistory) != 1 || len(w.Exposures) != 1 ||
		w.WorkHistory[0].EmployerID != emp.ID || w.WorkHistory[0].JobCode != "25-002" || w.WorkHistory[0].Workshop != "烧成车间" ||
		formatDate(w.WorkHistory[0].Start) != "2015-03-01" || w.Exposures[0].HazardCode != "1038" || formatDate(w.Exposures[0].Start) != "2015-03-01" {
		t.Errorf("stored worker = %+v", w)
	}
	if !f.number.Disabled() || f.fixBtn.Hidden {
		t.Error("a saved worker's number must be read-only, with 更正证件号码 offered")
	}

	// Search by pinyin initials, by the last 6 characters, by name and by phone.
	for _, q := range []string{"zsf", id[12:], "张三", "13905912345", id} {
		v.search.SetText("")
		typeInto(v.search, q)
		if len(v.ids) != 1 || v.at(0) == nil || v.at(0).Name != "张三丰" {
			t.Errorf("search %q: %d hits (%s)", q, len(v.ids), v.count.Text)
		}
	}
	if !strings.Contains(v.count.Text, "按证件号码查找，共 1 人") {
		t.Errorf("count = %q", v.count.Text)
	}
	relayout(env.Window)
	if !markupHas(env.Window, "张三丰") {
		t.Error("the list does not show the hit")
	}
}

func TestWorker_FifteenDigitsAndPassport(t *testing.T) {
	env := newTestEnv(t)
	v := newWorkerScreen(env)
	show(env, v.content())
	f := v.form
	typeInto(f.name, "阿依古丽·买买提")
	typeInto(f.number, "350124900307124")
	if m := f.msgs[fWNumber]; !strings.Contains(m.Text, "15 位旧号码已转换为 18 位") || !strings.Contains(m.Text, "女") {
		t.Errorf("15-digit number: message %q", m.Text)
	}
	// A passport has no check: sex and birth date are typed.
	f.docType.SetSelected(app.DocPassport.Name())
	f.number.SetText("")
	typeInto(f.number, "E12345678")
	if f.sex.Disabled() || f.birth.Disabled() {
		t.Fatal("sex and birth date read-only for a passport")
	}
	if f.birth.Text != "1990-03-07" {
		t.Errorf("birth date derived from the 15-digit number dropped: %q", f.birth.Text)
	}
	f.sex.SetSelected("女")
	f.birth.SetText("")
	typeInto(f.birth, "1988年5月6日")
	test.Tap(f.saveBtn)
	if f.current == nil {
		var msgs []string
		for k, m := range f.msgs {
			msgs = append(msgs, k+"="+m.Text)
		}
		t.Fatalf("passport worker not saved: %q %q %v", f.status.Text, dialogText(env.Window), msgs)
	}
	if got := formatDate(f.current.BirthDate); got != "1988-05-06" || f.current.Name != "阿依古丽·买买提" {
		t.Errorf("stored %s %s", f.current.Name, got)
	}
}

func TestWorker_CorrectIDNumber(t *testing.T) {
	env := newTestEnv(t)
	wrong := idNumber("35012419900307123")
	w := &app.Worker{Name: "李四", DocType: app.DocResidentID, IDNumber: wrong}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	v := newWorkerScreen(env)
	show(env, v.content())
	v.list.Select(0)
	f := v.form
	if f.current == nil || f.current.ID != w.ID {
		t.Fatal("selecting the row did not load the worker")
	}
	test.Tap(f.fixBtn)
	c := f.correction
	if c == nil {
		t.Fatal("no correction dialog")
	}
	right := idNumber("35012419900307146")
	c.number.SetText("")
	typeInto(c.number, right)
	if !strings.Contains(c.numMsg.Text, "女") {
		t.Errorf("number message %q", c.numMsg.Text)
	}
	test.Tap(c.ok)
	if !strings.Contains(c.reasonMsg.Text, "请填写更正原因") {
		t.Fatalf("correction without a reason: %q", c.reasonMsg.Text)
	}
	typeInto(c.reason, "登记时输错两位，已核对身份证原件")
	test.Tap(c.ok)
	if f.current.IDNumber != right || f.current.Sex != app.SexFemale {
		t.Fatalf("after correction: %s %s; dialog %q", f.current.IDNumber, f.current.Sex, dialogText(env.Window))
	}
	if ids, _ := env.Services.Workers.SearchWorkers(env.Ctx, app.WorkerSearch{Query: right[12:]}); len(ids) != 1 {
		t.Errorf("new number not found by its last 6: %v", ids)
	}
}

func TestWorker_LazyList(t *testing.T) {
	env := newTestEnv(t)
	// 120 workers named 王…: the list decodes only the pages it shows.
	for i := 0; i < 120; i++ {
		day := 1 + i%28
		month := 1 + i/28
		body := "3501241990" + two(month) + two(day) + "12" + string(rune('1'+i%9))
		w := &app.Worker{Name: "王" + string(rune('一'+i)), DocType: app.DocResidentID, IDNumber: idNumber(body)}
		if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
	}
	v := newWorkerScreen(env)
	show(env, v.content())
	// A typed search runs after a pause, in the background. (queueSearch is what the search
	// box calls on each change; called directly so that the test goroutine draws nothing
	// while the background search shows its hits: the test driver runs fyne.Do on the
	// calling goroutine, not on one UI thread.)
	v.queueSearch("王")
	v.settle()
	if !strings.Contains(v.count.Text, "按姓名查找，共 120 人") {
		t.Errorf("count after the pause: %q", v.count.Text)
	}
	relayout(env.Window)
	if len(v.ids) != 120 {
		t.Fatalf("hits = %d", len(v.ids))
	}
	if v.decoded == 0 || v.decoded > workerPage {
		t.Errorf("decoded %d rows for one screen; want one page (%d)", v.decoded, workerPage)
	}
	v.list.ScrollToBottom()
	relayout(env.Window)
	if v.decoded > 2*workerPage+workerPage {
		t.Errorf("decoded %d rows after scrolling to the end", v.decoded)
	}
}

func two(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func TestWorker_DuplicateNumberAndRowRemoval(t *testing.T) {
	env := newTestEnv(t)
	id := idNumber("35012419850101002")
	if err := env.Services.Workers.CreateWorker(env.Ctx, &app.Worker{Name: "赵一", DocType: app.DocResidentID, IDNumber: id}); err != nil {
		t.Fatal(err)
	}
	v := newWorkerScreen(env)
	show(env, v.content())
	f := v.form
	typeInto(f.name, "赵壹")
	typeInto(f.number, id)
	test.Tap(f.history.add)
	test.Tap(f.history.add)
	test.Tap(f.exposures.add)
	if len(f.history.rows) != 2 {
		t.Fatalf("rows = %d", len(f.history.rows))
	}
	// 删除 the first row: the second stays.
	typeInto(f.history.rows[1].workshop, "二车间")
	test.Tap(f.history.rows[0].del)
	if len(f.history.rows) != 1 || f.history.rows[0].workshop.Text != "二车间" {
		t.Fatalf("after 删除: %d rows", len(f.history.rows))
	}
	test.Tap(f.history.rows[0].del)
	test.Tap(f.exposures.rows[0].del)
	if len(f.history.rows)+len(f.exposures.rows) != 0 {
		t.Fatal("rows left after 删除")
	}
	test.Tap(f.saveBtn)
	if d := dialogText(env.Window); !strings.Contains(d, "数据冲突") || !strings.Contains(d, "赵一") {
		t.Errorf("duplicate number: dialog %q", d)
	}
	if f.current != nil || f.name.Text != "赵壹" || f.number.Text != id {
		t.Errorf("typed values lost after the conflict: %q %q", f.name.Text, f.number.Text)
	}
}

func TestWorker_RareCharacterName(t *testing.T) {
	env := newTestEnv(t)
	v := newWorkerScreen(env)
	show(env, v.content())
	f := v.form
	// 䶮 is CJK Ext-A, 𪚥 Ext-B; ・ is normalised to the middle dot ·.
	typeInto(f.name, "刘䶮𪚥・买买提")
	if f.msgs[fWName].Visible() {
		t.Fatalf("rare characters rejected: %q", f.msgs[fWName].Text)
	}
	typeInto(f.number, idNumber("35012419900307123"))
	test.Tap(f.saveBtn)
	if f.current == nil || f.current.Name != "刘䶮𪚥·买买提" {
		t.Fatalf("stored name %+v; status %q", f.current, f.status.Text)
	}
	// Digits are not part of a name.
	typeInto(f.name, "2")
	if m := f.msgs[fWName]; !strings.Contains(m.Text, "不允许的字符") {
		t.Errorf("digit in a name: message %q", m.Text)
	}
}
