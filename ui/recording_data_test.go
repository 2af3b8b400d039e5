package ui

import "testing"

func TestRecordingData_Loads(t *testing.T) {
	e := &Env{}
	if e.Criteria() == nil || e.Ranges() == nil {
		_, _, err := loadRecordingData()
		t.Fatalf("criteria or ranges not loaded: %v", err)
	}
	if _, ok := e.Criteria().Conclusions("2014"); !ok {
		t.Fatal("no 2014 conclusion list")
	}
}
