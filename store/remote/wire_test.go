package remote

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
)

func TestIDList_RoundTrip(t *testing.T) {
	for _, l := range []idList{nil, {}, {1}, {5, 3, 9, 1 << 40, -7, 0, math.MaxInt64, math.MinInt64, 42}} {
		b, err := json.Marshal(struct {
			L idList `json:"l"`
		}{l})
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			L idList `json:"l"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if (l == nil) != (got.L == nil) || !slices.Equal(l, got.L) {
			t.Fatalf("%v → %s → %v", l, b, got.L)
		}
	}
	var bad idList
	for _, s := range []string{`12`, `"%%%"`, `"/w=="`} {
		if err := json.Unmarshal([]byte(s), &bad); err == nil {
			t.Errorf("%s accepted", s)
		}
	}
}
