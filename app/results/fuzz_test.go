package results_test

import (
	"math"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/app/results"
)

// FuzzResult_SetValue: never panics; a refusal is EINVALID and leaves the result alone; an
// accepted number is finite, its Value is canonical (setting it again gives the same Value
// and Number) and holds only a qualifier, a sign, digits and one point; Evaluate and Critical
// never panic on it.
func FuzzResult_SetValue(f *testing.F) {
	for _, s := range []string{"4.5", "４．５", "4。5", "<0.1", "＜０.１", "≥40", "-0", ".5", "5.", "4,5", "1-2", "阴性", "++", "", "1e309", strings.Repeat("9", 400)} {
		f.Add(s)
	}
	rng := results.Range{Kind: results.KindNumeric, Low: f64(3.5), High: f64(9.5), CriticalLow: f64(1.5), CriticalHigh: f64(30)}
	f.Fuzz(func(t *testing.T, s string) {
		r := results.Result{Kind: results.KindNumeric, Value: "old", Status: results.StatusMissing}
		if err := r.SetValue(s); err != nil {
			if app.ErrorCode(err) != app.EINVALID || r.Value != "old" {
				t.Fatalf("%q: %v, result %+v", s, err, r)
			}
			return
		}
		if math.IsNaN(r.Number) || math.IsInf(r.Number, 0) {
			t.Fatalf("%q gave %v", s, r.Number)
		}
		body := strings.TrimLeft(r.Value, "<>≤≥")
		if strings.Trim(body, "-0123456789.") != "" || strings.Count(body, ".") > 1 || strings.LastIndex(body, "-") > 0 {
			t.Fatalf("%q gave Value %q", s, r.Value)
		}
		again := results.Result{Kind: results.KindNumeric}
		if err := again.SetValue(r.Value); err != nil || again.Value != r.Value || again.Number != r.Number {
			t.Fatalf("%q: Value %q does not set again (%q, %v)", s, r.Value, again.Value, err)
		}
		_ = results.Evaluate(&r, rng, app.SexMale)
		_ = results.Critical(&r, rng)

		txt := results.Result{Kind: results.KindText}
		if err := txt.SetValue(s); err == nil && results.NormalizeText(txt.Value) != txt.Value {
			t.Fatalf("%q: text %q not idempotent", s, txt.Value)
		}
	})
}

func f64(v float64) *float64 { return &v }
