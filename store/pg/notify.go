package pg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"occhealth/store/kv"
)

// channel is the LISTEN/NOTIFY channel of change notices.
const channel = "occhealth_changes"

// maxPayload is below PostgreSQL's 8,000-byte NOTIFY limit.
const maxPayload = 7900

// Notify queues a notice for delivery when tx commits (pg_notify is transactional).
func (e *Engine) Notify(t kv.Tx, payload []byte) error {
	pt, ok := t.(*tx)
	if !ok || !pt.writable {
		return errors.New("pg: Notify needs a write transaction of this engine")
	}
	if len(payload) > maxPayload {
		return fmt.Errorf("pg: notice of %d bytes is over the %d-byte limit", len(payload), maxPayload)
	}
	pt.queue("SELECT pg_notify($1, $2)", channel, string(payload))
	return pt.err
}

// Listen holds a dedicated connection listening for notices and calls fn with each one until
// ctx ends. When the connection breaks it reconnects (every second at first, then up to every
// 10 s) and calls fn(nil), since notices sent meanwhile are lost.
func (e *Engine) Listen(ctx context.Context, fn func(payload []byte)) error {
	delay := time.Second
	lost := false
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, e.pool.Config().ConnConfig.Copy())
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+channel)
		}
		if err == nil {
			delay = time.Second
			if lost {
				fn(nil)
				lost = false
			}
			for {
				n, werr := conn.WaitForNotification(ctx)
				if werr != nil {
					err = werr
					break
				}
				fn([]byte(n.Payload))
			}
		}
		if conn != nil {
			cctx, cancel := context.WithTimeout(context.Background(), time.Second)
			conn.Close(cctx)
			cancel()
		}
		if ctx.Err() != nil {
			break
		}
		lost = true
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
		if delay < 10*time.Second {
			delay *= 2
		}
	}
	return nil
}

// Load replaces every bucket by the buckets of src in one write transaction, with COPY: a
// million keys load in seconds rather than the minutes of one INSERT each.
func (e *Engine) Load(src kv.Tx) (int, error) {
	n := 0
	err := e.Update(func(kt kv.Tx) error {
		t := kt.(*tx)
		t.flush()
		if t.err != nil {
			return t.err
		}
		if _, err := t.raw.Exec(t.ctx, "DELETE FROM kv"); err != nil {
			return err
		}
		if _, err := t.raw.Exec(t.ctx, "DELETE FROM kv_bucket"); err != nil {
			return err
		}
		t.buckets = map[string]*bucket{}
		return src.ForEachBucket(func(name []byte, sb kv.Bucket) error {
			var id int64
			if err := t.ptx.QueryRow(t.ctx, "INSERT INTO kv_bucket (name, seq) VALUES ($1, $2) RETURNING id", name, int64(sb.Sequence())).Scan(&id); err != nil {
				return err
			}
			t.buckets[string(name)] = &bucket{t: t, id: id, name: append([]byte(nil), name...), seq: sb.Sequence()}
			c := sb.Cursor()
			k, v := c.First()
			var ferr error
			m, err := t.raw.CopyFrom(t.ctx, pgx.Identifier{"kv"}, []string{"b", "k", "v"}, pgx.CopyFromFunc(func() ([]any, error) {
				if k == nil {
					return nil, nil
				}
				val := bytes.Clone(v)
				if val == nil {
					val = []byte{}
				}
				row := []any{id, bytes.Clone(k), val}
				k, v = c.Next()
				return row, ferr
			}))
			n += int(m)
			return err
		})
	})
	return n, err
}
