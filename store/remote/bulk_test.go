package remote

import (
	"bytes"
	"testing"

	"occhealth/app"
)

// The sealed cards' bytes leave the result and come back in the same places; a damaged or
// short bulk reply is an error, never a card with another card's document.
func TestBulk_RoundTrip(t *testing.T) {
	set := func() *cardsExportItemsResults {
		return &cardsExportItemsResults{R0: &app.CardExportSet{Items: []app.CardExportItem{
			{Card: app.Card{ExamID: 1}, Seal: &app.CardSeal{ExamID: 1, Parties: []byte(`{"e":1}`), Deflated: []byte("doc one")}},
			{Card: app.Card{ExamID: 2}},
			{Card: app.Card{ExamID: 3}, Seal: &app.CardSeal{ExamID: 3, Parties: []byte(`{"e":3}`), Deflated: []byte{}}},
		}}}
	}
	r := set()
	parts := r.takeBulk()
	if len(parts) != 4 || r.R0.Items[0].Seal.Deflated != nil || r.R0.Items[2].Seal.Parties != nil {
		t.Fatalf("parts %q, result %+v", parts, r.R0.Items[0].Seal)
	}
	wire := appendBulk([]byte("{}"), parts)
	got, err := splitBulk(wire[2:])
	if err != nil {
		t.Fatal(err)
	}
	back := set()
	back.takeBulk()
	if err := back.giveBulk(got); err != nil {
		t.Fatal(err)
	}
	want := set()
	for i, it := range back.R0.Items {
		if (it.Seal == nil) != (want.R0.Items[i].Seal == nil) {
			t.Fatalf("item %d seal %v", i, it.Seal)
		}
		if it.Seal != nil && (!bytes.Equal(it.Seal.Deflated, want.R0.Items[i].Seal.Deflated) || !bytes.Equal(it.Seal.Parties, want.R0.Items[i].Seal.Parties)) {
			t.Errorf("item %d: %q %q", i, it.Seal.Parties, it.Seal.Deflated)
		}
	}
	// Cut inside a part: the framing fails. Cut after a part: the count fails.
	if _, err := splitBulk(wire[2 : len(wire)-3]); err == nil {
		t.Error("a reply cut inside a part was read")
	}
	if cut, err := splitBulk(wire[2 : len(wire)-1]); err == nil {
		r := set()
		r.takeBulk()
		if r.giveBulk(cut) == nil {
			t.Error("a reply without its last part was accepted")
		}
	}
	short := set()
	short.takeBulk()
	if err := short.giveBulk(got[:2]); err == nil {
		t.Error("too few parts were accepted")
	}
	if err := set().giveBulk(append(got, []byte("x"))); err == nil {
		t.Error("too many parts were accepted")
	}
}
