package ui

import (
	"strconv"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// guideInputs reads what the guide sheets and labels of exams print: the worker, employer,
// contract number and hazard names of each exam. Safe off the UI thread (services only).
func guideInputs(env *Env, exams []*app.Exam) ([]app.GuideInput, error) {
	svc, ctx := env.Services, env.Ctx
	cats := catalogsOf(svc)
	var ids []int64
	seen := map[int64]bool{}
	for _, e := range exams {
		if !seen[e.WorkerID] {
			seen[e.WorkerID] = true
			ids = append(ids, e.WorkerID)
		}
	}
	workers := map[int64]*app.Worker{}
	for i := 0; i < len(ids); i += 500 {
		ws, err := svc.Workers.WorkersByIDs(ctx, ids[i:min(i+500, len(ids))])
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			workers[w.ID] = w
		}
	}
	employers := map[int64]*app.Employer{}
	contracts := map[int64]string{}
	out := make([]app.GuideInput, 0, len(exams))
	for _, e := range exams {
		emp, ok := employers[e.EmployerID]
		if !ok {
			var err error
			if emp, err = svc.Employers.FindEmployerByID(ctx, e.EmployerID); err != nil {
				return nil, err
			}
			employers[e.EmployerID] = emp
		}
		cn := ""
		if e.ContractID != 0 {
			if n, ok := contracts[e.ContractID]; ok {
				cn = n
			} else if c, err := svc.Contracts.FindContractByID(ctx, e.ContractID); err == nil {
				contracts[e.ContractID], cn = c.Number, c.Number
			}
		}
		w := workers[e.WorkerID]
		if w == nil {
			return nil, app.Errorf(app.ENOTFOUND, "体检 %s 的劳动者档案 %s 不存在", e.Number, strconv.FormatInt(e.WorkerID, 10))
		}
		out = append(out, app.GuideInput{Exam: e, Worker: w, Employer: emp, ContractNumber: cn, HazardNames: hazardNames(cats, e.Hazards)})
	}
	return out, nil
}

// documentsOf returns the documents service, or an error a user can read when none is wired.
func documentsOf(env *Env) (app.Documents, error) {
	if env.Services.Documents == nil {
		return nil, app.Errorf(app.EINTERNAL, "本程序未接入导检单与条码的打印")
	}
	return env.Services.Documents, nil
}

// guideSheetPDF renders the guide sheets of exams in one PDF.
func guideSheetPDF(env *Env, exams []*app.Exam, progress func(done, total int)) ([]byte, error) {
	docs, err := documentsOf(env)
	if err != nil {
		return nil, err
	}
	in, err := guideInputs(env, exams)
	if err != nil {
		return nil, err
	}
	return docs.GuideSheets(env.Institution, in, progress)
}

// tubeLabelPDF renders the specimen labels of exams in one PDF.
func tubeLabelPDF(env *Env, exams []*app.Exam) ([]byte, error) {
	docs, err := documentsOf(env)
	if err != nil {
		return nil, err
	}
	in, err := guideInputs(env, exams)
	if err != nil {
		return nil, err
	}
	return docs.TubeLabels(in)
}

// printJob renders a PDF off the UI thread with a progress dialog, then asks where to save it
// and opens it. wg, when not nil, is done once the PDF is rendered (tests wait on it).
type printJob struct {
	env   *Env
	title string // e.g. 批量导检单
	file  string // suggested file name
	// render makes the PDF; progress may be called from its goroutine.
	render func(progress func(done, total int)) ([]byte, error)
	// rendered, when set, receives the bytes instead of the save dialog (tests).
	rendered func([]byte)
	wg       sync.WaitGroup
}

func (j *printJob) run() {
	bar := widget.NewProgressBar()
	note := widget.NewLabel("正在生成…")
	d := dialog.NewCustomWithoutButtons(j.title, container.NewVBox(note, bar), j.env.Window)
	d.Show()
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		pdf, err := j.render(func(done, total int) {
			fyne.Do(func() {
				if total > 0 {
					bar.SetValue(float64(done) / float64(total))
					note.SetText("正在生成 " + strconv.Itoa(done) + " / " + strconv.Itoa(total) + " 份…")
				}
			})
		})
		fyne.DoAndWait(func() {
			d.Hide()
			if err != nil {
				showError(j.env.Window, err)
				return
			}
			if j.rendered != nil {
				j.rendered(pdf)
				return
			}
			saveAndOpen(j.env, j.file, pdf, true, nil)
		})
	}()
}

// wait blocks until the job's PDF is rendered and handed on (tests).
func (j *printJob) wait() { j.wg.Wait() }
