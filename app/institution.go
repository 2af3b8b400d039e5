package app

import (
	"context"
	"time"
	"unicode/utf8"
)

// Institution is the one institution that keeps this archive.
type Institution struct {
	Version          int64
	Name             string
	Code             string // 9-digit 机构编码
	Kinds            []InstitutionKind
	HazardCategories []HazardCategory // filed (备案) categories; only for KindExam
	AreaCode         string           // 6-digit 行政区划代码 (or 9-digit with township)
	AreaName         string
	// AreaUnverified is set when the code was typed and is not in the bundled area list
	// (codes change yearly); the UI shows a warning.
	AreaUnverified bool
	Address        string
	Phone          string
	// Demo marks an archive filled by `occhealth demo`; the title bar says 演示数据.
	Demo bool
	// InstallationPrefix is a digit string unique to this installation, put in front of
	// sequence numbers (exam numbers) so archives of several PCs can merge.
	InstallationPrefix string
	CreatedAt          time.Time
}

// HasKind reports whether the institution does k.
func (in *Institution) HasKind(k InstitutionKind) bool {
	for _, x := range in.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// HasHazardCategory reports whether the institution filed for category c.
func (in *Institution) HasHazardCategory(c HazardCategory) bool {
	for _, x := range in.HazardCategories {
		if x == c {
			return true
		}
	}
	return false
}

// Validate checks the institution's fields.
func (in *Institution) Validate() error {
	var es Errors
	if in.Name == "" {
		es = append(es, FieldError("机构名称", "不能为空"))
	} else if utf8.RuneCountInString(in.Name) > 70 {
		es = append(es, FieldError("机构名称", "最多 70 个字"))
	}
	if len(in.Code) != 9 || !allDigits(in.Code) {
		es = append(es, FieldError("机构编码", "应为 9 位数字（现为“%s”）", in.Code))
	}
	if len(in.Kinds) == 0 {
		es = append(es, FieldError("机构类型", "至少选择一项"))
	}
	for _, k := range in.Kinds {
		if !k.Valid() {
			es = append(es, FieldError("机构类型", "未知类型“%s”", k))
		}
	}
	if in.HasKind(KindExam) && len(in.HazardCategories) == 0 {
		es = append(es, FieldError("备案危害因素类别", "职业健康检查机构至少选择一类"))
	}
	for _, c := range in.HazardCategories {
		if !c.Valid() {
			es = append(es, FieldError("备案危害因素类别", "未知类别“%s”", c))
		}
	}
	if !(len(in.AreaCode) == 6 || len(in.AreaCode) == 9) || !allDigits(in.AreaCode) {
		es = append(es, FieldError("行政区划代码", "应为 6 位（县级）或 9 位（乡镇级）数字"))
	}
	if in.InstallationPrefix != "" && (!allDigits(in.InstallationPrefix) || len(in.InstallationPrefix) > 4) {
		es = append(es, FieldError("安装编号", "应为 1–4 位数字"))
	}
	return es.Err()
}

// SetupInput is what the first-start dialog collects.
type SetupInput struct {
	Institution   Institution
	AdminUsername string
	AdminName     string
	AdminPassword string
}

// SetupStatus says whether the archive has been set up.
type SetupStatus struct {
	Initialized bool
	Demo        bool
	Institution *Institution // nil before set-up
	// DemoLogin is shown on the login screen of a demo archive ("demo" / its password).
	DemoUsername string
	DemoPassword string
}

// SetupService sets up an empty archive. It needs no login: it works only while the archive
// has no institution.
type SetupService interface {
	// Status tells whether the archive is set up.
	Status(ctx context.Context) (SetupStatus, error)
	// Initialize stores the institution and the first administrator. ESETUP when already set
	// up; EINVALID.
	Initialize(ctx context.Context, in SetupInput) (*User, error)
}

// InstitutionService reads and changes the institution's settings.
type InstitutionService interface {
	Institution(ctx context.Context) (*Institution, error)
	// UpdateInstitution replaces the settings. ECONFLICT when in.Version is stale.
	UpdateInstitution(ctx context.Context, in *Institution) (*Institution, error)
}
