package app

import (
	"context"
	"time"
)

// RosterColumn is a column of a roster (团检名单) the program recognises, whatever the header
// says in the file (姓名; 身份证号/身份证号码/证件号码; …).
type RosterColumn string

const (
	ColName          RosterColumn = "name"
	ColIDNumber      RosterColumn = "id_number"
	ColDocType       RosterColumn = "doc_type"
	ColSex           RosterColumn = "sex"
	ColBirth         RosterColumn = "birth"
	ColPhone         RosterColumn = "phone"
	ColWorkshop      RosterColumn = "workshop"
	ColJob           RosterColumn = "job"
	ColHazards       RosterColumn = "hazards"
	ColExposureStart RosterColumn = "exposure_start"
	ColExposureYears RosterColumn = "exposure_years"
	ColExamType      RosterColumn = "exam_type"
)

// Message levels.
const (
	LevelWarning = "warning"
	LevelError   = "error"
)

// RowMessage is what a user reads about one row (and column) of an imported file.
type RowMessage struct {
	Row     int    // 1-based row number as Excel shows it
	Column  string // the header as written in the file ("" for the whole row)
	Level   string // LevelWarning or LevelError
	Message string
}

// RosterRecord is one data row as read from the file: text values by recognised column, and
// problems the reader already found (a number that lost digits, an unreadable date cell).
type RosterRecord struct {
	Row      int
	Values   map[RosterColumn]string
	Problems []RowMessage
}

// RosterFile is a roster as read from .xlsx or .csv, before any checking against the archive.
type RosterFile struct {
	Name      string
	Encoding  string // UTF-8, UTF-8 with BOM, GB18030
	HeaderRow int
	// Headers maps each recognised column to the header text found in the file.
	Headers map[RosterColumn]string
	// Ignored lists headers that match no known column.
	Ignored []string
	Records []RosterRecord
}

// Outcomes of a roster row.
const (
	RowAccepted = "accepted" // 通过
	RowWarning  = "warning"  // 通过（有提示）
	RowRejected = "rejected" // 拒绝
)

// RosterRow is the checked outcome of one record.
type RosterRow struct {
	Row      int
	Outcome  string
	Messages []RowMessage
	Worker   Worker   // as read (normalised); ID 0 for a new person
	Hazards  []string // national hazard codes matched
	// OtherHazards are hazard texts no catalog entry matched, kept as 其他 with their text.
	OtherHazards  []string
	ExamType      ExamType
	ExposureStart time.Time
	Workshop      string
	JobCode       string
	JobName       string
	// ExistingWorkerID links a person already in the archive (never duplicated).
	ExistingWorkerID int64
	// DuplicateOfRow is the earlier row of the same file with the same identity number.
	DuplicateOfRow int
}

// RosterPreview is what the import screen shows before the user commits.
type RosterPreview struct {
	ContractID int64
	File       RosterFile
	Rows       []RosterRow
	Accepted   int
	Warned     int
	Rejected   int
	Linked     int // rows of people already in the archive
}

// RosterCommit is the outcome of a committed import.
type RosterCommit struct {
	Created    int // new workers
	Updated    int // existing workers whose work history or exposures were extended
	Registered int // exams registered (when asked to)
	ExamIDs    []int64
}

// RosterOptions say what a commit does besides filing the people.
type RosterOptions struct {
	// Register also registers an exam for every row, of the row's exam type (or Type when
	// the row has none), dated Date.
	Register bool
	Type     ExamType
	Date     time.Time
}

// IntakeService imports rosters into a contract.
type IntakeService interface {
	// PreviewRoster checks every row against the rules and the archive. It writes nothing.
	PreviewRoster(ctx context.Context, contractID int64, f RosterFile) (*RosterPreview, error)
	// CommitRoster checks again and, only when no row is rejected, files every row in one
	// transaction (all or nothing). EINVALID naming the rejected rows otherwise.
	CommitRoster(ctx context.Context, contractID int64, f RosterFile, opts RosterOptions) (*RosterCommit, error)
}
