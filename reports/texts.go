package reports

import (
	"sync"

	"occhealth/app"
	"occhealth/assets"
)

var (
	textDefaultsOnce sync.Once
	textDefaults     *app.DocumentTextDefaults
	textDefaultsErr  error
)

// TextDefaults returns the bundled text blocks and advice phrases (assets/reports/texts.json),
// parsed once. Callers must not modify the result.
func TextDefaults() (*app.DocumentTextDefaults, error) {
	textDefaultsOnce.Do(func() { textDefaults, textDefaultsErr = app.ParseDocumentTextDefaults(assets.DocumentTexts) })
	return textDefaults, textDefaultsErr
}

// Texts returns the document texts in force: the administrator's stored texts
// (DocumentSettingsService.DocumentTexts; nil when none) merged over the bundled defaults key by
// key (app.DocumentTextDefaults.Merge). The renderers call it on their input's Texts, so that a
// nil Texts prints the defaults. The bundled file is tested, so a parse failure cannot happen in
// a built program; should it, the stored texts are used alone.
func Texts(stored *app.DocumentTexts) *app.DocumentTexts {
	d, err := TextDefaults()
	if err != nil {
		d = &app.DocumentTextDefaults{}
	}
	return d.Merge(stored)
}
