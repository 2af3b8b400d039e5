// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb and pg_ctl in a
// temporary folder, listening only on a Unix socket there, stopped and removed when the test
// binary ends. initdb and postgres refuse to run as root, so as root they run as the
// `postgres` user (runuser); otherwise as the current user.
//
// One cluster serves a whole test binary (call Main from TestMain); each Start creates a fresh
// database in it. Without the PostgreSQL binaries a test is skipped with a message saying so,
// except under CI or OCCHEALTH_REQUIRE_PG, where it fails.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// cluster is the one running cluster of this test binary.
type cluster struct {
	dir   string // socket folder; data in dir/data
	bin   string // folder of initdb, pg_ctl
	asPG  bool   // run the binaries as the postgres user (we are root)
	admin string // DSN of the maintenance database
}

var (
	once    sync.Once
	cur     *cluster
	initErr error
	dbSeq   atomic.Int64
)

// Main runs the tests of a binary and stops the cluster afterwards (if one was started).
// Use it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops and removes the cluster started by Start; later calls do nothing.
func Stop() {
	if cur == nil {
		return
	}
	c := cur
	cur = nil
	_ = c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

// required reports whether a missing PostgreSQL must fail the test rather than skip it.
func required() bool {
	return os.Getenv("CI") != "" || os.Getenv("OCCHEALTH_REQUIRE_PG") != ""
}

// Start returns the DSN of a fresh, empty database in the test binary's cluster, starting the
// cluster at the first call. The database is left for the cluster's removal.
func Start(tb testing.TB) string {
	tb.Helper()
	once.Do(func() { cur, initErr = startCluster() })
	if initErr != nil {
		var nb *notFound
		if errors.As(initErr, &nb) && !required() {
			tb.Skipf("PostgreSQL not installed (%v); install Debian's postgresql package, or set OCCHEALTH_REQUIRE_PG to fail instead", initErr)
		}
		tb.Fatalf("pgtest: %v", initErr)
	}
	name := fmt.Sprintf("t_%d", dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, cur.admin)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	return DSN(cur.dir, name)
}

// DSN is the connection string of database name over the Unix socket in dir.
func DSN(dir, name string) string {
	return fmt.Sprintf("host=%s port=5432 user=postgres dbname=%s sslmode=disable", dir, name)
}

type notFound struct{ what string }

func (e *notFound) Error() string { return e.what }

// binDir finds the folder of initdb: the newest /usr/lib/postgresql/N/bin, else pg_ctl's
// folder on PATH.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(dirs[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(dirs[j]))))
		return vi > vj
	})
	if len(dirs) > 0 {
		return filepath.Dir(dirs[0]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		return filepath.Dir(p), nil
	}
	return "", &notFound{"initdb not found in /usr/lib/postgresql/*/bin or on PATH"}
}

func (c *cluster) run(tool string, args ...string) error {
	path := filepath.Join(c.bin, tool)
	var cmd *exec.Cmd
	if c.asPG {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", tool, strings.Join(args, " "), err, out)
	}
	return nil
}

func startCluster() (*cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, bin: bin, asPG: os.Geteuid() == 0}
	if c.asPG {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, &notFound{"running as root and there is no postgres user to run initdb as"}
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if err := c.run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// A test cluster needs no durability: fsync off makes CREATE DATABASE and commits cheap.
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", dir)
	if err := c.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	c.admin = DSN(dir, "postgres")
	c.watch()
	return c, nil
}

// watch starts a detached shell that stops the cluster and removes its folder once this test
// binary is gone, so that a binary that panics or is killed on a timeout leaves no server
// behind. After a normal Stop it finds nothing to do.
func (c *cluster) watch() {
	stop := fmt.Sprintf("%s -D %s -m immediate -w stop", filepath.Join(c.bin, "pg_ctl"), filepath.Join(c.dir, "data"))
	if c.asPG {
		stop = "runuser -u postgres -- " + stop
	}
	script := fmt.Sprintf("while kill -0 %d 2>/dev/null; do sleep 1; done; %s >/dev/null 2>&1; rm -rf %s", os.Getpid(), stop, c.dir)
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.SysProcAttr = detached()
	if cmd.Start() == nil {
		go cmd.Wait()
	}
}
