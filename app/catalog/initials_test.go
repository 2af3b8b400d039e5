package catalog_test

import (
	"strings"
	"testing"

	"occhealth/app/catalog"
)

func TestSet_InitialsMatch(t *testing.T) {
	s, err := catalog.NewSet()
	if err != nil {
		t.Fatal(err)
	}
	if s.InitialsMatch("噪声", "zs") {
		t.Fatal("matched without an initials function")
	}
	calls := 0
	s.SetInitials(func(text string) []string {
		calls++
		if text == "噪声" {
			return []string{"zs"}
		}
		return nil
	})
	for _, q := range []string{"z", "zs", "ZS"} {
		if !s.InitialsMatch("噪声", q) {
			t.Errorf("%q did not match 噪声", q)
		}
	}
	for _, q := range []string{"zsx", "s", "", "z1", strings.Repeat("z", 3)} {
		if s.InitialsMatch("噪声", q) {
			t.Errorf("%q matched 噪声", q)
		}
	}
	if calls != 1 {
		t.Errorf("initials computed %d times for one text, want 1", calls)
	}
}
