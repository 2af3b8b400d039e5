package app

import (
	"context"
	"sort"
)

// Scope limits which records a permitted action reaches.
type Scope string

const (
	ScopeAll Scope = "all" // every record
	// ScopeOwnCases: a diagnosis physician reaches the workers of their own cases, and other
	// workers only by an exact ID-number lookup (to open a new case without a duplicate).
	ScopeOwnCases Scope = "own_cases"
	// ScopeOwnAppraisals: an appraisal expert reaches only the appraisals they sit on.
	ScopeOwnAppraisals Scope = "own_appraisals"
	// ScopeFollowUp: a follow-up nurse reaches only patients under follow-up, and others only by
	// an exact ID-number lookup.
	ScopeFollowUp Scope = "followup"
	// ScopeSelf: the user's own record only (e.g. changing one's own password).
	ScopeSelf Scope = "self"
)

var scopeNames = map[Scope]string{
	ScopeAll: "全部", ScopeOwnCases: "本人承办的病例", ScopeOwnAppraisals: "本人参与的鉴定",
	ScopeFollowUp: "随访对象", ScopeSelf: "本人",
}

// Name returns the Chinese name of the scope.
func (s Scope) Name() string { return scopeNames[s] }

// Restricted reports whether the scope is narrower than ScopeAll.
func (s Scope) Restricted() bool { return s != ScopeAll }

// Permission is one row of the permission table: a service method, and the scope each role
// has for it. A role absent from Roles may not call the method at all.
type Permission struct {
	Action string // "Service.Method", exactly the Go names of the service interface
	Title  string // Chinese description for the table a user reads
	Roles  map[Role]Scope
}

// Role sets that recur in the table.
var (
	allRoles       = Roles
	archiveReaders = []Role{RoleRegistrar, RoleExamDoctor, RoleChiefExaminer, RoleReviewer, RoleReportingClerk, RoleAdmin}
	archiveWriters = []Role{RoleRegistrar, RoleExamDoctor, RoleChiefExaminer, RoleAdmin}
)

func grant(scope Scope, roles ...Role) map[Role]Scope {
	m := make(map[Role]Scope, len(roles))
	for _, r := range roles {
		m[r] = scope
	}
	return m
}

func merge(ms ...map[Role]Scope) map[Role]Scope {
	out := map[Role]Scope{}
	for _, m := range ms {
		for r, s := range m {
			out[r] = s
		}
	}
	return out
}

// PermissionTable is the one place that says who may call what. Every service method that
// needs a login has a row; TestPermissionTable in store walks every method with every role
// and compares the outcome with this table. Later issues add rows here.
var PermissionTable = []Permission{
	// Institution and users.
	{"InstitutionService.Institution", "查看机构信息", grant(ScopeAll, allRoles...)},
	{"InstitutionService.UpdateInstitution", "修改机构信息", grant(ScopeAll, RoleAdmin)},
	{"UserService.CreateUser", "新建用户", grant(ScopeAll, RoleAdmin)},
	{"UserService.FindUsers", "查看用户列表", grant(ScopeAll, RoleAdmin)},
	{"UserService.FindUserByID", "查看用户", merge(grant(ScopeSelf, allRoles...), grant(ScopeAll, RoleAdmin))},
	{"UserService.UpdateUser", "修改用户角色与资格", grant(ScopeAll, RoleAdmin)},
	{"UserService.SetUserDisabled", "停用或启用用户", grant(ScopeAll, RoleAdmin)},
	{"UserService.ResetPassword", "重置密码", grant(ScopeAll, RoleAdmin)},
	{"UserService.ChangePassword", "修改本人密码", grant(ScopeSelf, allRoles...)},

	// Employers.
	{"EmployerService.CreateEmployer", "新建用人单位", grant(ScopeAll, RoleRegistrar, RoleDiagnosisPhysician, RoleAppraisalOffice, RoleReportingClerk, RoleAdmin)},
	{"EmployerService.UpdateEmployer", "修改用人单位", grant(ScopeAll, RoleRegistrar, RoleDiagnosisPhysician, RoleAppraisalOffice, RoleReportingClerk, RoleAdmin)},
	{"EmployerService.FindEmployerByID", "查看用人单位", grant(ScopeAll, RoleRegistrar, RoleExamDoctor, RoleChiefExaminer, RoleReviewer, RoleDiagnosisPhysician, RoleAppraisalOffice, RoleFollowUpNurse, RoleReportingClerk, RoleAdmin)},
	{"EmployerService.FindEmployers", "查询用人单位", grant(ScopeAll, RoleRegistrar, RoleExamDoctor, RoleChiefExaminer, RoleReviewer, RoleDiagnosisPhysician, RoleAppraisalOffice, RoleFollowUpNurse, RoleReportingClerk, RoleAdmin)},

	// Workers (one archive per person).
	{"WorkerService.CreateWorker", "新建劳动者档案", grant(ScopeAll, RoleRegistrar, RoleDiagnosisPhysician, RoleAppraisalOffice, RoleAdmin)},
	{"WorkerService.UpdateWorker", "修改劳动者信息", merge(grant(ScopeAll, archiveWriters...), grant(ScopeOwnCases, RoleDiagnosisPhysician), grant(ScopeFollowUp, RoleFollowUpNurse))},
	{"WorkerService.CorrectIDNumber", "更正证件号码（留痕）", grant(ScopeAll, RoleRegistrar, RoleAdmin)},
	{"WorkerService.FindWorkerByID", "查看劳动者档案", merge(grant(ScopeAll, archiveReaders...), grant(ScopeOwnCases, RoleDiagnosisPhysician), grant(ScopeAll, RoleAppraisalOffice), grant(ScopeFollowUp, RoleFollowUpNurse))},
	{"WorkerService.SearchWorkers", "查询劳动者", merge(grant(ScopeAll, archiveReaders...), grant(ScopeOwnCases, RoleDiagnosisPhysician), grant(ScopeAll, RoleAppraisalOffice), grant(ScopeFollowUp, RoleFollowUpNurse))},
	{"WorkerService.WorkersByIDs", "查看劳动者列表", merge(grant(ScopeAll, archiveReaders...), grant(ScopeOwnCases, RoleDiagnosisPhysician), grant(ScopeAll, RoleAppraisalOffice), grant(ScopeFollowUp, RoleFollowUpNurse))},

	// Intake: contracts, item packages, registration, rosters.
	{"ContractService.CreateContract", "新建体检任务", grant(ScopeAll, RoleRegistrar, RoleAdmin)},
	{"ContractService.UpdateContract", "修改体检任务", grant(ScopeAll, RoleRegistrar, RoleAdmin)},
	{"ContractService.FindContractByID", "查看体检任务", grant(ScopeAll, archiveReaders...)},
	{"ContractService.FindContracts", "查询体检任务", grant(ScopeAll, archiveReaders...)},
	{"ContractService.AddAttachment", "上传体检任务附件", grant(ScopeAll, RoleRegistrar, RoleAdmin)},
	{"ContractService.Attachment", "查看体检任务附件", grant(ScopeAll, archiveReaders...)},
	{"PackageService.CreatePackage", "新建体检套餐", grant(ScopeAll, RoleAdmin)},
	{"PackageService.UpdatePackage", "修改体检套餐", grant(ScopeAll, RoleAdmin)},
	{"PackageService.FindPackages", "查看体检套餐", grant(ScopeAll, archiveReaders...)},
	{"ExamService.Register", "体检登记", grant(ScopeAll, RoleRegistrar, RoleAdmin)},
	{"ExamService.FindExamByID", "查看体检", grant(ScopeAll, archiveReaders...)},
	{"ExamService.FindExamByNumber", "按体检号查找", grant(ScopeAll, archiveReaders...)},
	{"ExamService.FindExams", "查询体检", grant(ScopeAll, archiveReaders...)},
	{"ExamService.CancelExam", "取消登记或标记未到检", grant(ScopeAll, RoleRegistrar, RoleAdmin)},
	{"ExamService.VoidExam", "作废已有结果的体检", grant(ScopeAll, RoleAdmin)},

	// Recording and conclusion.
	{"RecordService.SaveInquiry", "问诊", grant(ScopeAll, RoleExamDoctor, RoleChiefExaminer)},
	{"RecordService.SaveResults", "录入检查结果", grant(ScopeAll, RoleExamDoctor, RoleChiefExaminer)},
	{"RecordService.LogCriticalCall", "危急值回访登记", grant(ScopeAll, RoleExamDoctor, RoleChiefExaminer, RoleReviewer)},
	{"RecordService.OpenCriticals", "查看未回访危急值", grant(ScopeAll, RoleExamDoctor, RoleChiefExaminer, RoleReviewer, RoleAdmin)},
	{"RecordService.SaveConclusion", "主检结论（草稿）", grant(ScopeAll, RoleChiefExaminer)},
	{"RecordService.Sign", "主检签名", grant(ScopeAll, RoleChiefExaminer)},
	{"RecordService.Review", "审核或退回", grant(ScopeAll, RoleReviewer)},
	{"RecordService.Release", "报告发放", grant(ScopeAll, RoleRegistrar, RoleReviewer, RoleAdmin)},
	{"RecordService.AddAddendum", "已发放体检的补充更正", grant(ScopeAll, RoleChiefExaminer, RoleReviewer)},
	{"RecordService.ExamHistory", "查看体检历次版本", grant(ScopeAll, archiveReaders...)},
	{"RecordService.Referrals", "查看疑似职业病转诊名单", grant(ScopeAll, RoleChiefExaminer, RoleReviewer, RoleDiagnosisPhysician, RoleReportingClerk, RoleAdmin)},
	{"RecordService.PreviewResultImport", "预览结果导入", grant(ScopeAll, RoleExamDoctor, RoleChiefExaminer, RoleAdmin)},
	{"RecordService.CommitResultImport", "导入检查结果", grant(ScopeAll, RoleExamDoctor, RoleChiefExaminer)},
	{"RecordService.ResultMappings", "查看结果导入列对应", grant(ScopeAll, RoleExamDoctor, RoleChiefExaminer, RoleAdmin)},
	{"RecordService.SaveResultMapping", "保存结果导入列对应", grant(ScopeAll, RoleExamDoctor, RoleChiefExaminer, RoleAdmin)},

	// Documents and printing.
	{"DocumentSettingsService.DocumentTexts", "查看文书文字与建议用语", grant(ScopeAll, allRoles...)},
	{"DocumentSettingsService.SaveDocumentTexts", "修改文书文字、建议用语与印章设置", grant(ScopeAll, RoleAdmin)},
	{"DocumentSettingsService.SealImage", "使用印章图片", grant(ScopeAll, archiveReaders...)},
	{"DocumentSettingsService.SaveSealImage", "上传印章图片", grant(ScopeAll, RoleAdmin)},
	{"DocumentSettingsService.SignatureImage", "使用签名图片", grant(ScopeAll, archiveReaders...)},
	{"DocumentSettingsService.SaveSignatureImage", "上传签名图片", grant(ScopeAll, RoleAdmin)},
	{"PrintLogService.LogPrint", "登记打印", grant(ScopeAll, RoleRegistrar, RoleExamDoctor, RoleChiefExaminer, RoleReviewer, RoleAdmin)},
	{"PrintLogService.FindPrints", "查看打印记录", grant(ScopeAll, archiveReaders...)},
	{"CalendarService.Calendar", "查看工作日历", grant(ScopeAll, allRoles...)},
	{"CalendarService.SaveCalendar", "修改工作日历", grant(ScopeAll, RoleAdmin)},

	// Case cards.
	{"CardService.Cards", "查看个案卡", grant(ScopeAll, RoleReportingClerk, RoleChiefExaminer, RoleReviewer, RoleAdmin)},
	{"CardService.CardData", "生成个案卡数据", grant(ScopeAll, RoleReportingClerk, RoleAdmin)},
	{"CardService.RecordExport", "导出个案卡", grant(ScopeAll, RoleReportingClerk, RoleAdmin)},
	{"CardService.ExportItems", "读取已预生成的个案卡", grant(ScopeAll, RoleReportingClerk, RoleAdmin)},
	{"CardService.RecordExported", "导出个案卡", grant(ScopeAll, RoleReportingClerk, RoleAdmin)},
	{"CardService.SetCardStatus", "登记个案卡上报状态", grant(ScopeAll, RoleReportingClerk, RoleAdmin)},
	{"CardService.ImportFeedback", "导入平台反馈", grant(ScopeAll, RoleReportingClerk, RoleAdmin)},
	{"CardService.CardSettings", "查看上报设置", grant(ScopeAll, RoleReportingClerk, RoleChiefExaminer, RoleReviewer, RoleAdmin)},
	{"CardService.SaveCardSettings", "修改上报设置", grant(ScopeAll, RoleAdmin)},

	{"IntakeService.PreviewRoster", "预览团检名单", grant(ScopeAll, RoleRegistrar, RoleAdmin)},
	{"IntakeService.CommitRoster", "导入团检名单", grant(ScopeAll, RoleRegistrar, RoleAdmin)},
	{"RuleService.RuleTableOverride", "查看规则表修改", grant(ScopeAll, allRoles...)},
	{"RuleService.SaveRuleTable", "修改 GBZ 188 规则表", grant(ScopeAll, RoleAdmin)},
	{"RuleService.ResetRuleTable", "恢复出厂规则表", grant(ScopeAll, RoleAdmin)},

	// Catalogs.
	{"CatalogService.CatalogOverrides", "查看字典修改", grant(ScopeAll, allRoles...)},
	{"CatalogService.SaveCatalog", "修改字典", grant(ScopeAll, RoleAdmin)},
	{"CatalogService.ResetCatalog", "恢复字典出厂值", grant(ScopeAll, RoleAdmin)},

	// Audit and backups.
	{"AuditService.VerifyAudit", "校验审计链", grant(ScopeAll, RoleAdmin)},
	{"AuditService.FindAudit", "查看审计日志", grant(ScopeAll, RoleAdmin)},
	{"BackupService.Backup", "立即备份", grant(ScopeAll, RoleAdmin)},
	{"BackupService.ListBackups", "查看备份", grant(ScopeAll, RoleAdmin)},
	{"BackupService.Restore", "从备份恢复或迁移档案", grant(ScopeAll, RoleAdmin)},
	{"BackupService.BackupSettings", "查看备份设置", grant(ScopeAll, RoleAdmin)},
	{"BackupService.SaveBackupSettings", "修改备份设置", grant(ScopeAll, RoleAdmin)},
}

var permissionIndex = func() map[string]*Permission {
	m := make(map[string]*Permission, len(PermissionTable))
	for i := range PermissionTable {
		m[PermissionTable[i].Action] = &PermissionTable[i]
	}
	return m
}()

// PermissionFor returns the row of the table for an action.
func PermissionFor(action string) (Permission, bool) {
	p, ok := permissionIndex[action]
	if !ok {
		return Permission{}, false
	}
	return *p, true
}

// ScopeOf returns the widest scope any of the user's roles has for action, and false when
// none of them may call it. A disabled user has no scope.
func ScopeOf(u *User, action string) (Scope, bool) {
	p, ok := permissionIndex[action]
	if !ok || u == nil || u.Disabled {
		return "", false
	}
	best, found := Scope(""), false
	for _, r := range u.Roles {
		s, ok := p.Roles[r]
		if !ok {
			continue
		}
		if !found || scopeRank(s) > scopeRank(best) {
			best, found = s, true
		}
	}
	return best, found
}

func scopeRank(s Scope) int {
	switch s {
	case ScopeAll:
		return 3
	case ScopeOwnCases, ScopeOwnAppraisals, ScopeFollowUp:
		return 2
	case ScopeSelf:
		return 1
	}
	return 0
}

// Authorize checks that the user in ctx may call action and returns their scope. It returns
// EUNAUTHORIZED without a user and EFORBIDDEN when no role of theirs allows the action. An
// action missing from PermissionTable is refused for everyone: a new method must get its row.
func Authorize(ctx context.Context, action string) (Scope, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return "", Errorf(EUNAUTHORIZED, "请先登录")
	}
	if u.Disabled {
		return "", Errorf(EUNAUTHORIZED, "用户“%s”已停用", u.Username)
	}
	p, ok := permissionIndex[action]
	if !ok {
		return "", Errorf(EFORBIDDEN, "操作“%s”未列入权限表，已拒绝", action)
	}
	s, ok := ScopeOf(u, action)
	if !ok {
		return "", Errorf(EFORBIDDEN, "您的角色无权执行“%s”", p.Title)
	}
	return s, nil
}

// AllowedRoles returns the roles that may call action, in the order of Roles.
func AllowedRoles(action string) []Role {
	p, ok := permissionIndex[action]
	if !ok {
		return nil
	}
	var out []Role
	for _, r := range Roles {
		if _, ok := p.Roles[r]; ok {
			out = append(out, r)
		}
	}
	return out
}

// Actions returns every action of the table, sorted.
func Actions() []string {
	out := make([]string, 0, len(PermissionTable))
	for _, p := range PermissionTable {
		out = append(out, p.Action)
	}
	sort.Strings(out)
	return out
}
