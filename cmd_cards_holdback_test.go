package main

import (
	"testing"

	"occhealth/app"
	"occhealth/reports/cards"
)

// TestCardsExport_ElementTableHoldsBackNamedCards: problems the element table finds in an
// export are added to the cards they name (those are held back and the rest exported); a
// problem of no card (the employer document) holds back nothing and fails the export.
func TestCardsExport_ElementTableHoldsBackNamedCards(t *testing.T) {
	ds := []app.CardData{{Card: app.Card{ExamNumber: "26000001"}}, {Card: app.Card{ExamNumber: "26000002"}}}
	res := []cardResult{newCardResult(ds[0]), newCardResult(ds[1])}
	ps := []cards.Problem{{Card: "26000002", Element: "HEALTH_EXAM_RECORD/EXAM_DATE", Message: "应为 8 位日期 yyyyMMdd"}}
	if !allNamed(ps) {
		t.Fatal("a card's problem counted as the batch's")
	}
	addProblems(res, ds, ps)
	if res[0].Errors != 0 || res[1].Errors != 1 || res[1].Issues[0].Field != "HEALTH_EXAM_RECORD/EXAM_DATE" || res[1].Issues[0].Message != "不符合导出格式：应为 8 位日期 yyyyMMdd" {
		t.Fatalf("results %+v", res)
	}
	if allNamed(append(ps, cards.Problem{Element: "ENTERPRISE_INFO/CREDIT_CODE"})) || allNamed(nil) {
		t.Fatal("an employer's problem (or none) would hold back cards")
	}
}
