package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app/catalog"
)

// pickItem is one choice of a picker: Key is the stored value (a code or a record ID),
// Label what the user reads.
type pickItem struct {
	Key   string
	Label string
	// Text is what the entry shows after the pick ("" for Label), e.g. an employer's name
	// without the credit code the list shows to tell namesakes apart.
	Text string
}

// shown is the text of the entry after it is picked.
func (it pickItem) shown() string {
	if it.Text != "" {
		return it.Text
	}
	return it.Label
}

// maxPickResults bounds the list under a picker; the user narrows it by typing.
const maxPickResults = 100

// picker is a searchable select for long code lists (industry, jobs, hazards) and records
// (employers): an entry in which the user types part of a name or code, and a list of
// matches under it. Down/Up move through the matches and Enter takes one, so it needs no
// mouse; the list is inline rather than a pop-up, because a pop-up takes the keyboard focus
// away from the entry.
type picker struct {
	entry    *pickerEntry
	list     *widget.List
	box      *fyne.Container
	search   func(q string) []pickItem
	items    []pickItem
	hi       int
	selected pickItem
	// freeText allows a text without a match (e.g. a job without a national code).
	freeText bool
	// OnChanged is called after a pick and after every edit of the text.
	OnChanged func()
	quiet     bool
	height    *varHeight
}

// pickerRows is how many matches show without scrolling.
const pickerRows = 6

// varHeight lays its objects out at full width and a height that changes with the matches.
type varHeight struct{ h float32 }

func (v *varHeight) MinSize(objs []fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, v.h) }

func (v *varHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// pickerEntry is the entry of a picker; it hands the navigation keys to the picker.
type pickerEntry struct {
	widget.Entry
	p *picker
}

func (e *pickerEntry) TypedKey(k *fyne.KeyEvent) {
	p := e.p
	if p.box.Visible() && len(p.items) > 0 {
		switch k.Name {
		case fyne.KeyDown:
			p.highlight(min(p.hi+1, len(p.items)-1))
			return
		case fyne.KeyUp:
			p.highlight(max(p.hi-1, 0))
			return
		case fyne.KeyReturn, fyne.KeyEnter:
			p.pick(p.items[p.hi])
			return
		case fyne.KeyEscape:
			p.box.Hide()
			return
		}
	}
	e.Entry.TypedKey(k)
}

func (e *pickerEntry) FocusLost() {
	e.Entry.FocusLost()
	e.p.box.Hide()
}

// newPicker returns a picker whose matches come from search.
func newPicker(placeholder string, search func(q string) []pickItem) *picker {
	p := &picker{search: search}
	p.entry = &pickerEntry{p: p}
	p.entry.ExtendBaseWidget(p.entry)
	p.entry.SetPlaceHolder(placeholder)
	p.list = widget.NewList(
		func() int { return len(p.items) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if i >= len(p.items) {
				return
			}
			l.TextStyle.Bold = i == p.hi
			if i == p.hi {
				l.SetText("▶ " + p.items[i].Label)
			} else {
				l.SetText("　" + p.items[i].Label)
			}
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		p.list.UnselectAll()
		if i < len(p.items) {
			p.pick(p.items[i])
		}
	}
	p.height = &varHeight{}
	p.box = container.New(p.height, p.list)
	p.box.Hide()
	p.entry.OnChanged = func(text string) {
		if p.quiet {
			return
		}
		if p.selected.Key != "" && text != p.selected.shown() {
			p.selected = pickItem{}
		}
		p.refreshMatches(text)
		if p.OnChanged != nil {
			p.OnChanged()
		}
	}
	return p
}

func (p *picker) content() fyne.CanvasObject { return container.NewVBox(p.entry, p.box) }

func (p *picker) refreshMatches(text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		p.items = nil
	} else {
		p.items = p.search(text)
		if len(p.items) > maxPickResults {
			p.items = p.items[:maxPickResults]
		}
	}
	p.hi = 0
	row := widget.NewLabel("Ag").MinSize().Height + theme.Padding()
	p.height.h = row * float32(min(max(len(p.items), 1), pickerRows))
	p.list.Refresh()
	p.list.ScrollToTop()
	if len(p.items) > 0 && p.selected.Key == "" {
		p.box.Show()
	} else {
		p.box.Hide()
	}
}

func (p *picker) highlight(i int) {
	p.hi = i
	p.list.Refresh()
	p.list.ScrollTo(i)
}

// pick takes an item, shows its label and hides the matches.
func (p *picker) pick(it pickItem) {
	p.setSelected(it)
	p.box.Hide()
	// A click in the list moved the focus there; give it back so that Tab goes on.
	if c := fyne.CurrentApp().Driver().CanvasForObject(p.entry); c != nil && c.Focused() != p.entry {
		c.Focus(p.entry)
	}
	if p.OnChanged != nil {
		p.OnChanged()
	}
}

// setSelected shows it without calling OnChanged (loading a record into a form).
func (p *picker) setSelected(it pickItem) {
	p.selected = it
	p.quiet = true
	p.entry.SetText(it.shown())
	p.quiet = false
	p.box.Hide()
}

// setText shows a free text without a selection.
func (p *picker) setText(s string) {
	p.selected = pickItem{}
	p.quiet = true
	p.entry.SetText(s)
	p.quiet = false
	p.box.Hide()
}

// Selected returns the picked item, and false when the text is not a pick.
func (p *picker) Selected() (pickItem, bool) { return p.selected, p.selected.Key != "" }

// Text returns the typed text, trimmed.
func (p *picker) Text() string { return strings.TrimSpace(p.entry.Text) }

// catalogSearch returns a search over the entries of a catalog accepted by keep: a code
// matches by prefix, a name or alias by containment (after catalog.NormalizeName), and a name
// by its pinyin initials (when the set has an initials function). Exact code or name matches
// come first.
func catalogSearch(set *catalog.Set, name string, keep func(catalog.Entry) bool, label func(catalog.Entry) string) func(string) []pickItem {
	return func(q string) []pickItem {
		c, ok := set.Catalog(name)
		if !ok {
			return nil
		}
		nq := catalog.NormalizeName(q)
		var exact, rest []pickItem
		for _, e := range c.Entries {
			if keep != nil && !keep(e) {
				continue
			}
			it := pickItem{Key: e.Code, Label: label(e)}
			switch {
			case e.Code == q || catalog.NormalizeName(e.Name) == nq:
				exact = append(exact, it)
			case strings.HasPrefix(e.Code, q) || strings.Contains(catalog.NormalizeName(e.Name), nq):
				rest = append(rest, it)
			default:
				for _, a := range e.Aliases {
					if strings.Contains(catalog.NormalizeName(a), nq) {
						rest = append(rest, it)
						break
					}
				}
				if len(rest) == 0 || rest[len(rest)-1].Key != e.Code {
					// 拼音首字母: zyg → 职业机动车驾驶, mfc → 木粉尘.
					if set.InitialsMatch(e.Name, q) {
						rest = append(rest, it)
					}
				}
			}
			if len(exact)+len(rest) >= 5*maxPickResults {
				break
			}
		}
		return append(exact, rest...)
	}
}

// codeLabel is "code name", the usual label of a catalog entry.
func codeLabel(e catalog.Entry) string {
	s := e.Code + " " + e.Name
	if e.Unverified() {
		s += "（待核实）"
	}
	return s
}

// catalogItem returns the pick item of a code, or false when the catalog lacks it.
func catalogItem(set *catalog.Set, name, code string, label func(catalog.Entry) string) (pickItem, bool) {
	if code == "" || set == nil {
		return pickItem{}, false
	}
	e, ok := set.Lookup(name, code)
	if !ok {
		return pickItem{}, false
	}
	return pickItem{Key: e.Code, Label: label(e)}, true
}
