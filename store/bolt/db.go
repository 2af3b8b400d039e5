package bolt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/criteria"
	"occhealth/app/results"
	"occhealth/store"
	"occhealth/store/kv"
)

// Bucket names.
var (
	bucketMeta      = []byte("meta")
	bucketUsers     = []byte("users")
	bucketUserPW    = []byte("user_pw")
	bucketUsername  = []byte("idx_username")
	bucketEmployers = []byte("employers")
	bucketEmpCredit = []byte("idx_emp_credit")
	bucketEmpName   = []byte("idx_emp_name")
	bucketEmpPinyin = []byte("idx_emp_pinyin")
	bucketWorkers   = []byte("workers")
	bucketWIDNumber = []byte("idx_w_idnumber")
	bucketWIDSuffix = []byte("idx_w_idsuffix")
	bucketWName     = []byte("idx_w_name")
	bucketWPinyin   = []byte("idx_w_pinyin")
	bucketWPhone    = []byte("idx_w_phone")
	bucketWEmployer = []byte("idx_w_employer")
	bucketAudit     = []byte("audit")
	bucketAuditLast = []byte("audit_latest")
	bucketCatalogs  = []byte("catalog_overrides")
	// Schema 2: intake.
	bucketContracts    = []byte("contracts")
	bucketContractNo   = []byte("idx_contract_number")
	bucketContractEmp  = []byte("idx_contract_employer")
	bucketPackages     = []byte("packages")
	bucketExams        = []byte("exams")
	bucketExamState    = []byte("exam_state") // state, 0x00, exam ID → nil (worklists)
	bucketExamNumber   = []byte("idx_exam_number")
	bucketExamWorker   = []byte("idx_exam_worker")
	bucketExamContract = []byte("idx_exam_contract")
	intakeBuckets      = [][]byte{bucketContracts, bucketContractNo, bucketContractEmp, bucketPackages, bucketExams, bucketExamNumber, bucketExamWorker, bucketExamContract}
	allBuckets         = [][]byte{bucketMeta, bucketUsers, bucketUserPW, bucketUsername, bucketEmployers, bucketEmpCredit, bucketEmpName, bucketEmpPinyin, bucketWorkers, bucketWIDNumber, bucketWIDSuffix, bucketWName, bucketWPinyin, bucketWPhone, bucketWEmployer, bucketAudit, bucketAuditLast, bucketCatalogs}
	keySchema          = []byte("schema_version")
	keyInstitution     = []byte("institution")
	keyBackupSetting   = []byte("backup_settings")
	keyDemoLogin       = []byte("demo_login")
)

// Options configure Open.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Keys signs the audit chain. Required.
	Keys *store.KeyRing
	// Codes checks catalog codes (industry, area, job, hazard); nil skips code checks.
	Codes app.CodeLookup
	// Timeout for the file lock; a second program on the same file gets ELOCKED after it.
	Timeout time.Duration
	// FastPasswords uses cheap password hashing, for tests and demo fill only.
	FastPasswords bool
	// Dir is the folder of backups and attachments when the engine is not a file
	// (OpenEngine on PostgreSQL).
	Dir string
	// Workstation names this PC in audit entries when the context carries none.
	Workstation string
	// BackupDir overrides the default backup folder (beside the archive, "backups").
	BackupDir string
	// Planner derives exam items from the GBZ 188 rule table; nil registers exams without
	// rule items (a note says so).
	Planner app.ItemPlanner
	// IntakeWarnings are the thresholds of roster warnings (minors, female hazards).
	IntakeWarnings app.IntakeWarnings
	// Calendar is the bundled working-day calendar, in force until an administrator saves one.
	Calendar *app.Calendar
	// Ranges are the reference ranges results are judged against; nil stores results unjudged
	// (the doctor's own flag stays).
	Ranges *results.Ranges
	// Criteria hold the GBZ 188 conclusion lists per edition; nil skips the check of
	// conclusion codes against the exam's edition.
	Criteria *criteria.Set
	// CardSealer renders the case cards' documents ahead of export (CardService.SealPending,
	// StartCardSealer); nil: nothing is sealed and every export renders its cards.
	CardSealer CardSealer
}

// DB is an open archive.
type DB struct {
	mu   sync.RWMutex // guards bolt during Restore
	bolt *bbolt.DB    // nil when the engine is not bbolt
	kv   kv.Engine
	path string
	opts Options
	now  func() time.Time

	reads   *readAuditor
	planner plannerBox
	// registryChanged is told, after a commit, which workers and employers were written (the
	// case cards read them live and cache their pre-flight counts).
	registryChanged atomic.Pointer[func(workers, employers []int64)]
	changes         changeHub
	// cardsReset, when set by the card service, drops its whole worklist cache (another
	// server instance wrote workers or employers without naming them, or notices were lost).
	cardsReset atomic.Pointer[func()]
	// catalogs is the catalog set Services put in force: another server instance's catalog
	// edits are applied to it.
	catalogs atomic.Pointer[catalog.Set]
}

// Open opens or creates the archive at path, after refusing network drives. It runs pending
// schema migrations, each after an automatic backup. A file locked by another program gives
// ELOCKED with a message a user understands.
func Open(path string, opts Options) (*DB, error) {
	if opts.Keys == nil {
		return nil, fmt.Errorf("open %s: no audit key ring", path)
	}
	if opts.Timeout == 0 {
		opts.Timeout = time.Second
	}
	if err := store.CheckLocalPath(path); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create archive folder: %w", err)
	}
	db := newDB(path, opts)
	if err := db.open(); err != nil {
		return nil, err
	}
	if err := db.start(); err != nil {
		db.bolt.Close()
		return nil, err
	}
	return db, nil
}

// OpenEngine opens the archive kept in eng (a bbolt file or a PostgreSQL database), runs
// pending schema migrations and returns it; the DB owns eng from then on and closes it on
// failure too. On engines other than bbolt, Options.Dir names the folder of backups and
// attachments (the server's data folder).
func OpenEngine(eng kv.Engine, opts Options) (*DB, error) {
	if opts.Keys == nil {
		eng.Close()
		return nil, errors.New("open engine: no audit key ring")
	}
	var db *DB
	if b, ok := eng.(*kv.Bolt); ok {
		db = newDB(b.DB.Path(), opts)
		db.bolt = b.DB
	} else {
		if opts.Dir == "" {
			eng.Close()
			return nil, fmt.Errorf("open %s engine: Options.Dir (folder of backups and attachments) is required", eng.Kind())
		}
		db = newDB(filepath.Join(opts.Dir, "archive.db"), opts)
	}
	db.kv = eng
	if err := db.migrate(); err != nil {
		eng.Close()
		return nil, err
	}
	if err := db.start(); err != nil {
		eng.Close()
		return nil, err
	}
	return db, nil
}

func newDB(path string, opts Options) *DB {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	db := &DB{path: path, opts: opts, now: opts.Now}
	db.planner.current, db.planner.bundled = opts.Planner, opts.Planner
	return db
}

// start finishes opening a migrated archive: the key segment, the rule table in force, the
// read auditor and the change feed.
func (db *DB) start() error {
	if err := db.recordKeySegment(); err != nil {
		return err
	}
	if err := db.applyRuleOverride(); err != nil {
		return fmt.Errorf("档案中修改过的规则表无法读取: %w", err)
	}
	db.reads = newReadAuditor(db)
	db.startChanges()
	return nil
}

// open opens (or reopens, after Restore and Compact) the bbolt file and migrates it.
func (db *DB) open() error {
	// No InitialMmapSize: it would make bbolt grow the file in 16 MiB steps, so even an empty
	// archive would take 16 MiB; remapping during a large import costs less than that surprise.
	b, err := bbolt.Open(db.path, 0o600, &bbolt.Options{Timeout: db.opts.Timeout, FreelistType: bbolt.FreelistMapType})
	if errors.Is(err, berrors.ErrTimeout) {
		return app.Errorf(app.ELOCKED, "档案“%s”已被另一个程序打开（程序已在运行？）。请先关闭另一个窗口，或在“联网”模式下共用档案。", db.path)
	} else if err != nil {
		return fmt.Errorf("open archive %s: %w", db.path, err)
	}
	db.bolt = b
	db.kv = kv.NewBolt(b)
	if err := db.migrate(); err != nil {
		b.Close()
		return err
	}
	return nil
}

// Close stops the change feed, flushes pending read-audit entries and closes the engine.
func (db *DB) Close() error {
	db.stopChanges()
	if db.reads != nil {
		db.reads.close()
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.kv == nil {
		return nil
	}
	err := db.kv.Close()
	db.bolt, db.kv = nil, nil
	return err
}

// Path returns the archive file (on engines other than bbolt, a name in Options.Dir that
// backups are named after; no such file exists).
func (db *DB) Path() string { return db.path }

// Bolt returns the underlying bbolt handle, for maintenance; nil on other engines.
func (db *DB) Bolt() *bbolt.DB { return db.bolt }

// Engine returns the key-value engine the archive is kept in.
func (db *DB) Engine() kv.Engine { return db.kv }

// Now returns the DB's clock reading.
func (db *DB) Now() time.Time { return db.now() }

// view runs fn in a read transaction after authorising action.
func (db *DB) view(ctx context.Context, action string, fn func(tx kv.Tx, scope app.Scope) error) error {
	var scope app.Scope
	if action != "" { // "": the store's own background work (sealing cards), like update
		s, err := app.Authorize(ctx, action)
		if err != nil {
			return err
		}
		scope = s
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.kv.View(func(tx kv.Tx) error { return fn(tx, scope) })
}

// txn is a write transaction with its audit context.
type txn struct {
	tx    kv.Tx
	db    *DB
	now   time.Time
	user  *app.User
	ws    string
	scope app.Scope
	inst  *app.Institution // cached by institution()
	// touched lists the workers and employers this transaction wrote (for the case cards'
	// caches, told after the commit).
	touchedWorkers, touchedEmployers []int64
}

// institution returns the institution, decoded once per transaction.
func (t *txn) institution() (*app.Institution, error) {
	if t.inst != nil {
		return t.inst, nil
	}
	in, _, err := loadInstitution(t.tx)
	t.inst = in
	return in, err
}

// update runs fn in a write transaction after authorising action (an empty action skips the
// check, for set-up and login bookkeeping) and refusing a clock earlier than the newest audit
// entry.
func (db *DB) update(ctx context.Context, action string, fn func(t *txn) error) error {
	var scope app.Scope
	if action != "" {
		s, err := app.Authorize(ctx, action)
		if err != nil {
			return err
		}
		scope = s
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	now := db.now()
	var done *txn
	var notices []app.Change
	err := db.kv.Update(func(tx kv.Tx) error {
		rec := newRecTx(tx)
		t := &txn{tx: rec, db: db, now: now, user: app.UserFromContext(ctx), ws: app.WorkstationFromContext(ctx), scope: scope}
		if t.ws == "" {
			t.ws = db.opts.Workstation
		}
		if err := t.checkClock(); err != nil {
			return err
		}
		done = t
		if err := fn(t); err != nil {
			return err
		}
		notices = rec.tc.notices(t.username(), now)
		return db.notify(tx, notices)
	})
	if err != nil {
		return err
	}
	if done != nil && (len(done.touchedWorkers) > 0 || len(done.touchedEmployers) > 0) {
		if f := db.registryChanged.Load(); f != nil {
			(*f)(done.touchedWorkers, done.touchedEmployers)
		}
	}
	db.changes.publish(notices)
	return nil
}

func (t *txn) username() string {
	if t.user == nil {
		return ""
	}
	return t.user.Username
}

// checkClock refuses a write when this computer's clock is earlier than the newest audit
// entry: signatures and deadlines must not be backdated.
func (t *txn) checkClock() error {
	last, ok := readAuditHead(t.tx)
	if ok && t.now.Before(last.Time) {
		return app.Errorf(app.ECLOCK, "本机时间 %s 早于档案中最新一条记录的时间 %s。请校正电脑时间后再操作（不允许倒签）。",
			t.now.Format("2006-01-02 15:04:05"), last.Time.Local().Format("2006-01-02 15:04:05"))
	}
	return nil
}

// nextID returns the next sequence of bucket b.
func (t *txn) nextID(b []byte) (uint64, error) {
	return t.tx.Bucket(b).NextSequence()
}

// appendFill is the page fill factor of buckets keyed by sequence numbers: new keys always go
// to the end, so pages can be filled almost fully instead of bbolt's default half.
const appendFill = 0.9

// put stores a record and returns its canonical bytes.
func (t *txn) put(bucket []byte, id uint64, v any) ([]byte, error) {
	enc, err := encode(v)
	if err != nil {
		return nil, err
	}
	b := t.tx.Bucket(bucket)
	b.SetFillPercent(appendFill)
	if err := b.Put(itob(id), enc); err != nil {
		return nil, fmt.Errorf("put %s/%d: %w", bucket, id, err)
	}
	return enc, nil
}

// get reads a record; ok=false when absent.
func get(tx kv.Tx, bucket []byte, id uint64, v any) (raw []byte, ok bool, err error) {
	b := tx.Bucket(bucket).Get(itob(id))
	if b == nil {
		return nil, false, nil
	}
	raw = append([]byte(nil), b...)
	return raw, true, decode(b, v)
}

// prefetch tells an engine with a round trip per Get (PostgreSQL) which records of bucket the
// caller is about to read, so that they come in one statement; bbolt ignores it. Long lists
// are left to the Gets (the transaction's cache is bounded).
func prefetch[T int64 | uint64](tx kv.Tx, bucket []byte, ids []T) {
	if len(ids) < 2 || len(ids) > 5000 {
		return
	}
	p, ok := tx.Bucket(bucket).(kv.Prefetcher)
	if !ok {
		return
	}
	keys := make([][]byte, len(ids))
	for i, id := range ids {
		keys[i] = itob(uint64(id))
	}
	p.Prefetch(keys)
}

// conflict returns the ECONFLICT error for a stale version.
func conflict(what string, by string, at time.Time) error {
	if by == "" {
		by = "系统"
	}
	return app.Errorf(app.ECONFLICT, "%s已被“%s”于 %s 修改，您看到的是旧版本。请重新打开后再修改（您输入的内容仍在窗口中）。", what, by, at.Local().Format("2006-01-02 15:04:05"))
}

// recordKeySegment appends an entry when the key that signs from now on is not the key of the
// newest entry: the key ring was lost or rotated, and a new chain segment starts. The entry is
// chained to the old segment, so the old one cannot be replaced later without breaking it.
func (db *DB) recordKeySegment() error {
	cur := db.opts.Keys.Current()
	return db.kv.Update(func(tx kv.Tx) error {
		last, ok := lastAudit(tx)
		if !ok || last.KeyID == cur.ID {
			return nil
		}
		note := fmt.Sprintf("审计密钥变更：密钥 %s 开始新的链段（上一段由密钥 %s 签名）", cur.ID, last.KeyID)
		if _, known := db.opts.Keys.ByID(last.KeyID); !known {
			note += "；上一段的密钥不在本机，旧链段今后无法核对校验码"
		}
		now := db.now()
		if now.Before(last.Time) {
			now = last.Time
		}
		_, err := appendAudit(tx, db.opts.Keys, app.AuditEntry{Time: now, Workstation: db.opts.Workstation, Action: "audit.key_segment", Entity: "audit", Note: note})
		return err
	})
}
