// Package kv is the ordered key-value engine the store's services run on: bbolt on one PC and
// behind a server, PostgreSQL (store/pg) at large sites. The services see buckets of ordered
// byte keys, cursors, per-bucket sequences and serialisable write transactions — the shape of
// bbolt, which every engine must reproduce exactly (the engine conformance tests in
// store/kv/kvtest hold each one to it).
//
// Keys compare as bytes (memcmp order). Values returned by Get and cursors are valid until the
// transaction ends; callers copy what they keep.
package kv

import (
	"context"
	"errors"
)

// Engine opens transactions. Update transactions are serialised: at most one runs at a time
// across every process sharing the store, and it sees the writes of every one committed
// before it.
type Engine interface {
	// View runs fn in a read-only snapshot.
	View(fn func(Tx) error) error
	// Update runs fn in a write transaction, committed when fn returns nil and rolled back
	// otherwise (nothing half-written).
	Update(fn func(Tx) error) error
	// Close releases the engine.
	Close() error
	// Kind names the engine: "bbolt" or "postgres".
	Kind() string
}

// Tx is one transaction.
type Tx interface {
	// Bucket returns the named top-level bucket, or nil when it does not exist.
	Bucket(name []byte) Bucket
	// CreateBucketIfNotExists creates the named bucket in a write transaction.
	CreateBucketIfNotExists(name []byte) (Bucket, error)
	// DeleteBucket removes a bucket and everything in it.
	DeleteBucket(name []byte) error
	// ForEachBucket calls fn for every bucket, in name order.
	ForEachBucket(fn func(name []byte, b Bucket) error) error
	// Writable reports whether this is a write transaction.
	Writable() bool
	// OnCommit registers fn to run after a successful commit (write transactions only).
	OnCommit(fn func())
}

// Bucket is an ordered map of byte keys to byte values with a sequence counter.
type Bucket interface {
	Get(key []byte) []byte
	Put(key, value []byte) error
	Delete(key []byte) error
	Cursor() Cursor
	// ForEach calls fn for every pair in key order; an error stops the walk.
	ForEach(fn func(k, v []byte) error) error
	// NextSequence increments and returns the bucket's sequence.
	NextSequence() (uint64, error)
	Sequence() uint64
	SetSequence(v uint64) error
	// KeyN counts the keys.
	KeyN() int
	// SetFillPercent hints that keys are appended in order (bbolt page fill); engines that
	// have no pages ignore it.
	SetFillPercent(f float64)
}

// Cursor walks a bucket in key order. Each move returns the pair it lands on, or nil keys
// past either end.
type Cursor interface {
	First() (k, v []byte)
	Last() (k, v []byte)
	Seek(seek []byte) (k, v []byte)
	Next() (k, v []byte)
	Prev() (k, v []byte)
	// Delete removes the pair the cursor is on.
	Delete() error
}

// ErrReadOnly is returned by writes in a View transaction.
var ErrReadOnly = errors.New("kv: write in a read-only transaction")

// CopyAll copies every bucket of src, with its sequence, into dst (which must be empty of those
// buckets or hold the same keys): migrations between engines and engine-neutral backups.
// It returns the number of keys copied.
func CopyAll(dst, src Tx) (int, error) {
	n := 0
	err := src.ForEachBucket(func(name []byte, sb Bucket) error {
		db, err := dst.CreateBucketIfNotExists(name)
		if err != nil {
			return err
		}
		if err := sb.ForEach(func(k, v []byte) error {
			n++
			return db.Put(k, v)
		}); err != nil {
			return err
		}
		return db.SetSequence(sb.Sequence())
	})
	return n, err
}

// Notifier is implemented by engines that several processes share (PostgreSQL): a notice
// sent inside a write transaction reaches every listener on the same store after the commit,
// and never when the transaction rolls back.
type Notifier interface {
	// Notify queues payload (at most 7,900 bytes) for delivery at tx's commit.
	Notify(tx Tx, payload []byte) error
	// Listen calls fn with every notice, from this process and others, until ctx ends. After
	// the link to the store was lost and restored it calls fn(nil): notices may be missing.
	Listen(ctx context.Context, fn func(payload []byte)) error
}

// BulkLoader is implemented by engines with a faster way to replace the whole store than
// CopyAll through Put (PostgreSQL's COPY).
type BulkLoader interface {
	// Load replaces every bucket by the buckets of src in one transaction.
	Load(src Tx) (int, error)
}

// Prefetcher is implemented by the buckets of engines where each Get is a round trip
// (PostgreSQL): Prefetch reads the given keys at once into the transaction's cache, so that
// the Gets that follow cost nothing. Keys absent from the bucket are remembered as absent.
type Prefetcher interface {
	Prefetch(keys [][]byte)
}
