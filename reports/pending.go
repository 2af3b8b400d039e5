package reports

import "occhealth/app"

// Placeholders until the result import reader and the notices land (issue 5 work in progress);
// each helper deletes its own function from this file when it adds the real one.

// Notice is not written yet.
func (Documents) Notice(kind string, in app.NoticeInput) ([]byte, error) {
	return nil, app.Errorf(app.EINVALID, "告知书尚未完成")
}
