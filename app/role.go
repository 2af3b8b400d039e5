package app

// Role is what a user may do. A user may hold several roles.
type Role string

// The roles of DESIGN.md. The string values are stored; the Chinese names are shown.
const (
	RoleRegistrar          Role = "registrar"           // 登记员
	RoleExamDoctor         Role = "exam_doctor"         // 体检医生
	RoleChiefExaminer      Role = "chief_examiner"      // 主检医师
	RoleReviewer           Role = "reviewer"            // 审核医师
	RoleDiagnosisPhysician Role = "diagnosis_physician" // 诊断医师
	RoleAppraisalOffice    Role = "appraisal_office"    // 鉴定办事机构
	RoleAppraisalExpert    Role = "appraisal_expert"    // 鉴定专家
	RoleFollowUpNurse      Role = "followup_nurse"      // 随访护士
	RoleReportingClerk     Role = "reporting_clerk"     // 统计上报员
	RoleAdmin              Role = "admin"               // 管理员
)

// Roles lists every role in display order.
var Roles = []Role{
	RoleRegistrar, RoleExamDoctor, RoleChiefExaminer, RoleReviewer, RoleDiagnosisPhysician,
	RoleAppraisalOffice, RoleAppraisalExpert, RoleFollowUpNurse, RoleReportingClerk, RoleAdmin,
}

var roleNames = map[Role]string{
	RoleRegistrar:          "登记员",
	RoleExamDoctor:         "体检医生",
	RoleChiefExaminer:      "主检医师",
	RoleReviewer:           "审核医师",
	RoleDiagnosisPhysician: "诊断医师",
	RoleAppraisalOffice:    "鉴定办事机构",
	RoleAppraisalExpert:    "鉴定专家",
	RoleFollowUpNurse:      "随访护士",
	RoleReportingClerk:     "统计上报员",
	RoleAdmin:              "管理员",
}

// Name returns the Chinese name of the role.
func (r Role) Name() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok }

// ParseRole accepts a role's identifier or its Chinese name.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s || r.Name() == s {
			return r, true
		}
	}
	return "", false
}

// InstitutionKind is one part of the work an institution does; the menus follow them.
type InstitutionKind string

const (
	KindExam      InstitutionKind = "exam"      // 职业健康检查机构
	KindDiagnosis InstitutionKind = "diagnosis" // 职业病诊断机构
	KindAppraisal InstitutionKind = "appraisal" // 鉴定办事机构
	KindFollowUp  InstitutionKind = "followup"  // 随访机构
)

// InstitutionKinds lists every kind in display order.
var InstitutionKinds = []InstitutionKind{KindExam, KindDiagnosis, KindAppraisal, KindFollowUp}

var kindNames = map[InstitutionKind]string{
	KindExam:      "职业健康检查机构",
	KindDiagnosis: "职业病诊断机构",
	KindAppraisal: "鉴定办事机构",
	KindFollowUp:  "随访机构",
}

// Name returns the Chinese name of the kind.
func (k InstitutionKind) Name() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k InstitutionKind) Valid() bool { _, ok := kindNames[k]; return ok }

// HazardCategory is a category of hazard factors an exam institution files for (备案).
// The value is the leading digit of the national hazard code (exchange spec table 14).
type HazardCategory string

const (
	HazardDust       HazardCategory = "1" // 粉尘
	HazardChemical   HazardCategory = "2" // 化学因素
	HazardPhysical   HazardCategory = "3" // 物理因素
	HazardBiological HazardCategory = "4" // 生物因素
	HazardRadiation  HazardCategory = "5" // 放射因素
	HazardSpecial    HazardCategory = "6" // 特殊作业
)

// HazardCategories lists the categories in the order of the filing form.
var HazardCategories = []HazardCategory{HazardDust, HazardChemical, HazardPhysical, HazardRadiation, HazardBiological, HazardSpecial}

var hazardCategoryNames = map[HazardCategory]string{
	HazardDust: "粉尘", HazardChemical: "化学因素", HazardPhysical: "物理因素",
	HazardBiological: "生物因素", HazardRadiation: "放射因素", HazardSpecial: "特殊作业",
}

// Name returns the Chinese name of the category.
func (c HazardCategory) Name() string {
	if n, ok := hazardCategoryNames[c]; ok {
		return n
	}
	return string(c)
}

// Valid reports whether c is a known category.
func (c HazardCategory) Valid() bool { _, ok := hazardCategoryNames[c]; return ok }

// HazardCategoryOf returns the category of a national hazard code ("1038" → 粉尘). Codes of
// 其他因素 (9xxx) and local codes return "" and ok=false.
func HazardCategoryOf(code string) (HazardCategory, bool) {
	if code == "" {
		return "", false
	}
	c := HazardCategory(code[:1])
	return c, c.Valid()
}
