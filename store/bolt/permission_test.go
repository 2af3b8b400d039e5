package bolt_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"occhealth/app"
)

// TestPermissionTable walks every method of every service that needs a login with every
// role, and checks that exactly the roles of app.PermissionTable get past the role check.
// A method missing from the table fails the test.
func TestPermissionTable(t *testing.T) {
	td := seeded(t)
	users := map[app.Role]context.Context{}
	for _, r := range app.Roles {
		users[r] = td.as(t, "u_"+string(r), r)
	}
	sv := reflect.ValueOf(td.svc)
	st := sv.Type()
	covered := map[string]bool{}
	var lines []string
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		if f.Type.Kind() != reflect.Interface || f.Name == "Setup" || f.Name == "Auth" || f.Name == "Exchange" || f.Name == "Planner" ||
			f.Name == "Changes" || f.Name == "Connection" { // the workstation's link, open to any login
			continue
		}
		if sv.Field(i).IsNil() { // not built yet; a table row without a method still fails below
			continue
		}
		iface := f.Type
		for m := 0; m < iface.NumMethod(); m++ {
			meth := iface.Method(m)
			action := iface.Name() + "." + meth.Name
			covered[action] = true
			perm, ok := app.PermissionFor(action)
			if !ok {
				t.Errorf("%s is not in app.PermissionTable", action)
				continue
			}
			row := fmt.Sprintf("%-40s", action)
			for _, role := range app.Roles {
				ctx := users[role]
				u := app.UserFromContext(ctx)
				args := []reflect.Value{reflect.ValueOf(ctx)}
				mt := meth.Type
				for a := 1; a < mt.NumIn(); a++ {
					at := mt.In(a)
					switch {
					case at.Kind() == reflect.Int64:
						args = append(args, reflect.ValueOf(u.ID).Convert(at))
					case at.Kind() == reflect.Pointer:
						args = append(args, reflect.New(at.Elem()))
					default:
						args = append(args, reflect.Zero(at))
					}
				}
				out := sv.Field(i).MethodByName(meth.Name).Call(args)
				var err error
				if e := out[len(out)-1]; !e.IsNil() {
					err = e.Interface().(error)
				}
				denied := app.ErrorCode(err) == app.EFORBIDDEN && strings.Contains(err.Error(), "无权执行")
				_, want := perm.Roles[role]
				if denied == want {
					t.Errorf("%s as %s: denied=%v, table allows=%v (err %v)", action, role.Name(), denied, want, err)
				}
				if want {
					row += " " + string(perm.Roles[role])[:1]
				} else {
					row += " ."
				}
			}
			lines = append(lines, row)
		}
	}
	for _, p := range app.PermissionTable {
		if !covered[p.Action] {
			t.Errorf("table row %s matches no service method", p.Action)
		}
	}
	sort.Strings(lines)
	t.Logf("roles: %v\n%s", app.Roles, strings.Join(lines, "\n"))
}
