package criteria_test

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/app/criteria"
)

// audiogramFrom turns fuzz bytes into an audiogram: 10-byte records of ear (1 byte, 4 maps),
// frequency (int8 index into a list that includes odd ones, or raw int8) and a float64 bit pattern,
// so NaN, ±Inf, negative zero and huge levels all occur.
func audiogramFrom(b []byte) criteria.Audiogram {
	freqs := []int{500, 1000, 2000, 3000, 4000, 6000, 250, 8000, 0, -1000}
	a := criteria.Audiogram{Left: map[int]float64{}, Right: map[int]float64{}}
	if len(b) > 0 && b[0]%3 == 0 {
		a.BoneLeft, a.BoneRight = map[int]float64{}, map[int]float64{}
	}
	for len(b) >= 10 {
		hz := int(int8(b[1]))
		if b[1] < 200 {
			hz = freqs[int(b[1])%len(freqs)]
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(b[2:10]))
		switch b[0] % 4 {
		case 0:
			a.Left[hz] = v
		case 1:
			a.Right[hz] = v
		case 2:
			if a.BoneLeft != nil {
				a.BoneLeft[hz] = v
			}
		default:
			if a.BoneRight != nil {
				a.BoneRight[hz] = v
			}
		}
		b = b[10:]
	}
	return a
}

func record(ear, freq byte, v float64) []byte {
	b := []byte{ear, freq, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.LittleEndian.PutUint64(b[2:], math.Float64bits(v))
	return b
}

func FuzzAudiogram(f *testing.F) {
	var full []byte
	for i := byte(0); i < 6; i++ {
		full = append(full, record(0, i, 25)...)
		full = append(full, record(1, i, 45)...)
	}
	f.Add(full, 45, byte(1))
	f.Add(append(full, record(0, 3, math.NaN())...), 30, byte(2))
	f.Add(append(full, record(1, 5, math.Inf(1))...), -1, byte(0))
	f.Add([]byte{}, 0, byte(9))
	f.Add(record(0, 250, 1e308), 200, byte(1))
	set := mustLoad(f)
	w := set.Weighting()
	table := set.Correction()
	f.Fuzz(func(t *testing.T, b []byte, age int, sexByte byte) {
		a := audiogramFrom(b)
		sex := []app.Sex{app.SexMale, app.SexFemale, app.SexUnknown, app.SexUnspecified}[int(sexByte)%4]
		valid := a.Validate() == nil
		finite := func(name string, v float64, err error) {
			if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
				t.Fatalf("%s = %v without an error", name, v)
			}
		}
		for _, s := range criteria.Sides {
			v, err := a.SpeechAverage(s)
			finite("speech", v, err)
			v, err = a.HighAverage(s)
			finite("high", v, err)
			v, err = a.Weighted(s, w)
			finite("weighted", v, err)
		}
		v, err := a.BinauralHighAverage()
		finite("binaural high", v, err)
		_, v, err = a.BetterEarWeighted(w)
		finite("better ear", v, err)
		// An average that succeeded used only valid levels.
		for _, s := range criteria.Sides {
			if _, err := a.SpeechAverage(s); err == nil {
				for _, hz := range criteria.SpeechFreqs {
					if x := a.Ear(s)[hz]; math.IsNaN(x) || x < criteria.MinLevel || x > criteria.MaxLevel {
						t.Fatalf("speech average accepted %v at %d Hz", x, hz)
					}
				}
			}
		}
		c, err := criteria.Corrected(a, age, sex, table)
		if err == nil {
			if !valid {
				t.Fatal("Corrected accepted an invalid audiogram")
			}
			for _, s := range criteria.Sides {
				for hz, x := range c.Ear(s) {
					if _, ok := table.Lookup(age, sex, hz); !ok || math.IsNaN(x) {
						t.Fatalf("corrected %s %d Hz = %v", s.Name(), hz, x)
					}
				}
			}
		}
		for _, et := range []app.ExamType{app.ExamPreEmployment, app.ExamPeriodic, app.ExamLeaving} {
			for _, ed := range []string{"2014", "2025"} {
				in := criteria.Input{Hazard: "3008", ExamType: et, Edition: ed, Age: age, Sex: sex, Audiogram: &a, Baseline: &a,
					Values: map[string]float64{criteria.MeasNoiseMonths: float64(age)}}
				for _, f := range set.Evaluate(in) {
					if f.Text == "" || !strings.Contains(f.Text, f.Clause) {
						t.Fatalf("finding without text or clause: %+v", f)
					}
					if !valid && f.Outcome == criteria.NotMet && strings.Contains(f.Criterion, "-a") {
						// A NotMet on the >25 dB rule means every speech level was read and valid.
						for _, s := range criteria.Sides {
							for _, hz := range criteria.SpeechFreqs {
								if x, ok := a.Ear(s)[hz]; !ok || math.IsNaN(x) {
									t.Fatalf("%s NotMet with %s %d Hz = %v (present %v)", f.Criterion, s.Name(), hz, x, ok)
								}
							}
						}
					}
				}
			}
		}
	})
}
