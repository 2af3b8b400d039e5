package bolt

import (
	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/rules"
	"occhealth/store"
)

func storeHash(b []byte) string { return store.HashRecord(b) }

// Services wires every bbolt service of db into an app.Services, with the catalog set in
// force (call ApplyOverrides on it first).
func (db *DB) Services(set *catalog.Set) app.Services {
	set.SetInitials(store.TextInitials) // pick lists match 拼音首字母
	db.catalogs.Store(set)              // other server instances' catalog edits apply to it
	users := NewUserService(db)
	inst := NewInstitutionService(db)
	docs := NewDocumentService(db)
	return app.Services{
		Setup:            inst,
		Auth:             users,
		Users:            users,
		Institution:      inst,
		Employers:        NewEmployerService(db),
		Workers:          NewWorkerService(db),
		Catalog:          NewCatalogService(db, set),
		Audit:            NewAuditService(db),
		Backup:           NewBackupService(db),
		Contracts:        NewContractService(db),
		Packages:         NewPackageService(db),
		Exams:            NewExamService(db),
		Rules:            NewRuleService(db),
		Intake:           NewIntakeService(db, set),
		Records:          NewRecordService(db),
		DocumentSettings: docs,
		PrintLog:         docs,
		Calendar:         docs,
		Cards:            NewCardService(db),
		Planner:          plannerView{db},
		RuleTable:        db.ruleTableBytes,
		Catalogs:         set,
		Now:              db.now,
		Changes:          db.Changes(),
	}
}

// plannerView follows the rule table in force, so screens see an administrator's save at once.
type plannerView struct{ db *DB }

func (p plannerView) PlanItems(h []string, t app.ExamType, e string) ([]app.ExamItem, []string) {
	if pl := p.db.Planner(); pl != nil {
		return pl.PlanItems(h, t, e)
	}
	return nil, []string{"未加载 GBZ 188 规则表"}
}

func (p plannerView) Group(code string) (app.ExamItem, bool) {
	if pl := p.db.Planner(); pl != nil {
		return pl.Group(code)
	}
	return app.ExamItem{}, false
}

// ruleTableBytes encodes the rule table in force (for export).
func (db *DB) ruleTableBytes() ([]byte, error) {
	t, ok := db.Planner().(*rules.Table)
	if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "未加载 GBZ 188 规则表")
	}
	return rules.Marshal(t)
}
