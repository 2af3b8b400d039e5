package app_test

import (
	"strings"
	"testing"
	"time"

	"occhealth/app"
)

var today = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// makeID returns a valid 18-digit number for the first 17 digits.
func makeID(body string) string { return body + string(app.IDCheckChar(body)) }

func TestParseIDNumber(t *testing.T) {
	tests := []struct {
		name    string
		doc     app.DocType
		in      string
		want    string
		sex     app.Sex
		birth   string
		area    string
		errWant string // substring of the error; "" for success
	}{
		{"valid male", app.DocResidentID, makeID("45010219800101001"), makeID("45010219800101001"), app.SexMale, "1980-01-01", "450102", ""},
		{"valid female", app.DocResidentID, makeID("11010519491231002"), makeID("11010519491231002"), app.SexFemale, "1949-12-31", "110105", ""},
		{"published example with X", app.DocResidentID, "11010519491231002x", "11010519491231002X", app.SexFemale, "1949-12-31", "110105", ""},
		{"full-width digits and spaces", app.DocResidentID, " １１０１０５１９４９１２３１００２Ｘ ", "11010519491231002X", app.SexFemale, "1949-12-31", "110105", ""},
		{"15-digit legacy", app.DocResidentID, "450102800101001", makeID("45010219800101001"), app.SexMale, "1980-01-01", "450102", ""},
		{"bad check", app.DocResidentID, "110105194912310021", "", "", "", "", "校验位错误"},
		{"feb 30", app.DocResidentID, makeID("11010519800230001"), "", "", "", "", "不是有效日期"},
		{"future birth", app.DocResidentID, makeID("11010520300101001"), "", "", "", "", "晚于今天"},
		{"before 1900", app.DocResidentID, makeID("11010518800101001"), "", "", "", "", "早于 1900"},
		{"too short", app.DocResidentID, "1101051949", "", "", "", "", "应为 18 位"},
		{"letters", app.DocResidentID, "11010519491231A02X", "", "", "", "", "前 17 位应为数字"},
		{"HK permit as resident id", app.DocResidentID, makeID("81000019900101001"), "", "", "", "", "港澳台居民居住证"},
		{"HK residence permit", app.DocHMTResidence, makeID("81000019900101001"), makeID("81000019900101001"), app.SexMale, "1990-01-01", "", ""},
		{"TW residence permit", app.DocHMTResidence, makeID("83000019900101002"), makeID("83000019900101002"), app.SexFemale, "1990-01-01", "", ""},
		{"residence permit wrong prefix", app.DocHMTResidence, makeID("45010219800101001"), "", "", "", "", "810000"},
		{"foreigner permanent", app.DocForeignPermanent, makeID("93384019850615001"), makeID("93384019850615001"), app.SexMale, "1985-06-15", "", ""},
		{"foreigner wrong prefix", app.DocForeignPermanent, makeID("45010219800101001"), "", "", "", "", "以 9 开头"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := app.ParseIDNumber(tt.doc, tt.in, today)
			if tt.errWant != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errWant) {
					t.Fatalf("err = %v, want one containing %q", err, tt.errWant)
				}
				if app.ErrorCode(err) != app.EINVALID {
					t.Fatalf("code = %s", app.ErrorCode(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.Number != tt.want || info.Sex != tt.sex || info.Birth.Format("2006-01-02") != tt.birth || info.AreaCode != tt.area {
				t.Fatalf("got %+v", info)
			}
		})
	}
}

func TestCheckCreditCode(t *testing.T) {
	body := "91450100MA5K"
	for len(body) < 17 {
		body += "0"
	}
	c, _ := app.CreditCodeCheckChar(body)
	valid := body + string(c)
	tests := []struct {
		in, want, err string
	}{
		{"91350100M000100Y43", "91350100M000100Y43", ""},
		{valid, valid, ""},
		{strings.ToLower(valid), valid, ""},
		{"91350100M000100Y44", "", "校验位错误"},
		{"91350100M000100Y4", "", "应为 18 位"},
		{"91350100I000100Y43", "", "第 9 位"},
		{"", "", "不能为空"},
	}
	for _, tt := range tests {
		got, err := app.CheckCreditCode(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q, %v", tt.in, got, err)
		}
	}
}

func TestCheckPersonName(t *testing.T) {
	ok := map[string]string{
		"张三":                    "张三",
		" 王  小明 ":               "王 小明",
		"阿依古丽・买买提":              "阿依古丽·买买提",
		"𠀀𠀁":                    "𠀀𠀁", // Ext-B
		"㐀丽":                    "㐀丽", // Ext-A
		"John Smith":            "John Smith",
		strings.Repeat("长", 50): strings.Repeat("长", 50),
	}
	for in, want := range ok {
		got, err := app.CheckPersonName("姓名", in)
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "张3", "·张三", "张三·", "张@三", strings.Repeat("长", 51), "张\ue000"} {
		if _, err := app.CheckPersonName("姓名", in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestParseWorkerQuery(t *testing.T) {
	tests := []struct {
		in   string
		kind app.QueryKind
		val  string
	}{
		{"", app.QueryEmpty, ""},
		{"11010519491231002x", app.QueryIDNumber, "11010519491231002X"},
		{"450102800101001", app.QueryIDNumber, makeID("45010219800101001")},
		{"31002X", app.QueryIDSuffix, "31002X"},
		{"123456", app.QueryIDSuffix, "123456"},
		{"13812345678", app.QueryPhone, "13812345678"},
		{"ZS", app.QueryPinyin, "zs"},
		{"张三", app.QueryName, "张三"},
	}
	for _, tt := range tests {
		q := app.ParseWorkerQuery(tt.in)
		if q.Kind != tt.kind || q.Value != tt.val {
			t.Errorf("%q: got %+v", tt.in, q)
		}
	}
}

func TestWorker_Validate(t *testing.T) {
	id := makeID("45010219800101001")
	t.Run("derives sex and birth", func(t *testing.T) {
		w := &app.Worker{Name: "张三", IDNumber: id}
		if err := w.Validate(today); err != nil {
			t.Fatal(err)
		}
		if w.Sex != app.SexMale || w.BirthDate.Format("20060102") != "19800101" || w.DocType != app.DocResidentID {
			t.Fatalf("%+v", w)
		}
	})
	t.Run("sex contradicts id", func(t *testing.T) {
		w := &app.Worker{Name: "张三", IDNumber: id, Sex: app.SexFemale}
		if err := w.Validate(today); err == nil || !strings.Contains(err.Error(), "性别") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("passport needs sex and birth", func(t *testing.T) {
		w := &app.Worker{Name: "John Smith", DocType: app.DocPassport, IDNumber: "e1234567"}
		err := w.Validate(today)
		if err == nil || !strings.Contains(err.Error(), "性别") || !strings.Contains(err.Error(), "出生日期") {
			t.Fatalf("err = %v", err)
		}
		if w.IDNumber != "E1234567" {
			t.Fatalf("number %q", w.IDNumber)
		}
	})
	t.Run("work history row errors name the row", func(t *testing.T) {
		w := &app.Worker{Name: "张三", IDNumber: id, WorkHistory: []app.WorkPeriod{{EmployerID: 1, JobName: "焊工", Start: today.AddDate(0, 0, 5)}}}
		if err := w.Validate(today); err == nil || !strings.Contains(err.Error(), "工作经历第 1 行开始日期") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestAuthorize(t *testing.T) {
	if _, err := app.Authorize(t.Context(), "WorkerService.CreateWorker"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("no user: %v", err)
	}
	nurse := &app.User{Username: "n", Roles: []app.Role{app.RoleFollowUpNurse}}
	ctx := app.NewContextWithUser(t.Context(), nurse)
	if _, err := app.Authorize(ctx, "WorkerService.CreateWorker"); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("nurse create: %v", err)
	}
	if s, err := app.Authorize(ctx, "WorkerService.SearchWorkers"); err != nil || s != app.ScopeFollowUp {
		t.Fatalf("nurse search: %v %v", s, err)
	}
	both := &app.User{Username: "d", Roles: []app.Role{app.RoleDiagnosisPhysician, app.RoleRegistrar}}
	if s, _ := app.Authorize(app.NewContextWithUser(t.Context(), both), "WorkerService.SearchWorkers"); s != app.ScopeAll {
		t.Fatalf("widest scope wins: %v", s)
	}
	if _, err := app.Authorize(ctx, "NoSuch.Method"); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("unknown action: %v", err)
	}
	nurse.Disabled = true
	if _, err := app.Authorize(ctx, "WorkerService.SearchWorkers"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("disabled: %v", err)
	}
}
