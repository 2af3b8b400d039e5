package ui

import (
	"sync"

	"occhealth/app/criteria"
	"occhealth/app/results"
	"occhealth/assets"
)

// The criteria (GBZ 188 suggestions, audiometry) and the reference ranges ship as data in
// assets/rules; screens read them through Env.Criteria and Env.Ranges, loaded once.
var (
	recordingOnce     sync.Once
	recordingCriteria *criteria.Set
	recordingRanges   *results.Ranges
	recordingErr      error
)

func loadRecordingData() (*criteria.Set, *results.Ranges, error) {
	recordingOnce.Do(func() {
		recordingCriteria, recordingErr = criteria.Load(assets.Rules)
		if recordingErr != nil {
			return
		}
		recordingRanges, recordingErr = results.LoadRanges(assets.Rules)
	})
	return recordingCriteria, recordingRanges, recordingErr
}

// Criteria returns the GBZ 188 criteria set (nil if the bundled data cannot be read, which a
// test of package assets rules out).
func (e *Env) Criteria() *criteria.Set {
	c, _, _ := loadRecordingData()
	return c
}

// Ranges returns the reference-range table.
func (e *Env) Ranges() *results.Ranges {
	_, r, _ := loadRecordingData()
	return r
}
