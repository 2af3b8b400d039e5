package app_test

import (
	"testing"
	"unicode/utf8"

	"occhealth/app"
)

// FuzzParseIDNumber: never panics; whatever it accepts is a normalised 18-character number
// whose check character is right and whose birth date is not after today.
func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "110105491231002", "81000019900101001", "", "x", "１１０１０５１９４９１２３１００２ｘ", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, doc := range []app.DocType{app.DocResidentID, app.DocHMTResidence, app.DocForeignPermanent} {
			info, err := app.ParseIDNumber(doc, s, today)
			if err != nil {
				if app.ErrorCode(err) != app.EINVALID {
					t.Fatalf("%q: code %s", s, app.ErrorCode(err))
				}
				continue
			}
			if len(info.Number) != 18 || app.IDCheckChar(info.Number[:17]) != info.Number[17] || info.Birth.After(today) {
				t.Fatalf("%q accepted as %+v", s, info)
			}
		}
	})
}

func FuzzCheckCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "", "91350100m000100y43", "IOSVZ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := app.CheckCreditCode(s)
		if err != nil {
			return
		}
		c, ok := app.CreditCodeCheckChar(n)
		if len(n) != 18 || !ok || c != n[17] {
			t.Fatalf("%q accepted as %q", s, n)
		}
	})
}

func FuzzPersonNameAndQuery(f *testing.F) {
	for _, s := range []string{"张三", "阿依古丽・买买提", "𠀀", "zs", "13812345678", "31002X", " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := app.CheckPersonName("姓名", s); err == nil {
			if !utf8.ValidString(n) || n == "" || utf8.RuneCountInString(n) > app.MaxPersonName {
				t.Fatalf("%q accepted as %q", s, n)
			}
		}
		_ = app.ParseWorkerQuery(s)
	})
}
