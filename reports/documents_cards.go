package reports

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
	"occhealth/reports/cards"
)

var (
	cardCodesOnce sync.Once
	cardCodes     app.CodeLookup
)

// bundledCodes is the bundled catalog set, for the area names and item tree the card formats
// write (an administrator's catalog edits do not reach the export; the pre-flight check uses
// the set in force).
func bundledCodes() app.CodeLookup {
	cardCodesOnce.Do(func() {
		if s, err := catalog.Load(assets.Catalogs); err == nil {
			cardCodes = s
		}
	})
	return cardCodes
}

// ExportCards renders a batch of case cards through the format's adapter (reports/cards),
// validated against its element table first: the package (a zip, or one XML) and its
// manifest.
func (Documents) ExportCards(format, batch string, cs []app.CardData) ([]app.CardExportFile, error) {
	files, _, err := cards.Export(format, batch, cs, cards.Options{Codes: bundledCodes()})
	return files, err
}

// ExportCardBatch exports the cards of a range into a folder and records the export
// (cards.ExportBatch).
func (Documents) ExportCardBatch(ctx context.Context, cs app.CardService, req app.CardBatchRequest) (*app.CardBatchResult, error) {
	return cards.ExportBatch(ctx, cs, req, cards.Options{Codes: bundledCodes()})
}

// CardSealer is the sealer of the national format with the catalogs the export writes from,
// for the store's sealed cards (bolt.Options.CardSealer).
func CardSealer() *cards.Sealer {
	s, err := cards.NewSealer(app.CardFormatNational, bundledCodes())
	if err != nil {
		panic(err) // the national adapter is registered in this program
	}
	return s
}

// ReadCardFeedback reads a platform's feedback: a table (.xlsx or .csv) with an exam number
// or DocumentId, a status and a reason per line, or the platform's XML with the audit block
// filled in (docs/card-formats.md). The format is not needed to read either; it is kept for
// a platform whose feedback needs its own reader.
func (Documents) ReadCardFeedback(format, name string, data []byte) ([]app.CardFeedback, error) {
	if format != "" {
		if _, ok := cards.Lookup(format); !ok {
			return nil, app.Errorf(app.EINVALID, "未知的导出格式“%s”", format)
		}
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if strings.EqualFold(filepath.Ext(name), ".xml") || bytes.HasPrefix(trimmed, []byte("<")) {
		return cards.ReadFeedbackXML(data)
	}
	var out []app.CardFeedback
	var firstErr error
	err := eachResultGrid(name, data, func(g rosterGrid) bool {
		fb, err := cards.ParseFeedback(g.rows, g.lineNos)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return false
		}
		out = fb
		return true
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		if firstErr == nil {
			firstErr = app.Errorf(app.EINVALID, "“%s”中没有反馈数据", filepath.Base(name))
		}
		return nil, firstErr
	}
	return out, nil
}
