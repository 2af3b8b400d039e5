package ui

import (
	"testing"

	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

var adminScreenIDs = []string{"admin_users", "admin_catalogs", "admin_audit", "admin_backup", "admin_permissions"}

// TestAdminScreens_Navigation checks that the five screens stand under 系统管理 in order for
// an administrator, that no other role sees them, and that each one opens.
func TestAdminScreens_Navigation(t *testing.T) {
	env := newAdminEnv(t)
	var got []ScreenDef
	for _, d := range visibleScreens(Screens(), env.User, env.Institution) {
		if d.Group == "系统管理" {
			got = append(got, d)
		}
	}
	var ids []string
	for _, d := range got {
		ids = append(ids, d.ID)
	}
	if len(ids) < len(adminScreenIDs) {
		t.Fatalf("系统管理 screens for an administrator: %v", ids)
	}
	pos := 0
	for _, id := range ids { // other screens may join the group; ours keep their order
		if pos < len(adminScreenIDs) && id == adminScreenIDs[pos] {
			pos++
		}
	}
	if pos != len(adminScreenIDs) {
		t.Errorf("系统管理 order = %v, want %v in that order", ids, adminScreenIDs)
	}
	for _, r := range app.Roles {
		if r == app.RoleAdmin {
			continue
		}
		u := &app.User{Username: "x", Roles: []app.Role{r}}
		for _, d := range visibleScreens(Screens(), u, env.Institution) {
			for _, id := range adminScreenIDs {
				if d.ID == id {
					t.Errorf("%s sees %s", r.Name(), id)
				}
			}
		}
	}
	mine := map[string]bool{}
	for _, id := range adminScreenIDs {
		mine[id] = true
	}
	for _, d := range got {
		if !mine[d.ID] {
			continue // other screens of the group are tested where they are written
		}
		o := d.New(env)
		if o == nil {
			t.Fatalf("%s: New returned nil", d.ID)
		}
		show(env, o)
		// The body beside the navigation is about 820 px wide on a 1024×768 screen.
		if w := o.MinSize().Width; w > 800 {
			t.Errorf("%s: minimum width %.0f px does not fit a 1024-pixel screen", d.ID, w)
		}
		if !markupHas(env.Window, d.Title) {
			t.Errorf("%s: title %q not on screen", d.ID, d.Title)
		}
	}
}

// TestAdminUsers_Golden pins the user form's layout after a user with a qualification was
// created (fixed clock; no paths or hashes on this screen).
func TestAdminUsers_Golden(t *testing.T) {
	env := newTestEnv(t)
	u := &app.User{Username: "zhaoliu", Name: "赵六", Roles: []app.Role{app.RoleDiagnosisPhysician, app.RoleChiefExaminer},
		Qualifications: []app.Qualification{{Kind: "职业病诊断医师资格", Categories: []string{"职业性化学中毒"}, Number: "ZD-001", ValidUntil: testNow.AddDate(2, 0, 0)}}}
	if err := env.Services.Users.CreateUser(env.Ctx, u, "abc12345x"); err != nil {
		t.Fatal(err)
	}
	v := newUserScreen(env)
	show(env, v.content())
	v.list.Select(1)
	assertMarkup(t, "admin_users.xml", env.Window)
}

// TestAdminCatalogs_Golden pins the catalog screen on a small catalog with an entry selected.
func TestAdminCatalogs_Golden(t *testing.T) {
	env := newAdminEnv(t)
	v := newCatalogScreen(env)
	show(env, v.content())
	chooseCatalog(t, v, catalog.ExamTypes)
	v.table.Select(widget.TableCellID{Row: 1, Col: 1})
	assertMarkup(t, "admin_catalogs.xml", env.Window)
}
