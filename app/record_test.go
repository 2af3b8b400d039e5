package app

import (
	"strings"
	"testing"
	"time"
)

func TestExamConclusion_Validate(t *testing.T) {
	name := func(c string) string {
		return map[string]string{"1038": "矽尘", "3008": "噪声", "1001": "煤尘"}[c]
	}
	day := time.Date(2026, 12, 30, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		c    ExamConclusion
		want []string // substrings of the error; none means valid
	}{
		{"all normal", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "3008", Code: "01"}}}, nil},
		{"hazard open", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "01"}}}, []string{"噪声：尚未给出结论"}},
		{"suspected names the disease", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "03"}, {Hazard: "3008", Code: "01"}}}, []string{"矽尘：请选择疑似的职业病名称"}},
		{"contraindication named", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "3008", Code: "04"}}}, []string{"噪声：请填写职业禁忌证名称"}},
		{"other says what", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "05"}, {Hazard: "3008", Code: "01"}}}, []string{"矽尘：请写明"}},
		{"twice", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "1038", Code: "01"}, {Hazard: "3008", Code: "01"}}}, []string{"填写了两次"}},
		{"not examined", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "3008", Code: "01"}, {Hazard: "1001", Code: "01"}}}, []string{"煤尘 不是本次体检的危害因素"}},
		{"unknown code", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "09"}, {Hazard: "3008", Code: "01"}}}, []string{"不在结论表中"}},
		{"recheck order incomplete", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "3008", Code: "02"}}, Recheck: &RecheckOrder{}}, []string{"请选择复查项目", "请填写复查日期"}},
		{"recheck order", ExamConclusion{Hazards: []HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "3008", Code: "02"}}, Recheck: &RecheckOrder{Groups: []string{"G1301"}, Date: day}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate([]string{"1038", "3008"}, name)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID {
				t.Fatalf("want EINVALID, got %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(ErrorMessage(err), w) {
					t.Errorf("%q does not say %q", ErrorMessage(err), w)
				}
			}
		})
	}
}

func TestExamState_EditableLocked(t *testing.T) {
	for s, want := range map[ExamState][2]bool{
		ExamRegistered: {true, false}, ExamInProgress: {true, false}, ExamAwaiting: {true, false}, ExamReturned: {true, false},
		ExamConcluded: {false, false}, ExamReviewed: {false, false}, ExamReleased: {false, true}, ExamVoided: {false, true},
	} {
		if s.Editable() != want[0] || s.Locked() != want[1] {
			t.Errorf("%s: editable %v locked %v, want %v", s, s.Editable(), s.Locked(), want)
		}
	}
}
