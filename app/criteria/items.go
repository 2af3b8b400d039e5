package criteria

import (
	"fmt"
	"strconv"
)

func (s *Set) indexItems(measureItems map[string]string, audio map[string]map[string]string) error {
	s.items = map[string]string{}
	s.audioItems = map[string]audioItem{}
	for name, code := range measureItems {
		if _, ok := measures[name]; !ok {
			return fmt.Errorf("measure_items: unknown measurement %q", name)
		}
		if prev, dup := s.items[code]; dup {
			return fmt.Errorf("measure_items: item %s used for %s and %s", code, prev, name)
		}
		s.items[code] = name
	}
	keys := map[string]audioItem{"air_left": {side: Left}, "air_right": {side: Right}, "bone_left": {side: Left, bone: true}, "bone_right": {side: Right, bone: true}}
	for key, freqs := range audio {
		base, ok := keys[key]
		if !ok {
			return fmt.Errorf("audiogram_items: unknown key %q", key)
		}
		for f, code := range freqs {
			hz, err := strconv.Atoi(f)
			if err != nil || hz <= 0 {
				return fmt.Errorf("audiogram_items: frequency %q", f)
			}
			if _, dup := s.audioItems[code]; dup || s.items[code] != "" {
				return fmt.Errorf("audiogram_items: item %s used twice", code)
			}
			it := base
			it.hz = hz
			s.audioItems[code] = it
		}
	}
	return nil
}

// MeasureItem returns the national 健康指标 code a measurement is recorded under, "" when it
// has none (scar area, horizontal visual field, months of noise work).
func (s *Set) MeasureItem(name string) string {
	for code, n := range s.items {
		if n == name {
			return code
		}
	}
	return ""
}

// FromItems sorts numeric results keyed by national 健康指标 code into what Input needs: the
// named measurements and the audiogram (nil when no hearing level is among them). Items the
// criteria do not read are ignored; NaN and ±Inf are kept, so that an evaluation reports them
// as invalid rather than missing. Units are the caller's business: hearing levels in dB HL, blood counts in
// ×10⁹/L (×10¹²/L for RBC, g/L for Hb), lead in µg/L (multiply µmol/L by LeadMicrogPerMol).
func (s *Set) FromItems(results map[string]float64) (map[string]float64, *Audiogram) {
	values := map[string]float64{}
	var a *Audiogram
	for code, v := range results {
		if name, ok := s.items[code]; ok {
			values[name] = v
			continue
		}
		it, ok := s.audioItems[code]
		if !ok {
			continue
		}
		if a == nil {
			a = &Audiogram{Left: map[int]float64{}, Right: map[int]float64{}}
		}
		m := &a.Left
		switch {
		case it.bone && it.side == Left:
			m = &a.BoneLeft
		case it.bone:
			m = &a.BoneRight
		case it.side == Right:
			m = &a.Right
		}
		if *m == nil {
			*m = map[int]float64{}
		}
		(*m)[it.hz] = v
	}
	return values, a
}

// AudiogramItem returns the national 健康指标 code a hearing level is recorded under: air
// (bone false) or bone conduction of one ear at hz; "" when the data name no such item.
func (s *Set) AudiogramItem(side Side, bone bool, hz int) string {
	for code, it := range s.audioItems {
		if it.side == side && it.bone == bone && it.hz == hz {
			return code
		}
	}
	return ""
}
