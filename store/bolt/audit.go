package bolt

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/kv"
)

// macAlg is the algorithm prefix of chain MACs made with HMAC-SHA-256. An SM3-HMAC key would
// write "hmac-sm3:"; entries keep their own prefix, so history needs no migration.
const macAlg = "hmac-sha256"

// entityBuckets maps audited entities to the bucket holding their current records, so that
// VerifyAudit can compare every record with its newest audit entry.
var entityBuckets = map[string][]byte{
	"user":     bucketUsers,
	"employer": bucketEmployers,
	"worker":   bucketWorkers,
	"contract": bucketContracts,
	"package":  bucketPackages,
	"exam":     bucketExams,
}

// canonicalEntry is the byte string the MAC covers: the entry's JSON with MAC empty.
func canonicalEntry(e app.AuditEntry) []byte {
	e.MAC = ""
	b, _ := json.Marshal(e)
	return b
}

func computeMAC(k store.Key, e app.AuditEntry, prev string) string {
	m := hmac.New(sha256.New, k.Secret)
	m.Write(canonicalEntry(e))
	m.Write([]byte{0})
	m.Write([]byte(prev))
	return macAlg + ":" + hex.EncodeToString(m.Sum(nil))
}

// keyAuditHead caches the newest entry's time and MAC in meta, so that appending and the
// clock check do not decode the newest entry each time. verify never trusts it: it
// recomputes the chain from the entries.
var keyAuditHead = []byte("audit_head")

type auditHead struct {
	Time time.Time
	MAC  string
}

func readAuditHead(tx kv.Tx) (auditHead, bool) {
	if v := tx.Bucket(bucketMeta).Get(keyAuditHead); v != nil {
		var h auditHead
		if json.Unmarshal(v, &h) == nil {
			return h, true
		}
	}
	if e, ok := lastAudit(tx); ok {
		return auditHead{e.Time, e.MAC}, true
	}
	return auditHead{}, false
}

func lastAudit(tx kv.Tx) (app.AuditEntry, bool) {
	k, v := tx.Bucket(bucketAudit).Cursor().Last()
	if k == nil {
		return app.AuditEntry{}, false
	}
	var e app.AuditEntry
	if err := decode(v, &e); err != nil {
		return app.AuditEntry{}, false
	}
	return e, true
}

// diffJSON lists the top-level fields that differ between two encoded records as
// {"field": [old, new]}. Fields that only carry bookkeeping (Version, UpdatedAt) are left out.
// A create (old == nil) lists only the identifying fields: the audit log keeps what changed
// and a hash of the record, never a full copy.
func diffJSON(old, new []byte) string {
	var a, b map[string]json.RawMessage
	if len(old) > 1 {
		_ = json.Unmarshal(old[1:], &a)
	}
	if len(new) > 1 {
		_ = json.Unmarshal(new[1:], &b)
	}
	return diffMaps(a, b)
}

// diffMaps is diffJSON on records already split into their top-level fields.
func diffMaps(a, b map[string]json.RawMessage) string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		if k == "Version" || k == "UpdatedAt" || k == "UpdatedBy" || k == "CreatedAt" || k == "ID" {
			continue
		}
		if !bytes.Equal(a[k], b[k]) && !(isNull(a[k]) && isNull(b[k])) {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	var sb strings.Builder
	sb.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			sb.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		sb.Write(kb)
		sb.WriteString(":[")
		writeRaw(&sb, a[k])
		sb.WriteByte(',')
		writeRaw(&sb, b[k])
		sb.WriteByte(']')
	}
	sb.WriteByte('}')
	return sb.String()
}

// isNull reports whether a field is absent or null (an empty list or pointer either way).
func isNull(r json.RawMessage) bool { return r == nil || string(r) == "null" }

func writeRaw(sb *strings.Builder, r json.RawMessage) {
	if r == nil {
		sb.WriteString("null")
		return
	}
	sb.Write(r)
}

// appendAudit chains one entry onto the log.
func appendAudit(tx kv.Tx, keys *store.KeyRing, e app.AuditEntry) (app.AuditEntry, error) {
	b := tx.Bucket(bucketAudit)
	b.SetFillPercent(appendFill)
	seq, err := b.NextSequence()
	if err != nil {
		return e, err
	}
	prev := ""
	if last, ok := readAuditHead(tx); ok {
		prev = last.MAC
	}
	k := keys.Current()
	e.Seq = seq
	e.Time = e.Time.UTC()
	e.KeyID = k.ID
	e.MAC = computeMAC(k, e, prev)
	enc, err := encode(e)
	if err != nil {
		return e, err
	}
	if err := b.Put(itob(seq), enc); err != nil {
		return e, err
	}
	head, _ := json.Marshal(auditHead{e.Time, e.MAC})
	if err := tx.Bucket(bucketMeta).Put(keyAuditHead, head); err != nil {
		return e, err
	}
	if isRecordEntry(e) {
		if err := tx.Bucket(bucketAuditLast).Put([]byte(fmt.Sprintf("%s/%d", e.Entity, e.EntityID)), itob(seq)); err != nil {
			return e, err
		}
	}
	return e, nil
}

// auditCreate appends the entry for a new record: its hash and the identifying fields given as
// name, value pairs (the log says what was created without a copy of the record).
// touch remembers a written worker or employer for the case cards.
func (t *txn) touch(entity string, id uint64) {
	switch entity {
	case "worker":
		t.touchedWorkers = append(t.touchedWorkers, int64(id))
	case "employer":
		t.touchedEmployers = append(t.touchedEmployers, int64(id))
	}
}

func (t *txn) auditCreate(action, entity string, id uint64, enc []byte, fields ...string) error {
	var sb strings.Builder
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			continue
		}
		if sb.Len() == 0 {
			sb.WriteByte('{')
		} else {
			sb.WriteByte(',')
		}
		k, _ := json.Marshal(fields[i])
		v, _ := json.Marshal(fields[i+1])
		sb.Write(k)
		sb.WriteString(":[null,")
		sb.Write(v)
		sb.WriteByte(']')
	}
	if sb.Len() > 0 {
		sb.WriteByte('}')
	}
	_, err := appendAudit(t.tx, t.db.opts.Keys, app.AuditEntry{
		Time: t.now, User: t.username(), Workstation: t.ws, Action: action,
		Entity: entity, EntityID: int64(id), Diff: sb.String(), RecordHash: store.HashRecord(enc),
	})
	return err
}

// isRecordEntry reports whether e is about a stored record (not a read, not a system event).
func isRecordEntry(e app.AuditEntry) bool {
	return e.Entity != "" && e.EntityID != 0 && !strings.HasPrefix(e.Entity, "read:")
}

// audit appends the entry for a write of one record: old and new are the encoded records
// (nil for a create or a delete).
func (t *txn) audit(action, entity string, id uint64, old, new []byte, note string) error {
	t.touch(entity, id)
	e := app.AuditEntry{
		Time: t.now, User: t.username(), Workstation: t.ws, Action: action,
		Entity: entity, EntityID: int64(id), Diff: diffJSON(old, new), Note: note,
	}
	if new != nil {
		e.RecordHash = store.HashRecord(new)
	}
	_, err := appendAudit(t.tx, t.db.opts.Keys, e)
	return err
}
