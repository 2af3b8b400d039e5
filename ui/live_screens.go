package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// The live refreshes of the worklists whose own reload starts over (clears the selection or
// the record shown): each reads its list again and puts the selection back on the same
// record, leaving any form beside the list as the user left it. Screens subscribe with
// env.live in their constructor (ui/live.go).

// liveScan is how many rows of a paged list a live refresh looks through for the record
// selected; further down, the selection is dropped (the record shown stays).
const liveScan = 500

// reselectCell selects row of t (column 0) without running OnSelected, or clears the
// selection when row < 0.
func reselectCell(t *widget.Table, row int) {
	on := t.OnSelected
	t.OnSelected = nil
	if row >= 0 {
		t.Select(widget.TableCellID{Row: row, Col: 0})
	} else {
		t.UnselectAll()
	}
	t.OnSelected = on
}

// liveReload reads the referrals again, keeping the one chosen (with its notice buttons).
func (v *referralScreen) liveReload() {
	v.reload()
	v.grid.Refresh()
	row := -1
	if v.chosen != nil {
		row = indexOfID(v.shown, v.chosen.exam.ID, func(r app.Referral) int64 { return r.ExamID })
	}
	reselectCell(v.grid, row)
}

// deadlineKey names a row of 报告期限 across readings: its contract, else its first exam.
func deadlineKey(d deadline) string {
	if d.Contract != nil {
		return "c" + strconv.FormatInt(d.Contract.ID, 10)
	}
	if len(d.Pending) > 0 {
		return "e" + strconv.FormatInt(d.Pending[0].ID, 10)
	}
	return ""
}

// liveReload reads the deadlines again and shows the row chosen with its exams.
func (v *overdueScreen) liveReload() {
	key := ""
	if v.selected >= 0 && v.selected < len(v.rows) {
		key = deadlineKey(v.rows[v.selected])
	}
	v.reload()
	if key == "" {
		return
	}
	for i, d := range v.rows {
		if deadlineKey(d) == key {
			v.table.Select(widget.TableCellID{Row: i, Col: 0}) // read-only detail: shown again
			return
		}
	}
}

// liveReload reads the card worklist again, keeping the card shown; before the first
// reading is shown it waits for that one.
func (v *cardsScreen) liveReload() {
	if v.gen.Load() == 0 {
		return
	}
	v.refreshSelected()
}

// liveReload reads the contract list again (with its exam counts) and the exams of the
// contract shown; the contract's form is left as it is.
func (v *contractScreen) liveReload() {
	v.pages = map[int][]*app.Contract{}
	v.names = map[int64]string{}
	v.counts = map[int64][2]int{}
	if _, total, err := v.env.Services.Contracts.FindContracts(v.env.Ctx, app.ContractFilter{Query: v.query, Limit: 1}); err == nil {
		v.total = total
		v.count.SetText("共 " + strconv.Itoa(total) + " 个体检任务")
	}
	v.list.Refresh()
	row := -1
	if c := v.form.current; c != nil {
		for i := 0; i < min(v.total, liveScan); i++ {
			if ct := v.at(i); ct != nil && ct.ID == c.ID {
				row = i
				break
			}
		}
	}
	reselect(&v.list.List, row)
	v.exams.liveReload()
}

// liveReload reads the contract's exams again, keeping the exam chosen and its actions.
func (v *contractExams) liveReload() {
	sel := v.selected
	v.reload()
	if sel == nil {
		return
	}
	n := v.total
	if v.found != nil {
		n = len(v.found)
	}
	for i := 0; i < min(n, liveScan); i++ {
		if e := v.at(i); e != nil && e.ID == sel.ID {
			reselect(&v.list.List, i)
			v.choose(e)
			return
		}
	}
	v.sel.SetText(fmt.Sprintf("体检号 %s 已不在列表中（可能已被其他工作站取消或作废）。", sel.Number))
}
