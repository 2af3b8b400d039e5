package ui

import (
	"context"
	"flag"
	"occhealth/reports/lisdrop"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
	"occhealth/store"
	"occhealth/store/bolt"
)

var update = flag.Bool("update", false, "rewrite the markup goldens in testdata/")

// testNow is the fixed clock of every UI test, so goldens do not change with the date.
var testNow = time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC)

func testClock() time.Time { return testNow }

var (
	catalogsOnce sync.Once
	catalogsSet  *catalog.Set
	catalogsErr  error
)

// testCatalogs loads the bundled catalogs once (they are read-only in these tests).
func testCatalogs(t testing.TB) *catalog.Set {
	catalogsOnce.Do(func() { catalogsSet, catalogsErr = catalog.Load(assets.Catalogs) })
	if catalogsErr != nil {
		t.Fatalf("load catalogs: %v", catalogsErr)
	}
	return catalogsSet
}

// newTestServices opens a real bbolt archive in a temp dir.
func newTestServices(t testing.TB) (app.Services, string) {
	t.Helper()
	set := testCatalogs(t)
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
	svc.PC, svc.Drops = store.PCSettingsFile{}, lisdrop.Folders{} // this PC's settings as main wires them
	return svc, path
}

const (
	testAdmin    = "admin"
	testPassword = "mima2026ok"
)

// testSetup is the institution every test archive gets.
func testSetup() app.SetupInput {
	return app.SetupInput{
		Institution: app.Institution{
			Name: "闽清县职业病防治院", Code: "350124001",
			Kinds:            []app.InstitutionKind{app.KindExam, app.KindDiagnosis},
			HazardCategories: []app.HazardCategory{app.HazardDust, app.HazardChemical, app.HazardPhysical},
			AreaCode:         "350124", AreaName: "福建省 福州市 闽清县",
		},
		AdminUsername: testAdmin, AdminName: "林管理", AdminPassword: testPassword,
	}
}

// newTestApp starts a headless Fyne app with the application theme.
func newTestApp(t *testing.T) fyne.App {
	a := test.NewTempApp(t)
	useChinese()
	test.ApplyTheme(t, NewTheme())
	return a
}

// newTestEnv opens a set-up archive, logs the administrator in and returns the screen
// environment with a 1280×760 test window.
func newTestEnv(t *testing.T) *Env {
	t.Helper()
	newTestApp(t)
	svc, path := newTestServices(t)
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

// envAs returns an environment on env's archive for a new user with the given roles.
func envAs(t *testing.T, env *Env, roles ...app.Role) *Env {
	t.Helper()
	u := &app.User{Username: "other", Name: "孙医生", Roles: roles}
	if err := env.Services.Users.CreateUser(env.Ctx, u, "other2026"); err != nil {
		t.Fatal(err)
	}
	base := app.NewContextWithWorkstation(context.Background(), "测试机")
	lu, err := env.Services.Auth.Login(base, "other", "other2026")
	if err != nil {
		t.Fatal(err)
	}
	e := *env
	e.User, e.Ctx = lu, app.NewContextWithUser(base, lu)
	return &e
}

// show puts o into the env's window.
func show(env *Env, o fyne.CanvasObject) {
	env.Window.SetContent(o)
	env.Window.Resize(fyne.NewSize(1280, 760))
}

// relayout lays the window out again from the top, as the real driver does on every frame
// when a minimum size changed (the test canvas does not): a message shown under a field
// takes its space.
func relayout(w fyne.Window) {
	var lay func(o fyne.CanvasObject)
	lay = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			if x.Layout != nil {
				x.Layout.Layout(x.Objects, x.Size())
			}
			for _, c := range x.Objects {
				lay(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(x)
			r.Layout(x.Size())
			for _, c := range r.Objects() {
				lay(c)
			}
		}
	}
	for i := 0; i < 2; i++ {
		lay(w.Content())
	}
}

// markupHas reports whether the window's markup contains s.
func markupHas(w fyne.Window, s string) bool {
	return strings.Contains(test.RenderToMarkup(w.Canvas()), s)
}

// assertMarkup compares the window with a golden in testdata/ (rewritten with -update).
func assertMarkup(t *testing.T, name string, w fyne.Window) {
	t.Helper()
	relayout(w)
	if *update {
		got := test.RenderToMarkup(w.Canvas())
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", name), []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	test.AssertRendersToMarkup(t, name, w.Canvas())
}

// typeInto focuses e in its window and types s rune by rune, as a keyboard would.
func typeInto(e fyne.Focusable, s string) { test.Type(e, s) }

// dialogText returns the texts of the top overlay (a dialog), or "".
func dialogText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	walk(top, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}

// walk visits o and the objects inside it.
func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, f)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		for _, c := range r.Objects() {
			walk(c, f)
		}
	}
}

// closeDialogs hides every overlay.
func closeDialogs(w fyne.Window) {
	for w.Canvas().Overlays().Top() != nil {
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}
}

// idNumber returns a valid 18-digit resident ID number for a 17-digit body.
func idNumber(body string) string { return body + string(app.IDCheckChar(body)) }
