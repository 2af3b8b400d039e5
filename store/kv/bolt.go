package kv

import (
	"go.etcd.io/bbolt"
)

// Bolt is the bbolt engine.
type Bolt struct{ DB *bbolt.DB }

// NewBolt wraps an open bbolt database.
func NewBolt(db *bbolt.DB) *Bolt { return &Bolt{DB: db} }

func (e *Bolt) Kind() string { return "bbolt" }
func (e *Bolt) Close() error { return e.DB.Close() }

func (e *Bolt) View(fn func(Tx) error) error {
	return e.DB.View(func(tx *bbolt.Tx) error { return fn(&BoltTx{Tx: tx}) })
}

func (e *Bolt) Update(fn func(Tx) error) error {
	return e.DB.Update(func(tx *bbolt.Tx) error { return fn(&BoltTx{Tx: tx}) })
}

// BoltTx is a bbolt transaction; Tx gives file-level operations (WriteTo, Check) to code that
// knows it runs on bbolt.
type BoltTx struct{ Tx *bbolt.Tx }

func (t *BoltTx) Bucket(name []byte) Bucket {
	b := t.Tx.Bucket(name)
	if b == nil {
		return nil
	}
	return boltBucket{b}
}

func (t *BoltTx) CreateBucketIfNotExists(name []byte) (Bucket, error) {
	b, err := t.Tx.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, err
	}
	return boltBucket{b}, nil
}

func (t *BoltTx) DeleteBucket(name []byte) error { return t.Tx.DeleteBucket(name) }
func (t *BoltTx) Writable() bool                 { return t.Tx.Writable() }
func (t *BoltTx) OnCommit(fn func())             { t.Tx.OnCommit(fn) }

func (t *BoltTx) ForEachBucket(fn func(name []byte, b Bucket) error) error {
	return t.Tx.ForEach(func(name []byte, b *bbolt.Bucket) error { return fn(name, boltBucket{b}) })
}

type boltBucket struct{ b *bbolt.Bucket }

func (b boltBucket) Get(k []byte) []byte                      { return b.b.Get(k) }
func (b boltBucket) Put(k, v []byte) error                    { return b.b.Put(k, v) }
func (b boltBucket) Delete(k []byte) error                    { return b.b.Delete(k) }
func (b boltBucket) Cursor() Cursor                           { return b.b.Cursor() }
func (b boltBucket) ForEach(fn func(k, v []byte) error) error { return b.b.ForEach(fn) }
func (b boltBucket) NextSequence() (uint64, error)            { return b.b.NextSequence() }
func (b boltBucket) Sequence() uint64                         { return b.b.Sequence() }
func (b boltBucket) SetSequence(v uint64) error               { return b.b.SetSequence(v) }
func (b boltBucket) KeyN() int                                { return b.b.Stats().KeyN }
func (b boltBucket) SetFillPercent(f float64)                 { b.b.FillPercent = f }
