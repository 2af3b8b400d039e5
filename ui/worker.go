package ui

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "workers", Group: "档案", Title: "劳动者", Order: 20,
		Action: "WorkerService.SearchWorkers",
		New:    func(env *Env) fyne.CanvasObject { return newWorkerScreen(env).content() },
	})
}

// workerPage is how many workers the list decodes at once (WorkersByIDs).
const workerPage = 50

// workerScreen is the one search box of the front desk, the virtual list of hits and the
// form of one worker. The search returns IDs only; the list decodes a page of rows when it
// first shows one of them, so tens of thousands of hits for 张 scroll without decoding them all.
type workerScreen struct {
	env    *Env
	search *searchEntry
	count  *widget.Label
	list   *keyList
	ids    []int64
	pages  map[int]map[int64]*app.Worker
	// decoded counts decoded rows (for tests of the lazy list).
	decoded int
	// Searches typed run after a pause of delay, off the UI thread; gen tells the newest
	// search from stale ones, pending counts searches not yet shown.
	delay   time.Duration
	gen     atomic.Int64
	pending sync.WaitGroup

	form *workerForm
}

func newWorkerScreen(env *Env) *workerScreen {
	v := &workerScreen{env: env, pages: map[int]map[int64]*app.Worker{}, delay: searchDelay}
	v.search = newSearchEntry("证件号、后 6 位、电话、姓名、拼音首字母")
	v.search.OnChanged = func(s string) { v.queueSearch(s) }
	v.search.OnSubmitted = func(s string) { v.runSearch(s) }
	v.count = widget.NewLabel("")
	v.count.Wrapping = fyne.TextWrapWord
	v.list = newKeyList(
		func() int { return len(v.ids) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(name, sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			name, sub := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
			w := v.at(i)
			if w == nil {
				name.SetText("（无法显示）")
				sub.SetText("")
				return
			}
			name.SetText(w.Name)
			sub.SetText(workerSummary(w))
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if w := v.at(i); w != nil {
			v.form.confirmDiscard(func() { v.form.loadByID(w.ID) }, v.list.UnselectAll)
		}
	}
	v.form = newWorkerForm(env, func(*app.Worker) { v.runSearch(v.search.Text) })
	v.runSearch("")
	env.setActions(v.form.save, func() { v.form.confirmDiscard(v.form.clear) })
	v.form.cleared = func() {
		v.list.UnselectAll()
		focusIfShown(v.form.name)
	}
	v.search.onDown = func() {
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.list); c != nil && v.list.Length() > 0 {
			c.Focus(v.list)
		}
	}
	env.Focus = v.search
	if env.OpenID != 0 {
		v.form.loadByID(env.OpenID)
	}
	return v
}

func (v *workerScreen) content() fyne.CanvasObject {
	left := container.NewBorder(container.NewVBox(heading("劳动者"), v.search, v.count), nil, nil, nil, v.list)
	split := container.NewHSplit(left, v.form.content())
	split.Offset = 0.34
	return split
}

// queryKinds say how the search text was read.
var queryKinds = map[app.QueryKind]string{
	app.QueryIDNumber: "按证件号码", app.QueryIDSuffix: "按证件号码后 6 位", app.QueryPhone: "按电话号码",
	app.QueryPinyin: "按拼音首字母", app.QueryName: "按姓名",
}

// searchDelay is the pause after a keystroke before the search runs: a name prefix such as
// 张 can match tens of thousands of workers, and the next keystroke usually narrows it.
const searchDelay = 150 * time.Millisecond

// queueSearch runs the search for q after a pause, in the background, and shows it unless a
// newer search came meanwhile. A negative delay searches at once (tests that type).
func (v *workerScreen) queueSearch(q string) {
	if v.delay < 0 {
		v.runSearch(q)
		return
	}
	gen := v.gen.Add(1)
	svc, ctx, delay := v.env.Services.Workers, v.env.Ctx, v.delay
	v.pending.Add(1)
	go func() {
		defer v.pending.Done()
		time.Sleep(delay)
		if v.gen.Load() != gen {
			return
		}
		ids, err := svc.SearchWorkers(ctx, app.WorkerSearch{Query: strings.TrimSpace(q)})
		fyne.DoAndWait(func() {
			if v.gen.Load() == gen {
				v.showHits(q, ids, err)
			}
		})
	}()
}

// settle waits until the queued searches are shown (for tests).
func (v *workerScreen) settle() { v.pending.Wait() }

// runSearch finds the IDs of the matching workers at once; rows are decoded as the list
// shows them.
func (v *workerScreen) runSearch(q string) {
	v.gen.Add(1) // drops queued searches
	ids, err := v.env.Services.Workers.SearchWorkers(v.env.Ctx, app.WorkerSearch{Query: strings.TrimSpace(q)})
	v.showHits(q, ids, err)
}

// showHits shows the result of a search.
func (v *workerScreen) showHits(q string, ids []int64, err error) {
	q = strings.TrimSpace(q)
	v.pages = map[int]map[int64]*app.Worker{}
	v.decoded = 0
	if err != nil {
		v.ids = nil
		v.count.SetText(app.ErrorMessage(err))
	} else {
		v.ids = ids
		how := queryKinds[app.ParseWorkerQuery(q).Kind]
		if how != "" {
			how += "查找，"
		}
		v.count.SetText(how + "共 " + strconv.Itoa(len(ids)) + " 人")
	}
	v.list.UnselectAll()
	v.list.Refresh() // creates the renderer, which ScrollToTop needs
	v.list.ScrollToTop()
}

// at returns the i-th hit, decoding its page of rows on first use.
func (v *workerScreen) at(i int) *app.Worker {
	if i < 0 || i >= len(v.ids) {
		return nil
	}
	p := i / workerPage
	page, ok := v.pages[p]
	if !ok {
		ids := v.ids[p*workerPage : min((p+1)*workerPage, len(v.ids))]
		ws, err := v.env.Services.Workers.WorkersByIDs(v.env.Ctx, ids)
		if err != nil {
			return nil
		}
		page = make(map[int64]*app.Worker, len(ws))
		for _, w := range ws {
			page[w.ID] = w
		}
		v.decoded += len(ws)
		v.pages[p] = page
	}
	return page[v.ids[i]]
}

// workerSummary is the second line of a list row: sex, birth date and age, a masked
// document number and the phone.
func workerSummary(w *app.Worker) string {
	parts := []string{w.Sex.Name()}
	if !w.BirthDate.IsZero() {
		parts = append(parts, formatDate(w.BirthDate))
	}
	parts = append(parts, maskID(w.IDNumber))
	if w.Phone != "" {
		parts = append(parts, w.Phone)
	}
	return strings.Join(parts, "　")
}

// maskID shows the first 6 and the last 4 characters of a document number.
func maskID(n string) string {
	if len(n) <= 10 {
		return n
	}
	return n[:6] + strings.Repeat("*", len(n)-10) + n[len(n)-4:]
}
