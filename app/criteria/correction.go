package criteria

import (
	"fmt"
	"math"

	"occhealth/app"
)

// Correction is the age/sex correction table of GBZ 49 (the median hearing levels of
// otologically normal people by age, as GB/T 7582 gives them): the dB to subtract from a
// measured air-conduction level. The table in pta_correction.json is unverified (Status "U").
type Correction struct {
	Frequencies []int
	Bands       []AgeBand // ascending by MinAge, the first from 0
	Status      string
	Source      string
}

// AgeBand is one row of the correction table: ages MinAge up to the next band's MinAge − 1.
type AgeBand struct {
	MinAge       int
	Label        string    // e.g. 30–39
	Male, Female []float64 // dB by Correction.Frequencies
}

// Band returns the band an age falls in. Negative ages have none.
func (c Correction) Band(age int) (AgeBand, bool) {
	if age < 0 || len(c.Bands) == 0 || age < c.Bands[0].MinAge {
		return AgeBand{}, false
	}
	b := c.Bands[0]
	for _, x := range c.Bands[1:] {
		if age < x.MinAge {
			break
		}
		b = x
	}
	return b, true
}

// Lookup returns the dB to subtract at hz for a person of age and sex. It reports false for
// a negative age, a sex other than male or female (the table has no value for them), or a
// frequency the table does not correct.
func (c Correction) Lookup(age int, sex app.Sex, hz int) (float64, bool) {
	b, ok := c.Band(age)
	if !ok {
		return 0, false
	}
	var row []float64
	switch sex {
	case app.SexMale:
		row = b.Male
	case app.SexFemale:
		row = b.Female
	default:
		return 0, false
	}
	for i, f := range c.Frequencies {
		if f == hz && i < len(row) {
			return row[i], true
		}
	}
	return 0, false
}

// Corrected returns a new audiogram with the age/sex correction subtracted from the
// air-conduction levels at the table's frequencies. Other frequencies and bone conduction are
// left out, so that a corrected audiogram never mixes corrected and raw values. Use it only
// where the standard says so (GBZ 49 diagnosis); the raw audiogram stays what the results
// screen shows. It fails (EINVALID) for a negative age, a sex that is neither male nor female,
// or an invalid level; a level may come out below 0 dB HL, as the standard does not clamp it.
func Corrected(a Audiogram, age int, sex app.Sex, table Correction) (Audiogram, error) {
	if _, ok := table.Band(age); !ok {
		return Audiogram{}, app.FieldError("年龄", "%d 岁不在修正表的年龄范围内", age)
	}
	if sex != app.SexMale && sex != app.SexFemale {
		return Audiogram{}, app.FieldError("性别", "性别未知，无法按年龄性别修正听阈")
	}
	if err := a.Validate(); err != nil {
		return Audiogram{}, err
	}
	out := Audiogram{Left: map[int]float64{}, Right: map[int]float64{}}
	for _, s := range Sides {
		for hz, v := range a.Ear(s) {
			d, ok := table.Lookup(age, sex, hz)
			if !ok {
				continue
			}
			out.Ear(s)[hz] = v - d
		}
	}
	return out, nil
}

// validate checks the table's shape: ascending bands from age 0, one value per frequency.
func (c Correction) validate() error {
	if len(c.Frequencies) == 0 || len(c.Bands) == 0 {
		return fmt.Errorf("correction table: no frequencies or bands")
	}
	if c.Bands[0].MinAge != 0 {
		return fmt.Errorf("correction table: first band starts at %d, want 0", c.Bands[0].MinAge)
	}
	for i, b := range c.Bands {
		if i > 0 && b.MinAge <= c.Bands[i-1].MinAge {
			return fmt.Errorf("correction table: band %q not after %q", b.Label, c.Bands[i-1].Label)
		}
		if len(b.Male) != len(c.Frequencies) || len(b.Female) != len(c.Frequencies) {
			return fmt.Errorf("correction table: band %q has %d/%d values for %d frequencies",
				b.Label, len(b.Male), len(b.Female), len(c.Frequencies))
		}
		for _, v := range append(append([]float64{}, b.Male...), b.Female...) {
			if math.IsNaN(v) || v < 0 || v > 100 {
				return fmt.Errorf("correction table: band %q: value %v out of range", b.Label, v)
			}
		}
	}
	return nil
}
