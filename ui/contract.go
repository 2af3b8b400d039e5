package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

func init() {
	registerScreen(ScreenDef{
		ID: "contracts", Group: "体检", Title: "体检任务", Order: 10,
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "ContractService.FindContracts",
		New:    func(env *Env) fyne.CanvasObject { return newContractScreen(env).content() },
	})
}

// contractPage is how many contracts a list page decodes at once.
const contractPage = 50

// contractScreen lists the exam rounds (virtual, searchable) beside one of them: its form,
// its registered exams and the roster import.
type contractScreen struct {
	env  *Env
	cats *catalog.Set

	search *searchEntry
	list   *keyList
	count  *widget.Label
	query  string
	total  int
	pages  map[int][]*app.Contract
	// employer names and exam counts, cached per search
	names  map[int64]string
	counts map[int64][2]int

	form   *contractForm
	exams  *contractExams
	roster *rosterView
	tabs   *container.AppTabs
	// tab items, enabled once a saved contract is shown
	formTab, examsTab, rosterTab *container.TabItem
}

func newContractScreen(env *Env) *contractScreen {
	v := &contractScreen{env: env, cats: catalogsOf(env.Services)}
	v.search = newSearchEntry("合同编号、任务名称或单位名称")
	v.search.OnChanged = func(s string) { v.runSearch(s) }
	v.search.OnSubmitted = func(s string) { v.runSearch(s) }
	v.count = widget.NewLabel("")
	v.list = newKeyList(
		func() int { return v.total },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			emp := widget.NewLabel("")
			emp.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.New(layout.NewCustomPaddedVBoxLayout(0), name, emp, sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			name, emp, sub := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label), c.Objects[2].(*widget.Label)
			ct := v.at(i)
			if ct == nil {
				name.SetText("…")
				emp.SetText("")
				sub.SetText("")
				return
			}
			name.SetText(ct.Number + "　" + contractStateName(ct.State) + "　" + v.examCount(ct.ID))
			emp.SetText(v.employerName(ct.EmployerID))
			sub.SetText(contractSummary(ct))
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if ct := v.at(i); ct != nil {
			v.form.confirmDiscard(func() { v.open(ct.ID) }, v.list.UnselectAll)
		}
	}
	v.form = newContractForm(env, func(c *app.Contract) {
		v.runSearch(v.search.Text)
		v.showContract(c)
	})
	v.form.cleared = func() {
		v.list.UnselectAll()
		v.showContract(nil)
	}
	v.exams = newContractExams(env, func() { v.refreshCounts() })
	v.roster = newRosterView(env, func() {
		v.exams.reload()
		v.refreshCounts()
	})
	v.search.onDown = func() {
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.list); c != nil && v.list.Length() > 0 {
			c.Focus(v.list)
		}
	}
	v.runSearch("")
	env.setActions(v.form.save, func() { v.form.confirmDiscard(v.form.clear) })
	env.Focus = v.search
	env.live(v.liveReload, app.ChangeContract, app.ChangeExam, app.ChangeEmployer, app.ChangeWorker)
	return v
}

func (v *contractScreen) content() fyne.CanvasObject {
	left := container.NewBorder(container.NewVBox(heading("体检任务"), v.search, v.count), nil, nil, nil, v.list)
	v.formTab = container.NewTabItem("任务信息", v.form.content())
	v.examsTab = container.NewTabItem("已登记", v.exams.content())
	v.rosterTab = container.NewTabItem("名单导入", v.roster.content())
	v.tabs = container.NewAppTabs(v.formTab, v.examsTab, v.rosterTab)
	v.form.importRoster = func() {
		v.tabs.Select(v.rosterTab)
		v.roster.chooseFile()
	}
	v.showContract(v.form.current)
	split := container.NewHSplit(left, v.tabs)
	split.Offset = 0.34
	return split
}

// open loads the contract with id into the form and the other tabs.
func (v *contractScreen) open(id int64) {
	c, err := v.env.Services.Contracts.FindContractByID(v.env.Ctx, id)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	v.form.load(c)
	v.showContract(c)
}

// showContract points the exam list and the roster import at c (nil: none yet).
func (v *contractScreen) showContract(c *app.Contract) {
	v.exams.setContract(c)
	v.roster.setContract(c)
	if v.tabs == nil {
		return
	}
	if c == nil {
		v.tabs.DisableItem(v.examsTab)
		v.tabs.DisableItem(v.rosterTab)
		v.tabs.Select(v.formTab)
	} else {
		v.tabs.EnableItem(v.examsTab)
		v.tabs.EnableItem(v.rosterTab)
	}
}

// runSearch counts the matches of q; the list decodes pages as it scrolls.
func (v *contractScreen) runSearch(q string) {
	v.query = strings.TrimSpace(q)
	v.pages = map[int][]*app.Contract{}
	v.names = map[int64]string{}
	v.counts = map[int64][2]int{}
	_, total, err := v.env.Services.Contracts.FindContracts(v.env.Ctx, app.ContractFilter{Query: v.query, Limit: 1})
	if err != nil {
		v.total = 0
		v.count.SetText(app.ErrorMessage(err))
	} else {
		v.total = total
		v.count.SetText("共 " + strconv.Itoa(total) + " 个体检任务")
	}
	v.list.UnselectAll()
	v.list.Refresh()
}

// refreshCounts drops the cached exam counts (after a registration or cancellation).
func (v *contractScreen) refreshCounts() {
	v.counts = map[int64][2]int{}
	v.list.Refresh()
}

func (v *contractScreen) at(i int) *app.Contract {
	p := i / contractPage
	page, ok := v.pages[p]
	if !ok {
		var err error
		page, _, err = v.env.Services.Contracts.FindContracts(v.env.Ctx, app.ContractFilter{Query: v.query, Offset: p * contractPage, Limit: contractPage})
		if err != nil {
			return nil
		}
		v.pages[p] = page
	}
	if j := i - p*contractPage; j < len(page) {
		return page[j]
	}
	return nil
}

func (v *contractScreen) employerName(id int64) string {
	if n, ok := v.names[id]; ok {
		return n
	}
	n := "用人单位 " + strconv.FormatInt(id, 10)
	if e, err := v.env.Services.Employers.FindEmployerByID(v.env.Ctx, id); err == nil {
		n = e.Name
	}
	v.names[id] = n
	return n
}

// examCount says how many exams the contract has, and how many of them await the worker.
func (v *contractScreen) examCount(id int64) string {
	c, ok := v.counts[id]
	if !ok {
		// One pass over the contract's exams (the store decodes them all to count anyway).
		exams, all, err := v.env.Services.Exams.FindExams(v.env.Ctx, app.ExamFilter{ContractID: id})
		if err != nil {
			return ""
		}
		waiting := 0
		for _, e := range exams {
			if e.State == app.ExamRegistered {
				waiting++
			}
		}
		c = [2]int{all, waiting}
		v.counts[id] = c
	}
	return "登记 " + strconv.Itoa(c[0]) + " 人（待检 " + strconv.Itoa(c[1]) + "）"
}

// contractSummary is dates, place and state.
func contractSummary(c *app.Contract) string {
	dates := formatDate(c.Start)
	if !c.End.IsZero() {
		dates += " 至 " + formatDate(c.End)
	}
	return dates + "　" + c.Place.Name()
}

func contractStateName(s app.ContractState) string {
	if s == app.ContractClosed {
		return "已结束"
	}
	return "进行中"
}
