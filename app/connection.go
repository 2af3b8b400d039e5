package app

import (
	"context"
	"time"
)

// Workstation modes (PCSettings.Mode).
const (
	ModeLocal  = "local"  // 单机: the archive is a file on this PC
	ModeServer = "server" // 联网: the archive is behind an occhealth server on the LAN
)

// Kinds of change notices: what a worklist refreshes on.
const (
	ChangeExam     = "exam"     // registration, results, conclusions, signatures, release
	ChangeWorker   = "worker"   // the worker archive
	ChangeEmployer = "employer" // employers
	ChangeContract = "contract" // contracts and packages
	ChangeCard     = "card"     // case-card reporting state
	ChangeUser     = "user"     // users and roles
	ChangeSettings = "settings" // institution, catalogs, rules, documents, calendar, card settings
	ChangeAudit    = "audit"    // only the audit log (logins, prints); worklists ignore it
	ChangeAll      = "all"      // notices were lost (slow reader, reconnect): refresh everything
)

// Change says that a committed transaction wrote records of one kind.
type Change struct {
	// Seq increases with every notice from one source; a gap means notices were lost.
	Seq  uint64    `json:"seq"`
	Kind string    `json:"kind"`
	IDs  []int64   `json:"ids,omitempty"` // the records, where known; empty: any of the kind
	At   time.Time `json:"at"`
	By   string    `json:"by,omitempty"` // the user's login
}

// ChangeFeed delivers the change notices of commits, from this program and — behind a server or
// on PostgreSQL — from every other workstation, so that worklists refresh without polling.
type ChangeFeed interface {
	// Subscribe delivers the notices of commits after the call until ctx ends, then closes
	// the channel. A subscriber that falls behind gets a ChangeAll notice instead of the ones
	// it missed; it is never blocked on and never blocks a commit.
	Subscribe(ctx context.Context) <-chan Change
}

// ServerInfo is what a server says about itself before it is trusted.
type ServerInfo struct {
	Address string
	// Fingerprint is the SHA-256 of the server's TLS certificate, as hex in groups of four
	// ("3F2A 9C01 …"), shown on the server's console and in its set-up note so that an
	// administrator can compare it before the workstation pins it.
	Fingerprint string
	Institution string
	Version     string // the server program's version
	Protocol    int    // the wire protocol and schema generation the server speaks
	// Compatible is false when this program cannot work with the server; Message says why
	// (in Chinese) and what to do (upgrade).
	Compatible bool
	Message    string
}

// ServerConnector reaches servers (wired by main; the window uses it for 联网 set-up).
type ServerConnector interface {
	// Probe connects to address ("host:port") without trusting its certificate and reports
	// what the server says about itself, for the user to confirm.
	Probe(ctx context.Context, address string) (ServerInfo, error)
	// Connect returns the server's services, trusting only the certificate with fingerprint.
	// The caller fills the local parts (PC, Drops, Spooler, Documents, Exchange).
	Connect(ctx context.Context, address, fingerprint string) (Services, error)
}

// ConnectionState is the state of a workstation's link to its server.
type ConnectionState struct {
	Online  bool
	Address string
	// Message says what went wrong while offline ("服务器无响应，正在重试…").
	Message string
	Since   time.Time
}

// Connection is the link to the server in 联网 mode (nil in 单机 mode).
type Connection interface {
	State() ConnectionState
	// Watch delivers each state change until ctx ends.
	Watch(ctx context.Context) <-chan ConnectionState
	// Close ends the link (logout of the window, switching modes).
	Close() error
}
