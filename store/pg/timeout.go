package pg

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Timeouts: a database server that stops answering (a LAN cable pulled, a host frozen) fails
// the transaction within stmtTimeout instead of hanging the server process for the many
// minutes TCP takes to give up. Waiting for the writer lock may take longer: another server
// instance may be restoring a large backup.
const (
	defaultStmtTimeout = time.Minute
	lockTimeout        = 5 * time.Minute
)

// SetStatementTimeout changes how long one statement may take before the transaction fails
// with EUNAVAILABLE (default one minute).
func (e *Engine) SetStatementTimeout(d time.Duration) { e.stmtTimeout.Store(int64(d)) }

func (e *Engine) timeout() time.Duration {
	if d := time.Duration(e.stmtTimeout.Load()); d > 0 {
		return d
	}
	return defaultStmtTimeout
}

// timedConn gives each statement on c a deadline.
type timedConn struct {
	c *pgx.Conn
	d time.Duration
}

func (t timedConn) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	defer cancel()
	return t.c.Exec(ctx, sql, args...)
}

func (t timedConn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	rows, err := t.c.Query(ctx, sql, args...)
	if err != nil {
		cancel()
		return nil, err
	}
	return timedRows{rows, cancel}, nil
}

func (t timedConn) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	return timedRow{t.c.QueryRow(ctx, sql, args...), cancel}
}

func (t timedConn) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	return timedBatch{t.c.SendBatch(ctx, b), cancel}
}

func (t timedConn) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	return t.c.CopyFrom(ctx, table, columns, src) // bulk loads take as long as they take
}

type timedRows struct {
	pgx.Rows
	cancel context.CancelFunc
}

func (r timedRows) Close() { r.Rows.Close(); r.cancel() }

type timedRow struct {
	row    pgx.Row
	cancel context.CancelFunc
}

func (r timedRow) Scan(dest ...any) error { defer r.cancel(); return r.row.Scan(dest...) }

type timedBatch struct {
	pgx.BatchResults
	cancel context.CancelFunc
}

func (b timedBatch) Close() error { defer b.cancel(); return b.BatchResults.Close() }
