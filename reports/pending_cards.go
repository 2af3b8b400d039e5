package reports

import "occhealth/app"

// Placeholders until the case-card adapters land (issue 7); the helper deletes this file.

// ExportCards is not written yet.
func (Documents) ExportCards(format, batch string, cards []app.CardData) ([]app.CardExportFile, error) {
	return nil, app.Errorf(app.EINVALID, "个案卡导出尚未完成")
}

// ReadCardFeedback is not written yet.
func (Documents) ReadCardFeedback(format, name string, data []byte) ([]app.CardFeedback, error) {
	return nil, app.Errorf(app.EINVALID, "平台反馈导入尚未完成")
}
