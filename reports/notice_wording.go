package reports

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"occhealth/app"
)

// NoticeWording is the legal text of the notices: what the law requires next, for each kind
// and addressee, with the articles cited. It is data (notice_wording.json) because the
// article numbers are only partly verified (Status, Source): an administrator corrects a copy
// of the file and prints with it (`report notice --wording`), without a new program.
type NoticeWording struct {
	// Status is V, P or U as in domain/REFERENCE.md; Source says where the text was checked.
	Status string `json:"status"`
	Source string `json:"source"`
	// Texts by kind (app.NoticeSuspected, app.NoticeContraindication) and addressee
	// (劳动者, 用人单位).
	Texts map[string]map[string]NoticeText `json:"texts"`
	// RecheckBring is what a worker brings to a recheck (复查通知书); RecheckPrep the
	// preparations an item group needs, matched by keywords in its name, department or tube.
	RecheckBring []string      `json:"recheck_bring,omitempty"`
	RecheckPrep  []RecheckPrep `json:"recheck_prep,omitempty"`
}

// RecheckPrep is one preparation of a recheck (fasting, quiet before audiometry …): it
// applies to an item group whose name, department or tube contains one of the keywords.
type RecheckPrep struct {
	Keywords []string `json:"keywords"`
	Text     string   `json:"text"`
}

// NoticeText is what one notice says to one addressee: the opening paragraph (before the
// findings), the numbered duties and rights (after them), and the receipt sentence.
type NoticeText struct {
	Intro   string   `json:"intro"`
	Items   []string `json:"items"`
	Receipt string   `json:"receipt"`
}

//go:embed notice_wording.json
var noticeWordingJSON []byte

// DefaultNoticeWording returns the bundled wording.
func DefaultNoticeWording() NoticeWording {
	w, err := ParseNoticeWording(noticeWordingJSON)
	if err != nil {
		panic("reports: bundled notice_wording.json: " + err.Error())
	}
	return w
}

// ParseNoticeWording reads a wording file and checks that every kind and addressee has an
// opening and at least one item. EINVALID names what is wrong.
func ParseNoticeWording(b []byte) (NoticeWording, error) {
	var w NoticeWording
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return NoticeWording{}, app.Errorf(app.EINVALID, "告知书文字文件无法读取：%v", err)
	}
	// A corrected copy written before the 复查通知书 existed keeps working: the recheck texts
	// it lacks are the bundled ones.
	if _, ok := w.Texts[app.NoticeRecheck]; !ok && w.Texts != nil && !bytes.Equal(b, noticeWordingJSON) {
		def := DefaultNoticeWording()
		w.Texts[app.NoticeRecheck] = def.Texts[app.NoticeRecheck]
		if w.RecheckBring == nil {
			w.RecheckBring = def.RecheckBring
		}
		if w.RecheckPrep == nil {
			w.RecheckPrep = def.RecheckPrep
		}
	}
	for _, kind := range []string{app.NoticeSuspected, app.NoticeContraindication, app.NoticeRecheck} {
		for _, to := range NoticeAddressees {
			t, ok := w.Texts[kind][to]
			switch {
			case !ok:
				return NoticeWording{}, app.Errorf(app.EINVALID, "告知书文字文件缺少“%s”致%s的文字", noticeTitles[kind], to)
			case t.Intro == "" || (len(t.Items) == 0 && kind != app.NoticeRecheck):
				return NoticeWording{}, app.Errorf(app.EINVALID, "告知书文字文件中“%s”致%s的 intro 和 items 不能为空", noticeTitles[kind], to)
			}
		}
	}
	return w, nil
}

func (w NoticeWording) text(kind, to string) (NoticeText, error) {
	t, ok := w.Texts[kind][to]
	if !ok {
		return NoticeText{}, fmt.Errorf("notice wording: no %s/%s", kind, to)
	}
	return t, nil
}
