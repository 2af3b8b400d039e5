package criteria_test

import (
	"errors"
	"math"
	"os"
	"reflect"
	"sync"
	"testing"

	"occhealth/app"
	"occhealth/app/criteria"
)

// The shipped files are read from the repository folder (app may not import assets).
var (
	loadOnce sync.Once
	shipped  *criteria.Set
	loadErr  error
)

func mustLoad(tb testing.TB) *criteria.Set {
	tb.Helper()
	loadOnce.Do(func() { shipped, loadErr = criteria.Load(os.DirFS("../../assets/rules")) })
	if loadErr != nil {
		tb.Fatalf("load: %v", loadErr)
	}
	return shipped
}

// ear returns thresholds at the six standard frequencies.
func ear(l500, l1000, l2000, l3000, l4000, l6000 float64) map[int]float64 {
	return map[int]float64{500: l500, 1000: l1000, 2000: l2000, 3000: l3000, 4000: l4000, 6000: l6000}
}

// flat is an audiogram with the same level everywhere in both ears.
func flat(v float64) *criteria.Audiogram {
	return &criteria.Audiogram{Left: ear(v, v, v, v, v, v), Right: ear(v, v, v, v, v, v)}
}

func TestAudiogram_Averages(t *testing.T) {
	w := criteria.Weighting{Speech: 0.9, High: 0.1}
	a := criteria.Audiogram{
		Left:  ear(10, 20, 30, 40, 50, 60),
		Right: ear(5, 5, 5, 30, 45, 30),
	}
	check := func(name string, got float64, err error, want float64) {
		t.Helper()
		if err != nil || math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, %v; want %v", name, got, err, want)
		}
	}
	v, err := a.SpeechAverage(criteria.Left)
	check("left speech", v, err, 20)
	v, err = a.HighAverage(criteria.Left)
	check("left high", v, err, 50)
	v, err = a.HighAverage(criteria.Right)
	check("right high", v, err, 35)
	v, err = a.BinauralHighAverage()
	check("binaural high", v, err, 42.5)
	v, err = a.BinauralSpeechAverage()
	check("binaural speech", v, err, 12.5)
	v, err = a.Weighted(criteria.Left, w)
	check("left weighted", v, err, 20*0.9+50*0.1)
	side, v, err := a.BetterEarWeighted(w)
	check("better ear weighted", v, err, 5*0.9+45*0.1)
	if side != criteria.Right {
		t.Errorf("better ear = %s, want 右耳", side.Name())
	}

	t.Run("missing frequencies are all named", func(t *testing.T) {
		b := criteria.Audiogram{Left: map[int]float64{3000: 40}, Right: map[int]float64{3000: 40, 4000: 40, 6000: 40}}
		_, err := b.BinauralHighAverage()
		var m *criteria.MissingError
		if !errors.As(err, &m) || !reflect.DeepEqual(m.Names, []string{"左耳 4000 Hz", "左耳 6000 Hz"}) {
			t.Fatalf("err = %v, want missing 左耳 4000/6000 Hz", err)
		}
		if err.Error() != "缺少 左耳 4000 Hz、左耳 6000 Hz" {
			t.Errorf("message %q", err.Error())
		}
	})
	t.Run("nil maps are missing, not zero", func(t *testing.T) {
		var b criteria.Audiogram
		if _, err := b.SpeechAverage(criteria.Right); err == nil {
			t.Fatal("no error for an empty audiogram")
		}
	})
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), -21, 141} {
		b := criteria.Audiogram{Left: ear(bad, 0, 0, 0, 0, 0), Right: ear(0, 0, 0, 0, 0, 0)}
		if _, err := b.SpeechAverage(criteria.Left); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("level %v: err = %v, want EINVALID", bad, err)
		}
		if err := b.Validate(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("Validate with %v: %v", bad, err)
		}
	}
	for _, ok := range []float64{-20, -10, 0, 120, 140} {
		b := criteria.Audiogram{Left: ear(ok, 0, 0, 0, 0, 0), Right: ear(0, 0, 0, 0, 0, 0)}
		if err := b.Validate(); err != nil {
			t.Errorf("level %v rejected: %v", ok, err)
		}
	}
	if err := (criteria.Audiogram{BoneLeft: map[int]float64{-500: 10}}).Validate(); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("negative frequency: %v", err)
	}
}

func TestCorrection_Lookup(t *testing.T) {
	c := mustLoad(t).Correction()
	if c.Status != "U" {
		t.Errorf("correction status %q, want U (unverified)", c.Status)
	}
	tests := []struct {
		age  int
		sex  app.Sex
		hz   int
		want float64
		ok   bool
	}{
		{0, app.SexMale, 4000, 0, true},
		{29, app.SexMale, 6000, 0, true},
		{30, app.SexMale, 6000, 3, true},
		{30, app.SexFemale, 6000, 2, true},
		{39, app.SexMale, 3000, 2, true},
		{40, app.SexMale, 4000, 8, true},
		{49, app.SexFemale, 4000, 4, true},
		{50, app.SexMale, 2000, 7, true},
		{59, app.SexFemale, 2000, 6, true},
		{60, app.SexMale, 4000, 28, true},
		{69, app.SexFemale, 6000, 21, true},
		{70, app.SexMale, 6000, 49, true},
		{70, app.SexFemale, 500, 9, true},
		{99, app.SexFemale, 1000, 11, true},
		{-1, app.SexMale, 500, 0, false},
		{40, app.SexUnknown, 500, 0, false},
		{40, app.SexUnspecified, 500, 0, false},
		{40, app.SexMale, 8000, 0, false},
		{40, app.SexMale, 250, 0, false},
	}
	for _, tt := range tests {
		got, ok := c.Lookup(tt.age, tt.sex, tt.hz)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%d, %s, %d) = %v, %v; want %v, %v", tt.age, tt.sex, tt.hz, got, ok, tt.want, tt.ok)
		}
	}
	if b, ok := c.Band(45); !ok || b.Label != "40–49" {
		t.Errorf("Band(45) = %+v, %v", b, ok)
	}
}

func TestCorrected(t *testing.T) {
	table := mustLoad(t).Correction()
	a := criteria.Audiogram{
		Left:     map[int]float64{500: 20, 4000: 50, 8000: 70},
		Right:    ear(10, 10, 10, 10, 10, 10),
		BoneLeft: map[int]float64{500: 5},
	}
	got, err := criteria.Corrected(a, 55, app.SexMale, table)
	if err != nil {
		t.Fatal(err)
	}
	want := criteria.Audiogram{
		Left:  map[int]float64{500: 16, 4000: 34},
		Right: ear(6, 6, 3, -2, -6, -8),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Corrected = %+v\nwant %+v", got, want)
	}
	if a.Left[4000] != 50 {
		t.Error("Corrected changed its input")
	}
	for _, tt := range []struct {
		name string
		age  int
		sex  app.Sex
		a    criteria.Audiogram
	}{
		{"negative age", -3, app.SexMale, a},
		{"unknown sex", 40, app.SexUnknown, a},
		{"NaN level", 40, app.SexFemale, criteria.Audiogram{Left: map[int]float64{500: math.NaN()}}},
	} {
		if _, err := criteria.Corrected(tt.a, tt.age, tt.sex, table); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", tt.name, err)
		}
	}
}
