package reports

import (
	"occhealth/app"
	"occhealth/app/rules"
)

// Documents implements app.Documents with this package's readers and renderers.
type Documents struct{}

var _ app.Documents = Documents{}

// ReadRoster reads a roster file.
func (Documents) ReadRoster(name string, data []byte) (app.RosterFile, error) {
	return ReadRoster(name, data)
}

// RosterOutcome writes a preview's outcome as .xlsx.
func (Documents) RosterOutcome(p *app.RosterPreview) ([]byte, error) { return WriteRosterOutcome(p) }

// GuideSheets renders guide sheets in one PDF.
func (Documents) GuideSheets(in *app.Institution, g []app.GuideInput, progress func(done, total int)) ([]byte, error) {
	sheets := make([]GuideSheet, 0, len(g))
	for _, x := range g {
		sheets = append(sheets, NewGuideSheet(in, x.Worker, x.Employer, x.ContractNumber, x.Exam, x.HazardNames, x.Photo))
	}
	return RenderGuideSheets(sheets, progress)
}

// TubeLabels renders the specimen labels of the exams.
func (Documents) TubeLabels(g []app.GuideInput) ([]byte, error) {
	var labels []TubeLabel
	for _, x := range g {
		labels = append(labels, NewTubeLabels(x.Worker.Name, x.Exam)...)
	}
	return RenderTubeLabels(labels)
}

// ExportRules writes a rule table as .xlsx.
func (Documents) ExportRules(table []byte) ([]byte, error) {
	t, err := rules.Unmarshal(table)
	if err != nil {
		return nil, err
	}
	return XLSXRuleExchange{}.ExportRules(t)
}

// ImportRules reads an edited rule workbook.
func (Documents) ImportRules(xlsx, current []byte) ([]byte, error) {
	cur, err := rules.Unmarshal(current)
	if err != nil {
		return nil, err
	}
	t, err := XLSXRuleExchange{}.ImportRules(xlsx, cur)
	if err != nil {
		return nil, err
	}
	return rules.Marshal(t)
}
