package ui

import (
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// worklistLimit is how many exams of one state a worklist reads.
const worklistLimit = 2000

// examWorklist is the worklist of the 主检, 审核 and 发放 screens: the exams in some states
// (more on demand with a check box), oldest first, and a lookup by exam number for a barcode
// scanner. OnOpen gets the exam chosen.
type examWorklist struct {
	env    *Env
	states []app.ExamState
	extra  []app.ExamState
	OnOpen func(*app.Exam)

	lookup     *widget.Entry
	extraCheck *widget.Check
	refresh    *widget.Button
	list       *keyList
	count, msg *widget.Label
	exams      []*app.Exam
	names      map[int64]string
	selected   int64 // the exam chosen last
}

// newExamWorklist lists the exams in states; extraLabel, when not "", is a check box that
// adds the exams in extra.
func newExamWorklist(env *Env, states []app.ExamState, extraLabel string, extra ...app.ExamState) *examWorklist {
	v := &examWorklist{env: env, states: states, extra: extra, names: map[int64]string{}}
	v.lookup = widget.NewEntry()
	v.lookup.SetPlaceHolder("扫描或输入体检号，回车打开")
	// An exam number is digits from a scanner, typed without an input method: Enter opens.
	v.lookup.OnSubmitted = func(string) { v.open() }
	v.count = widget.NewLabel("")
	v.msg = newMsg()
	v.extraCheck = widget.NewCheck(extraLabel, func(bool) { v.reload() })
	if extraLabel == "" {
		v.extraCheck.Hide()
	}
	v.refresh = widget.NewButton("刷新", v.reload)
	v.list = newKeyList(func() int { return len(v.exams) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if i >= len(v.exams) {
				l.SetText("")
				return
			}
			e := v.exams[i]
			l.SetText(e.Number + "　" + v.name(e.WorkerID) + "　" + e.Type.Name() + recheckMark(e) + "　" + e.State.Name())
			l.Importance = widget.MediumImportance
			if e.State == app.ExamReturned {
				l.Importance = widget.WarningImportance
			}
			l.Refresh()
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.exams) && v.OnOpen != nil {
			v.selected = v.exams[i].ID
			v.OnOpen(v.exams[i])
		}
	}
	env.live(v.liveReload, app.ChangeExam, app.ChangeWorker)
	return v
}

func (v *examWorklist) content() fyne.CanvasObject {
	top := container.NewVBox(v.lookup, v.msg, container.NewBorder(nil, nil, v.count, v.refresh),
		v.extraCheck)
	return container.NewBorder(top, nil, nil, nil, v.list)
}

// reload reads the worklist again.
func (v *examWorklist) reload() {
	states := v.states
	if v.extraCheck.Checked {
		states = append(append([]app.ExamState(nil), v.states...), v.extra...)
	}
	v.exams = nil
	var names []string
	for _, s := range states {
		names = append(names, s.Name())
		es, _, err := v.env.Services.Exams.FindExams(v.env.Ctx, app.ExamFilter{State: s, Limit: worklistLimit})
		if err != nil {
			setMsg(v.msg, app.ErrorMessage(err))
			continue
		}
		v.exams = append(v.exams, es...)
	}
	sort.SliceStable(v.exams, func(i, j int) bool {
		if !v.exams[i].Date.Equal(v.exams[j].Date) {
			return v.exams[i].Date.Before(v.exams[j].Date)
		}
		return v.exams[i].Number < v.exams[j].Number
	})
	v.nameWorkers()
	v.count.SetText(strings.Join(names, "、") + " " + strconv.Itoa(len(v.exams)) + " 人次")
	v.list.UnselectAll()
	v.list.Refresh()
}

// liveReload reads the worklist again after a change notice (Env.live), keeping the exam
// chosen selected where it is still listed and leaving the exam open beside it as it is.
func (v *examWorklist) liveReload() {
	v.names = map[int64]string{} // a worker renamed elsewhere
	v.reload()
	reselect(&v.list.List, indexOfID(v.exams, v.selected, examID))
}

// open finds the exam of the number typed.
func (v *examWorklist) open() {
	q := strings.TrimSpace(app.HalfWidth(v.lookup.Text))
	if q == "" {
		return
	}
	e, err := v.env.Services.Exams.FindExamByNumber(v.env.Ctx, q)
	if err != nil {
		if app.ErrorCode(err) == app.ENOTFOUND {
			setMsg(v.msg, "没有体检号为 "+q+" 的体检")
		} else {
			setMsg(v.msg, app.ErrorMessage(err))
		}
		return
	}
	setMsg(v.msg, "")
	v.lookup.SetText("")
	if v.OnOpen != nil {
		v.OnOpen(e)
	}
}

func (v *examWorklist) nameWorkers() {
	var ids []int64
	for _, e := range v.exams {
		if _, ok := v.names[e.WorkerID]; !ok {
			ids = append(ids, e.WorkerID)
		}
	}
	for i := 0; i < len(ids); i += 500 {
		ws, err := v.env.Services.Workers.WorkersByIDs(v.env.Ctx, ids[i:min(i+500, len(ids))])
		if err != nil {
			return
		}
		for _, w := range ws {
			v.names[w.ID] = w.Name
		}
	}
}

func (v *examWorklist) name(id int64) string {
	if n, ok := v.names[id]; ok {
		return n
	}
	return "档案 " + strconv.FormatInt(id, 10)
}
