package criteria

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"occhealth/app"
)

// Side is one ear.
type Side int

// The ears, in the order reports list them.
const (
	Left Side = iota
	Right
)

// Sides lists both ears, left first.
var Sides = []Side{Left, Right}

// Name returns 左耳 or 右耳.
func (s Side) Name() string {
	if s == Left {
		return "左耳"
	}
	return "右耳"
}

// Frequencies (Hz) of the GBZ 188 / GBZ 49 rules.
var (
	SpeechFreqs   = []int{500, 1000, 2000}                   // 语频
	HighFreqs     = []int{3000, 4000, 6000}                  // 高频
	StandardFreqs = []int{500, 1000, 2000, 3000, 4000, 6000} // both
)

// Plausible hearing levels: audiometers go from −10 to 120 dB HL; a little slack either side
// keeps typing errors (NaN, 1000 for 100) out without rejecting real extremes.
const (
	MinLevel = -20.0
	MaxLevel = 140.0
)

// Audiogram is a pure-tone audiogram: hearing levels in dB HL by frequency in Hz. Left and
// Right are air conduction; BoneLeft and BoneRight (bone conduction) are optional and only
// help the doctor tell a conductive loss. A frequency that was not tested is absent (never
// stored as 0).
type Audiogram struct {
	Left, Right         map[int]float64
	BoneLeft, BoneRight map[int]float64
}

// Ear returns the air-conduction thresholds of one ear.
func (a Audiogram) Ear(s Side) map[int]float64 {
	if s == Left {
		return a.Left
	}
	return a.Right
}

// MissingError lists the measurements an evaluation needed but did not get, in Chinese
// (e.g. "左耳 4000 Hz").
type MissingError struct {
	Names []string
}

func (e *MissingError) Error() string { return "缺少 " + strings.Join(e.Names, "、") }

// Threshold returns the air-conduction level of one ear at hz. It returns a *MissingError
// when the frequency was not tested, and an EINVALID *app.Error for NaN, ±Inf or a level
// outside [MinLevel, MaxLevel].
func (a Audiogram) Threshold(s Side, hz int) (float64, error) {
	v, ok := a.Ear(s)[hz]
	if !ok {
		return 0, &MissingError{Names: []string{fmt.Sprintf("%s %d Hz", s.Name(), hz)}}
	}
	if err := checkLevel(s.Name(), hz, v); err != nil {
		return 0, err
	}
	return v, nil
}

func checkLevel(ear string, hz int, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < MinLevel || v > MaxLevel {
		return app.FieldError(fmt.Sprintf("%s %d Hz", ear, hz), "听阈 %v dBHL 无效（应在 %g～%g 之间）", v, MinLevel, MaxLevel)
	}
	return nil
}

// Validate reports the first invalid level (NaN, ±Inf, out of range) or frequency (≤0) in
// any of the four maps, as an EINVALID *app.Error. Missing frequencies are not an error here.
func (a Audiogram) Validate() error {
	ears := []struct {
		name string
		m    map[int]float64
	}{{"左耳", a.Left}, {"右耳", a.Right}, {"左耳骨导", a.BoneLeft}, {"右耳骨导", a.BoneRight}}
	for _, m := range ears {
		for _, hz := range sortedKeys(m.m) {
			if hz <= 0 {
				return app.FieldError(m.name, "频率 %d Hz 无效", hz)
			}
			if err := checkLevel(m.name, hz, m.m[hz]); err != nil {
				return err
			}
		}
	}
	return nil
}

// mean averages the levels of the given ears at freqs; it gathers every missing frequency
// into one *MissingError so that the message lists them all.
func (a Audiogram) mean(sides []Side, freqs []int) (float64, error) {
	var sum float64
	var missing []string
	for _, s := range sides {
		for _, hz := range freqs {
			v, err := a.Threshold(s, hz)
			if m, ok := err.(*MissingError); ok {
				missing = append(missing, m.Names...)
				continue
			} else if err != nil {
				return 0, err
			}
			sum += v
		}
	}
	if len(missing) > 0 {
		return 0, &MissingError{Names: missing}
	}
	return sum / float64(len(sides)*len(freqs)), nil
}

// SpeechAverage returns the ear's speech-frequency average (语频平均听阈), the mean of 500,
// 1000 and 2000 Hz.
func (a Audiogram) SpeechAverage(s Side) (float64, error) { return a.mean([]Side{s}, SpeechFreqs) }

// HighAverage returns the ear's high-frequency average (高频平均听阈), the mean of 3000, 4000
// and 6000 Hz.
func (a Audiogram) HighAverage(s Side) (float64, error) { return a.mean([]Side{s}, HighFreqs) }

// BinauralHighAverage returns 双耳高频平均听阈: the mean of 3000, 4000 and 6000 Hz over both
// ears (six values), as GBZ 188 and GBZ 49 use it.
func (a Audiogram) BinauralHighAverage() (float64, error) { return a.mean(Sides, HighFreqs) }

// BinauralSpeechAverage returns the mean of 500, 1000 and 2000 Hz over both ears (six values).
func (a Audiogram) BinauralSpeechAverage() (float64, error) { return a.mean(Sides, SpeechFreqs) }

// Weighting is the GBZ 49 weighted value of speech frequencies and 4000 Hz:
// (HL500+HL1000+HL2000)/3 × Speech + HL4000 × High. REFERENCE.md §1.6 gives 0.9 and 0.1 and
// marks the formula unverified; Status carries that mark to the screen.
type Weighting struct {
	Speech, High float64
	Status       string
	Source       string
}

// Weighted returns the ear's GBZ 49 weighted value (听阈加权值) under w.
func (a Audiogram) Weighted(s Side, w Weighting) (float64, error) {
	sp, err := a.SpeechAverage(s)
	hf, err4 := a.Threshold(s, 4000)
	if err != nil || err4 != nil {
		return 0, joinMissing(err, err4)
	}
	return sp*w.Speech + hf*w.High, nil
}

// BetterEarWeighted returns the better ear (较好耳) and its weighted value: the ear with the
// smaller weighted value (our reading of GBZ 49; a tie gives the left ear).
func (a Audiogram) BetterEarWeighted(w Weighting) (Side, float64, error) {
	l, errL := a.Weighted(Left, w)
	r, errR := a.Weighted(Right, w)
	if errL != nil || errR != nil {
		return Left, 0, joinMissing(errL, errR)
	}
	if r < l {
		return Right, r, nil
	}
	return Left, l, nil
}

// joinMissing merges *MissingErrors; any other error wins as it is.
func joinMissing(errs ...error) error {
	var names []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		m, ok := err.(*MissingError)
		if !ok {
			return err
		}
		for _, n := range m.Names {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	return &MissingError{Names: names}
}

func sortedKeys(m map[int]float64) []int {
	return slices.Sorted(maps.Keys(m))
}
