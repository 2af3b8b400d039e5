package app

import (
	"context"
	"time"
)

// AuditEntry is one line of the tamper-evident audit log. Every write appends one in the same
// transaction; reads of a worker's archive append one asynchronously. Entries are chained:
// MAC = HMAC(key, canonical(entry without MAC) ‖ previous MAC).
type AuditEntry struct {
	Seq         uint64
	Time        time.Time // the writer's clock (the server's in 联网 mode)
	User        string    // username; "" for the system (migrations, set-up)
	Workstation string
	Action      string // the permission-table action, e.g. WorkerService.CreateWorker, or read.*
	Entity      string // e.g. worker, employer, user
	EntityID    int64
	// Diff lists changed fields as JSON {"field": [old, new]}; sensitive values (passwords)
	// never appear.
	Diff string
	// RecordHash is the hash of the record's canonical encoding after the write ("" for
	// deletes and reads), prefixed by its algorithm ("sha256:…").
	RecordHash string
	Note       string // a reason the user gave (corrections, restores)
	// KeyID names the institution key the MAC was made with; a new key starts a new segment.
	KeyID string
	// MAC is the chain MAC, prefixed by its algorithm ("hmac-sha256:…").
	MAC string
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Entity   string
	EntityID int64
	User     string
	Offset   int
	Limit    int
}

// AuditReport is the outcome of VerifyAudit.
type AuditReport struct {
	OK       bool
	Entries  int
	Segments int // chain segments (a lost key starts a new one)
	// FirstBad is the sequence number of the first entry whose MAC, order or record hash does
	// not check, 0 when none.
	FirstBad uint64
	Problem  string // Chinese description of the first problem
	Head     string // MAC of the newest entry
	// Anchors found outside the archive (backup reports, export manifests) and checked.
	AnchorsChecked int
	AnchorsFailed  int
	// RecordsChecked counts current records whose hash matched their newest audit entry.
	RecordsChecked int
	// Unverifiable counts entries signed with a key this PC no longer has (a lost key ring
	// started a new segment): their order is checked, their MACs cannot be.
	Unverifiable int
	// Notes are things a reader must know even when OK (unverifiable segments).
	Notes []string
}

// AuditService reads and verifies the audit log.
type AuditService interface {
	// VerifyAudit recomputes the chain, checks every current record against its newest
	// audit entry and checks the anchors it can find.
	VerifyAudit(ctx context.Context) (AuditReport, error)
	// FindAudit lists entries, newest first, and the total count.
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
}

// ShortHash returns the first 12 characters after the algorithm prefix of a MAC or hash, the
// form printed in PDF footers and backup reports.
func ShortHash(mac string) string {
	for i := 0; i < len(mac); i++ {
		if mac[i] == ':' {
			mac = mac[i+1:]
			break
		}
	}
	if len(mac) > 12 {
		return mac[:12]
	}
	return mac
}
