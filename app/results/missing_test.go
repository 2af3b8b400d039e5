package results_test

import (
	"slices"
	"testing"

	"occhealth/app"
	"occhealth/app/results"
)

func TestMissing(t *testing.T) {
	_, tbl, _ := mustLoad(t)
	blood := app.ExamItem{GroupCode: "G0101", Name: "血常规", Department: "检验科", Required: true}
	hearing := app.ExamItem{GroupCode: "G1301", Name: "纯音听阈测试", Department: "听力室", Required: true}
	ecg := app.ExamItem{GroupCode: "G0901", Required: true} // name and department from the table
	liver := app.ExamItem{GroupCode: "G0103", Name: "肝功能", Department: "检验科", Required: true}
	required := []app.ExamItem{blood, hearing, ecg}
	done := func(group, item, value string) results.Result {
		return results.Result{GroupCode: group, ItemCode: item, Kind: results.KindNumeric, Value: value, Status: results.StatusDone}
	}
	for _, tc := range []struct {
		name     string
		required []app.ExamItem
		results  []results.Result
		groups   results.GroupIndex
		want     []string
	}{
		{"nothing recorded", required, nil, tbl,
			[]string{"血常规（检验科）", "纯音听阈测试（听力室）", "心电图（心电图室）"}},
		{"one item settles its group", required, []results.Result{done("G0101", "4010100", "5.6")}, tbl,
			[]string{"纯音听阈测试（听力室）", "心电图（心电图室）"}},
		{"弃检 of a whole group settles it", required, []results.Result{
			done("G0101", "4010100", "5.6"),
			{GroupCode: "G1301", Status: results.StatusRefused},
			{GroupCode: "G0901", ItemCode: "3060100", Kind: results.KindText, Value: "窦性心律", Status: results.StatusDone},
		}, tbl, nil},
		{"未检 does not settle", required, []results.Result{
			{GroupCode: "G0101", Status: results.StatusMissing},
			{GroupCode: "G1301", ItemCode: "3040100", Status: results.StatusMissing},
		}, tbl, []string{"血常规（检验科）", "纯音听阈测试（听力室）", "心电图（心电图室）"}},
		{"done without a value does not settle", []app.ExamItem{blood}, []results.Result{done("G0101", "4010100", " ")}, tbl,
			[]string{"血常规（检验科）"}},
		{"an import without group settles by item code", []app.ExamItem{blood, hearing}, []results.Result{done("", "4012000", "140")}, tbl,
			[]string{"纯音听阈测试（听力室）"}},
		{"a result of another group does not settle", []app.ExamItem{liver}, []results.Result{done("G0104", "4040900", "30")}, tbl,
			[]string{"肝功能（检验科）"}},
		{"listed twice, reported once", []app.ExamItem{blood, blood}, nil, tbl, []string{"血常规（检验科）"}},
		{"no table: the code stands for the name", []app.ExamItem{ecg, blood}, nil, nil,
			[]string{"G0901", "血常规（检验科）"}},
		{"nothing required", nil, nil, tbl, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := results.Missing(tc.required, tc.results, tc.groups)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Missing = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMissingError(t *testing.T) {
	if results.MissingError(nil) != nil {
		t.Error("error without missing groups")
	}
	err := results.MissingError([]string{"血常规（检验科）", "纯音听阈测试（听力室）"})
	if app.ErrorCode(err) != app.EINVALID || app.ErrorMessage(err) != "签名前缺少：血常规（检验科）、纯音听阈测试（听力室）" {
		t.Errorf("MissingError = %v", err)
	}
}

func TestRequiredItems(t *testing.T) {
	items := []app.ExamItem{{GroupCode: "G0101", Required: true}, {GroupCode: "G0105"}, {GroupCode: "G1301", Required: true}}
	got := results.RequiredItems(items)
	if len(got) != 2 || got[0].GroupCode != "G0101" || got[1].GroupCode != "G1301" {
		t.Errorf("RequiredItems = %+v", got)
	}
}
