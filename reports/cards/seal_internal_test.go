package cards

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// sealGolden is the SHA-256 of the national golden documents (testdata/national, written by
// TestExport_National) under the current sealVersion.
const sealGolden = "d9ba6b0fdeae21d00cb785afdd246b0ccffd6ed30f812b47031d0f53bd04d809"

// TestSealVersion_FollowsTheDocuments: when the national documents change (their golden files
// were updated), sealVersion must change too, so that cards sealed by an older program are
// rendered again instead of going out as they were.
func TestSealVersion_FollowsTheDocuments(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "national", "*.xml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("golden documents: %v %v", paths, err)
	}
	slices.Sort(paths)
	h := sha256.New()
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(filepath.Base(p)))
		h.Write([]byte{0})
		h.Write(b)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sealGolden {
		t.Fatalf("the national documents changed (golden %s): change sealVersion (now %q) in seal.go and set sealGolden to %s", sealGolden, sealVersion, got)
	}
}
