package reports

import "occhealth/app"

// Placeholders until the documents of issue 6 land; each helper deletes its own function from
// this file when it adds the real one.

// ExamReports is not written yet.
func (Documents) ExamReports(in []app.ExamReportInput, progress func(done, total int)) ([]byte, error) {
	return nil, app.Errorf(app.EINVALID, "体检报告尚未完成")
}

// SummaryReport is not written yet.
func (Documents) SummaryReport(in app.SummaryInput) ([]byte, error) {
	return nil, app.Errorf(app.EINVALID, "总结报告尚未完成")
}

// Settlement is not written yet.
func (Documents) Settlement(in app.SettlementInput) ([]byte, error) {
	return nil, app.Errorf(app.EINVALID, "结算单尚未完成")
}
