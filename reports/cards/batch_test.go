package cards_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/reports/cards"
)

// fakeCards is a card service of three cards, none sealed, whose recording can fail.
type fakeCards struct {
	app.CardService
	ds       []app.CardData
	recorded []app.Card
	// failBefore fails the recording before the files are in place; failAfter after (the
	// commit).
	failBefore, failAfter bool
	gated                 bool
}

func (f *fakeCards) ExportItems(ctx context.Context, format string, from, to time.Time) (*app.CardExportSet, error) {
	set := &app.CardExportSet{Institution: f.ds[0].Institution, Settings: f.ds[0].Settings}
	for _, d := range f.ds {
		set.Pending = append(set.Pending, d.Exam.ID)
	}
	return set, nil
}

func (f *fakeCards) CardData(ctx context.Context, from, to time.Time, ids []int64) ([]app.CardData, error) {
	var out []app.CardData
	for _, d := range f.ds {
		for _, id := range ids {
			if d.Exam.ID == id {
				d.Card.ContentHash = strings.Repeat("ab", 32)
				out = append(out, d)
			}
		}
	}
	return out, nil
}

func (f *fakeCards) RecordExported(ctx context.Context, batch, format string, cs []app.Card) error {
	if f.failBefore || f.failAfter {
		return app.Errorf(app.EINTERNAL, "磁盘已满")
	}
	f.recorded = cs
	return nil
}

// gatedCards also records while the files are written (as the store in this process does).
type gatedCards struct{ *fakeCards }

func (g gatedCards) RecordExportedAfter(ctx context.Context, batch, format string, cs []app.Card, ready func() error) error {
	g.gated = true
	if g.failBefore {
		return app.Errorf(app.EINVALID, "个案卡文档标识与档案不符")
	}
	if err := ready(); err != nil {
		return err
	}
	if g.failAfter {
		return app.Errorf(app.EINTERNAL, "磁盘已满")
	}
	g.recorded = cs
	return nil
}

// An export writes the package and manifest and records every card; when the recording fails
// (before or after the files are in place, with the store recording while they are written
// or after) no file is left in the folder.
func TestExportBatch_WritesAllOrNothing(t *testing.T) {
	for _, c := range []struct {
		name                  string
		gated                 bool
		failBefore, failAfter bool
	}{
		{"recorded after the files", false, false, false},
		{"recorded while the files are written", true, false, false},
		{"recording refused", false, true, false},
		{"recording refused while the files are written", true, true, false},
		{"commit fails after the files are in place", true, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeCards{ds: batch3(), failBefore: c.failBefore, failAfter: c.failAfter}
			var cs app.CardService = f
			if c.gated {
				cs = gatedCards{f}
			}
			dir := t.TempDir()
			res, err := cards.ExportBatch(context.Background(), cs, app.CardBatchRequest{Format: app.CardFormatNational, Batch: "B20261020-001", Dir: dir},
				cards.Options{Codes: codes(t)})
			entries, _ := os.ReadDir(dir)
			if f.gated != c.gated {
				t.Fatalf("recorded while writing: %v", f.gated)
			}
			if c.failBefore || c.failAfter {
				if err == nil || len(entries) != 0 || f.recorded != nil {
					t.Fatalf("error %v, files %v, recorded %d", err, entries, len(f.recorded))
				}
				return
			}
			if err != nil {
				t.Fatal(app.ErrorMessage(err))
			}
			if res.Exported != 3 || len(res.Files) != 2 || len(entries) != 2 || len(f.recorded) != 3 || res.Manifest == nil {
				t.Fatalf("result %+v, files %v, recorded %d", res, entries, len(f.recorded))
			}
			// The same files as cards.Export writes.
			want, _, err := cards.Export(app.CardFormatNational, "B20261020-001", batch3(), cards.Options{Codes: codes(t)})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range want {
				got, err := os.ReadFile(dir + "/" + w.Name)
				if err != nil || string(got) != string(w.Data) {
					t.Errorf("%s differs from cards.Export's (%v)", w.Name, err)
				}
			}
		})
	}
}
