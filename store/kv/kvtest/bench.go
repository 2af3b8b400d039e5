package kvtest

import (
	"encoding/binary"
	"testing"

	"occhealth/store/kv"
)

// OpenB returns a fresh, empty engine for a benchmark; Bench closes it.
type OpenB func(b *testing.B) kv.Engine

// Bench measures the operations a service method is made of, on 10,000 keys of 200 bytes:
// a read transaction with one Get, one with a 100-key cursor walk, a walk of all 10,000, and a
// write transaction
// that reads one key and writes three.
func Bench(b *testing.B, open OpenB) {
	e := open(b)
	defer e.Close()
	const n = 10000
	val := make([]byte, 200)
	if err := e.Update(func(tx kv.Tx) error {
		bk, err := tx.CreateBucketIfNotExists([]byte("b"))
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := bk.Put(binary.BigEndian.AppendUint64(nil, uint64(i)), val); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	key := func(i int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(i%n)) }
	b.Run("view_get", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i += 7919
			if err := e.View(func(tx kv.Tx) error {
				if tx.Bucket([]byte("b")).Get(key(i)) == nil {
					b.Fatal("missing key")
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("view_scan_100", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i += 7919
			if err := e.View(func(tx kv.Tx) error {
				c := tx.Bucket([]byte("b")).Cursor()
				m := 0
				for k, _ := c.Seek(key(i % (n - 100))); k != nil && m < 100; k, _ = c.Next() {
					m++
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("view_walk_all", func(b *testing.B) {
		for b.Loop() {
			if err := e.View(func(tx kv.Tx) error {
				m := 0
				c := tx.Bucket([]byte("b")).Cursor()
				for k, _ := c.First(); k != nil; k, _ = c.Next() {
					m++
				}
				if m != n {
					b.Fatalf("walked %d keys", m)
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("update_get_put3", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i += 7919
			if err := e.Update(func(tx kv.Tx) error {
				bk := tx.Bucket([]byte("b"))
				bk.Get(key(i))
				id, _ := bk.NextSequence()
				bk.Put(key(i), val)
				bk.Put(key(i+1), val)
				return bk.Put(binary.BigEndian.AppendUint64([]byte("x"), id), val)
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
