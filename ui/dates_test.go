package ui

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	want := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"2024-03-05", "2024/3/5", "20240305", "2024.3.5", "2024年3月5日", " 2024-3-05 ", "２０２４／３／５"} {
		got, err := parseDate(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if got, err := parseDate(""); err != nil || !got.IsZero() {
		t.Errorf("parseDate(\"\") = %v, %v; want zero", got, err)
	}
	for _, s := range []string{"2024-02-30", "20241301", "2024-3", "abc", "240305", "1899-01-01", "2024--5", "2024-003-05"} {
		if _, err := parseDate(s); err == nil {
			t.Errorf("parseDate(%q) succeeded; want an error", s)
		}
	}
	if got, _ := parseDate("2024/2/29"); formatDate(got) != "2024-02-29" {
		t.Errorf("leap day: got %s", formatDate(got))
	}
}
