package ui

import (
	"slices"
	"strings"
	"testing"

	"occhealth/app"
)

// The four screens of the conclusion side: who sees them, and that each fits beside the
// navigation on a 1024-pixel screen.
func TestConclude_ScreensByRole(t *testing.T) {
	env := newIntakeEnv(t)
	want := map[app.Role][]string{
		app.RoleChiefExaminer:      {"conclude", "referrals"},
		app.RoleReviewer:           {"review", "release", "referrals"},
		app.RoleRegistrar:          {"release"},
		app.RoleDiagnosisPhysician: {"referrals"},
		app.RoleReportingClerk:     {"referrals"},
		app.RoleExamDoctor:         {},
		app.RoleFollowUpNurse:      {},
	}
	mine := []string{"conclude", "review", "release", "referrals"}
	for role, ids := range want {
		u := &app.User{Username: "x", Roles: []app.Role{role}}
		var got []string
		for _, d := range visibleScreens(Screens(), u, env.Institution) {
			if slices.Contains(mine, d.ID) {
				got = append(got, d.ID)
			}
		}
		slices.Sort(got)
		w := slices.Clone(ids)
		slices.Sort(w)
		if strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("%s sees %v, want %v", role.Name(), got, w)
		}
	}
	staff := staffAs(t, env, "quanbu", "全部", app.RoleChiefExaminer, app.RoleReviewer, app.RoleRegistrar)
	for _, d := range Screens() {
		if !slices.Contains(mine, d.ID) {
			continue
		}
		o := d.New(staff)
		show(staff, o)
		if w := o.MinSize().Width; w > 800 {
			t.Errorf("%s: minimum width %.0f px does not fit a 1024-pixel screen", d.ID, w)
		}
	}
}
