package criteria_test

import (
	"testing"

	"occhealth/app/criteria"
)

func TestSet_AudiogramItem(t *testing.T) {
	set := mustLoad(t)
	for _, tc := range []struct {
		side criteria.Side
		bone bool
		hz   int
		want string
	}{
		{criteria.Left, false, 500, "3040100"},
		{criteria.Right, false, 6000, "3041300"},
		{criteria.Left, true, 500, "3050100"},
		{criteria.Right, true, 4000, "3051200"},
		{criteria.Left, false, 123, ""},
	} {
		got := set.AudiogramItem(tc.side, tc.bone, tc.hz)
		if got != tc.want {
			t.Errorf("AudiogramItem(%s, bone %v, %d) = %q, want %q", tc.side.Name(), tc.bone, tc.hz, got, tc.want)
		}
		if got == "" {
			continue
		}
		// The code goes back to the same ear and frequency.
		_, a := set.FromItems(map[string]float64{got: 40})
		m := a.Ear(tc.side)
		if tc.bone {
			m = a.BoneLeft
			if tc.side == criteria.Right {
				m = a.BoneRight
			}
		}
		if m[tc.hz] != 40 {
			t.Errorf("FromItems(%s) = %+v", got, a)
		}
	}
}
