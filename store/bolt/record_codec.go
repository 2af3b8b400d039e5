package bolt

import (
	"time"

	"occhealth/app"
)

// The stored form of an exam record. Results are most of a record (an exam has 30 to 100 of
// them), so they are written compactly: short keys, empty fields left out, and of the reference
// range only what judging and printing need (not the table's source notes, which stay in the
// range table). Everything else of app.ExamRecord is written as the codec writes any record.

// recordDisk wraps an app.ExamRecord for encoding: its Results field shadows the embedded one.
type recordDisk struct {
	*app.ExamRecord
	Results []resultDisk `json:"Results,omitempty"`
}

type resultDisk struct {
	Item   string           `json:"i,omitempty"`
	Group  string           `json:"g,omitempty"`
	Kind   app.ResultKind   `json:"k,omitempty"`
	Value  string           `json:"v,omitempty"`
	Number float64          `json:"n,omitempty"`
	Unit   string           `json:"u,omitempty"`
	Status app.ResultStatus `json:"s,omitempty"`
	Flag   app.ResultFlag   `json:"f,omitempty"`
	Range  *rangeDisk       `json:"r,omitempty"`
	Doctor string           `json:"d,omitempty"`
	Time   int64            `json:"t,omitempty"` // Unix nanoseconds
}

type rangeDisk struct {
	Kind           app.ResultKind `json:"k,omitempty"`
	Unit           string         `json:"u,omitempty"`
	Low            *float64       `json:"lo,omitempty"`
	High           *float64       `json:"hi,omitempty"`
	Sex            app.Sex        `json:"x,omitempty"`
	Text           string         `json:"t,omitempty"`
	Normal         []string       `json:"nv,omitempty"`
	NotDone        []string       `json:"nd,omitempty"`
	CriticalLow    *float64       `json:"cl,omitempty"`
	CriticalHigh   *float64       `json:"ch,omitempty"`
	Status         string         `json:"s,omitempty"`
	CriticalStatus string         `json:"cs,omitempty"`
}

// toDisk returns the stored form of r (r itself is not changed).
func toDisk(r *app.ExamRecord) recordDisk {
	rc := *r
	rc.Results = nil
	d := recordDisk{ExamRecord: &rc}
	if len(r.Results) > 0 {
		d.Results = make([]resultDisk, len(r.Results))
	}
	for i, x := range r.Results {
		o := resultDisk{Item: x.ItemCode, Group: x.GroupCode, Kind: x.Kind, Value: x.Value, Number: x.Number, Unit: x.Unit,
			Status: x.Status, Flag: x.Flag, Doctor: x.Doctor}
		if !x.Time.IsZero() {
			o.Time = x.Time.UnixNano()
		}
		g := x.Range
		if g.Kind != "" || g.Low != nil || g.High != nil || g.Text != "" || len(g.Normal) > 0 || g.CriticalLow != nil || g.CriticalHigh != nil {
			o.Range = &rangeDisk{Kind: g.Kind, Unit: g.Unit, Low: g.Low, High: g.High, Sex: g.Sex, Text: g.Text, Normal: g.Normal,
				NotDone: g.NotDone, CriticalLow: g.CriticalLow, CriticalHigh: g.CriticalHigh, Status: g.Status, CriticalStatus: g.CriticalStatus}
		}
		d.Results[i] = o
	}
	return d
}

// fromDisk fills the results of d.ExamRecord from the stored form.
func fromDisk(d *recordDisk) *app.ExamRecord {
	r := d.ExamRecord
	r.Results = nil
	if len(d.Results) > 0 {
		r.Results = make([]app.Result, len(d.Results))
	}
	for i, o := range d.Results {
		x := app.Result{ItemCode: o.Item, GroupCode: o.Group, Kind: o.Kind, Value: o.Value, Number: o.Number, Unit: o.Unit,
			Status: o.Status, Flag: o.Flag, Doctor: o.Doctor}
		if o.Time != 0 {
			x.Time = time.Unix(0, o.Time)
		}
		if g := o.Range; g != nil {
			x.Range = app.RefRange{ItemCode: o.Item, Kind: g.Kind, Unit: g.Unit, Low: g.Low, High: g.High, Sex: g.Sex, Text: g.Text,
				Normal: g.Normal, NotDone: g.NotDone, CriticalLow: g.CriticalLow, CriticalHigh: g.CriticalHigh, Status: g.Status,
				CriticalStatus: g.CriticalStatus}
		}
		r.Results[i] = x
	}
	return r
}
