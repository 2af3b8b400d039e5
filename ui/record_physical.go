package ui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/results"
	"occhealth/app/rules"
	"occhealth/assets"
)

// The physical-exam templates ship in assets/rules/physical_templates.json, read once.
var (
	templatesOnce sync.Once
	templatesSet  *results.Templates
)

// physicalTemplates returns the template table (nil, and no templates, if the bundled file
// cannot be read, which the package's test rules out).
func physicalTemplates() *results.Templates {
	templatesOnce.Do(func() {
		templatesSet, _ = results.LoadTemplates(assets.Rules)
	})
	return templatesSet
}

// ruleTable returns the rule table in force: the planner itself when it is one, else the
// table the services export (an administrator's edited table, or the bundled one), else the
// bundled table. The recording screen reads it once per exam it opens.
func ruleTable(env *Env) *rules.Table {
	if t, ok := env.Services.Planner.(*rules.Table); ok {
		return t
	}
	if env.Services.RuleTable != nil {
		if b, err := env.Services.RuleTable(); err == nil {
			if t, err := rules.Unmarshal(b); err == nil {
				return t
			}
		}
	}
	t, _ := rules.Load(assets.Rules)
	return t
}

// groupPanel is a department's own editor for a whole item group, such as the pure-tone
// audiogram: it shows the group, loads the recorded results and returns the results to save.
type groupPanel interface {
	content() fyne.CanvasObject
	load(rec *app.ExamRecord)
	results() ([]app.Result, error)
}

// groupPanels holds the panels by group code; changed is to be called after every edit in the
// panel (the department then counts as edited). The audiometry screen's pure-tone audiogram
// (G1301) is registered here; a group without a panel is entered as plain item rows.
var groupPanels = map[string]func(env *Env, exam *app.Exam, worker *app.Worker, changed func()) groupPanel{}

// phraseBar returns the phrase chips of a text item: a click puts the phrase into the entry.
// The normal description, or an empty entry, is replaced; other text gets the phrase added
// after a "，", so that findings can be combined ("双肺呼吸音粗，可闻及干性啰音"). The chips take
// no keyboard focus, so that Tab goes from field to field.
func phraseBar(it results.TemplateItem, entry *widget.Entry) *fyne.Container {
	// Rows wrap, so that a long phrase list never widens the form.
	box := container.New(layout.NewRowWrapLayout())
	for _, p := range it.Phrases {
		p := p
		box.Add(newPhraseChip(p, func() {
			if entry.Disabled() {
				return
			}
			entry.SetText(insertPhrase(entry.Text, it.Normal, p))
		}))
	}
	return box
}

// phraseChip is a button-like phrase that is tapped but never focused.
type phraseChip struct {
	widget.BaseWidget
	Text     string
	OnTapped func()
}

func newPhraseChip(text string, tapped func()) *phraseChip {
	c := &phraseChip{Text: text, OnTapped: tapped}
	c.ExtendBaseWidget(c)
	return c
}

// Tapped inserts the phrase.
func (c *phraseChip) Tapped(*fyne.PointEvent) {
	if c.OnTapped != nil {
		c.OnTapped()
	}
}

// Cursor shows the hand over a chip.
func (c *phraseChip) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (c *phraseChip) CreateRenderer() fyne.WidgetRenderer {
	th := c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	bg := canvas.NewRectangle(th.Color(theme.ColorNameButton, v))
	bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	txt := canvas.NewText(c.Text, th.Color(theme.ColorNameForeground, v))
	txt.TextSize = th.Size(theme.SizeNameText)
	return &chipRenderer{chip: c, bg: bg, text: txt}
}

type chipRenderer struct {
	chip *phraseChip
	bg   *canvas.Rectangle
	text *canvas.Text
}

func (r *chipRenderer) padding() fyne.Size {
	p := r.chip.Theme().Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(p, p/2)
}

func (r *chipRenderer) MinSize() fyne.Size {
	return r.text.MinSize().Add(r.padding().Add(r.padding()))
}

func (r *chipRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.text.Move(fyne.NewPos(r.padding().Width, (size.Height-r.text.MinSize().Height)/2))
	r.text.Resize(r.text.MinSize())
}

func (r *chipRenderer) Refresh() {
	th := r.chip.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = th.Color(theme.ColorNameButton, v)
	r.text.Color = th.Color(theme.ColorNameForeground, v)
	r.text.Text = r.chip.Text
	r.bg.Refresh()
	r.text.Refresh()
}

func (r *chipRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.text} }

func (r *chipRenderer) Destroy() {}

// insertPhrase returns the text after clicking phrase p on text cur with normal description
// normal.
func insertPhrase(cur, normal, p string) string {
	cur = strings.TrimSpace(cur)
	switch {
	case cur == "" || cur == normal || p == normal:
		return p
	case strings.Contains(cur, p):
		return cur
	}
	return strings.TrimRight(cur, "，,。；;") + "，" + p
}
