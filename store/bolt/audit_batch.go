package bolt

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/kv"
)

// auditRecord is one record write of a batch (Old/New are the encoded records, nil for a
// create or a delete).
type auditRecord struct {
	ID       uint64
	Old, New []byte
	Note     string
}

// auditBatch appends the entries of many record writes, in order, exactly as calling
// t.audit for each would (same entries, same chain), with the work that does not depend on
// the chain done on every core.
//
// The stored result is byte for byte that of the calls one by one: the same entries under the
// same sequence numbers, the same audit_latest pairs, the same head in meta and the same
// bucket sequence, and every record is touched. Only the MAC chain runs on one core; the
// diffs, record hashes and canonical forms before it and the encodings after it are made on
// every core. An empty batch writes nothing.
func (t *txn) auditBatch(action, entity string, recs []auditRecord) error {
	n := len(recs)
	if n == 0 {
		return nil
	}
	for _, r := range recs {
		t.touch(entity, r.ID)
	}
	b := t.tx.Bucket(bucketAudit)
	b.SetFillPercent(appendFill)
	// Reserve the sequence numbers: the same end state as n NextSequence calls.
	first := b.Sequence() + 1
	if err := b.SetSequence(b.Sequence() + uint64(n)); err != nil {
		return err
	}
	prev := ""
	if last, ok := readAuditHead(t.tx); ok {
		prev = last.MAC
	}
	k := t.db.opts.Keys.Current()
	entries := make([]app.AuditEntry, n)
	for i, r := range recs {
		entries[i] = app.AuditEntry{
			Seq: first + uint64(i), Time: t.now.UTC(), User: t.username(), Workstation: t.ws, Action: action,
			Entity: entity, EntityID: int64(r.ID), Note: r.Note, KeyID: k.ID,
		}
	}
	// bufs[i] is codecJSONv1 and the canonical entry (MAC empty), with room for the MAC.
	bufs := make([][]byte, n)
	enc := newEntryEncoder(entries[0])
	parallel(n, func(i int) {
		r, e := &recs[i], &entries[i]
		e.Diff = diffRecords(r.Old, r.New)
		if r.New != nil {
			e.RecordHash = store.HashRecord(r.New)
		}
		if enc != nil {
			bufs[i] = enc.appendCanonical(make([]byte, 1, enc.size(e)), e)
		} else {
			c := canonicalEntry(*e)
			bufs[i] = append(append(make([]byte, 0, 1+len(c)+macLen), 0), c...)
		}
		bufs[i][0] = codecJSONv1
	})
	if enc != nil && !bytes.Equal(bufs[0][1:], canonicalEntry(entries[0])) {
		// The hand-written JSON differs from encoding/json's (a changed AuditEntry or JSON
		// package): use encoding/json for every entry.
		parallel(n, func(i int) {
			c := canonicalEntry(entries[i])
			bufs[i] = append(append(make([]byte, 0, 1+len(c)+macLen), codecJSONv1), c...)
		})
	}
	// The chain, on one core: each MAC covers the canonical entry, a zero byte and the
	// previous MAC, as computeMAC makes it, with one HMAC state reset for each entry.
	m := hmac.New(sha256.New, k.Secret)
	var sum [sha256.Size]byte
	mac := make([]byte, macLen)
	copy(mac, macAlg+":")
	zero := []byte{0}
	for i := range entries {
		m.Reset()
		m.Write(bufs[i][1:])
		m.Write(zero)
		m.Write([]byte(prev))
		hex.Encode(mac[len(macAlg)+1:], m.Sum(sum[:0]))
		prev = string(mac)
		entries[i].MAC = prev
	}
	errs := make([]error, n)
	parallel(n, func(i int) { bufs[i], errs[i] = encodeSigned(bufs[i], entries[i]) })
	for i, enc := range bufs {
		if errs[i] != nil {
			return errs[i]
		}
		if err := b.Put(itob(first+uint64(i)), enc); err != nil {
			return err
		}
	}
	// audit_latest: the newest entry of each record, written in key order (the same pairs as
	// one Put per entry; bbolt appends instead of inserting into the middle of a page).
	type latest struct {
		key []byte
		seq uint64
	}
	var ls []latest
	for i := range entries {
		if e := &entries[i]; isRecordEntry(*e) {
			ls = append(ls, latest{[]byte(e.Entity + "/" + strconv.FormatInt(e.EntityID, 10)), e.Seq})
		}
	}
	slices.SortStableFunc(ls, func(a, b latest) int { return bytes.Compare(a.key, b.key) })
	lb := t.tx.Bucket(bucketAuditLast)
	for i, l := range ls {
		if i+1 < len(ls) && bytes.Equal(ls[i+1].key, l.key) {
			continue // a later entry of the same record wins
		}
		if err := lb.Put(l.key, itob(l.seq)); err != nil {
			return err
		}
	}
	head, _ := json.Marshal(auditHead{entries[n-1].Time, prev})
	return t.tx.Bucket(bucketMeta).Put(keyAuditHead, head)
}

// macLen is the length of a chain MAC: the algorithm, ':' and the hex digest.
const macLen = len(macAlg) + 1 + 2*sha256.Size

// encodeSigned returns encode(e) given buf, codecJSONv1 and e's canonical form (MAC empty):
// encode writes codecJSONv1 and the same JSON with the MAC, its last field, filled in, so the
// MAC is spliced into buf (reusing it) instead of marshalling the entry again. An entry whose
// canonical form does not end as expected is encoded in full.
func encodeSigned(buf []byte, e app.AuditEntry) ([]byte, error) {
	const tail = `"MAC":""}`
	if len(buf) == 0 || buf[0] != codecJSONv1 || !bytes.HasSuffix(buf, []byte(tail)) || !plainMAC(e.MAC) {
		return encode(e)
	}
	buf = buf[:len(buf)-2] // through `"MAC":"`
	buf = append(buf, e.MAC...)
	return append(buf, '"', '}'), nil
}

// plainMAC reports whether JSON writes mac without escapes (an algorithm name, ':' and hex).
func plainMAC(mac string) bool {
	for i := 0; i < len(mac); i++ {
		c := mac[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == ':') {
			return false
		}
	}
	return true
}

// entryEncoder writes canonicalEntry's JSON for the entries of one batch without reflection:
// the fields they share are written once, the others (Seq, EntityID, Diff, RecordHash, Note)
// with appendJSONString. auditBatch checks its first entry against canonicalEntry.
type entryEncoder struct {
	mid  []byte // from `,"Time":` through `"EntityID":`
	tail []byte // from `,"KeyID":` to the end, MAC empty
}

// newEntryEncoder returns the encoder of the entries that share e's Time, User,
// Workstation, Action, Entity and KeyID, or nil when appendJSONString does not write strings
// as encoding/json does.
func newEntryEncoder(e app.AuditEntry) *entryEncoder {
	if !jsonStringsMatch() {
		return nil
	}
	q := func(v any) []byte { b, _ := json.Marshal(v); return b }
	x := &entryEncoder{}
	for _, p := range []struct {
		name string
		v    any
	}{{"Time", e.Time}, {"User", e.User}, {"Workstation", e.Workstation}, {"Action", e.Action}, {"Entity", e.Entity}} {
		x.mid = append(append(append(append(x.mid, `,"`...), p.name...), `":`...), q(p.v)...)
	}
	x.mid = append(x.mid, `,"EntityID":`...)
	x.tail = append(append(append(x.tail, `,"KeyID":`...), q(e.KeyID)...), `,"MAC":""}`...)
	return x
}

// size is a capacity for e's encoding and MAC: enough unless its strings need many escapes.
func (x *entryEncoder) size(e *app.AuditEntry) int {
	return 1 + 64 + len(x.mid) + len(x.tail) + len(e.Diff)*5/4 + len(e.RecordHash) + len(e.Note)*5/4 + macLen
}

func (x *entryEncoder) appendCanonical(b []byte, e *app.AuditEntry) []byte {
	b = append(b, `{"Seq":`...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, x.mid...)
	b = strconv.AppendInt(b, e.EntityID, 10)
	b = append(b, `,"Diff":`...)
	b = appendJSONString(b, e.Diff)
	b = append(b, `,"RecordHash":`...)
	b = appendJSONString(b, e.RecordHash)
	b = append(b, `,"Note":`...)
	b = appendJSONString(b, e.Note)
	return append(b, x.tail...)
}

// appendJSONString appends s as encoding/json's Marshal writes a string (HTML-escaped,
// invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped).
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonProbe holds strings with every kind of character JSON writes specially.
var jsonProbe = []string{"", "plain ASCII ~!@#$%^*()_+{}|:?`-=[];',./", "<>&\"\\/", "\b\f\n\r\t\x00\x01\x1f\x7f",
	"中文 职业健康 \u2028\u2029 \U0001F600", "\xff\xfe bad \xe4\xb8 utf-8 \xed\xa0\x80", `{"Diff":["a\"b",null]}`}

// jsonStringsMatch reports whether appendJSONString writes the probe strings as
// encoding/json does (checked once).
var jsonStringsMatch = sync.OnceValue(func() bool {
	for _, s := range jsonProbe {
		want, err := json.Marshal(s)
		if err != nil || !bytes.Equal(appendJSONString(nil, s), want) {
			return false
		}
	}
	return true
})

// diffRecords returns diffJSON(old, new), reading records in the form the store's encoder
// writes (compact JSON objects with plain field names) without decoding them into maps. A
// record in any other form (whitespace, escaped or repeated names, invalid JSON) is left to
// diffJSON, so the result is always diffJSON's.
func diffRecords(old, new []byte) string {
	var bufA, bufB [32]topField
	a, okA := splitRecord(old, bufA[:0])
	b, okB := splitRecord(new, bufB[:0])
	if !okA || !okB {
		return diffJSON(old, new)
	}
	var sb strings.Builder
	// Both lists are sorted by name: walk them together, as diffMaps walks the sorted union.
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		c := 0
		switch {
		case j == len(b):
			c = -1
		case i == len(a):
			c = 1
		default:
			c = bytes.Compare(a[i].name, b[j].name)
		}
		var name, ra, rb []byte
		if c <= 0 {
			name, ra = a[i].name, a[i].raw
			i++
		}
		if c >= 0 {
			name, rb = b[j].name, b[j].raw
			j++
		}
		switch string(name) {
		case "Version", "UpdatedAt", "UpdatedBy", "CreatedAt", "ID":
			continue
		}
		if bytes.Equal(ra, rb) || isNull(ra) && isNull(rb) {
			continue
		}
		if sb.Len() == 0 {
			sb.WriteByte('{')
		} else {
			sb.WriteByte(',')
		}
		sb.WriteByte('"')
		sb.Write(name) // plain: JSON writes it as is
		sb.WriteString(`":[`)
		writeRaw(&sb, ra)
		sb.WriteByte(',')
		writeRaw(&sb, rb)
		sb.WriteByte(']')
	}
	if sb.Len() > 0 {
		sb.WriteByte('}')
	}
	return sb.String()
}

// topField is one top-level member of an encoded record: its name and its value's JSON.
type topField struct {
	name, raw []byte
}

// splitRecord splits an encoded record (a codec byte, then a JSON object) into its top-level
// fields sorted by name, as json.Unmarshal into map[string]json.RawMessage reads it in
// diffJSON (nothing for a record of at most one byte). ok is false unless the object is
// compact, valid JSON whose names are distinct and plain (printable ASCII that JSON neither
// escapes nor HTML-escapes), with nothing after it.
func splitRecord(rec []byte, fields []topField) (_ []topField, ok bool) {
	if len(rec) <= 1 {
		return fields, true
	}
	b := rec[1:]
	if len(b) < 2 || b[0] != '{' {
		return nil, false
	}
	i := 1
	if b[i] != '}' {
		for {
			if i >= len(b) || b[i] != '"' {
				return nil, false
			}
			start := i + 1
			for i = start; i < len(b) && b[i] != '"'; i++ {
				if c := b[i]; c < 0x20 || c >= 0x7f || c == '\\' || c == '<' || c == '>' || c == '&' {
					return nil, false
				}
			}
			if i+1 >= len(b) || b[i+1] != ':' {
				return nil, false
			}
			name := b[start:i]
			vs := i + 2
			end, ok := skipValue(b, vs, 0)
			if !ok {
				return nil, false
			}
			fields = append(fields, topField{name, b[vs:end]})
			i = end
			if i >= len(b) {
				return nil, false
			}
			if b[i] == '}' {
				break
			}
			if b[i] != ',' {
				return nil, false
			}
			i++
		}
	}
	if i != len(b)-1 {
		return nil, false
	}
	// Insertion sort: a record has a few dozen fields at most, often in order already.
	for k := 1; k < len(fields); k++ {
		for m := k; m > 0; m-- {
			c := bytes.Compare(fields[m-1].name, fields[m].name)
			if c == 0 {
				return nil, false
			}
			if c < 0 {
				break
			}
			fields[m-1], fields[m] = fields[m], fields[m-1]
		}
	}
	return fields, true
}

// skipValue returns the end of the compact JSON value at b[i:], and false for invalid JSON,
// whitespace, or nesting deeper than encoding/json accepts.
func skipValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) || depth > 1000 {
		return 0, false
	}
	switch c := b[i]; {
	case c == '"':
		return skipString(b, i)
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		i++
		if i < len(b) && b[i] == closer {
			return i + 1, true
		}
		for {
			var ok bool
			if c == '{' {
				if i, ok = skipString(b, i); !ok || i >= len(b) || b[i] != ':' {
					return 0, false
				}
				i++
			}
			if i, ok = skipValue(b, i, depth+1); !ok || i >= len(b) {
				return 0, false
			}
			switch b[i] {
			case ',':
				i++
			case closer:
				return i + 1, true
			default:
				return 0, false
			}
		}
	case c == '-' || '0' <= c && c <= '9':
		return skipNumber(b, i)
	case c == 't':
		return skipLiteral(b, i, "true")
	case c == 'f':
		return skipLiteral(b, i, "false")
	case c == 'n':
		return skipLiteral(b, i, "null")
	}
	return 0, false
}

// skipString returns the end of the JSON string at b[i:] (escapes checked, control
// characters refused, other bytes taken as they are, as encoding/json's scanner does).
func skipString(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, false
	}
	for i++; i < len(b); i++ {
		for i < len(b) && stringPlain[b[i]] {
			i++
		}
		if i == len(b) {
			break
		}
		switch c := b[i]; {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return 0, false
		case c == '\\':
			i++
			if i >= len(b) {
				return 0, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) {
					return 0, false
				}
				for _, h := range b[i+1 : i+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return 0, false
					}
				}
				i += 4
			default:
				return 0, false
			}
		}
	}
	return 0, false
}

// stringPlain marks the bytes that stand for themselves inside a JSON string.
var stringPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipNumber returns the end of the JSON number at b[i:].
func skipNumber(b []byte, i int) (int, bool) {
	digits := func() bool {
		s := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > s
	}
	if b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if !digits() {
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return 0, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return 0, false
		}
	}
	return i, true
}

func skipLiteral(b []byte, i int, lit string) (int, bool) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return 0, false
	}
	return i + len(lit), true
}

// AuditService implements app.AuditService.
type AuditService struct{ db *DB }

var _ app.AuditService = (*AuditService)(nil)

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// FindAudit lists entries newest first.
func (s *AuditService) FindAudit(ctx context.Context, f app.AuditFilter) ([]app.AuditEntry, int, error) {
	var out []app.AuditEntry
	total := 0
	err := s.db.view(ctx, "AuditService.FindAudit", func(tx kv.Tx, _ app.Scope) error {
		c := tx.Bucket(bucketAudit).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var e app.AuditEntry
			if err := decode(v, &e); err != nil {
				return err
			}
			if (f.Entity != "" && e.Entity != f.Entity) || (f.EntityID != 0 && e.EntityID != f.EntityID) || (f.User != "" && e.User != f.User) {
				continue
			}
			total++
			if total > f.Offset && (f.Limit == 0 || len(out) < f.Limit) {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, total, err
}

// VerifyAudit recomputes the chain, checks every current record against its newest audit
// entry, and checks the anchors in the backup folder.
func (s *AuditService) VerifyAudit(ctx context.Context) (app.AuditReport, error) {
	var r app.AuditReport
	err := s.db.view(ctx, "AuditService.VerifyAudit", func(tx kv.Tx, _ app.Scope) error {
		var err error
		r, err = verifyChain(tx, s.db.opts.Keys)
		return err
	})
	if err != nil || !r.OK {
		return r, err
	}
	s.db.checkAnchors(&r)
	return r, nil
}

// VerifyAuditOffline verifies an archive without a login, for the `verify` command run by
// an administrator on the machine. It checks the same as VerifyAudit.
func (db *DB) VerifyAuditOffline() (app.AuditReport, error) {
	var r app.AuditReport
	db.mu.RLock()
	err := db.kv.View(func(tx kv.Tx) error {
		var err error
		r, err = verifyChain(tx, db.opts.Keys)
		return err
	})
	db.mu.RUnlock()
	if err != nil || !r.OK {
		return r, err
	}
	db.checkAnchors(&r)
	return r, nil
}

func verifyChain(tx kv.Tx, keys *store.KeyRing) (r app.AuditReport, err error) {
	r = app.AuditReport{OK: true}
	fail := func(seq uint64, format string, args ...any) {
		if r.OK {
			r.OK, r.FirstBad, r.Problem = false, seq, fmt.Sprintf(format, args...)
		}
	}
	prev, prevKey := "", ""
	var prevSeq uint64
	var prevTime time.Time
	latest := map[string]app.AuditEntry{}
	missingFrom, missingTo := map[string]uint64{}, map[string]uint64{}
	defer func() {
		for k, from := range missingFrom {
			r.Notes = append(r.Notes, fmt.Sprintf("第 %d–%d 条审计记录由密钥 %s 签名，该密钥不在本机（密钥丢失后已开始新的链段），这些记录的顺序已核对，校验码无法核对。", from, missingTo[k], k))
		}
	}()
	c := tx.Bucket(bucketAudit).Cursor()
	for k, v := c.First(); k != nil && r.OK; k, v = c.Next() {
		var e app.AuditEntry
		if err := decode(v, &e); err != nil {
			fail(btoi(k), "第 %d 条审计记录无法解析", btoi(k))
			break
		}
		r.Entries++
		if e.Seq != btoi(k) {
			fail(btoi(k), "第 %d 条审计记录的序号被改为 %d", btoi(k), e.Seq)
			break
		}
		if e.Seq != prevSeq+1 {
			fail(prevSeq+1, "第 %d 条审计记录缺失（删除或重排）", prevSeq+1)
			break
		}
		if e.Time.Before(prevTime) {
			fail(e.Seq, "第 %d 条审计记录的时间早于前一条（重排或篡改）", e.Seq)
			break
		}
		if e.KeyID != prevKey {
			r.Segments++
			prevKey = e.KeyID
		}
		if !strings.HasPrefix(e.MAC, macAlg+":") {
			fail(e.Seq, "第 %d 条审计记录的算法标识“%s”未知", e.Seq, e.MAC)
			break
		}
		if key, ok := keys.ByID(e.KeyID); !ok {
			// A lost key ring is survivable: the entries it signed keep their order and their
			// link to the next segment, but their MACs cannot be checked on this PC.
			if r.Unverifiable == 0 || missingFrom[e.KeyID] == 0 {
				missingFrom[e.KeyID] = e.Seq
			}
			missingTo[e.KeyID] = e.Seq
			r.Unverifiable++
		} else if want := computeMAC(key, e, prev); !hmac.Equal([]byte(want), []byte(e.MAC)) {
			fail(e.Seq, "第 %d 条审计记录的校验码不符（记录被修改、删除或重排）", e.Seq)
			break
		}
		if isRecordEntry(e) {
			latest[fmt.Sprintf("%s/%d", e.Entity, e.EntityID)] = e
		}
		prev, prevSeq, prevTime = e.MAC, e.Seq, e.Time
	}
	r.Head = prev
	if !r.OK {
		return r, nil
	}
	// Every current record must hash to its newest audit entry, and every record the log says
	// exists must exist.
	for entity, bucket := range entityBuckets {
		err := tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			id := btoi(k)
			key := fmt.Sprintf("%s/%d", entity, id)
			e, ok := latest[key]
			switch {
			case !ok:
				fail(0, "%s 记录 %d 没有任何审计记录（绕过程序写入）", entityName(entity), id)
			case e.RecordHash != store.HashRecord(v):
				fail(e.Seq, "%s 记录 %d 与第 %d 条审计记录的哈希不符（记录在程序之外被修改）", entityName(entity), id, e.Seq)
			default:
				r.RecordsChecked++
			}
			return nil
		})
		if err != nil {
			return r, err
		}
	}
	for key, e := range latest {
		entity := key[:strings.IndexByte(key, '/')]
		bucket, ok := entityBuckets[entity]
		if !ok || e.RecordHash == "" {
			continue
		}
		if tx.Bucket(bucket).Get(itob(uint64(e.EntityID))) == nil {
			fail(e.Seq, "%s 记录 %d 已不存在，但审计日志中没有删除记录（记录在程序之外被删除）", entityName(entity), e.EntityID)
		}
	}
	// The audit_latest index must agree with the log.
	err = tx.Bucket(bucketAuditLast).ForEach(func(k, v []byte) error {
		if e, ok := latest[string(k)]; !ok || e.Seq != btoi(v) {
			fail(btoi(v), "审计索引 %s 与审计日志不一致", k)
		}
		return nil
	})
	return r, err
}

func entityName(e string) string {
	switch e {
	case "user":
		return "用户"
	case "employer":
		return "用人单位"
	case "worker":
		return "劳动者"
	case "contract":
		return "体检任务"
	case "package":
		return "套餐"
	case "exam":
		return "体检"
	case entityRecord:
		return "体检记录"
	}
	return e
}

// readAuditor batches audit entries for reads of worker archives and writes them in one
// transaction every flushEvery or every batchMax reads, off the UI's path. A crash loses at
// most the reads of the last flushEvery (stated in docs/安全设计.md).
type readAuditor struct {
	db     *DB
	mu     sync.Mutex
	buf    []app.AuditEntry
	kick   chan struct{}
	done   chan struct{}
	closed bool
}

const (
	readFlushEvery = 2 * time.Second
	readBatchMax   = 500
)

func newReadAuditor(db *DB) *readAuditor {
	r := &readAuditor{db: db, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go r.loop()
	return r
}

// record queues one read.
func (r *readAuditor) record(ctx context.Context, action, entity string, id int64) {
	u := app.UserFromContext(ctx)
	name := ""
	if u != nil {
		name = u.Username
	}
	ws := app.WorkstationFromContext(ctx)
	if ws == "" {
		ws = r.db.opts.Workstation
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.buf = append(r.buf, app.AuditEntry{Time: r.db.now(), User: name, Workstation: ws, Action: action, Entity: "read:" + entity, EntityID: id})
	n := len(r.buf)
	r.mu.Unlock()
	if n >= readBatchMax {
		select {
		case r.kick <- struct{}{}:
		default:
		}
	}
}

func (r *readAuditor) loop() {
	t := time.NewTicker(readFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-r.kick:
		case <-r.done:
			r.flush()
			return
		}
		r.flush()
	}
}

// flush writes the queued reads. Times are raised to the newest entry's time so that a
// read queued just before a write never breaks the chain's order.
func (r *readAuditor) flush() {
	r.mu.Lock()
	buf := r.buf
	r.buf = nil
	r.mu.Unlock()
	if len(buf) == 0 {
		return
	}
	r.db.mu.RLock()
	defer r.db.mu.RUnlock()
	if r.db.kv == nil {
		return
	}
	_ = r.db.kv.Update(func(tx kv.Tx) error {
		last, _ := lastAudit(tx)
		for _, e := range buf {
			if e.Time.Before(last.Time) {
				e.Time = last.Time
			}
			var err error
			if last, err = appendAudit(tx, r.db.opts.Keys, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// Flush writes queued read entries now (for tests and before a backup).
func (db *DB) FlushReads() { db.reads.flush() }

func (r *readAuditor) close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	r.mu.Unlock()
	close(r.done)
	// The loop flushes once more on done; wait for it by flushing synchronously too.
	r.flush()
}
