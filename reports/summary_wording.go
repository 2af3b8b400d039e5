package reports

import (
	_ "embed"
	"encoding/json"
)

// SummaryWording is the default advice of the summary report, per conclusion code and
// always, with its verification status (summary_wording.json; the institution overrides it
// with the "summary.advice" text block).
type SummaryWording struct {
	Status string `json:"status"`
	Source string `json:"source"`
	Advice struct {
		ByCode map[string]string `json:"-"`
		Always []string          `json:"always"`
	} `json:"advice"`
}

//go:embed summary_wording.json
var summaryWordingJSON []byte

// DefaultSummaryWording returns the bundled advice.
func DefaultSummaryWording() SummaryWording {
	var w SummaryWording
	var raw struct {
		Advice map[string]json.RawMessage `json:"advice"`
	}
	if err := json.Unmarshal(summaryWordingJSON, &w); err != nil {
		panic("reports: summary_wording.json: " + err.Error())
	}
	if err := json.Unmarshal(summaryWordingJSON, &raw); err != nil {
		panic("reports: summary_wording.json: " + err.Error())
	}
	w.Advice.ByCode = map[string]string{}
	for k, v := range raw.Advice {
		if k == "always" {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			panic("reports: summary_wording.json advice " + k + ": " + err.Error())
		}
		w.Advice.ByCode[k] = s
	}
	return w
}
