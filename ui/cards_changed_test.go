package ui

import (
	"testing"

	"occhealth/app"
)

// TestCardCell_ChangedSinceExport: a worklist row whose card changed since its export says so
// in the 操作 column (it goes out again); otherwise the column shows the last export's type.
func TestCardCell_ChangedSinceExport(t *testing.T) {
	r := &app.CardRow{Card: app.Card{Status: app.CardExported, Operate: app.CardAdd, ExportedHash: "h"}}
	if got := cardCell(r, colOperate); got != "新增" {
		t.Fatalf("unchanged: %q", got)
	}
	r.Card.Changed = true
	if got := cardCell(r, colOperate); got != "已变更" {
		t.Fatalf("changed: %q", got)
	}
}
