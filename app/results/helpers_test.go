package results_test

import (
	"errors"
	"os"
	"sync"
	"testing"

	"occhealth/app/catalog"
	"occhealth/app/results"
	"occhealth/app/rules"
)

// The shipped files are read from the repository: app may not import package assets.
var (
	loadOnce sync.Once
	shipped  *results.Ranges
	table    *rules.Table
	cats     *catalog.Set
	loadErr  error
)

func mustLoad(tb testing.TB) (*results.Ranges, *rules.Table, *catalog.Set) {
	tb.Helper()
	loadOnce.Do(func() {
		if shipped, loadErr = results.LoadRanges(os.DirFS("../../assets/rules")); loadErr != nil {
			return
		}
		if table, loadErr = rules.Load(os.DirFS("../../assets/rules")); loadErr != nil {
			return
		}
		cats, loadErr = catalog.Load(os.DirFS("../../assets/catalog"))
	})
	if loadErr != nil {
		tb.Fatal(loadErr)
	}
	return shipped, table, cats
}

func asError[T error](err error, target *T) bool { return errors.As(err, target) }

func f(v float64) *float64 { return &v }
