package cards

import (
	"testing"

	"occhealth/app"
)

// TestHoldBack_ElementTableHoldsBackNamedCards: problems the element table finds in an export
// hold back the cards they name (the rest are exported); a problem of no card (the employer
// document) holds back nothing and fails the export.
func TestHoldBack_ElementTableHoldsBackNamedCards(t *testing.T) {
	ds := []app.CardData{{Card: app.Card{ExamNumber: "26000001"}}, {Card: app.Card{ExamNumber: "26000002"}}}
	ps := []Problem{{Card: "26000002", Element: "HEALTH_EXAM_RECORD/EXAM_DATE", Message: "应为 8 位日期 yyyyMMdd"}}
	if !allCards(ps) {
		t.Fatal("a card's problem counted as the batch's")
	}
	res := &app.CardBatchResult{}
	keep := holdBack(res, ds, ps)
	if len(keep) != 1 || keep[0].Card.ExamNumber != "26000001" {
		t.Fatalf("kept %+v", keep)
	}
	if len(res.Blocked) != 1 || res.Blocked[0].Card.ExamNumber != "26000002" || len(res.Blocked[0].Issues) != 1 ||
		res.Blocked[0].Issues[0].Field != "HEALTH_EXAM_RECORD/EXAM_DATE" || res.Blocked[0].Issues[0].Message != "不符合导出格式：应为 8 位日期 yyyyMMdd" ||
		res.Blocked[0].Issues[0].Level != app.LevelError {
		t.Fatalf("blocked %+v", res.Blocked)
	}
	if allCards(append(ps, Problem{Element: "ENTERPRISE_INFO/CREDIT_CODE"})) || allCards(nil) {
		t.Fatal("an employer's problem (or none) would hold back cards")
	}
}
