package bolt

import (
	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/store"
)

func storeHash(b []byte) string { return store.HashRecord(b) }

// Services wires every bbolt service of db into an app.Services, with the catalog set in
// force (call ApplyOverrides on it first).
func (db *DB) Services(set *catalog.Set) app.Services {
	users := NewUserService(db)
	inst := NewInstitutionService(db)
	return app.Services{
		Setup:       inst,
		Auth:        users,
		Users:       users,
		Institution: inst,
		Employers:   NewEmployerService(db),
		Workers:     NewWorkerService(db),
		Catalog:     NewCatalogService(db, set),
		Audit:       NewAuditService(db),
		Backup:      NewBackupService(db),
		Contracts:   NewContractService(db),
		Packages:    NewPackageService(db),
		Exams:       NewExamService(db),
		Catalogs:    set,
		Now:         db.now,
	}
}
