package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"occhealth/app"
)

// TestPicker_PinyinInitials types pinyin initials into the employer form's industry picker and
// finds the industry, and searches the hazard catalog the same way: pick lists need no IME.
func TestPicker_PinyinInitials(t *testing.T) {
	env := newTestEnv(t)
	hazards := catalogSearch(env.Services.Catalogs, app.CatalogHazards, nil, codeLabel)
	found := false
	for _, it := range hazards("mfc") {
		found = found || it.Key == "1023" // 木粉尘（硬）
	}
	if !found {
		t.Errorf("mfc did not find 木粉尘（硬）: %v", hazards("mfc"))
	}

	f := newEmployerForm(env, nil)
	show(env, f.content())
	typeInto(f.industry.entry, "snzz")
	f.industry.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	f.industry.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if it, ok := f.industry.Selected(); !ok || it.Key != "3011" {
		t.Fatalf("snzz picked %+v, want 3011 水泥制造", it)
	}
}
