package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
	"occhealth/reports"
	"occhealth/store"
	"occhealth/store/bolt"
)

// adminFind returns the first object under root (content and overlays of a window, or any
// object) that match accepts.
func adminFind(root fyne.CanvasObject, match func(fyne.CanvasObject) bool) fyne.CanvasObject {
	var found fyne.CanvasObject
	walk(root, func(o fyne.CanvasObject) {
		if found == nil && match(o) {
			found = o
		}
	})
	return found
}

// adminRoots returns the window's overlays, top first, then its content.
func adminRoots(w fyne.Window) []fyne.CanvasObject {
	ov := w.Canvas().Overlays().List()
	var roots []fyne.CanvasObject
	for i := len(ov) - 1; i >= 0; i-- {
		roots = append(roots, ov[i])
	}
	return append(roots, w.Content())
}

// adminTapButton taps the visible, enabled button with text, looking in the top dialog first.
func adminTapButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	for _, root := range adminRoots(w) {
		if b, ok := adminFind(root, func(o fyne.CanvasObject) bool {
			b, ok := o.(*widget.Button)
			return ok && b.Text == text && b.Visible()
		}).(*widget.Button); ok {
			if b.Disabled() {
				t.Fatalf("button %q is disabled", text)
			}
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no button %q on screen; dialog: %q", text, dialogText(w))
}

// adminTapCheck taps the check box labelled text, looking in the top dialog first.
func adminTapCheck(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	for _, root := range adminRoots(w) {
		if c, ok := adminFind(root, func(o fyne.CanvasObject) bool {
			c, ok := o.(*widget.Check)
			return ok && c.Text == text
		}).(*widget.Check); ok {
			test.Tap(c)
			return
		}
	}
	t.Fatalf("no check box %q on screen", text)
}

// adminDialogHas reports whether the top dialog shows s (in a label or in its markup).
func adminDialogHas(w fyne.Window, s string) bool {
	if strings.Contains(dialogText(w), s) {
		return true
	}
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	found := adminFind(top, func(o fyne.CanvasObject) bool {
		switch x := o.(type) {
		case *widget.RichText:
			return strings.Contains(x.String(), s)
		case *widget.Label:
			return strings.Contains(x.Text, s)
		}
		return false
	})
	return found != nil
}

// newAdminEnv is newTestEnv with a catalog set of its own, so that a test that saves or
// resets catalogs does not change the set the other tests share, and with the .xlsx
// exchange wired as main wires it.
func newAdminEnv(t *testing.T) *Env {
	t.Helper()
	newTestApp(t)
	set, err := catalog.Load(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "archive.db")
	db, err := bolt.Open(path, bolt.Options{Keys: store.NewMemoryKeyRing(testNow), Codes: set, FastPasswords: true, Now: testClock, BackupDir: filepath.Join(t.TempDir(), "backups")})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	svc := db.Services(set)
	svc.Exchange = reports.XLSXCatalogExchange{}
	ctx := app.NewContextWithWorkstation(context.Background(), "测试机")
	if _, err := svc.Setup.Initialize(ctx, testSetup()); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	u, err := svc.Auth.Login(ctx, testAdmin, testPassword)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	ctx = app.NewContextWithUser(ctx, u)
	inst, err := svc.Institution.Institution(ctx)
	if err != nil {
		t.Fatalf("institution: %v", err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 760))
	return &Env{Services: svc, Window: w, User: u, Institution: inst, Ctx: ctx, ArchivePath: path}
}

// widgetCell returns a table cell id.
func widgetCell(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }
