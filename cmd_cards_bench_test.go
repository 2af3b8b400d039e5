//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"occhealth/reports/cards"
	"occhealth/store/remote"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"occhealth/app"
	"occhealth/demo"
)

// benchCardCount is the number of released exams of BenchmarkCardsExport100k
// (OCCHEALTH_BENCH_CARDS, default 100,000).
func benchCardCount() int {
	if n, err := strconv.Atoi(os.Getenv("OCCHEALTH_BENCH_CARDS")); err == nil && n > 0 {
		return n
	}
	return 100000
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

// cardsExportArchive makes an archive with n released exams: a demo fill (through the
// services: results, conclusions, signatures, releases, 上报设置) whose released exams are
// copied in the file with new IDs and numbers (the copies bypass the audit log: the benchmark
// exports, it does not verify). The first card read, which mints every DocumentId, is done
// here and returned.
//
// With OCCHEALTH_BENCH_KEEP=DIR the archive is made in DIR (cards.db, its key ring under
// DIR/config) and left there, no card exported, so that the command itself can be timed on it:
// OCCHEALTH_CONFIG_DIR=DIR/config occhealth cards export --db DIR/cards.db … --user tongji
// (password demo1234).
func cardsExportArchive(b *testing.B, n int) (path string, mint time.Duration) {
	dir, keep := os.LookupEnv("OCCHEALTH_BENCH_KEEP")
	if !keep {
		dir = b.TempDir()
	}
	b.Setenv("OCCHEALTH_CONFIG_DIR", filepath.Join(dir, "config"))
	path = filepath.Join(dir, "cards.db")
	a, res, err := createDemoWith(path, demo.Options{Workers: 300, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	defer a.db.Close()
	if res.Released == 0 {
		b.Fatalf("demo released no exam: %+v", res)
	}
	bdb := a.db.Bolt()
	bdb.NoSync = true
	err = bdb.Update(func(tx *bbolt.Tx) error {
		exams, recs, ix, nums := tx.Bucket([]byte("exams")), tx.Bucket([]byte("records")), tx.Bucket([]byte("exam_state")), tx.Bucket([]byte("idx_exam_number"))
		exams.FillPercent, recs.FillPercent, ix.FillPercent = 0.9, 0.9, 0.9
		prefix := append([]byte(app.ExamReleased), 0)
		var templates [][2][]byte
		c := ix.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			id := k[len(prefix):]
			templates = append(templates, [2][]byte{append([]byte(nil), exams.Get(id)...), append([]byte(nil), recs.Get(id)...)})
		}
		for i := len(templates); i < n; i++ {
			t := templates[i%len(templates)]
			seq, err := exams.NextSequence()
			if err != nil {
				return err
			}
			key := binary.BigEndian.AppendUint64(nil, seq)
			var e, r map[string]json.RawMessage
			if err := json.Unmarshal(t[0][1:], &e); err != nil {
				return err
			}
			if err := json.Unmarshal(t[1][1:], &r); err != nil {
				return err
			}
			number := fmt.Sprintf("9%08d", seq)
			e["ID"], _ = json.Marshal(seq)
			e["Number"], _ = json.Marshal(number)
			r["ExamID"], _ = json.Marshal(seq)
			eb, _ := json.Marshal(e)
			rb, _ := json.Marshal(r)
			for _, put := range []struct {
				b    *bbolt.Bucket
				k, v []byte
			}{{exams, key, append([]byte{1}, eb...)}, {recs, key, append([]byte{1}, rb...)},
				{ix, append(append([]byte(nil), prefix...), key...), nil}, {nums, []byte(number), key}} {
				if err := put.b.Put(put.k, put.v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := benchLogin(b, a)
	t0 := time.Now()
	ds, err := a.svc.Cards.CardData(ctx, time.Time{}, time.Time{}, nil)
	if err != nil || len(ds) < n {
		b.Fatalf("first card data: %d cards, %v", len(ds), err)
	}
	mint = time.Since(t0)
	bdb.NoSync = false
	return path, mint
}

func benchLogin(b *testing.B, a *archive) context.Context {
	ctx := app.NewContextWithWorkstation(context.Background(), "基准测试（命令行）")
	u, err := a.svc.Auth.Login(ctx, "tongji", demo.DemoPassword)
	if err != nil {
		b.Fatal(app.ErrorMessage(err))
	}
	return app.NewContextWithUser(ctx, u)
}

// BenchmarkCardsExport100k is `occhealth cards export --format national` of 100,000 released
// exams end to end, as one command run does it: open the archive and log in, read the cards
// (the DocumentIds are minted beforehand, reported as mint_s), pre-flight every card, render,
// validate and zip them, write the files and record the export. Each iteration opens the
// archive afresh, so that nothing is cached in memory from the one before (--again: the same
// cards every time).
func BenchmarkCardsExport100k(b *testing.B) {
	n := benchCardCount()
	path, mint := cardsExportArchive(b, n)
	if _, keep := os.LookupEnv("OCCHEALTH_BENCH_KEEP"); keep {
		b.Skipf("archive of %d released exams (none exported yet) kept at %s; first read %v", n, path, mint)
	}
	run := func(b *testing.B, extra map[string]float64) {
		var exported, blocked, sealed int
		var size int64
		c0, iters := cpuSeconds(), 0
		for b.Loop() {
			iters++
			a, err := openArchive(path, false)
			if err != nil {
				b.Fatal(err)
			}
			ctx := benchLogin(b, a)
			dir := b.TempDir()
			out, err := exportCards(ctx, a, app.CardFormatNational, time.Time{}, time.Time{}, dir, true, nil)
			if err != nil {
				b.Fatal(app.ErrorMessage(err))
			}
			a.db.Close()
			exported, blocked, sealed, size = out.Exported, len(out.Blocked), out.Sealed, out.Bytes
			os.RemoveAll(dir)
		}
		b.ReportMetric(float64(exported), "cards")
		b.ReportMetric(float64(sealed), "sealed")
		b.ReportMetric(float64(blocked), "blocked")
		b.ReportMetric(float64(size)/(1<<20), "MiB")
		b.ReportMetric((cpuSeconds()-c0)/float64(iters), "cpu_s/op")
		for k, v := range extra {
			b.ReportMetric(v, k)
		}
	}
	// worklist is the 个案卡 screen's first listing in a fresh process (an empty cache).
	worklist := func() float64 {
		a, err := openArchive(path, false)
		if err != nil {
			b.Fatal(err)
		}
		defer a.db.Close()
		ctx := benchLogin(b, a)
		t0 := time.Now()
		if _, _, err := a.svc.Cards.Cards(ctx, app.CardFilter{Limit: 200}); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0).Seconds()
	}
	// Nothing sealed: every card is read, checked and rendered by the export.
	coldList := worklist()
	b.Run("cold", func(b *testing.B) { run(b, map[string]float64{"mint_s": mint.Seconds(), "worklist_s": coldList}) })
	// Sealed ahead (what the program does in the background after each release): the export
	// only checks that each seal is current and packages it.
	a, err := openArchive(path, false)
	if err != nil {
		b.Fatal(err)
	}
	ctx := benchLogin(b, a)
	t0, c0 := time.Now(), cpuSeconds()
	k, err := a.svc.Cards.(interface {
		SealPending(context.Context, []int64) (int, error)
	}).SealPending(ctx, nil)
	sealWall, sealCPU := time.Since(t0), cpuSeconds()-c0
	a.db.Close()
	if err != nil || k == 0 {
		b.Fatalf("sealed %d: %v", k, err)
	}
	sealedList := worklist()
	b.Run("sealed", func(b *testing.B) {
		run(b, map[string]float64{"seal_s": sealWall.Seconds(), "seal_cpu_s": sealCPU, "seal_us/card": float64(sealWall.Microseconds()) / float64(k),
			"worklist_s": sealedList})
	})
	// 联网: the same export by a workstation through `occhealth serve` on this PC (loopback).
	b.Run("server", func(b *testing.B) { benchCardsExportServer(b, path) })
}

// benchCardsExportServer exports the archive's sealed cards through a server run in this
// process, as a 联网 workstation does (its daily backup turned off, so that it does not run
// beside the export).
func benchCardsExportServer(b *testing.B, path string) {
	a, err := openArchive(path, false)
	if err != nil {
		b.Fatal(err)
	}
	ctx := app.NewContextWithWorkstation(context.Background(), "基准测试")
	admin, err := a.svc.Auth.Login(ctx, "demo", demo.DemoPassword)
	if err == nil {
		bs := app.DefaultBackupSettings
		bs.Daily = false
		err = a.svc.Backup.SaveBackupSettings(app.NewContextWithUser(ctx, admin), bs)
	}
	a.db.Close()
	if err != nil {
		b.Fatal(app.ErrorMessage(err))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := serveConfig{db: path, listen: addr, configDir: b.TempDir()}
	cert, _, err := remote.LoadOrCreateCertificate(cfg.configDir)
	if err != nil {
		b.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- runServer(sctx, cfg, log.New(io.Discard, "", 0)) }()
	defer func() { stop(); <-served }()
	var c *remote.Client
	for try := 0; ; try++ {
		if c, err = remote.Dial(ctx, addr, remote.CertificateFingerprint(cert), remote.Options{Version: version, Catalogs: loadCatalogs, Log: log.New(io.Discard, "", 0)}); err == nil {
			break
		}
		if try == 50 {
			b.Fatal(app.ErrorMessage(err))
		}
		time.Sleep(100 * time.Millisecond)
	}
	svc := c.Services()
	u, err := svc.Auth.Login(ctx, "tongji", demo.DemoPassword)
	if err != nil {
		b.Fatal(app.ErrorMessage(err))
	}
	uctx := app.NewContextWithUser(ctx, u)
	var exported, sealed int
	for b.Loop() {
		dir := b.TempDir()
		res, err := cards.ExportBatch(uctx, svc.Cards, app.CardBatchRequest{Format: app.CardFormatNational, Again: true,
			Batch: "BENCH-" + strconv.Itoa(b.N), Dir: dir}, cards.Options{})
		if err != nil {
			b.Fatal(app.ErrorMessage(err))
		}
		exported, sealed = res.Exported, res.Sealed
		os.RemoveAll(dir)
	}
	b.ReportMetric(float64(exported), "cards")
	b.ReportMetric(float64(sealed), "sealed")
}
