package app

import (
	"context"
	"time"

	"occhealth/app/catalog"
)

// CatalogService keeps an administrator's edits of the bundled catalogs. The bundled
// catalogs are read-only data; an edited catalog is stored whole in the archive and replaces
// the bundled one in the catalog set at start-up and after each save.
type CatalogService interface {
	// CatalogOverrides returns the edited catalogs by name.
	CatalogOverrides(ctx context.Context) (map[string]catalog.Catalog, error)
	// SaveCatalog stores an edited catalog (validated first) with the reason for the audit log.
	SaveCatalog(ctx context.Context, c catalog.Catalog, reason string) error
	// ResetCatalog drops the edits of one catalog, returning to the bundled version.
	ResetCatalog(ctx context.Context, name string) error
}

// CatalogExchange converts a catalog to and from an .xlsx workbook an administrator edits in
// Excel (implemented in reports; the UI and CLI only see this interface).
type CatalogExchange interface {
	ExportCatalog(c catalog.Catalog) ([]byte, error)
	// ImportCatalog reads a workbook written by ExportCatalog (and edited); it returns an
	// EINVALID error naming the row and column of the first bad cell.
	ImportCatalog(name string, xlsx []byte) (catalog.Catalog, error)
}

// RuleService keeps an administrator's edits of the GBZ 188 rule table and item groups,
// stored whole (the app/rules encoding) and replacing the bundled table.
type RuleService interface {
	// RuleTableOverride returns the edited table's encoding, or nil when the bundled table is
	// in force.
	RuleTableOverride(ctx context.Context) ([]byte, error)
	// SaveRuleTable validates and stores an edited table with the reason, and puts it in
	// force at once.
	SaveRuleTable(ctx context.Context, data []byte, reason string) error
	// ResetRuleTable returns to the bundled table.
	ResetRuleTable(ctx context.Context) error
}

// Services bundles every service a screen or command may use. In 单机 mode they are the
// bbolt implementations; in 联网 mode, remote ones.
type Services struct {
	Setup       SetupService
	Auth        AuthService
	Users       UserService
	Institution InstitutionService
	Employers   EmployerService
	Workers     WorkerService
	Catalog     CatalogService
	Audit       AuditService
	Backup      BackupService
	Contracts   ContractService
	Packages    PackageService
	Exams       ExamService
	Intake      IntakeService
	Rules       RuleService
	Records     RecordService
	// DocumentSettings, PrintLog and Calendar serve the documents and printing.
	DocumentSettings DocumentSettingsService
	PrintLog         PrintLogService
	Calendar         CalendarService
	// Cards keeps the case cards' reporting state.
	Cards CardService
	// PC reads and writes this PC's own settings; Drops watches drop folders. Nil where not
	// wired (tests of other screens).
	PC    PCSettingsStore
	Drops DropFolders
	// Spooler sends PDFs to printers; nil where printing is not wired.
	Spooler PrintSpooler
	// Planner is the rule table in force (for screens that show rules and item groups).
	Planner ItemPlanner
	// Documents reads rosters and renders intake documents; nil where not wired.
	Documents Documents
	// RuleTable returns the encoding (app/rules) of the rule table in force, for export.
	RuleTable func() ([]byte, error)
	// Catalogs is the catalog set in force (bundled catalogs with the overrides applied).
	Catalogs *catalog.Set
	// Exchange converts catalogs to and from .xlsx; nil where not wired.
	Exchange CatalogExchange
	// Now is the clock (the server's, in 联网 mode).
	Now func() time.Time
	// Changes delivers change notices so that worklists refresh; nil where not wired.
	Changes ChangeFeed
	// Connection is the link to the server in 联网 mode; nil in 单机 mode.
	Connection Connection
}
