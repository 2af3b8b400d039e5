// Package transfer copies a whole archive between storage engines (bbolt file ↔ PostgreSQL) and
// proves the copy: every bucket's key count, sequence and a SHA-256 over its ordered pairs must
// match on both sides. The audit chain travels as data, so it verifies on the copy with the
// same key ring.
package transfer

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"occhealth/app"
	"occhealth/store/kv"
)

// BucketSum describes one bucket.
type BucketSum struct {
	Name   string `json:"name"`
	Keys   int    `json:"keys"`
	Seq    uint64 `json:"seq"`
	SHA256 string `json:"sha256"`
}

// Summary describes a whole store, buckets in name order.
type Summary struct {
	Buckets []BucketSum `json:"buckets"`
	Keys    int         `json:"keys"`
}

// Summarize reads every bucket of tx.
func Summarize(tx kv.Tx) (Summary, error) {
	var s Summary
	err := tx.ForEachBucket(func(name []byte, b kv.Bucket) error {
		h := sha256.New()
		var n int
		var lenbuf [8]byte
		if err := b.ForEach(func(k, v []byte) error {
			n++
			binary.BigEndian.PutUint32(lenbuf[:4], uint32(len(k)))
			binary.BigEndian.PutUint32(lenbuf[4:], uint32(len(v)))
			h.Write(lenbuf[:])
			h.Write(k)
			h.Write(v)
			return nil
		}); err != nil {
			return err
		}
		s.Buckets = append(s.Buckets, BucketSum{Name: string(name), Keys: n, Seq: b.Sequence(), SHA256: hex.EncodeToString(h.Sum(nil))})
		s.Keys += n
		return nil
	})
	return s, err
}

// Compare returns a Chinese description of the first difference, or "".
func Compare(want, got Summary) string {
	if len(want.Buckets) != len(got.Buckets) {
		return fmt.Sprintf("数据分区数量不一致：源 %d 个，目标 %d 个", len(want.Buckets), len(got.Buckets))
	}
	for i, w := range want.Buckets {
		g := got.Buckets[i]
		switch {
		case w.Name != g.Name:
			return fmt.Sprintf("数据分区不一致：源“%s”，目标“%s”", w.Name, g.Name)
		case w.Keys != g.Keys:
			return fmt.Sprintf("“%s”的记录数不一致：源 %d 条，目标 %d 条", w.Name, w.Keys, g.Keys)
		case w.Seq != g.Seq:
			return fmt.Sprintf("“%s”的编号序列不一致：源 %d，目标 %d", w.Name, w.Seq, g.Seq)
		case w.SHA256 != g.SHA256:
			return fmt.Sprintf("“%s”的内容校验值不一致", w.Name)
		}
	}
	return ""
}

// BulkLoader is an engine that can replace its whole content from another store faster than
// one Put per key (PostgreSQL's COPY).
type BulkLoader interface {
	Load(src kv.Tx) (int, error)
}

// Copy copies every bucket of src into dst in one write transaction, refusing a destination
// that already holds data, then re-reads both sides and compares their summaries. Nothing is
// left half-written: a failure rolls the destination back.
func Copy(dst, src kv.Engine) (Summary, error) {
	var want Summary
	err := src.View(func(stx kv.Tx) error {
		s, err := Summarize(stx)
		if err != nil {
			return fmt.Errorf("read source: %w", err)
		}
		want = s
		if err := dst.View(refuseData); err != nil {
			return err
		}
		if l, ok := dst.(BulkLoader); ok {
			_, err := l.Load(stx)
			return err
		}
		return dst.Update(func(dtx kv.Tx) error {
			if err := refuseData(dtx); err != nil {
				return err
			}
			_, err := kv.CopyAll(dtx, stx)
			return err
		})
	})
	if err != nil {
		return want, err
	}
	var got Summary
	if err := dst.View(func(tx kv.Tx) error {
		s, err := Summarize(tx)
		got = s
		return err
	}); err != nil {
		return want, fmt.Errorf("read destination: %w", err)
	}
	if d := Compare(want, got); d != "" {
		return want, app.Errorf(app.EINTERNAL, "迁移后核对失败：%s", d)
	}
	return want, nil
}

// refuseData refuses a destination holding any key.
func refuseData(tx kv.Tx) error {
	var name []byte
	if err := tx.ForEachBucket(func(n []byte, b kv.Bucket) error {
		if name == nil && b.KeyN() > 0 {
			name = bytes.Clone(n)
		}
		return nil
	}); err != nil {
		return err
	}
	if name != nil {
		return app.Errorf(app.EUNSAFE, "目标中已有数据（%s 等），为免覆盖，迁移只写入空的目标。请换一个空的目标。", name)
	}
	return nil
}
