package reports

import "occhealth/app"

// Placeholders until the result import reader and the notices land (issue 5 work in progress);
// each helper deletes its own function from this file when it adds the real one.

// ReadResults is not written yet.
func (Documents) ReadResults(name string, data []byte, m app.ResultMapping) (app.ResultImportFile, error) {
	return app.ResultImportFile{}, app.Errorf(app.EINVALID, "结果导入尚未完成")
}

// ResultHeaders is not written yet.
func (Documents) ResultHeaders(name string, data []byte) ([]string, error) {
	return nil, app.Errorf(app.EINVALID, "结果导入尚未完成")
}

// Notice is not written yet.
func (Documents) Notice(kind string, in app.NoticeInput) ([]byte, error) {
	return nil, app.Errorf(app.EINVALID, "告知书尚未完成")
}
