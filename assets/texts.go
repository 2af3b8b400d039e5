package assets

import _ "embed"

// DocumentTexts is reports/texts.json: the default text blocks of the printed documents (header,
// footer, fixed wording per document) with the titles the settings screen shows, and the default
// advice phrases per conclusion and hazard. Pass it to app.ParseDocumentTextDefaults; what the
// administrator saves in 文书设置 replaces a default key by key (reports.Texts).
//
//go:embed reports/texts.json
var DocumentTexts []byte
