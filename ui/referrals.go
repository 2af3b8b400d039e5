package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "referrals", Group: "体检", Title: "疑似职业病", Order: 80,
		Roles: []app.Role{app.RoleChiefExaminer, app.RoleReviewer, app.RoleDiagnosisPhysician,
			app.RoleReportingClerk, app.RoleAdmin},
		Action: "RecordService.Referrals",
		New:    func(env *Env) fyne.CanvasObject { return newReferralScreen(env).content() },
	})
}

// referralScreen lists the workers with a signed 疑似职业病 conclusion, newest first: the list
// the diagnosis side works from.
type referralScreen struct {
	env       *Env
	all       []app.Referral
	shown     []app.Referral
	employers map[int64]string
	query     *widget.Entry
	grid      *widget.Table
	count     *widget.Label
	status    *widget.Label

	// The referral chosen: its conclusion and the notices to print.
	chosen              *examBundle
	detail              *widget.Label
	workerBtn, employer *widget.Button
	job                 *printJob
	pdfHook             func([]byte)
}

var referralColumns = []struct {
	title string
	width float32
}{
	{"签名日期", 100}, {"体检号", 130}, {"姓名", 80}, {"用人单位", 200}, {"危害因素", 110}, {"疑似职业病", 160},
}

func newReferralScreen(env *Env) *referralScreen {
	v := &referralScreen{env: env, employers: map[int64]string{}}
	v.count = widget.NewLabel("")
	v.status = newMsg()
	v.query = widget.NewEntry()
	v.query.SetPlaceHolder("姓名、体检号、单位或疾病")
	v.query.OnChanged = func(string) { v.filter() }
	v.grid = widget.NewTable(func() (int, int) { return len(v.shown), len(referralColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(v.shown) {
				o.(*widget.Label).SetText(v.cell(v.shown[id.Row], id.Col))
			}
		})
	for i, c := range referralColumns {
		v.grid.SetColumnWidth(i, c.width)
	}
	v.grid.ShowHeaderRow = true
	v.grid.CreateHeader = headerLabel
	v.grid.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(referralColumns) {
			o.(*widget.Label).SetText(referralColumns[id.Col].title)
		}
	}
	v.grid.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.shown) {
			v.choose(v.shown[id.Row])
		}
	}
	v.detail = wrapLabel("")
	v.workerBtn = widget.NewButton("打印疑似职业病告知书（劳动者）", func() { v.print("劳动者") })
	v.employer = widget.NewButton("打印疑似职业病告知书（用人单位）", func() { v.print("用人单位") })
	env.Focus = v.query
	v.reload()
	env.live(v.liveReload, app.ChangeExam, app.ChangeWorker, app.ChangeEmployer)
	return v
}

// choose shows the conclusion of a referral's exam with its notice buttons.
func (v *referralScreen) choose(r app.Referral) {
	b, err := loadBundle(v.env, r.ExamID)
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		return
	}
	v.chosen = b
	v.detail.SetText(examHeaderText(v.env, b) + "\n" + conclusionSummary(v.env, b.exam))
	v.workerBtn.Enable()
	v.employer.Enable()
}

// print renders the 疑似职业病告知书 of the chosen exam for the worker or the employer.
func (v *referralScreen) print(addressee string) {
	if v.chosen == nil {
		return
	}
	v.job = noticeJob(v.env, v.chosen, app.NoticeSuspected, addressee, v.pdfHook)
	v.job.run()
}

func (v *referralScreen) content() fyne.CanvasObject {
	hint := wrapLabel("主检医师签名的疑似职业病结论自动列入本名单；请告知劳动者和用人单位，并转诊职业病诊断机构。")
	hint.Importance = widget.LowImportance
	refresh := widget.NewButton("刷新", v.reload)
	top := container.NewVBox(container.NewBorder(nil, nil, heading("疑似职业病名单"), refresh), hint,
		container.NewBorder(nil, nil, nil, v.count, v.query), v.status)
	v.workerBtn.Disable()
	v.employer.Disable()
	bottom := container.NewVBox(widget.NewSeparator(), v.detail, container.NewHBox(v.workerBtn, v.employer))
	split := container.NewVSplit(v.grid, container.NewVScroll(bottom))
	split.Offset = 0.6
	return container.NewBorder(top, nil, nil, nil, split)
}

func (v *referralScreen) reload() {
	rs, err := v.env.Services.Records.Referrals(v.env.Ctx)
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		rs = nil
	} else {
		setMsg(v.status, "")
	}
	v.all = rs
	for _, r := range rs {
		if _, ok := v.employers[r.EmployerID]; ok {
			continue
		}
		v.employers[r.EmployerID] = ""
		if e, err := v.env.Services.Employers.FindEmployerByID(v.env.Ctx, r.EmployerID); err == nil {
			v.employers[r.EmployerID] = e.Name
		}
	}
	v.filter()
}

func (v *referralScreen) cell(r app.Referral, col int) string {
	switch col {
	case 0:
		return formatDate(r.SignedAt)
	case 1:
		return r.ExamNumber
	case 2:
		return r.WorkerName
	case 3:
		return v.employers[r.EmployerID]
	case 4:
		return strings.Join(hazardNames(catalogsOf(v.env.Services), []string{r.Hazard}), "")
	case 5:
		return r.Disease
	}
	return ""
}

func (v *referralScreen) filter() {
	q := strings.TrimSpace(v.query.Text)
	v.shown = v.shown[:0]
	for _, r := range v.all {
		if q == "" || strings.Contains(r.WorkerName+" "+r.ExamNumber+" "+v.employers[r.EmployerID]+" "+r.Disease, q) {
			v.shown = append(v.shown, r)
		}
	}
	v.count.SetText("共 " + strconv.Itoa(len(v.shown)) + " 人次")
	v.grid.Refresh()
}
