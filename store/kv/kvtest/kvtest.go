// Package kvtest is the conformance suite of kv engines: every engine must behave as bbolt
// does, since the store's services are written against that behaviour. Engine tests call Run
// with a function that opens a fresh, empty engine.
package kvtest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"occhealth/store/kv"
)

// Open returns a fresh, empty engine; the suite closes it.
type Open func(t *testing.T) kv.Engine

var errRollback = errors.New("rollback please")

// Run runs the suite.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, kv.Engine)
	}{
		{"Ordering", testOrdering},
		{"Seek", testSeek},
		{"Ends", testEnds},
		{"SeekWalk", testSeekWalk},
		{"CursorDelete", testCursorDelete},
		{"OwnWrites", testOwnWrites},
		{"Rollback", testRollback},
		{"Sequences", testSequences},
		{"Buckets", testBuckets},
		{"Values", testValues},
		{"ReadOnly", testReadOnly},
		{"OnCommit", testOnCommit},
		{"Snapshot", testSnapshot},
		{"SerialUpdates", testSerialUpdates},
		{"ManyKeys", testManyKeys},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := open(t)
			t.Cleanup(func() { e.Close() })
			tc.fn(t, e)
		})
	}
}

var bk = []byte("b")

func update(t *testing.T, e kv.Engine, fn func(tx kv.Tx, b kv.Bucket) error) {
	t.Helper()
	if err := e.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bk)
		if err != nil {
			return err
		}
		return fn(tx, b)
	}); err != nil {
		t.Fatal(err)
	}
}

func view(t *testing.T, e kv.Engine, fn func(tx kv.Tx, b kv.Bucket) error) {
	t.Helper()
	if err := e.View(func(tx kv.Tx) error { return fn(tx, tx.Bucket(bk)) }); err != nil {
		t.Fatal(err)
	}
}

func put(t *testing.T, e kv.Engine, keys ...string) {
	t.Helper()
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		for _, k := range keys {
			if err := b.Put([]byte(k), []byte("v"+k)); err != nil {
				return err
			}
		}
		return nil
	})
}

// walk lists the keys of a bucket forwards (ForEach and cursor) and backwards, checking the
// three agree.
func walk(t *testing.T, b kv.Bucket) []string {
	t.Helper()
	var fe, fw, bw []string
	if err := b.ForEach(func(k, v []byte) error {
		if !bytes.Equal(v, append([]byte("v"), k...)) && len(v) < 100 {
			return fmt.Errorf("value of %q is %q", k, v)
		}
		fe = append(fe, string(k))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		fw = append(fw, string(k))
	}
	c = b.Cursor()
	for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
		bw = append(bw, string(k))
	}
	slices.Reverse(bw)
	if !slices.Equal(fe, fw) || !slices.Equal(fe, bw) {
		t.Fatalf("ForEach %q, cursor forwards %q, backwards %q", fe, fw, bw)
	}
	return fe
}

func testOrdering(t *testing.T, e kv.Engine) {
	keys := []string{"b", "a", "\x00", "\xff", "ab", "a\x00", "\xff\xff", "B", "aa", "张三", "\x80", "a\xff"}
	rand.New(rand.NewSource(1)).Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	put(t, e, keys...)
	want := slices.Clone(keys)
	slices.Sort(want) // Go strings compare as bytes: memcmp order
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if got := walk(t, b); !slices.Equal(got, want) {
			t.Errorf("order %q, want %q", got, want)
		}
		return nil
	})
}

func testSeek(t *testing.T, e kv.Engine) {
	put(t, e, "b", "d", "f")
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		for _, tc := range []struct{ seek, want string }{{"", "b"}, {"a", "b"}, {"b", "b"}, {"c", "d"}, {"d", "d"}, {"e", "f"}, {"f", "f"}, {"g", ""}} {
			c := b.Cursor()
			k, v := c.Seek([]byte(tc.seek))
			if string(k) != tc.want || (k != nil && string(v) != "v"+tc.want) {
				t.Errorf("Seek(%q) = %q %q, want %q", tc.seek, k, v, tc.want)
			}
		}
		// Past the end, Prev is the last key (the reverse-walk idiom).
		c := b.Cursor()
		c.Seek([]byte("g"))
		if k, _ := c.Prev(); string(k) != "f" {
			t.Errorf("Prev after Seek past the end = %q, want f", k)
		}
		// Seek between keys, then both ways.
		c = b.Cursor()
		c.Seek([]byte("c"))
		if k, _ := c.Prev(); string(k) != "b" {
			t.Errorf("Prev after Seek(c) = %q, want b", k)
		}
		if k, _ := c.Next(); string(k) != "d" {
			t.Errorf("Next after Prev = %q, want d", k)
		}
		if k, _ := c.Next(); string(k) != "f" {
			t.Errorf("Next = %q, want f", k)
		}
		// Prefix scan.
		return nil
	})
	put(t, e, "pa", "pb\x00", "pb", "pc", "q")
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		var got []string
		c := b.Cursor()
		for k, _ := c.Seek([]byte("pb")); k != nil && bytes.HasPrefix(k, []byte("pb")); k, _ = c.Next() {
			got = append(got, string(k))
		}
		if !slices.Equal(got, []string{"pb", "pb\x00"}) {
			t.Errorf("prefix pb: %q", got)
		}
		return nil
	})
}

// testSeekWalk: after a Seek the cursor walks on past the seek key's prefix, through several
// batches, in both directions, without a gap.
func testSeekWalk(t *testing.T, e kv.Engine) {
	var keys []string
	for _, p := range []string{"a", "b", "b\xff", "c"} {
		for i := 0; i < 300; i++ {
			keys = append(keys, fmt.Sprintf("%s%03d", p, i))
		}
	}
	keys = append(keys, "b\xff\xff", "\xff\xff", "b", "bb")
	put(t, e, keys...)
	slices.Sort(keys)
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		for _, seek := range []string{"a", "a1", "b", "b\xff", "b\xff\xff", "b299", "bb", "c150", "\xff", "\xff\xff", "z"} {
			i, _ := slices.BinarySearch(keys, seek)
			c := b.Cursor()
			var got []string
			for k, _ := c.Seek([]byte(seek)); k != nil; k, _ = c.Next() {
				got = append(got, string(k))
			}
			if !slices.Equal(got, keys[i:]) {
				t.Errorf("Seek(%q) then Next: %d keys, want %d", seek, len(got), len(keys)-i)
			}
			// Prefix scan, then back.
			c = b.Cursor()
			n := 0
			var last []byte
			for k, _ := c.Seek([]byte(seek)); k != nil && bytes.HasPrefix(k, []byte(seek)); k, _ = c.Next() {
				n++
				last = k
			}
			want := 0
			for _, k := range keys {
				if strings.HasPrefix(k, seek) {
					want++
				}
			}
			if n != want {
				t.Errorf("prefix %q: %d keys, want %d", seek, n, want)
			}
			if last != nil {
				j, _ := slices.BinarySearch(keys, string(last))
				if j > 0 {
					if k, _ := c.Prev(); j+1 < len(keys) && string(k) != keys[j] {
						t.Errorf("prefix %q: Prev after the scan = %q, want %q", seek, k, keys[j])
					}
				}
			}
		}
		return nil
	})
}

func testEnds(t *testing.T, e kv.Engine) {
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		c := b.Cursor()
		if k, _ := c.First(); k != nil {
			t.Errorf("First of empty = %q", k)
		}
		if k, _ := c.Last(); k != nil {
			t.Errorf("Last of empty = %q", k)
		}
		if k, _ := c.Seek([]byte("a")); k != nil {
			t.Errorf("Seek in empty = %q", k)
		}
		return nil
	})
	put(t, e, "a", "b", "c")
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		c := b.Cursor()
		c.First()
		if k, _ := c.Prev(); k != nil {
			t.Errorf("Prev at first = %q", k)
		}
		// The cursor stays on the first key.
		if k, _ := c.Next(); string(k) != "b" {
			t.Errorf("Next after Prev at first = %q, want b", k)
		}
		c.Last()
		if k, _ := c.Next(); k != nil {
			t.Errorf("Next at last = %q", k)
		}
		if k, _ := c.Next(); k != nil {
			t.Errorf("Next again at last = %q", k)
		}
		if k, _ := c.Prev(); string(k) != "b" {
			t.Errorf("Prev after Next at last = %q, want b", k)
		}
		return nil
	})
}

// testCursorDelete: deleting the pair under the cursor and moving on. bbolt gets Next after
// Delete right within one page only (it skips keys across page boundaries), so the services
// re-Seek after each Delete when they clear a range, and this test walks one page's worth.
func testCursorDelete(t *testing.T, e kv.Engine) {
	var keys []string
	for i := 0; i < 20; i++ {
		keys = append(keys, fmt.Sprintf("k%04d", i))
	}
	for i := 0; i < 300; i++ {
		keys = append(keys, fmt.Sprintf("p%04d", i))
	}
	put(t, e, keys...)
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		c := b.Cursor()
		var seen []string
		for k, _ := c.First(); k != nil && k[0] == 'k'; k, _ = c.Next() {
			seen = append(seen, string(k))
			var i int
			fmt.Sscanf(string(k), "k%d", &i)
			if i%2 == 0 {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		if !slices.Equal(seen, keys[:20]) {
			t.Errorf("walk while deleting saw %q", seen)
		}
		// Clearing a prefix range the way the services do: Delete, then Seek again.
		p := []byte("p01")
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Seek(p) {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		got := walk(t, b)
		var want []string
		for i := 1; i < 20; i += 2 {
			want = append(want, fmt.Sprintf("k%04d", i))
		}
		for i := 0; i < 300; i++ {
			if i < 100 || i >= 200 {
				want = append(want, fmt.Sprintf("p%04d", i))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("after deletes: %d keys %q…, want %d", len(got), got[:min(5, len(got))], len(want))
		}
		return nil
	})
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		// KeyN is read in View only: bbolt counts committed pages, not a write's own changes.
		if n := b.KeyN(); n != 210 {
			t.Errorf("committed KeyN = %d, want 210", n)
		}
		return nil
	})
}

func testOwnWrites(t *testing.T, e kv.Engine) {
	put(t, e, "a", "c")
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if err := b.Put([]byte("b"), []byte("vb")); err != nil {
			return err
		}
		if err := b.Delete([]byte("c")); err != nil {
			return err
		}
		if err := b.Put([]byte("a"), []byte("va2")); err != nil {
			return err
		}
		if v := b.Get([]byte("b")); string(v) != "vb" {
			t.Errorf("Get own put = %q", v)
		}
		if v := b.Get([]byte("c")); v != nil {
			t.Errorf("Get own delete = %q", v)
		}
		if v := b.Get([]byte("a")); string(v) != "va2" {
			t.Errorf("Get own overwrite = %q", v)
		}
		c := b.Cursor()
		var got []string
		for k, v := c.First(); k != nil; k, v = c.Next() {
			got = append(got, string(k)+"="+string(v))
		}
		if !slices.Equal(got, []string{"a=va2", "b=vb"}) {
			t.Errorf("cursor sees %q", got)
		}
		// A new cursor after a write on a walked position.
		if err := b.Put([]byte("ab"), []byte("vab")); err != nil {
			return err
		}
		c = b.Cursor()
		c.Seek([]byte("a"))
		if k, _ := c.Next(); string(k) != "ab" {
			t.Errorf("Next after a put = %q, want ab", k)
		}
		return nil
	})
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if n := b.KeyN(); n != 3 {
			t.Errorf("KeyN = %d, want 3", n)
		}
		return nil
	})
}

func testRollback(t *testing.T, e kv.Engine) {
	put(t, e, "a")
	err := e.Update(func(tx kv.Tx) error {
		b := tx.Bucket(bk)
		b.Put([]byte("a"), []byte("changed"))
		b.Put([]byte("z"), []byte("new"))
		b.NextSequence()
		if _, err := tx.CreateBucketIfNotExists([]byte("other")); err != nil {
			return err
		}
		tx.Bucket([]byte("other")).Put([]byte("x"), []byte("y"))
		for i := 0; i < 2000; i++ { // more than one batch of queued writes
			b.Put([]byte(fmt.Sprintf("bulk%05d", i)), []byte("x"))
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Update returned %v, want the function's error", err)
	}
	view(t, e, func(tx kv.Tx, b kv.Bucket) error {
		if v := b.Get([]byte("a")); string(v) != "va" {
			t.Errorf("a = %q after rollback", v)
		}
		if b.Get([]byte("z")) != nil || b.KeyN() != 1 {
			t.Errorf("rolled-back keys present (KeyN %d)", b.KeyN())
		}
		if b.Sequence() != 0 {
			t.Errorf("sequence %d after rollback", b.Sequence())
		}
		if tx.Bucket([]byte("other")) != nil {
			t.Error("rolled-back bucket exists")
		}
		return nil
	})
	// A panic rolls back too, and the engine stays usable.
	func() {
		defer func() { recover() }()
		e.Update(func(tx kv.Tx) error {
			tx.Bucket(bk).Put([]byte("p"), []byte("x"))
			panic("boom")
		})
	}()
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if b.Get([]byte("p")) != nil {
			t.Error("write of a panicking transaction committed")
		}
		return nil
	})
	put(t, e, "after")
}

func testSequences(t *testing.T, e kv.Engine) {
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		for want := uint64(1); want <= 3; want++ {
			if got, err := b.NextSequence(); err != nil || got != want {
				t.Errorf("NextSequence = %d %v, want %d", got, err, want)
			}
		}
		return nil
	})
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if got := b.Sequence(); got != 3 {
			t.Errorf("Sequence in next tx = %d, want 3", got)
		}
		if err := b.SetSequence(1 << 62); err != nil {
			return err
		}
		if got, _ := b.NextSequence(); got != 1<<62+1 {
			t.Errorf("NextSequence after SetSequence = %d", got)
		}
		return nil
	})
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if err := b.SetSequence(^uint64(0) - 1); err != nil {
			return err
		}
		return nil
	})
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if got := b.Sequence(); got != ^uint64(0)-1 {
			t.Errorf("large sequence = %d", got)
		}
		return nil
	})
}

func testBuckets(t *testing.T, e kv.Engine) {
	if err := e.Update(func(tx kv.Tx) error {
		for _, n := range []string{"zeta", "alpha", "mid", "Alpha"} {
			b, err := tx.CreateBucketIfNotExists([]byte(n))
			if err != nil {
				return err
			}
			b.Put([]byte("k"), []byte("v"+n))
		}
		again, err := tx.CreateBucketIfNotExists([]byte("alpha"))
		if err != nil {
			return err
		}
		if v := again.Get([]byte("k")); string(v) != "valpha" {
			t.Errorf("CreateBucketIfNotExists on an existing bucket lost its keys: %q", v)
		}
		if _, err := tx.CreateBucketIfNotExists(nil); err == nil {
			t.Error("empty bucket name accepted")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.Update(func(tx kv.Tx) error {
		if tx.Bucket([]byte("missing")) != nil {
			t.Error("missing bucket is not nil")
		}
		if err := tx.DeleteBucket([]byte("missing")); err == nil {
			t.Error("deleting a missing bucket succeeded")
		}
		if err := tx.DeleteBucket([]byte("mid")); err != nil {
			return err
		}
		if tx.Bucket([]byte("mid")) != nil {
			t.Error("deleted bucket still there")
		}
		b, err := tx.CreateBucketIfNotExists([]byte("mid"))
		if err != nil {
			return err
		}
		if b.Get([]byte("k")) != nil || b.Sequence() != 0 {
			t.Error("recreated bucket kept old keys or sequence")
		}
		b.Put([]byte("k2"), []byte("x"))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.View(func(tx kv.Tx) error {
		var names []string
		tx.ForEachBucket(func(name []byte, b kv.Bucket) error {
			names = append(names, fmt.Sprintf("%s:%d", name, b.KeyN()))
			return nil
		})
		if want := []string{"Alpha:1", "alpha:1", "mid:1", "zeta:1"}; !slices.Equal(names, want) {
			t.Errorf("buckets %q, want %q", names, want)
		}
		if tx.Bucket([]byte("mid")).Get([]byte("k2")) == nil {
			t.Error("recreated bucket's key lost")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func testValues(t *testing.T, e kv.Engine) {
	big := make([]byte, 5<<20)
	rand.New(rand.NewSource(2)).Read(big)
	key := bytes.Repeat([]byte{0xab}, 1000)
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if err := b.Put([]byte("big"), big); err != nil {
			return err
		}
		if err := b.Put([]byte("empty"), nil); err != nil {
			return err
		}
		if err := b.Put([]byte("zero"), []byte{}); err != nil {
			return err
		}
		if err := b.Put(key, []byte("long key")); err != nil {
			return err
		}
		if err := b.Put(nil, []byte("x")); err == nil {
			t.Error("empty key accepted")
		}
		return nil
	})
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if v := b.Get([]byte("big")); !bytes.Equal(v, big) {
			t.Errorf("5 MiB value came back as %d bytes", len(v))
		}
		for _, k := range []string{"empty", "zero"} {
			if v := b.Get([]byte(k)); v == nil || len(v) != 0 {
				t.Errorf("Get(%s) = %v: an empty value must be non-nil and empty (index buckets rely on it)", k, v)
			}
		}
		c := b.Cursor()
		if k, v := c.Seek([]byte("empty")); string(k) != "empty" || v == nil {
			t.Errorf("cursor on an empty value = %q %v, want a non-nil empty value", k, v)
		}
		if v := b.Get(key); string(v) != "long key" {
			t.Errorf("long key = %q", v)
		}
		return nil
	})
}

func testReadOnly(t *testing.T, e kv.Engine) {
	put(t, e, "a")
	err := e.View(func(tx kv.Tx) error {
		if tx.Writable() {
			t.Error("View is writable")
		}
		b := tx.Bucket(bk)
		if b.Put([]byte("x"), []byte("y")) == nil {
			t.Error("Put in View succeeded")
		}
		if b.Delete([]byte("a")) == nil {
			t.Error("Delete in View succeeded")
		}
		if _, err := b.NextSequence(); err == nil {
			t.Error("NextSequence in View succeeded")
		}
		if _, err := tx.CreateBucketIfNotExists([]byte("new")); err == nil {
			t.Error("CreateBucket in View succeeded")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if b.Get([]byte("a")) == nil || b.Get([]byte("x")) != nil {
			t.Error("View changed data")
		}
		return nil
	})
}

func testOnCommit(t *testing.T, e kv.Engine) {
	var ran []string
	update(t, e, func(tx kv.Tx, b kv.Bucket) error {
		tx.OnCommit(func() { ran = append(ran, "ok") })
		if len(ran) != 0 {
			t.Error("OnCommit ran before the commit")
		}
		return nil
	})
	e.Update(func(tx kv.Tx) error {
		tx.OnCommit(func() { ran = append(ran, "rolled back") })
		return errRollback
	})
	if !slices.Equal(ran, []string{"ok"}) {
		t.Errorf("OnCommit ran %q, want only the committed one", ran)
	}
	// A commit handler runs after the writer lock is released: it may write again.
	update(t, e, func(tx kv.Tx, b kv.Bucket) error {
		tx.OnCommit(func() {
			if err := e.Update(func(tx kv.Tx) error { return tx.Bucket(bk).Put([]byte("later"), []byte("x")) }); err != nil {
				t.Errorf("Update from a commit handler: %v", err)
			}
		})
		return nil
	})
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if b.Get([]byte("later")) == nil {
			t.Error("the commit handler's write is missing")
		}
		return nil
	})
}

// testSnapshot: a View sees the data as at its start, while an Update commits beside it.
func testSnapshot(t *testing.T, e kv.Engine) {
	var keys []string
	for i := 0; i < 100; i++ {
		keys = append(keys, fmt.Sprintf("k%03d", i))
	}
	put(t, e, keys...)
	started, written := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- e.View(func(tx kv.Tx) error {
			b := tx.Bucket(bk)
			if v := b.Get([]byte("k000")); string(v) != "vk000" {
				return fmt.Errorf("before: %q", v)
			}
			c := b.Cursor()
			c.First() // a cursor positioned before the concurrent commit
			close(started)
			<-written
			if v := b.Get([]byte("k001")); string(v) != "vk001" {
				return fmt.Errorf("View sees a later commit: k001 = %q", v)
			}
			if b.Get([]byte("new")) != nil {
				return errors.New("View sees a key committed after it began")
			}
			n := 1
			for k, _ := c.Next(); k != nil; k, _ = c.Next() {
				n++
				if string(k) == "new" {
					return errors.New("cursor sees a later commit")
				}
			}
			if n != 100 || b.KeyN() != 100 {
				return fmt.Errorf("View counts %d keys (KeyN %d) after a concurrent commit, want 100", n, b.KeyN())
			}
			return nil
		})
	}()
	<-started
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		b.Put([]byte("k001"), []byte("changed"))
		b.Put([]byte("new"), []byte("x"))
		return b.Delete([]byte("k050"))
	})
	close(written)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if v := b.Get([]byte("k001")); string(v) != "changed" {
			t.Errorf("after: %q", v)
		}
		return nil
	})
}

// testSerialUpdates: read-modify-write from several goroutines loses no update.
func testSerialUpdates(t *testing.T, e kv.Engine) {
	update(t, e, func(_ kv.Tx, b kv.Bucket) error { return b.Put([]byte("n"), make([]byte, 8)) })
	const workers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := e.Update(func(tx kv.Tx) error {
					b := tx.Bucket(bk)
					n := binary.BigEndian.Uint64(b.Get([]byte("n")))
					if i%5 == 0 {
						time.Sleep(time.Millisecond)
					}
					id, err := b.NextSequence()
					if err != nil {
						return err
					}
					b.Put(binary.BigEndian.AppendUint64([]byte("id"), id), nil)
					return b.Put([]byte("n"), binary.BigEndian.AppendUint64(nil, n+1))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if n := binary.BigEndian.Uint64(b.Get([]byte("n"))); n != workers*each {
			t.Errorf("counter %d after %d increments: lost updates", n, workers*each)
		}
		if s := b.Sequence(); s != workers*each {
			t.Errorf("sequence %d, want %d", s, workers*each)
		}
		if n := b.KeyN(); n != workers*each+1 {
			t.Errorf("%d keys: sequence handed out twice?", n)
		}
		return nil
	})
}

// testManyKeys walks several batches in both directions and seeks into the middle.
func testManyKeys(t *testing.T, e kv.Engine) {
	const n = 5000
	update(t, e, func(_ kv.Tx, b kv.Bucket) error {
		for i := 0; i < n; i++ {
			k := binary.BigEndian.AppendUint64(nil, uint64(i*2))
			if err := b.Put(k, append([]byte("v"), k...)); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, e, func(_ kv.Tx, b kv.Bucket) error {
		if got := walk(t, b); len(got) != n {
			t.Errorf("walk %d keys, want %d", len(got), n)
		}
		c := b.Cursor()
		k, _ := c.Seek(binary.BigEndian.AppendUint64(nil, 4001))
		if binary.BigEndian.Uint64(k) != 4002 {
			t.Errorf("Seek(4001) = %d", binary.BigEndian.Uint64(k))
		}
		for i := 0; i < 1500; i++ {
			k, _ = c.Prev()
		}
		if binary.BigEndian.Uint64(k) != 1002 {
			t.Errorf("1500 × Prev from 4002 = %d, want 1002", binary.BigEndian.Uint64(k))
		}
		for i := 0; i < 3000; i++ {
			k, _ = c.Next()
		}
		if binary.BigEndian.Uint64(k) != 7002 {
			t.Errorf("3000 × Next from 1002 = %d, want 7002", binary.BigEndian.Uint64(k))
		}
		return nil
	})
}
