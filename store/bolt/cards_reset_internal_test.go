package bolt

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/store"
)

// A notice from another server instance that names no records empties the case-card worklist
// cache; one naming a worker drops only what that worker touches.
func TestCards_RemoteNoticeWithoutIDsResetsCache(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{Keys: store.NewMemoryKeyRing(now), Now: func() time.Time { return now }, FastPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewCardService(db)
	fill := func() {
		s.mu.Lock()
		s.metas = map[int64]*cardMeta{1: {}, 2: {}}
		s.mu.Unlock()
	}
	count := func() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.metas) }
	fill()
	payload, _ := json.Marshal(notice{Instance: "another", Changes: []app.Change{{Kind: app.ChangeWorker}}})
	db.remoteNotice(payload)
	if n := count(); n != 0 {
		t.Fatalf("%d cached cards left after a notice without IDs", n)
	}
	fill()
	db.remoteNotice(nil) // the listener lost its connection: notices may be lost
	if n := count(); n != 0 {
		t.Fatalf("%d cached cards left after a lost connection", n)
	}
}
