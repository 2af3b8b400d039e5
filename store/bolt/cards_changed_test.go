package bolt_test

import (
	"testing"

	"occhealth/app"
)

// TestCards_ChangedSinceExport: a card exported and changed since says so (Changed) in its
// data and in the worklist row, and goes out again as Update — also when its last export was
// already an Update (a second correction) —, or as Delete once its exam is voided; the export
// clears it. The content hash RecordExport keeps is the one CardData compares against, whether
// the cards come from the last read (digest remembered) or an earlier one (hashed again).
func TestCards_ChangedSinceExport(t *testing.T) {
	c := newCardFixture(t)
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	e := c.release(t, c.conclude(t, c.exam, normalConclusion()))
	changed := func(step string, wantOp string, want bool) {
		t.Helper()
		d := c.data(t)[0]
		if d.Card.Changed != want || d.Card.Operate != wantOp {
			t.Fatalf("%s: card data Changed %v Operate %s, want %v %s", step, d.Card.Changed, d.Card.Operate, want, wantOp)
		}
		if r := c.rows(t, app.CardFilter{})[0]; r.Card.Changed != want {
			t.Fatalf("%s: worklist row Changed %v, want %v", step, r.Card.Changed, want)
		}
	}
	changed("never exported", app.CardAdd, false)
	first := c.data(t)
	c.data(t) // a later read: RecordExport hashes the earlier cards again
	if err := c.cards.RecordExport(c.reporter, "B1", app.CardFormatNational, first); err != nil {
		t.Fatal(err)
	}
	changed("exported", app.CardAdd, false)

	s := goodSettings()
	s.WriterPhone = "0771-5559999"
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	changed("writer's phone changed", app.CardUpdate, true)
	if err := c.cards.RecordExport(c.reporter, "B2", app.CardFormatNational, c.data(t)); err != nil {
		t.Fatal(err)
	}
	changed("sent as Update", app.CardUpdate, false)

	s.WriterPhone = "0771-5558888"
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	changed("changed again after the Update", app.CardUpdate, true)

	cur := c.reload(t, e.ID)
	if _, err := c.td.svc.Exams.VoidExam(c.td.admin, cur.ID, cur.Version, "重复登记"); err != nil {
		t.Fatal(err)
	}
	changed("voided", app.CardDelete, true)
	if err := c.cards.RecordExport(c.reporter, "B3", app.CardFormatNational, c.data(t)); err != nil {
		t.Fatal(err)
	}
	changed("sent as Delete", app.CardDelete, false)
	verifyAudit(t, c.td)
}

// TestCards_RecordExportRefusesACardTwice: a batch naming one card twice is refused whole
// (the states are prepared on every core from what is stored, so a second copy would record
// one export and audit two).
func TestCards_RecordExportRefusesACardTwice(t *testing.T) {
	c := newCardFixture(t)
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	c.release(t, c.conclude(t, c.exam, normalConclusion()))
	d := c.data(t)
	err := c.cards.RecordExport(c.reporter, "B1", app.CardFormatNational, []app.CardData{d[0], d[0]})
	wantCode(t, err, app.EINVALID, "出现两次")
	if r := c.rows(t, app.CardFilter{})[0]; r.Card.Status != app.CardPending || len(r.Card.History) != 0 {
		t.Fatalf("a refused batch changed the card: %+v", r.Card)
	}
	if err := c.cards.RecordExport(c.reporter, "B1", app.CardFormatNational, d); err != nil {
		t.Fatal(err)
	}
	verifyAudit(t, c.td)
}
