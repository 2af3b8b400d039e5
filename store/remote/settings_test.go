package remote_test

import (
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
)

// TestSettingsFollowTheServer: an administrator's catalog edit is in force at once on the
// workstation that made it and, after the settings notice, on the others; a reset brings the
// bundled entry back.
func TestSettingsFollowTheServer(t *testing.T) {
	e := newEnv(t, nil)
	_, svc1 := e.dial(t, "管理")
	admin := setup(t, svc1)
	if err := svc1.Users.CreateUser(admin, &app.User{Username: "dengji", Name: "王登记", Roles: []app.Role{app.RoleRegistrar}}, "Passw0rd1"); err != nil {
		t.Fatal(err)
	}
	_, svc2 := e.dial(t, "前台")
	login(t, svc2, "dengji", "Passw0rd1")
	time.Sleep(300 * time.Millisecond) // the stream is up

	c, ok := svc1.Catalogs.Catalog(catalog.EnterpriseSize)
	if !ok || len(c.Entries) == 0 {
		t.Fatal("no enterprise size catalog")
	}
	code, bundledName := c.Entries[0].Code, c.Entries[0].Name
	c.Entries = append([]catalog.Entry(nil), c.Entries...)
	c.Entries[0].Name = bundledName + "（本院）"
	if err := svc1.Catalog.SaveCatalog(admin, c, "测试修改"); err != nil {
		t.Fatal(err)
	}
	if n, _ := svc1.Catalogs.CodeName(catalog.EnterpriseSize, code); n != bundledName+"（本院）" {
		t.Fatalf("editing workstation sees %q", n)
	}
	waitName(t, svc2, code, bundledName+"（本院）")

	if err := svc1.Catalog.ResetCatalog(admin, catalog.EnterpriseSize); err != nil {
		t.Fatal(err)
	}
	if n, _ := svc1.Catalogs.CodeName(catalog.EnterpriseSize, code); n != bundledName {
		t.Fatalf("after reset the editing workstation sees %q", n)
	}
	waitName(t, svc2, code, bundledName)
}

func waitName(t *testing.T, svc app.Services, code, want string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		n, _ := svc.Catalogs.CodeName(catalog.EnterpriseSize, code)
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("other workstation sees %q, want %q", n, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
