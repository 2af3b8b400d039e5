package pg

import (
	"bytes"
	"slices"
)

type pair struct{ k, v []byte }

// maxBatch is the largest window a cursor fetches: long walks (a name prefix with 100,000
// hits, a backup) go in few round trips without holding much memory.
const maxBatch = 4096

// cursor walks a bucket through a window of prefetched pairs. The window holds every key of
// the bucket between lo and hi (an open end when loOpen/hiOpen: the bucket's first or last
// key is in it); moving outside it fetches the next batch, growing from 64 to 4096 rows.
//
// The cursor's position is a key (cur), not an index: after Delete the position is the
// deleted key, so Next and Prev land on its neighbours, as in bbolt. At either end the
// cursor stays on the end key, and Seek past the end leaves it there, so that Prev returns
// the last key (bbolt does the same).
type cursor struct {
	b      *bucket
	win    []pair
	lo, hi []byte
	loOpen bool
	hiOpen bool
	gen    uint64 // the bucket's write generation the window was read at
	valid  bool
	cur    []byte
	placed bool
	n      int // next batch size
	// bound is the end of the prefix of the last Seek key (nil: none): forward fetches below
	// it stop there and take one key beyond, so a prefix scan fetches nothing it will not read.
	bound []byte
}

// prefixEnd returns the first key after every key that starts with p, or nil when there is
// none (p is empty or all 0xff).
func prefixEnd(p []byte) []byte {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] != 0xff {
			end := bytes.Clone(p[:i+1])
			end[i]++
			return end
		}
	}
	return nil
}

func (c *cursor) batch() int {
	switch {
	case c.n == 0:
		c.n = 16
	case c.n < maxBatch:
		c.n = min(c.n*8, maxBatch)
	}
	return c.n
}

func (c *cursor) usable() bool { return c.valid && c.gen == c.b.gen }

// loadAsc fills the window ascending from key (nil: the first key).
func (c *cursor) loadAsc(key []byte, incl bool) {
	n := c.batch()
	if c.bound != nil && key != nil && bytes.Compare(key, c.bound) >= 0 {
		c.bound = nil // walked past the prefix: plain windows from here
	}
	c.gen, c.valid = c.b.gen, true
	c.lo, c.loOpen = key, key == nil
	if c.bound == nil || key == nil {
		rows := c.b.fetch(key, incl, false, n)
		c.win = rows
		if len(rows) < n {
			c.hi, c.hiOpen = nil, true
		} else {
			c.hi, c.hiOpen = rows[len(rows)-1].k, false
		}
		return
	}
	rows := c.b.fetchBounded(key, incl, false, n, c.bound)
	in := len(rows)
	if in > 0 && bytes.Compare(rows[in-1].k, c.bound) >= 0 {
		in-- // the key that ends the prefix
	}
	switch {
	case in == n:
		// The prefix goes on: the window ends at its last row; the extra key is not contiguous.
		c.win = rows[:in]
		c.hi, c.hiOpen = rows[in-1].k, false
	case in < len(rows):
		c.win = rows
		c.hi, c.hiOpen = rows[len(rows)-1].k, false
	default:
		c.win = rows // nothing at or after the bound
		c.hi, c.hiOpen = nil, true
	}
}

// loadDesc fills the window descending below key (nil: the last key).
func (c *cursor) loadDesc(key []byte, incl bool) {
	n := c.batch()
	rows := c.b.fetch(key, incl, true, n)
	slices.Reverse(rows)
	c.win, c.gen, c.valid = rows, c.b.gen, true
	c.hi, c.hiOpen = key, key == nil
	if len(rows) < n {
		c.lo, c.loOpen = nil, true
	} else {
		c.lo, c.loOpen = rows[0].k, false
	}
}

func (c *cursor) land(p pair) ([]byte, []byte) {
	c.cur, c.placed = p.k, true
	return p.k, p.v
}

func (c *cursor) First() ([]byte, []byte) {
	c.n, c.bound = 0, nil
	c.loadAsc(nil, true)
	if len(c.win) == 0 {
		c.placed = false
		return nil, nil
	}
	return c.land(c.win[0])
}

func (c *cursor) Last() ([]byte, []byte) {
	c.n, c.bound = 0, nil
	c.loadDesc(nil, true)
	if len(c.win) == 0 {
		c.placed = false
		return nil, nil
	}
	return c.land(c.win[len(c.win)-1])
}

func (c *cursor) Seek(seek []byte) ([]byte, []byte) {
	c.n = 0
	c.bound = prefixEnd(seek)
	c.loadAsc(bytes.Clone(seek), true)
	if len(c.win) == 0 {
		// Past the end: Prev goes to the last key.
		c.cur, c.placed = bytes.Clone(seek), true
		return nil, nil
	}
	return c.land(c.win[0])
}

// after returns the index of the first window key > k.
func (c *cursor) after(k []byte) int {
	i, found := slices.BinarySearchFunc(c.win, k, func(p pair, k []byte) int { return bytes.Compare(p.k, k) })
	if found {
		i++
	}
	return i
}

// before returns the index of the last window key < k, or -1.
func (c *cursor) before(k []byte) int {
	i, _ := slices.BinarySearchFunc(c.win, k, func(p pair, k []byte) int { return bytes.Compare(p.k, k) })
	return i - 1
}

func (c *cursor) Next() ([]byte, []byte) {
	if !c.placed {
		return c.First()
	}
	cur := c.cur
	if c.usable() && (c.loOpen || bytes.Compare(cur, c.lo) >= 0) && (c.hiOpen || bytes.Compare(cur, c.hi) < 0) {
		if i := c.after(cur); i < len(c.win) {
			return c.land(c.win[i])
		}
		if c.hiOpen {
			return nil, nil
		}
	}
	c.loadAsc(cur, false)
	if len(c.win) == 0 {
		return nil, nil
	}
	return c.land(c.win[0])
}

func (c *cursor) Prev() ([]byte, []byte) {
	if !c.placed {
		return c.Last()
	}
	cur := c.cur
	if c.usable() && (c.hiOpen || bytes.Compare(cur, c.hi) <= 0) && (c.loOpen || bytes.Compare(cur, c.lo) > 0) {
		if i := c.before(cur); i >= 0 {
			return c.land(c.win[i])
		}
		if c.loOpen {
			return nil, nil
		}
	}
	c.loadDesc(cur, false)
	if len(c.win) == 0 {
		return nil, nil
	}
	return c.land(c.win[len(c.win)-1])
}

// Delete removes the pair the cursor is on; the window stays valid without it.
func (c *cursor) Delete() error {
	if !c.placed {
		return nil
	}
	keep := c.usable()
	if err := c.b.Delete(c.cur); err != nil {
		return err
	}
	if keep {
		if i, found := slices.BinarySearchFunc(c.win, c.cur, func(p pair, k []byte) int { return bytes.Compare(p.k, k) }); found {
			c.win = slices.Delete(c.win, i, i+1)
		}
		c.gen = c.b.gen
	}
	return nil
}
