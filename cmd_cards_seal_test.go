package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"occhealth/app"
	"occhealth/demo"
	"occhealth/reports/cards"
)

// TestCardsExport_SealedIsTheSame: an export of cards sealed ahead (what the window and the
// server do in the background after each release) writes byte for byte the files an export
// that reads and renders every card writes, and takes every card from its seal.
func TestCardsExport_SealedIsTheSame(t *testing.T) {
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	path := filepath.Join(t.TempDir(), "demo.db")
	a, res, err := createDemoWith(path, demo.Options{Workers: 120, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	a.db.Close()
	if res.Released < 20 {
		t.Fatalf("demo released %d exams", res.Released)
	}
	// The batch is named as the command names it, once for both exports (its name is in the
	// files: the command names it by the second).
	batch := ""
	export := func(dir string) *app.CardBatchResult {
		t.Helper()
		a, err := openArchive(path, true)
		if err != nil {
			t.Fatal(err)
		}
		defer a.db.Close()
		ctx := app.NewContextWithWorkstation(context.Background(), "测试机")
		u, err := a.svc.Auth.Login(ctx, "tongji", demo.DemoPassword)
		if err != nil {
			t.Fatal(err)
		}
		ctx = app.NewContextWithUser(ctx, u)
		if batch == "" {
			batch = cardBatch(ctx, a, dir)
		}
		check, err := cardChecker(a)
		if err != nil {
			t.Fatal(err)
		}
		out, err := cards.ExportBatch(ctx, a.svc.Cards, app.CardBatchRequest{Format: app.CardFormatNational, Again: true, Batch: batch, Dir: dir, Check: check},
			cards.Options{Codes: catalogCodes(a)})
		if err != nil {
			t.Fatal(app.ErrorMessage(err))
		}
		return out
	}
	cold := export(t.TempDir())
	if cold.Exported < 20 || cold.Sealed != 0 {
		t.Fatalf("cold export: %d cards, %d sealed, %d held back", cold.Exported, cold.Sealed, len(cold.Blocked))
	}
	// Seal every card, as the background sealer does.
	a, err = openArchive(path, true)
	if err != nil {
		t.Fatal(err)
	}
	n, err := a.svc.Cards.(interface {
		SealPending(context.Context, []int64) (int, error)
	}).SealPending(context.Background(), nil)
	a.db.Close()
	if err != nil || n != cold.Exported {
		t.Fatalf("sealed %d of %d cards: %v", n, cold.Exported, err)
	}
	warm := export(t.TempDir())
	if warm.Exported != cold.Exported || warm.Sealed != warm.Exported || len(warm.Blocked) != len(cold.Blocked) {
		t.Fatalf("sealed export: %d cards, %d sealed, %d held back; cold %d, %d held back", warm.Exported, warm.Sealed, len(warm.Blocked), cold.Exported, len(cold.Blocked))
	}
	if len(warm.Files) != 2 || len(cold.Files) != 2 {
		t.Fatalf("files %v / %v", warm.Files, cold.Files)
	}
	for i := range cold.Files {
		c, err1 := os.ReadFile(cold.Files[i])
		w, err2 := os.ReadFile(warm.Files[i])
		if err1 != nil || err2 != nil || filepath.Base(cold.Files[i]) != filepath.Base(warm.Files[i]) || !bytes.Equal(c, w) {
			t.Errorf("%s (%d bytes) and %s (%d bytes) differ", cold.Files[i], len(c), warm.Files[i], len(w))
		}
	}
}
