package bolt_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io/fs"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/cardcheck"
	"occhealth/assets"
	"occhealth/store/bolt"
)

// fakeSealer stands for reports/cards.Sealer (the store does not import reports): a card's
// "document" names what it was made from, so that a test sees which inputs a seal has.
type fakeSealer struct {
	rev   atomic.Value // string
	calls atomic.Int64
	mu    sync.Mutex
	fail  error
	// refuse: exam IDs whose documents the "element table" refuses (nil seal).
	refuse map[int64]bool
}

var testSealer = newFakeSealer()

func newFakeSealer() *fakeSealer { f := &fakeSealer{}; f.rev.Store("test-1"); return f }

func (f *fakeSealer) Format() string   { return app.CardFormatNational }
func (f *fakeSealer) Revision() string { return f.rev.Load().(string) }

func (f *fakeSealer) Seal(ds []app.CardData) ([]*app.CardSeal, error) {
	f.calls.Add(1)
	f.mu.Lock()
	err := f.fail
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	out := make([]*app.CardSeal, len(ds))
	for i, d := range ds {
		f.mu.Lock()
		refused := f.refuse[d.Exam.ID]
		f.mu.Unlock()
		if refused {
			continue
		}
		doc := fakeDocument(d)
		sum := sha256.Sum256(doc)
		out[i] = &app.CardSeal{ExamID: d.Exam.ID, Format: app.CardFormatNational, Name: d.Card.DocumentID + ".xml", Size: len(doc),
			CRC32: crc32.ChecksumIEEE(doc), SHA256: hex.EncodeToString(sum[:]), Deflated: doc, Parties: []byte(d.Exam.Record.Parties.Employer.Name)}
	}
	return out, nil
}

func fakeDocument(d app.CardData) []byte {
	p := d.Exam.Record.Parties
	return fmt.Appendf(nil, "%s|%s|%s|%v|%s|%s|%s|%s", d.Card.DocumentID, d.Card.Operate, d.Card.ContentHash, d.Card.Late,
		d.Settings.ReportOrgCode, p.Employer.ContactPhone, p.Worker.Phone, d.Exam.Number)
}

func (c *cardFixture) items(t *testing.T) *app.CardExportSet {
	t.Helper()
	set, err := c.cards.ExportItems(c.reporter, app.CardFormatNational, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func (c *cardFixture) seal(t *testing.T) int {
	t.Helper()
	n, err := c.td.storeCards().SealPending(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// cleanExam makes the fixture's card pass the pre-flight: the worker's phone and exposure
// starts, and an exam registered with a job code (the fixture's own is cancelled).
func (c *cardFixture) cleanExam(t *testing.T) *app.Exam {
	t.Helper()
	w, err := c.td.svc.Workers.FindWorkerByID(c.td.admin, c.worker.ID)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2018, 3, 1, 0, 0, 0, 0, time.Local)
	up := app.WorkerUpdate{Version: w.Version, Name: w.Name, Sex: w.Sex, BirthDate: w.BirthDate, Phone: "13800001234", Address: w.Address,
		WorkHistory: w.WorkHistory, Exposures: []app.Exposure{{HazardCode: "1038", Start: start}, {HazardCode: "3008", Start: start}}}
	if _, err := c.td.svc.Workers.UpdateWorker(c.td.admin, w.ID, up); err != nil {
		t.Fatal(err)
	}
	if _, err := c.td.svc.Exams.CancelExam(c.td.admin, c.exam.ID, c.exam.Version, false, "改登记工种"); err != nil {
		t.Fatal(err)
	}
	e, err := c.td.svc.Exams.Register(c.td.admin, app.Registration{WorkerID: c.worker.ID, EmployerID: c.emp.ID, ContractID: c.contract.ID,
		Type: app.ExamPeriodic, Hazards: []string{"1038", "3008"}, Date: c.td.clock.Now(), JobCode: "13-001"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// sealedFixture: one released exam with the reporting settings, sealed.
func sealedFixture(t *testing.T) (*cardFixture, *app.Exam) {
	c := newCardFixture(t)
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	e := c.release(t, c.conclude(t, c.cleanExam(t), normalConclusion()))
	if set := c.items(t); len(set.Items) != 0 || len(set.Pending) != 1 || set.Pending[0] != e.ID {
		t.Fatalf("before sealing: %+v", set)
	}
	if n := c.seal(t); n != 1 {
		t.Fatalf("sealed %d cards, want 1", n)
	}
	return c, e
}

// A sealed card is handed out with the same state CardData gives, its document as sealed; a
// second sweep seals nothing.
func TestSeal_ExportItemsHandsOutCurrentSeals(t *testing.T) {
	c, e := sealedFixture(t)
	set := c.items(t)
	if len(set.Items) != 1 || len(set.Pending) != 0 {
		t.Fatalf("after sealing: %+v", set)
	}
	it := set.Items[0]
	d := c.data(t, e.ID)[0]
	if it.Card.ExamID != e.ID || it.Card.ExamNumber != e.Number || it.Card.DocumentID != d.Card.DocumentID || it.Card.DocumentID == "" ||
		it.Card.Operate != app.CardAdd || it.Card.ContentHash != d.Card.ContentHash || len(it.Card.ContentHash) != 64 ||
		!it.Card.ReleasedAt.Equal(d.Card.ReleasedAt) || it.Card.Status != app.CardPending {
		t.Fatalf("item card %+v\ncard data %+v", it.Card, d.Card)
	}
	if string(it.Seal.Deflated) != string(fakeDocument(d)) || it.Seal.ExamID != e.ID || it.Seal.Operate != app.CardAdd || it.Seal.Key == "" ||
		set.Settings.ReportOrgCode != "450102001" || set.Institution == nil || set.Institution.Code != "450102001" {
		t.Fatalf("seal %+v (document %q, want %q), settings %+v", it.Seal, it.Seal.Deflated, fakeDocument(d), set.Settings)
	}
	if n := c.seal(t); n != 0 {
		t.Fatalf("a second sweep sealed %d", n)
	}
	// Outside the release range the card is not listed at all.
	out, err := c.cards.ExportItems(c.reporter, app.CardFormatNational, d.Card.ReleasedAt.AddDate(0, 0, 1), time.Time{})
	if err != nil || len(out.Items) != 0 || len(out.Pending) != 0 {
		t.Fatalf("from the next day: %+v %v", out, err)
	}
	// Another format has no seals: every card is read.
	out, err = c.cards.ExportItems(c.reporter, app.CardFormatHubei, time.Time{}, time.Time{})
	if err != nil || len(out.Items) != 0 || len(out.Pending) != 1 {
		t.Fatalf("hubei: %+v %v", out, err)
	}
	verifyAudit(t, c.td)
}

// Every input of a card's document makes its seal stale: the card is read again (Pending) and
// the next sweep seals it anew with what it says now.
func TestSeal_StaleAfterEachInputChanges(t *testing.T) {
	c, e := sealedFixture(t)
	stale := func(t *testing.T, what string) {
		t.Helper()
		set := c.items(t)
		if len(set.Items) != 0 || len(set.Pending) != 1 {
			t.Fatalf("%s: the seal is still handed out: %+v", what, set)
		}
		if n := c.seal(t); n != 1 {
			t.Fatalf("%s: resealed %d", what, n)
		}
		set = c.items(t)
		if len(set.Items) != 1 {
			t.Fatalf("%s: not current after resealing: %+v", what, set)
		}
		if d := c.data(t, e.ID)[0]; string(set.Items[0].Seal.Deflated) != string(fakeDocument(d)) {
			t.Fatalf("%s: sealed %q, the card now %q", what, set.Items[0].Seal.Deflated, fakeDocument(d))
		}
	}
	// The employer's contact phone (the card carries it).
	c.setEmployerPhone(t, "0771-5551234")
	stale(t, "employer phone")
	// The worker's phone.
	w, err := c.td.svc.Workers.FindWorkerByID(c.td.admin, c.worker.ID)
	if err != nil {
		t.Fatal(err)
	}
	up := app.WorkerUpdate{Version: w.Version, Name: w.Name, Sex: w.Sex, BirthDate: w.BirthDate, Phone: "13900001111", Address: w.Address,
		WorkHistory: w.WorkHistory, Exposures: w.Exposures}
	if _, err := c.td.svc.Workers.UpdateWorker(c.td.admin, w.ID, up); err != nil {
		t.Fatal(err)
	}
	stale(t, "worker phone")
	// The platform's codes in the header.
	s := goodSettings()
	s.ReportOrgCode = "450102002"
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	stale(t, "report org code")
	// The pre-flight thresholds.
	b, err := fs.ReadFile(assets.Rules, "rules/card_checks.json")
	if err != nil {
		t.Fatal(err)
	}
	th, err := cardcheck.Load(b)
	if err != nil {
		t.Fatal(err)
	}
	th.MaxExposureYears.Value++
	c.td.storeCards().SetThresholds(th)
	stale(t, "thresholds")
	// A new program revision.
	testSealer.rev.Store("test-2")
	t.Cleanup(func() { testSealer.rev.Store("test-1") })
	stale(t, "revision")
	// Exported: unchanged, the seal (Add) stays current; the export records its content hash.
	set := c.items(t)
	if err := c.cards.RecordExported(c.reporter, "B1", app.CardFormatNational, []app.Card{set.Items[0].Card}); err != nil {
		t.Fatal(err)
	}
	set = c.items(t)
	if len(set.Items) != 1 || set.Items[0].Card.Status != app.CardExported || set.Items[0].Card.Changed ||
		set.Items[0].Card.ExportedHash != set.Items[0].Card.ContentHash {
		t.Fatalf("after the export: %+v", set)
	}
	// Corrected after the export: Update, sealed again as such.
	c.setEmployerPhone(t, "0771-5550000")
	stale(t, "correction after export")
	if it := c.items(t).Items[0]; it.Card.Operate != app.CardUpdate || !it.Card.Changed || it.Seal.Operate != app.CardUpdate {
		t.Fatalf("corrected card: %+v / %+v", it.Card, it.Seal)
	}
	// Voided after the export: never sealed, read as Delete.
	if _, err := c.td.svc.Exams.VoidExam(c.td.admin, e.ID, c.reload(t, e.ID).Version, "重复登记"); err != nil {
		t.Fatal(err)
	}
	set = c.items(t)
	if len(set.Items) != 0 || len(set.Pending) != 1 {
		t.Fatalf("voided: %+v", set)
	}
	if n := c.seal(t); n != 0 {
		t.Fatalf("a voided card was sealed (%d)", n)
	}
	if d := c.data(t, e.ID)[0]; d.Card.Operate != app.CardDelete {
		t.Fatalf("voided card reads as %s", d.Card.Operate)
	}
	verifyAudit(t, c.td)
}

// A card that fails the pre-flight or the element table is not sealed (the export names it
// when it reads it), and not tried again until one of its inputs changes.
func TestSeal_RefusedCardsAreNotSealed(t *testing.T) {
	c := newCardFixture(t)
	e := c.release(t, c.conclude(t, c.cleanExam(t), normalConclusion())) // no reporting settings: errors
	calls := testSealer.calls.Load()
	if n := c.seal(t); n != 0 {
		t.Fatalf("sealed %d cards failing the pre-flight", n)
	}
	if set := c.items(t); len(set.Items) != 0 || len(set.Pending) != 1 || set.Pending[0] != e.ID {
		t.Fatalf("items %+v", set)
	}
	// The element table refuses it once the pre-flight passes.
	testSealer.mu.Lock()
	testSealer.refuse = map[int64]bool{e.ID: true}
	testSealer.mu.Unlock()
	t.Cleanup(func() { testSealer.mu.Lock(); testSealer.refuse = nil; testSealer.mu.Unlock() })
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	if n := c.seal(t); n != 0 || testSealer.calls.Load() != calls+1 {
		t.Fatalf("sealed %d, sealer called %d times", n, testSealer.calls.Load()-calls)
	}
	if n := c.seal(t); n != 0 || testSealer.calls.Load() != calls+1 {
		t.Fatalf("a refused card was tried again without a change: sealed %d, sealer called %d times", n, testSealer.calls.Load()-calls)
	}
	if set := c.items(t); len(set.Items) != 0 || len(set.Pending) != 1 {
		t.Fatalf("refused card: %+v", set)
	}
	// Corrected (here: the refusal lifted and the settings saved again): sealed.
	testSealer.mu.Lock()
	testSealer.refuse = nil
	testSealer.mu.Unlock()
	s := goodSettings()
	s.Writer = "周统计（改）"
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	if n := c.seal(t); n != 1 {
		t.Fatalf("after the correction sealed %d", n)
	}
	if set := c.items(t); len(set.Items) != 1 || len(set.Pending) != 0 {
		t.Fatalf("after the correction: %+v", set)
	}
}

// 补报: a card not exported by its due date carries the mark in the next export (the seal
// made before the due date is stale after it).
func TestSeal_LateAfterDueDate(t *testing.T) {
	c := newCardFixture(t)
	s := goodSettings()
	s.DueDays = 15
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	e := c.release(t, c.conclude(t, c.cleanExam(t), normalConclusion()))
	if d := c.data(t, e.ID)[0]; d.Card.Late {
		t.Fatal("late on its release day")
	}
	if n := c.seal(t); n != 1 {
		t.Fatalf("sealed %d", n)
	}
	c.td.clock.Add(20 * 24 * time.Hour)
	set := c.items(t)
	if len(set.Items) != 0 || len(set.Pending) != 1 {
		t.Fatalf("after the due date the seal is still current: %+v", set)
	}
	d := c.data(t, e.ID)[0]
	if !d.Card.Late {
		t.Fatal("not late after the due date")
	}
	if n := c.seal(t); n != 1 {
		t.Fatalf("resealed %d", n)
	}
	if it := c.items(t).Items[0]; !it.Card.Late || !it.Seal.Late {
		t.Fatalf("late seal %+v / %+v", it.Card, it.Seal)
	}
	if err := c.cards.RecordExported(c.reporter, "B1", app.CardFormatNational, []app.Card{d.Card}); err != nil {
		t.Fatal(err)
	}
	if got := c.data(t, e.ID)[0].Card; !got.Late || got.Status != app.CardExported {
		t.Fatalf("after the late export: %+v", got)
	}
}

// RecordExported refuses a card without its content hash or with another DocumentId, and
// writes nothing of the batch then.
func TestSeal_RecordExportedChecksTheCards(t *testing.T) {
	c, e := sealedFixture(t)
	card := c.items(t).Items[0].Card
	bad := card
	bad.ContentHash = ""
	if err := c.cards.RecordExported(c.reporter, "B1", app.CardFormatNational, []app.Card{bad}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("no hash: %v", err)
	}
	bad = card
	bad.DocumentID = "450102001-HEALTH_EXAM_RECORD-20261130090000000-00001"
	if err := c.cards.RecordExported(c.reporter, "B1", app.CardFormatNational, []app.Card{bad}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("another DocumentId: %v", err)
	}
	if got := c.data(t, e.ID)[0].Card; got.Status != app.CardPending {
		t.Fatalf("a refused batch changed the card: %+v", got)
	}
	nurse := c.td.as(t, "hushi", app.RoleFollowUpNurse)
	if err := c.cards.RecordExported(nurse, "B1", app.CardFormatNational, []app.Card{card}); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("a nurse recorded an export: %v", err)
	}
	if _, err := c.cards.ExportItems(nurse, app.CardFormatNational, time.Time{}, time.Time{}); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("a nurse read the cards: %v", err)
	}
	verifyAudit(t, c.td)
}

// The background sealer seals a card soon after its release, and keeps its failure.
func TestSeal_BackgroundSealer(t *testing.T) {
	if serverMode() {
		t.Skip("the sealer runs in the process that holds the archive")
	}
	defer bolt.SetSealerTimes(10*time.Millisecond, 20*time.Millisecond, time.Hour, 0)()
	c := newCardFixture(t)
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := c.td.storeCards().StartSealer(ctx)
	defer func() { cancel(); <-done }()
	e := c.release(t, c.conclude(t, c.cleanExam(t), normalConclusion()))
	deadline := time.Now().Add(10 * time.Second)
	for {
		set := c.items(t)
		if len(set.Items) == 1 && set.Items[0].Card.ExamID == e.ID {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not sealed 10 s after the release: %+v (sealer error %v)", set, c.td.storeCards().SealerError())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := c.td.storeCards().SealerError(); err != nil {
		t.Fatal(err)
	}
	verifyAudit(t, c.td)
}

// RecordExportedAfter commits only once its files are in place: an error from ready records
// nothing.
func TestSeal_RecordExportedAfterWaitsForTheFiles(t *testing.T) {
	c, e := sealedFixture(t)
	card := c.items(t).Items[0].Card
	sc := c.td.storeCards()
	called := false
	err := sc.RecordExportedAfter(c.reporter, "B1", app.CardFormatNational, []app.Card{card}, func() error {
		called = true
		return app.Errorf(app.EINVALID, "磁盘已满")
	})
	if !called || app.ErrorMessage(err) != "磁盘已满" {
		t.Fatalf("ready called %v, error %v", called, err)
	}
	if got := c.data(t, e.ID)[0].Card; got.Status != app.CardPending || got.Batch != "" {
		t.Fatalf("recorded although the files failed: %+v", got)
	}
	if err := sc.RecordExportedAfter(c.reporter, "B2", app.CardFormatNational, []app.Card{card}, func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got := c.data(t, e.ID)[0].Card; got.Status != app.CardExported || got.Batch != "B2" || got.ExportedHash != card.ContentHash {
		t.Fatalf("after the export: %+v", got)
	}
	verifyAudit(t, c.td)
}

// The worklist lists a sealed card from its seal (its first listing reads no exam) exactly as
// it lists it from the exam.
func TestSeal_WorklistFromSeals(t *testing.T) {
	c := newCardFixture(t)
	s := goodSettings()
	s.DueDays = 15
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	c.release(t, c.conclude(t, c.cleanExam(t), normalConclusion()))
	c.rows(t, app.CardFilter{}) // the service's cache filled from the exam
	if n := c.seal(t); n != 1 {
		t.Fatalf("sealed %d", n)
	}
	decoded := c.rows(t, app.CardFilter{}) // (with the DocumentId the sealing minted)
	fresh := bolt.NewCardService(c.td.DB)  // an empty worklist cache, as after a start
	sealed, total, err := fresh.Cards(c.reporter, app.CardFilter{})
	if err != nil || total != 1 || len(sealed) != 1 {
		t.Fatalf("rows %+v %d %v", sealed, total, err)
	}
	a, b := decoded[0], sealed[0]
	a.Card.History, b.Card.History = nil, nil
	if fmt.Sprintf("%+v", a) != fmt.Sprintf("%+v", b) {
		t.Fatalf("from the exam:\n%+v\nfrom the seal:\n%+v", a, b)
	}
	if b.WorkerName == "" || b.Employer == "" || b.ExamDate.IsZero() || b.Due.IsZero() {
		t.Fatalf("row from the seal lacks its fields: %+v", b)
	}
}
