package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Place says where a contract's exams happen.
type Place string

const (
	PlaceInHouse Place = "in"  // 院内
	PlaceOnSite  Place = "out" // 外出（到企业现场）
)

// Name returns 院内 or 外出.
func (p Place) Name() string {
	if p == PlaceOnSite {
		return "外出"
	}
	return "院内"
}

// ContractState is where a contract's exam round stands.
type ContractState string

const (
	ContractOpen   ContractState = "open"   // 进行中: registration allowed
	ContractClosed ContractState = "closed" // 已结束: no new registrations
)

// Contract is an employer's exam round (体检任务 / 委托协议).
type Contract struct {
	ID         int64
	Version    int64
	Number     string // 合同编号, unique; given by the institution (free text) or generated
	EmployerID int64
	Title      string
	Start      time.Time
	End        time.Time
	Place      Place
	PlaceNote  string   // address of the on-site exam
	Hazards    []string // national hazard codes examined in this round
	ExamTypes  []string // national exam-type codes (01–05)
	Packages   []ContractPackage
	Monitoring []MonitoringResult
	// Attachments are employer materials (roster file, monitoring report), stored
	// content-addressed beside the archive.
	Attachments []Attachment
	State       ContractState
	Note        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	UpdatedBy   string
}

// ContractPackage is an item set (套餐) agreed for a contract, with its agreed price.
type ContractPackage struct {
	PackageID int64
	Name      string
	PriceFen  int64 // agreed price per person, in fen (分)
}

// MonitoringResult is one workplace hazard monitoring result the employer supplied
// (工作场所职业病危害因素检测结果).
type MonitoringResult struct {
	HazardCode string
	Workshop   string
	Date       time.Time
	Value      string // as reported, e.g. "0.35"
	Unit       string // mg/m³, dB(A), °C (WBGT) …
	// ConcentrationType is exchange-spec code table 7: 01 CTWA, 02 CSTEL, 03 CMAC, 99 其他.
	ConcentrationType string
	// Grade is the 作业分级 where known (e.g. Ⅰ级, Ⅱ级), free text.
	Grade string
}

// Attachment is a file kept beside the archive, referenced by its content hash.
type Attachment struct {
	Name   string // original file name
	Kind   string // 名单, 检测报告, 其他
	SHA256 string
	Size   int64
	Added  time.Time
}

// ContractRetentionYears is how long an exam round's archive is kept (REFERENCE §5: at least
// 15 years after the last exam).
const ContractRetentionYears = 15

// Validate checks the contract's fields.
func (c *Contract) Validate() error {
	var es Errors
	c.Number = strings.TrimSpace(c.Number)
	if c.Number == "" {
		es = append(es, FieldError("合同编号", "不能为空"))
	}
	checkLen(&es, "合同编号", c.Number, 40)
	if c.EmployerID == 0 {
		es = append(es, FieldError("用人单位", "请选择"))
	}
	checkLen(&es, "名称", c.Title, 100)
	if c.Start.IsZero() {
		es = append(es, FieldError("开始日期", "不能为空"))
	}
	if !c.End.IsZero() && c.End.Before(c.Start) {
		es = append(es, FieldError("结束日期", "早于开始日期"))
	}
	if c.Place != PlaceInHouse && c.Place != PlaceOnSite {
		es = append(es, FieldError("体检地点", "请选择院内或外出"))
	}
	if c.Place == PlaceOnSite && strings.TrimSpace(c.PlaceNote) == "" {
		es = append(es, FieldError("外出地址", "外出体检请填写地点"))
	}
	if len(c.Hazards) == 0 {
		es = append(es, FieldError("危害因素", "至少选择一项"))
	}
	if len(c.ExamTypes) == 0 {
		es = append(es, FieldError("体检类型", "至少选择一项"))
	}
	for _, t := range c.ExamTypes {
		if !ExamType(t).Valid() {
			es = append(es, FieldError("体检类型", "未知代码“%s”", t))
		}
	}
	for i, p := range c.Packages {
		if p.PriceFen < 0 {
			es = append(es, FieldError("套餐第 "+itoa(i+1)+" 行价格", "不能为负数"))
		}
	}
	for i, m := range c.Monitoring {
		row := "检测结果第 " + itoa(i+1) + " 行"
		if m.HazardCode == "" {
			es = append(es, FieldError(row+"危害因素", "请选择"))
		}
		switch m.ConcentrationType {
		case "", "01", "02", "03", "99":
		default:
			es = append(es, FieldError(row+"浓度类型", "应为 01 CTWA、02 CSTEL、03 CMAC 或 99 其他"))
		}
	}
	if c.State == "" {
		c.State = ContractOpen
	}
	if utf8.RuneCountInString(c.Note) > 1000 {
		es = append(es, FieldError("备注", "最多 1000 个字"))
	}
	return es.Err()
}

// ContractFilter selects contracts, newest first.
type ContractFilter struct {
	EmployerID int64
	Query      string // number or employer name part
	OpenOnly   bool
	Offset     int
	Limit      int
}

// ContractService manages exam rounds.
type ContractService interface {
	// CreateContract stores a new contract. EINVALID; ECONFLICT for a taken number; EINVALID
	// when a hazard lies outside the institution's filed categories.
	CreateContract(ctx context.Context, c *Contract) error
	// UpdateContract replaces a contract's fields (ECONFLICT on a stale version).
	UpdateContract(ctx context.Context, c *Contract) error
	FindContractByID(ctx context.Context, id int64) (*Contract, error)
	FindContracts(ctx context.Context, f ContractFilter) ([]*Contract, int, error)
	// AddAttachment stores a file for the contract (content-addressed) and returns it.
	AddAttachment(ctx context.Context, contractID int64, name, kind string, data []byte) (Attachment, error)
	// Attachment returns a stored file's bytes.
	Attachment(ctx context.Context, sha256 string) ([]byte, error)
}
