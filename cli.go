package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/criteria"
	"occhealth/app/results"
	"occhealth/app/rules"
	"occhealth/assets"
	"occhealth/reports"
	"occhealth/reports/lisdrop"
	"occhealth/store"
	"occhealth/store/bolt"
)

// globals are the flags every subcommand takes.
type globals struct {
	db           string
	user         string
	passwordFile string
	json         bool
}

func newFlags(name string) (*flag.FlagSet, *globals) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	g := &globals{}
	fs.StringVar(&g.db, "db", defaultArchive(), "档案文件路径")
	fs.StringVar(&g.user, "user", "", "以该用户身份执行")
	fs.StringVar(&g.passwordFile, "password-file", "", "从文件读取密码（第一行）")
	fs.BoolVar(&g.json, "json", false, "输出 JSON")
	return fs, g
}

func defaultArchive() string { return store.ArchivePath() }

var (
	catalogOnce sync.Once
	catalogSet  *catalog.Set
	catalogErr  error
)

// loadCatalogs parses the bundled catalogs (once per process).
func loadCatalogs() (*catalog.Set, error) {
	catalogOnce.Do(func() { catalogSet, catalogErr = catalog.Load(assets.Catalogs) })
	if catalogErr != nil {
		return nil, catalogErr
	}
	// Each archive applies its own overrides; hand out a fresh copy of the bundled set.
	return catalog.Load(assets.Catalogs)
}

// loadRules parses the bundled GBZ 188 rule table; an archive's edited table replaces it
// when the archive opens.
func loadRules() (*rules.Table, error) { return rules.Load(assets.Rules) }

// loadIntakeWarnings reads the roster warning thresholds shipped as data.
func loadIntakeWarnings() (app.IntakeWarnings, error) {
	b, err := fs.ReadFile(assets.Rules, "rules/intake_warnings.json")
	if err != nil {
		return app.IntakeWarnings{}, err
	}
	return app.LoadIntakeWarnings(b)
}

func workstation() string {
	h, err := os.Hostname()
	if err != nil {
		return "本机"
	}
	return h
}

// archive is an open archive with its services.
type archive struct {
	db  *bolt.DB
	svc app.Services
	// stopSealer ends the background sealing of case cards (startSealer) and waits for it.
	stopSealer func()
}

// startSealer keeps the archive's case cards sealed in the background (the 单机 window and the
// server): an export of many cards then only packages them.
func (a *archive) startSealer() {
	s, ok := a.svc.Cards.(interface {
		StartSealer(context.Context) <-chan struct{}
	})
	if !ok || a.stopSealer != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := s.StartSealer(ctx)
	a.stopSealer = func() { cancel(); <-done }
}

// close stops the background work and closes the archive.
func (a *archive) close() error {
	if a.stopSealer != nil {
		a.stopSealer()
	}
	return a.db.Close()
}

// openArchive opens the archive at path with its key ring from the configuration directory
// and the catalogs with the archive's overrides applied.
func openArchive(path string, fast bool) (*archive, error) {
	if isPostgres(path) {
		// Administrators on the server reach a PostgreSQL archive with the same commands.
		return openPostgresArchive(context.Background(), path, store.DefaultDataDir())
	}
	keys, err := store.LoadKeyRing(archiveKeyRingPath(path), nowFunc())
	if err != nil {
		return nil, err
	}
	opts, set, err := archiveOptions(keys, fast)
	if err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, opts)
	if err != nil {
		return nil, err
	}
	return archiveServices(db, set)
}

// archiveOptions are what every archive opens with: the bundled catalogs, GBZ 188 rules and
// criteria, roster warnings, reference ranges and working-day calendar.
func archiveOptions(keys *store.KeyRing, fast bool) (bolt.Options, *catalog.Set, error) {
	set, err := loadCatalogs()
	if err != nil {
		return bolt.Options{}, nil, fmt.Errorf("load catalogs: %w", err)
	}
	table, err := loadRules()
	if err != nil {
		return bolt.Options{}, nil, fmt.Errorf("load GBZ 188 rules: %w", err)
	}
	warn, err := loadIntakeWarnings()
	if err != nil {
		return bolt.Options{}, nil, fmt.Errorf("load intake warnings: %w", err)
	}
	ranges, err := results.LoadRanges(assets.Rules)
	if err != nil {
		return bolt.Options{}, nil, fmt.Errorf("load reference ranges: %w", err)
	}
	crit, err := criteria.Load(assets.Rules)
	if err != nil {
		return bolt.Options{}, nil, fmt.Errorf("load GBZ 188 criteria: %w", err)
	}
	cal, err := app.LoadCalendar(assets.CalendarCN, time.Local)
	if err != nil {
		return bolt.Options{}, nil, fmt.Errorf("load working-day calendar: %w", err)
	}
	return bolt.Options{Keys: keys, Codes: set, Workstation: workstation(), FastPasswords: fast, Now: nowFunc, Planner: table, IntakeWarnings: warn,
		Ranges: ranges, Criteria: crit, Calendar: cal, CardSealer: reports.CardSealer()}, set, nil
}

// archiveServices applies the archive's catalog overrides and wires its services with this
// PC's parts; it closes db on failure.
func archiveServices(db *bolt.DB, set *catalog.Set) (*archive, error) {
	if err := db.ApplyOverrides(set); err != nil {
		db.Close()
		return nil, err
	}
	svc := db.Services(set)
	svc.Exchange = reports.XLSXCatalogExchange{}
	svc.Documents = reports.Documents{}
	svc.Spooler = newSpooler()
	svc.PC = store.PCSettingsFile{}
	svc.Drops = lisdrop.Folders{}
	return &archive{db: db, svc: svc}, nil
}

// readPassword reads a password from --password-file or, on a terminal, a prompt without echo.
func readPassword(g *globals, prompt string) (string, error) {
	if g.passwordFile != "" {
		b, err := os.ReadFile(g.passwordFile)
		if err != nil {
			return "", fmt.Errorf("读取密码文件: %w", err)
		}
		return strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r"), nil
	}
	fmt.Fprint(os.Stderr, prompt)
	if term.IsTerminal(int(os.Stdin.Fd())) {
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(os.Stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", app.Errorf(app.EUNAUTHORIZED, "未提供密码（请用 --password-file 或在终端输入）")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// login opens the archive and logs in as --user; the context carries the user.
func login(g *globals) (*archive, context.Context, error) {
	if g.user == "" {
		return nil, nil, app.Errorf(app.EUNAUTHORIZED, "请用 --user 指定执行命令的用户")
	}
	a, err := openArchive(g.db, false)
	if err != nil {
		return nil, nil, err
	}
	pw, err := readPassword(g, "用户 "+g.user+" 的密码：")
	if err != nil {
		a.db.Close()
		return nil, nil, err
	}
	ctx := app.NewContextWithWorkstation(context.Background(), workstation()+"（命令行）")
	u, err := a.svc.Auth.Login(ctx, g.user, pw)
	if err != nil {
		a.db.Close()
		return nil, nil, err
	}
	return a, app.NewContextWithUser(ctx, u), nil
}

func printJSON(v any) {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// parse parses flags that may come before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
