package app

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Worker is a 劳动者: one archive per person, keyed by the identity number, across employers.
type Worker struct {
	ID        int64
	Version   int64
	Name      string
	DocType   DocType
	IDNumber  string
	Sex       Sex
	BirthDate time.Time
	Phone     string
	Address   string
	// Photo is the content hash of the photo in the attachment folder ("" for none); ID-card
	// readers fill it later.
	Photo       string
	WorkHistory []WorkPeriod
	Exposures   []Exposure
	Note        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	UpdatedBy   string
}

// WorkPeriod is one job in a worker's history.
type WorkPeriod struct {
	EmployerID int64 // 用人单位
	// HostEmployerID is the 用工单位 where dispatched labour actually works (0 when the same).
	HostEmployerID int64
	Workshop       string // 车间
	JobCode        string // national 工种 code
	JobName        string // free text when the job has no code (其他工种名称)
	Start          time.Time
	End            time.Time // zero while current
}

// Exposure is exposure to one hazard factor.
type Exposure struct {
	HazardCode string // national hazard code
	HazardName string // free text for 其他 (otherHazardName)
	Start      time.Time
	End        time.Time // zero while current
}

// Validate checks the worker's fields, normalises name and number, and derives sex and birth
// date from a checked identity number, refusing a sex or birth date that contradicts it.
func (w *Worker) Validate(now time.Time) error {
	var es Errors
	if n, err := CheckPersonName("姓名", w.Name); err != nil {
		es = append(es, err.(*Error))
	} else {
		w.Name = n
	}
	if w.DocType == "" {
		w.DocType = DocResidentID
	}
	if !w.DocType.Valid() {
		es = append(es, FieldError("证件类型", "未知证件类型“%s”", w.DocType))
	} else if w.DocType.Checked() {
		info, err := ParseIDNumber(w.DocType, w.IDNumber, now)
		if err != nil {
			es = append(es, err.(*Error))
		} else {
			w.IDNumber = info.Number
			if w.Sex != "" && w.Sex != SexUnknown && w.Sex != info.Sex {
				es = append(es, FieldError("性别", "与证件号码不符（号码显示为%s）", info.Sex.Name()))
			} else {
				w.Sex = info.Sex
			}
			if !w.BirthDate.IsZero() && !sameDay(w.BirthDate, info.Birth) {
				es = append(es, FieldError("出生日期", "与证件号码不符（号码显示为 %s）", info.Birth.Format("2006-01-02")))
			} else {
				w.BirthDate = info.Birth
			}
		}
	} else {
		n := strings.ToUpper(NormalizeIDNumber(w.IDNumber))
		switch {
		case n == "":
			es = append(es, FieldError("证件号码", "不能为空"))
		case len(n) > 18:
			es = append(es, FieldError("证件号码", "最多 18 位"))
		default:
			for _, r := range n {
				if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
					es = append(es, FieldError("证件号码", "只能由字母和数字组成"))
					break
				}
			}
		}
		w.IDNumber = n
		if w.Sex != SexMale && w.Sex != SexFemale {
			es = append(es, FieldError("性别", "请选择"))
		}
		if w.BirthDate.IsZero() {
			es = append(es, FieldError("出生日期", "不能为空"))
		}
	}
	if !w.BirthDate.IsZero() && w.BirthDate.After(now) {
		es = append(es, FieldError("出生日期", "晚于今天"))
	}
	if w.Phone != "" {
		if err := checkPhone("联系电话", w.Phone); err != nil {
			es = append(es, err.(*Error))
		}
	}
	checkLen(&es, "地址", w.Address, 100)
	checkLen(&es, "备注", w.Note, 500)
	for i, p := range w.WorkHistory {
		row := func(f string) string { return "工作经历第 " + itoa(i+1) + " 行" + f }
		if p.EmployerID == 0 {
			es = append(es, FieldError(row("用人单位"), "请选择用人单位"))
		}
		if p.JobCode == "" && strings.TrimSpace(p.JobName) == "" {
			es = append(es, FieldError(row("工种"), "请选择工种或填写工种名称"))
		}
		checkLen(&es, row("车间"), p.Workshop, 50)
		if p.Start.IsZero() {
			es = append(es, FieldError(row("开始日期"), "不能为空"))
		} else if p.Start.After(now) {
			es = append(es, FieldError(row("开始日期"), "晚于今天"))
		}
		if !p.End.IsZero() && p.End.Before(p.Start) {
			es = append(es, FieldError(row("结束日期"), "早于开始日期"))
		}
		if !w.BirthDate.IsZero() && !p.Start.IsZero() && p.Start.Before(w.BirthDate) {
			es = append(es, FieldError(row("开始日期"), "早于出生日期"))
		}
	}
	for i, x := range w.Exposures {
		row := func(f string) string { return "接害史第 " + itoa(i+1) + " 行" + f }
		if x.HazardCode == "" && strings.TrimSpace(x.HazardName) == "" {
			es = append(es, FieldError(row("危害因素"), "请选择危害因素"))
		}
		if !x.Start.IsZero() && x.Start.After(now) {
			es = append(es, FieldError(row("开始接害日期"), "晚于今天"))
		}
		if !x.End.IsZero() && !x.Start.IsZero() && x.End.Before(x.Start) {
			es = append(es, FieldError(row("结束日期"), "早于开始日期"))
		}
		if !w.BirthDate.IsZero() && !x.Start.IsZero() && x.Start.Before(w.BirthDate) {
			es = append(es, FieldError(row("开始接害日期"), "早于出生日期"))
		}
	}
	return es.Err()
}

// ValidateCodes checks job and hazard codes against the catalogs.
func (w *Worker) ValidateCodes(c CodeLookup) error {
	var es Errors
	for i, p := range w.WorkHistory {
		if p.JobCode != "" {
			if _, ok := c.CodeName(CatalogJobs, p.JobCode); !ok {
				es = append(es, FieldError("工作经历第 "+itoa(i+1)+" 行工种", "“%s”不是工种代码", p.JobCode))
			}
		}
	}
	for i, x := range w.Exposures {
		if x.HazardCode != "" {
			if _, ok := c.CodeName(CatalogHazards, x.HazardCode); !ok {
				es = append(es, FieldError("接害史第 "+itoa(i+1)+" 行危害因素", "“%s”不是危害因素代码", x.HazardCode))
			}
		}
	}
	return es.Err()
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

// QueryKind is how a search text is read.
type QueryKind int

const (
	QueryEmpty    QueryKind = iota
	QueryIDNumber           // a whole identity number: exact
	QueryIDSuffix           // the last 6 characters of an identity number
	QueryPhone              // a phone number: exact
	QueryPinyin             // pinyin initials: prefix (zs → 张三, 张顺)
	QueryName               // a name: prefix
)

// WorkerQuery is a search text read as one kind.
type WorkerQuery struct {
	Kind  QueryKind
	Value string
}

// ParseWorkerQuery reads what the front desk types into the one search box: an identity
// number (18 or 15 digits), its last six characters, a phone number, pinyin initials or a
// name.
func ParseWorkerQuery(s string) WorkerQuery {
	s = strings.TrimSpace(s)
	if s == "" {
		return WorkerQuery{Kind: QueryEmpty}
	}
	n := NormalizeIDNumber(s)
	isIDish := func(x string) bool {
		return x != "" && allDigits(x[:len(x)-1]) && (x[len(x)-1] == 'X' || allDigits(x[len(x)-1:]))
	}
	switch {
	case len(n) == 18 && isIDish(n):
		return WorkerQuery{QueryIDNumber, n}
	case len(n) == 15 && allDigits(n):
		body := n[:6] + "19" + n[6:]
		return WorkerQuery{QueryIDNumber, body + string(IDCheckChar(body))}
	case len(n) == 6 && isIDish(n):
		return WorkerQuery{QueryIDSuffix, n}
	case len(n) >= 7 && len(n) <= 20 && allDigits(n):
		return WorkerQuery{QueryPhone, n}
	}
	ascii := true
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			ascii = false
			break
		}
	}
	if ascii && utf8.RuneCountInString(s) <= 10 {
		return WorkerQuery{QueryPinyin, strings.ToLower(s)}
	}
	return WorkerQuery{QueryName, NormalizePersonName(s)}
}

// WorkerSearch is a search of the worker archive.
type WorkerSearch struct {
	Query      string
	EmployerID int64 // 0 for all employers
	Limit      int   // 0 for no limit
}

// WorkerUpdate is a change of a worker's editable fields; the identity number is changed
// only by CorrectIDNumber.
type WorkerUpdate struct {
	Version     int64
	Name        string
	Sex         Sex
	BirthDate   time.Time
	Phone       string
	Address     string
	Photo       string
	WorkHistory []WorkPeriod
	Exposures   []Exposure
	Note        string
}

// WorkerService manages the worker archive.
type WorkerService interface {
	// CreateWorker stores a new worker. EINVALID; ECONFLICT when the identity number is
	// already in the archive (the message names the existing record).
	CreateWorker(ctx context.Context, w *Worker) error
	// UpdateWorker changes a worker's fields. ECONFLICT when upd.Version is stale, naming who
	// changed the record and when.
	UpdateWorker(ctx context.Context, id int64, upd WorkerUpdate) (*Worker, error)
	// CorrectIDNumber changes the document type and number of a worker, with a reason that
	// the audit log keeps. ECONFLICT when the new number belongs to another worker.
	CorrectIDNumber(ctx context.Context, id, version int64, doc DocType, number, reason string) (*Worker, error)
	// FindWorkerByID returns one worker. ENOTFOUND; EFORBIDDEN outside the user's scope.
	FindWorkerByID(ctx context.Context, id int64) (*Worker, error)
	// SearchWorkers returns the IDs of matching workers, ordered by name, without decoding
	// the records: a list shows them through WorkersByIDs as it scrolls.
	SearchWorkers(ctx context.Context, s WorkerSearch) ([]int64, error)
	// WorkersByIDs decodes the given workers, in the given order. IDs outside the user's
	// scope or deleted are skipped.
	WorkersByIDs(ctx context.Context, ids []int64) ([]*Worker, error)
}
