// Package pg is the PostgreSQL engine of the store (kv.Engine): the same buckets, ordered keys,
// cursors and sequences as bbolt, kept in two tables, so that every service of store/bolt runs
// on it unchanged. Large sites and several server instances share one database.
//
// Write transactions are serialised across every process on the database with a
// transaction-scoped advisory lock (one writer, as in bbolt); read transactions are
// REPEATABLE READ READ ONLY snapshots. Within a transaction, reads are cached and writes are
// queued and sent in one batch before the next read that needs the server and at commit, so
// that a service method costs a few round trips rather than one per key.
//
// Errors of the connection (server down, network gone) come back as app.EUNAVAILABLE with a
// Chinese message; the transaction is rolled back, nothing is half-written.
package pg

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"occhealth/app"
	"occhealth/store/kv"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Advisory lock keys (database-scoped): the writer lock and the migration lock.
const (
	writerLock    int64 = 0x6f63636b76 // "occkv"
	migrationLock int64 = 0x6f63636d67 // "occmg"
)

// Engine is a kv.Engine on a PostgreSQL database.
type Engine struct {
	pool *pgxpool.Pool
	dsn  string
	// wmu serialises this process's writers before they take a connection, so that writers
	// queueing for the advisory lock do not hold the pool's connections away from readers.
	wmu sync.Mutex
	// stmtTimeout is the deadline of one statement (ns; 0: the default).
	stmtTimeout atomic.Int64
}

var (
	_ kv.Engine   = (*Engine)(nil)
	_ kv.Notifier = (*Engine)(nil)
)

// Open connects to the database at dsn ("postgres://…" or "host=… dbname=…"), applies the
// engine's pending schema migrations, and returns the engine. A database migrated by a newer
// program is refused with EVERSION; an unreachable server gives EUNAVAILABLE.
func Open(ctx context.Context, dsn string) (*Engine, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "数据库连接地址有误：%v", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	// Every statement here is a key lookup or a key-range walk whose right plan is the primary
	// key's index scan; a custom plan chosen from stale statistics can be a bitmap scan and a
	// sort of the whole range instead (10x slower for a 4,096-row window).
	if _, ok := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !ok {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	// Statements are prepared once per connection and reused (pgx's statement cache).
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, unavailable(err)
	}
	e := &Engine{pool: pool, dsn: dsn}
	if err := e.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return e, nil
}

// Kind is "postgres".
func (e *Engine) Kind() string { return "postgres" }

// Close closes every connection.
func (e *Engine) Close() error { e.pool.Close(); return nil }

// Pool is the connection pool (bulk loads and maintenance).
func (e *Engine) Pool() *pgxpool.Pool { return e.pool }

// SchemaVersion is the newest engine migration this program knows.
func SchemaVersion() int {
	ms, _ := loadMigrations()
	return ms[len(ms)-1].version
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	ents, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, ent := range ents {
		name := ent.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("migration file %s: want NNNN_name.sql", name)
		}
		b, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, strings.TrimSuffix(name, ".sql"), string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: versions must run 1, 2, 3 … without gaps", m.name)
		}
	}
	return out, nil
}

// migrate applies the pending migrations in order, each in its own transaction under the
// migration lock (two servers starting at once migrate once).
func (e *Engine) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	for {
		done, err := e.migrateOne(ctx, ms)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

func (e *Engine) migrateOne(ctx context.Context, ms []migration) (done bool, err error) {
	err = pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var cur int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&cur); err != nil {
			return err
		}
		if cur > len(ms) {
			return app.Errorf(app.EVERSION, "数据库由较新版本的程序建立（数据库结构版本 %d，本程序为 %d），请升级本程序后再连接。", cur, len(ms))
		}
		if cur == len(ms) {
			done = true
			return nil
		}
		m := ms[cur]
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name)
		return err
	})
	if err != nil {
		var ae *app.Error
		if errors.As(err, &ae) {
			return false, err
		}
		return false, unavailable(err)
	}
	return done, nil
}

// View runs fn in a read-only REPEATABLE READ snapshot.
func (e *Engine) View(fn func(kv.Tx) error) error { return e.run(false, fn) }

// Update runs fn in a write transaction, serialised with every other writer on the database.
func (e *Engine) Update(fn func(kv.Tx) error) error { return e.run(true, fn) }

func (e *Engine) run(writable bool, fn func(kv.Tx) error) error {
	onCommit, err := e.runTx(writable, fn)
	// As in bbolt, commit handlers run after the writer lock is released: they may start
	// transactions of their own.
	for _, f := range onCommit {
		f()
	}
	return err
}

func (e *Engine) runTx(writable bool, fn func(kv.Tx) error) ([]func(), error) {
	ctx := context.Background()
	if writable {
		e.wmu.Lock()
		defer e.wmu.Unlock()
	}
	pc, err := e.pool.Acquire(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	// A connection left inside a transaction (a failure between BEGIN and COMMIT) is closed
	// by the pool on Release rather than reused.
	defer pc.Release()
	t := &tx{e: e, ctx: ctx, ptx: timedConn{pc.Conn(), e.timeout()}, raw: pc.Conn(), writable: writable}
	done := false
	defer func() {
		if !done {
			t.rollback()
		}
	}()
	if err := t.begin(); err != nil {
		return nil, unavailable(err)
	}
	ferr := fn(t)
	if ferr == nil && t.err == nil && writable {
		t.flush()
	}
	if t.err != nil {
		return nil, unavailable(t.err)
	}
	if ferr != nil {
		return nil, ferr
	}
	done = true
	tag, err := t.ptx.Exec(ctx, "COMMIT")
	if err != nil {
		t.rollback()
		return nil, unavailable(err)
	}
	if tag.String() != "COMMIT" {
		return nil, fmt.Errorf("pg: transaction ended with %s", tag)
	}
	return t.onCommit, nil
}

// unavailable turns connection failures into EUNAVAILABLE; other errors pass through.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	if !connectionError(err) {
		return err
	}
	if pgconn.Timeout(err) {
		return &app.Error{Code: app.EUNAVAILABLE, Message: "数据库服务器没有响应，本次操作没有保存任何内容。请检查数据库服务器和网络后重试。（" + err.Error() + "）"}
	}
	return &app.Error{Code: app.EUNAVAILABLE, Message: "数据库服务器无法连接，本次操作没有保存任何内容。请检查数据库服务器和网络后重试。（" + err.Error() + "）"}
}

func connectionError(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Class 08: connection exceptions; 57P01-57P03: server shutting down or starting.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, net.ErrClosed), pgconn.SafeToRetry(err), pgconn.Timeout(err):
		return true
	}
	s := err.Error()
	return strings.Contains(s, "conn closed") || strings.Contains(s, "connection refused") || strings.Contains(s, "broken pipe")
}
