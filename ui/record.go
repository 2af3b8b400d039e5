package ui

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/results"
	"occhealth/app/rules"
)

func init() {
	registerScreen(ScreenDef{
		ID: "recording", Group: "体检", Title: "检查录入", Order: 30,
		Roles:  []app.Role{app.RoleExamDoctor, app.RoleChiefExaminer},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "RecordService.SaveResults",
		New:    func(env *Env) fyne.CanvasObject { return newRecordScreen(env).content() },
	})
}

// recordScreen is where departments record an exam: a lookup (scanner, ID number, name or
// pinyin initials) with today's worklist, and the exam opened from it with its header, the
// 问诊 and one form per department of its items.
type recordScreen struct {
	env  *Env
	cats *catalog.Set

	search  *searchEntry
	listMsg *widget.Label
	list    *keyList
	hits    []*app.Exam
	names   map[int64]string // worker names of the hits
	// onWorklist is true while the list shows today's worklist (not a search's hits).
	onWorklist bool

	// The exam on display.
	exam      *app.Exam
	worker    *app.Worker
	employer  string
	header    *widget.Label
	state     *widget.Label
	msg       *widget.Label
	planNotes *widget.Label
	saveBtn   *widget.Button
	table     *rules.Table
	lastPage  string // the page (问诊 or a department) shown last
	tabs      *container.AppTabs
	body      *fyne.Container
	inquiry   *inquiryForm
	depts     []*deptForm
	emptyTip  *widget.Label
}

func newRecordScreen(env *Env) *recordScreen {
	v := &recordScreen{env: env, cats: catalogsOf(env.Services), names: map[int64]string{}}
	v.search = newSearchEntry("扫描或输入体检号，或证件号、姓名、拼音首字母，回车查找")
	v.search.OnSubmitted = func(s string) { v.lookup(s) }
	v.search.onDown = func() {
		if len(v.hits) > 0 {
			v.env.Window.Canvas().Focus(v.list)
		}
	}
	v.listMsg = widget.NewLabel("")
	v.listMsg.Wrapping = fyne.TextWrapWord
	v.list = newKeyList(func() int { return len(v.hits) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("")
			t.Truncation = fyne.TextTruncateEllipsis
			s := widget.NewLabel("")
			s.Truncation = fyne.TextTruncateEllipsis
			s.Importance = widget.LowImportance
			return container.NewVBox(t, s)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.hits) {
				return
			}
			e := v.hits[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(e.Number + "　" + v.names[e.WorkerID])
			box.Objects[1].(*widget.Label).SetText(formatDate(e.Date) + "　" + e.Type.Name() + "　" + e.State.Name())
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.hits) {
			v.open(v.hits[i].ID)
		}
	}
	v.header = widget.NewLabel("")
	v.header.Wrapping = fyne.TextWrapWord
	v.state = widget.NewLabel("")
	v.state.TextStyle.Bold = true
	v.msg = newMsg()
	v.planNotes = newMsg()
	v.saveBtn = widget.NewButton("保存（Ctrl+S）", v.save)
	v.saveBtn.Importance = widget.HighImportance
	v.saveBtn.Disable()
	v.emptyTip = widget.NewLabel("扫描导检单上的条码，或在左侧查找受检者，打开一次体检后在这里录入问诊和各科检查结果。")
	v.emptyTip.Wrapping = fyne.TextWrapWord
	v.body = container.NewStack(container.NewPadded(v.emptyTip))
	env.setActions(v.save, nil)
	env.Focus = v.search
	v.showWorklist()
	env.live(v.liveRefresh, app.ChangeExam, app.ChangeWorker)
	return v
}

func (v *recordScreen) content() fyne.CanvasObject {
	left := container.NewBorder(container.NewVBox(heading("检查录入"), v.search, v.listMsg), nil, nil, nil, v.list)
	split := container.NewHSplit(left, v.body)
	split.Offset = 0.24
	return split
}

// showWorklist lists today's exams that are registered or in progress, newest first.
func (v *recordScreen) showWorklist() {
	v.onWorklist = true
	today := v.env.Now()
	var hits []*app.Exam
	for _, st := range []app.ExamState{app.ExamInProgress, app.ExamRegistered} {
		es, _, err := v.env.Services.Exams.FindExams(v.env.Ctx, app.ExamFilter{State: st, Limit: 500})
		if err != nil {
			v.setHits(nil, app.ErrorMessage(err))
			return
		}
		for _, e := range es {
			if sameDay(e.Date, today) {
				hits = append(hits, e)
			}
		}
	}
	v.setHits(hits, "今日待检（已登记、检查中）：共 "+strconv.Itoa(len(hits))+" 人")
}

// liveRefresh reads today's worklist again after a change notice (Env.live), keeping the
// exam open on its row; a search's hits and the exam's forms stay as they are.
func (v *recordScreen) liveRefresh() {
	if !v.onWorklist {
		return
	}
	v.showWorklist()
	if v.exam != nil {
		reselect(&v.list.List, indexOfID(v.hits, v.exam.ID, examID))
	}
}

func examID(e *app.Exam) int64 { return e.ID }

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.In(a.Location()).Date()
	return ay == by && am == bm && ad == bd
}

// setHits shows exams in the list with a line saying what they are.
func (v *recordScreen) setHits(es []*app.Exam, what string) {
	v.hits = es
	var missing []int64
	for _, e := range es {
		if _, ok := v.names[e.WorkerID]; !ok {
			missing = append(missing, e.WorkerID)
		}
	}
	if len(missing) > 0 {
		if ws, err := v.env.Services.Workers.WorkersByIDs(v.env.Ctx, missing); err == nil {
			for _, w := range ws {
				v.names[w.ID] = w.Name
			}
		}
	}
	v.listMsg.SetText(what)
	v.list.UnselectAll()
	v.list.Refresh()
}

// lookup reads the search box: an exam number (digits, as a scanner types it) opens that exam;
// anything else finds workers and lists their exams, newest first. An empty box shows the
// worklist again.
func (v *recordScreen) lookup(q string) {
	q = strings.TrimSpace(app.HalfWidth(q))
	if q == "" {
		v.showWorklist()
		return
	}
	v.onWorklist = false
	if allDigits(q) {
		if e, err := v.env.Services.Exams.FindExamByNumber(v.env.Ctx, q); err == nil {
			v.setHits([]*app.Exam{e}, "体检号 "+q)
			v.show(e)
			v.search.SetText("")
			return
		} else if app.ErrorCode(err) != app.ENOTFOUND {
			v.setHits(nil, app.ErrorMessage(err))
			return
		}
	}
	ids, err := v.env.Services.Workers.SearchWorkers(v.env.Ctx, app.WorkerSearch{Query: q, Limit: 30})
	if err != nil {
		v.setHits(nil, app.ErrorMessage(err))
		return
	}
	if len(ids) == 0 {
		if allDigits(q) {
			v.setHits(nil, "没有体检号为“"+q+"”的体检，也没有证件号或电话与之相符的受检者")
		} else {
			v.setHits(nil, "没有找到“"+q+"”：请核对姓名、拼音首字母或证件号")
		}
		return
	}
	var es []*app.Exam
	for _, id := range ids[:min(len(ids), 30)] {
		list, _, err := v.env.Services.Exams.FindExams(v.env.Ctx, app.ExamFilter{WorkerID: id, Limit: 50})
		if err != nil {
			v.setHits(nil, app.ErrorMessage(err))
			return
		}
		es = append(es, list...)
	}
	sortExamsNewestFirst(es)
	what := "找到 " + strconv.Itoa(len(ids)) + " 位受检者，共 " + strconv.Itoa(len(es)) + " 次体检（新的在前）"
	if len(es) == 0 {
		what = "找到 " + strconv.Itoa(len(ids)) + " 位受检者，但没有登记体检"
	}
	v.setHits(es, what)
	if len(es) == 1 {
		v.show(es[0])
	}
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func sortExamsNewestFirst(es []*app.Exam) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && newer(es[j], es[j-1]); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func newer(a, b *app.Exam) bool {
	if !a.Date.Equal(b.Date) {
		return a.Date.After(b.Date)
	}
	return a.ID > b.ID
}

// open reads an exam with its record and shows it.
func (v *recordScreen) open(id int64) {
	e, err := v.env.Services.Exams.FindExamByID(v.env.Ctx, id)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		return
	}
	v.show(e)
}

// dirty reports whether something typed on the open exam is not saved.
func (v *recordScreen) dirty() bool {
	if v.exam == nil || v.saveBtn.Disabled() {
		return false
	}
	if v.inquiry.dirty {
		return true
	}
	for _, d := range v.depts {
		if d.dirty {
			return true
		}
	}
	return false
}

// show shows an exam, asking first whether to drop what is typed on another one.
func (v *recordScreen) show(e *app.Exam) {
	if v.exam != nil && v.exam.ID != e.ID && v.dirty() {
		confirmDiscard(v.env.Window, func() { v.build(e) })
		return
	}
	v.build(e)
}

// build builds the exam view: header, 问诊 and one tab per department.
func (v *recordScreen) build(e *app.Exam) {
	w, err := v.env.Services.Workers.FindWorkerByID(v.env.Ctx, e.WorkerID)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		return
	}
	v.exam, v.worker = e, w
	v.employer = ""
	if emp, err := v.env.Services.Employers.FindEmployerByID(v.env.Ctx, e.EmployerID); err == nil {
		v.employer = emp.Name
	}
	setMsg(v.msg, "")
	v.table = ruleTable(v.env)
	v.inquiry = newInquiryForm(v.env, v.table, e, w)
	v.depts = nil
	v.tabs = container.NewAppTabs(container.NewTabItem("问诊", v.inquiry.content()))
	for _, dept := range examDepartments(e, v.table) {
		f := newDeptForm(v.env, v.table, e, w, dept)
		f.edited = v.edited
		v.depts = append(v.depts, f)
		v.tabs.Append(container.NewTabItem(dept, f.content()))
	}
	v.tabs.SetTabLocation(container.TabLocationTop)
	v.refreshHeader()
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewVBox(container.NewHBox(v.state, v.saveBtn)), v.header), v.planNotes, v.msg)
	v.body.Objects = []fyne.CanvasObject{container.NewBorder(top, nil, nil, nil, v.tabs)}
	v.body.Refresh()
	editable := e.State.Editable() && v.env.Services.Records != nil
	v.setEditable(editable)
	switch {
	case v.env.Services.Records == nil:
		setWarn(v.msg, "本机未启用检查录入服务，只能查看")
	case !e.State.Editable():
		setWarn(v.msg, "本次体检"+e.State.Name()+"，结果不能再修改（已发放的体检请由主检医师补充更正）")
	}
	// A station records one department patient after patient: the next exam opens on the same
	// page, with the keyboard in its first empty field.
	for i, it := range v.tabs.Items {
		if it.Text == v.lastPage {
			v.tabs.SelectIndex(i)
		}
	}
	v.tabs.OnSelected = func(it *container.TabItem) { v.lastPage = it.Text }
	if i := v.tabs.SelectedIndex(); editable && i > 0 {
		if en := v.depts[i-1].firstEmpty(); en != nil {
			focusIfShown(en)
		}
	}
}

func (v *recordScreen) setEditable(ok bool) {
	if ok {
		v.saveBtn.Enable()
	} else {
		v.saveBtn.Disable()
	}
	v.inquiry.setEditable(ok)
	for _, d := range v.depts {
		d.setEditable(ok)
	}
}

// edited follows an edit in a department: an earlier "有填写错误" no longer stands.
func (v *recordScreen) edited() {
	if v.msg.Visible() && v.msg.Importance == widget.DangerImportance {
		setMsg(v.msg, "")
	}
}

// refreshHeader shows who is examined and where the exam stands.
func (v *recordScreen) refreshHeader() {
	e, w := v.exam, v.worker
	age := ""
	if !w.BirthDate.IsZero() {
		age = strconv.Itoa(app.AgeOn(w.BirthDate, e.Date)) + " 岁"
	}
	hz := strings.Join(hazardNames(v.cats, e.Hazards), "、")
	typ := e.Type.Name()
	if e.Recheck {
		typ += "（复查）"
	}
	lines := []string{
		"体检号 " + e.Number + "　" + w.Name + "　" + w.Sex.Name() + "　" + age,
		"用人单位 " + v.employer + "　" + typ + "　GBZ 188-" + e.Edition + "　体检日期 " + formatDate(e.Date),
		"危害因素 " + hz,
	}
	v.header.SetText(strings.Join(lines, "\n"))
	v.state.SetText(e.State.Name())
	// Where the rule table could not plan the items alone, the doctor is told so.
	setWarn(v.planNotes, strings.Join(e.PlanNotes, "\n"))
}

// save records what changed: the inquiry, then the results of every department edited, each
// with the version the last call returned. Errors stay beside their fields; nothing typed is
// lost.
func (v *recordScreen) save() {
	if v.exam == nil || v.saveBtn.Disabled() {
		return
	}
	setMsg(v.msg, "")
	ok := true
	var in *app.Inquiry
	if v.inquiry.dirty {
		var err error
		if in, err = v.inquiry.value(); err != nil {
			ok = false
			v.tabs.SelectIndex(0)
		}
	}
	var rs []app.Result
	for i, d := range v.depts {
		got, err := d.changed()
		if err != nil {
			if ok {
				v.tabs.SelectIndex(i + 1)
			}
			ok = false
			continue
		}
		rs = append(rs, got...)
	}
	if !ok {
		setMsg(v.msg, "有填写错误，请按红色提示修改后再保存")
		return
	}
	if in == nil && len(rs) == 0 {
		setNote(v.msg, "没有需要保存的修改")
		return
	}
	e, err := v.write(v.exam, in, rs)
	if app.ErrorCode(err) == app.ECONFLICT {
		// Another station (a department, an import) saved this exam meanwhile.
		e, err = v.rebase(in, rs)
		if err == nil && e == nil {
			return // clashes shown; the doctor checks and saves again
		}
	}
	if err != nil {
		v.saveFailed(err)
		return
	}
	v.exam = e
	for i, h := range v.hits {
		if h.ID == e.ID {
			v.hits[i] = e
		}
	}
	v.list.Refresh()
	for _, d := range v.depts {
		d.reload(e)
	}
	v.refreshHeader()
	note := "已保存"
	if e.State == app.ExamAwaiting {
		note += "：必检项目均已完成或弃检，本次体检待总检"
	} else if miss := v.missing(e); len(miss) > 0 {
		note += "。尚缺：" + strings.Join(miss, "、")
	}
	// Ready for the next scan: a scanner typing into a result field would corrupt it.
	focusIfShown(v.search)
	if calls := openCalls(e); calls != "" {
		setWarn(v.msg, note+"\n危急值须电话通知并登记回访："+calls)
	} else {
		setNote(v.msg, note)
	}
}

// write saves the inquiry and then the results on exam e; the inquiry counts as saved once
// its call succeeded, and v.exam follows every call that did.
func (v *recordScreen) write(e *app.Exam, in *app.Inquiry, rs []app.Result) (*app.Exam, error) {
	svc := v.env.Services.Records
	if in != nil {
		got, err := svc.SaveInquiry(v.env.Ctx, e.ID, e.Version, *in)
		if err != nil {
			return nil, err
		}
		e, v.exam = got, got
		v.inquiry.saved(got)
	}
	if len(rs) > 0 {
		got, err := svc.SaveResults(v.env.Ctx, e.ID, e.Version, rs)
		if err != nil {
			return nil, err
		}
		e = got
	}
	return e, nil
}

// rebase reads the exam as another station left it. When nothing this screen saves was
// changed there, it saves again on that version. Otherwise it names what clashes, takes the
// other station's values as the new baseline (what the doctor typed stays on screen) and
// returns a nil exam: saving once more then records the doctor's values.
func (v *recordScreen) rebase(in *app.Inquiry, rs []app.Result) (*app.Exam, error) {
	fresh, err := v.env.Services.Exams.FindExamByID(v.env.Ctx, v.exam.ID)
	if err != nil {
		return nil, err
	}
	var clash []string
	if in != nil && !v.inquiry.saving(fresh) {
		clash = append(clash, "问诊")
	}
	for _, r := range rs {
		was, _ := v.exam.Record.ResultFor(r.GroupCode, r.ItemCode)
		now, _ := fresh.Record.ResultFor(r.GroupCode, r.ItemCode)
		if was.Status != now.Status || was.Value != now.Value {
			clash = append(clash, v.itemName(r))
		}
	}
	if len(clash) == 0 {
		if in != nil && v.inquiry.dirty {
			in.Date = v.env.Now()
		}
		return v.write(fresh, in, rs)
	}
	v.exam = fresh
	v.inquiry.rebase(fresh)
	for _, d := range v.depts {
		d.rebase(fresh)
	}
	v.refreshHeader()
	setWarn(v.msg, "其他工作站刚刚也保存了本次体检的："+strings.Join(clash, "、")+
		"。您填写的内容仍在屏幕上，请核对；再次保存（Ctrl+S）将以您填写的为准。")
	return nil, nil
}

// itemName names a result for messages.
func (v *recordScreen) itemName(r app.Result) string {
	for _, d := range v.depts {
		for _, g := range d.groups {
			if g.item.GroupCode != r.GroupCode {
				continue
			}
			if r.ItemCode == "" {
				return g.item.Name
			}
			for _, row := range g.rows {
				if row.code == r.ItemCode {
					return row.name
				}
			}
		}
	}
	return r.ItemCode
}

func (v *recordScreen) saveFailed(err error) {
	// A refusal keeps everything typed; the store's message names the item.
	msg := app.ErrorMessage(err)
	for _, d := range v.depts {
		d.showServiceError(err)
	}
	setMsg(v.msg, "保存未成功："+msg)
}

// missing lists the required groups still without a result or 弃检.
func (v *recordScreen) missing(e *app.Exam) []string {
	var rs []app.Result
	if e.Record != nil {
		rs = e.Record.Results
	}
	var gi results.GroupIndex
	if v.table != nil {
		gi = v.table
	}
	return results.Missing(results.RequiredItems(e.Items), rs, gi)
}

// openCalls names the critical values not yet called back.
func openCalls(e *app.Exam) string {
	if e.Record == nil {
		return ""
	}
	var out []string
	for _, c := range e.Record.CriticalCalls {
		if !c.Done {
			out = append(out, c.Name+" "+c.Value+c.Flag.Arrow())
		}
	}
	return strings.Join(out, "、")
}

// examDepartments lists the departments of an exam's items in the rule table's order (the
// guide sheet's), departments the table does not know last.
func examDepartments(e *app.Exam, t *rules.Table) []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range e.Items {
		d := it.Department
		if d == "" {
			d = "其他"
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	rank := map[string]int{}
	if t != nil {
		for i, d := range t.Departments() {
			rank[d] = i + 1
		}
	}
	pos := func(d string) int {
		if r, ok := rank[d]; ok {
			return r
		}
		return len(rank) + 1
	}
	sort.SliceStable(out, func(i, j int) bool { return pos(out[i]) < pos(out[j]) })
	return out
}
