package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"occhealth/app"
)

// Fakes of the 联网 contracts (app/connection.go) for the window's tests: a server connector,
// a connection whose state a test sets, a change feed a test publishes on, and this PC's
// settings in memory.

// memPC is this PC's settings in memory.
type memPC struct {
	mu  sync.Mutex
	cfg app.PCSettings
}

func (m *memPC) LoadPCSettings() (app.PCSettings, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cfg, nil
}

func (m *memPC) SavePCSettings(s app.PCSettings) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cfg = s
	return nil
}

func (m *memPC) get() app.PCSettings { c, _ := m.LoadPCSettings(); return c }

// fakeConn is an app.Connection whose state the test sets.
type fakeConn struct {
	mu       sync.Mutex
	st       app.ConnectionState
	watchers []chan app.ConnectionState
	closed   bool
}

func (c *fakeConn) State() app.ConnectionState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st
}

func (c *fakeConn) Watch(ctx context.Context) <-chan app.ConnectionState {
	ch := make(chan app.ConnectionState, 8)
	c.mu.Lock()
	c.watchers = append(c.watchers, ch)
	c.mu.Unlock()
	go func() {
		<-ctx.Done()
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, w := range c.watchers {
			if w == ch {
				c.watchers = append(c.watchers[:i], c.watchers[i+1:]...)
				close(ch)
				break
			}
		}
	}()
	return ch
}

func (c *fakeConn) set(st app.ConnectionState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st = st
	for _, w := range c.watchers {
		w <- st
	}
}

func (c *fakeConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

// fakeFeed is an app.ChangeFeed the test publishes on.
type fakeFeed struct {
	mu   sync.Mutex
	subs map[chan app.Change]bool
	seq  uint64
}

func newFakeFeed() *fakeFeed { return &fakeFeed{subs: map[chan app.Change]bool{}} }

func (f *fakeFeed) Subscribe(ctx context.Context) <-chan app.Change {
	ch := make(chan app.Change, 16)
	f.mu.Lock()
	f.subs[ch] = true
	f.mu.Unlock()
	go func() {
		<-ctx.Done()
		f.mu.Lock()
		delete(f.subs, ch)
		close(ch)
		f.mu.Unlock()
	}()
	return ch
}

func (f *fakeFeed) publish(kind string, ids ...int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	for ch := range f.subs {
		select {
		case ch <- app.Change{Seq: f.seq, Kind: kind, IDs: ids, At: testNow, By: "other"}:
		default:
		}
	}
}

func (f *fakeFeed) subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// fakeServer is one server on the fake network: its services (a real archive), its
// certificate and what its /info says.
type fakeServer struct {
	svc  app.Services
	info app.ServerInfo
	conn *fakeConn
	feed *fakeFeed
}

// fakeConnector reaches the fake servers by address; an address without one is unreachable.
type fakeConnector struct {
	mu      sync.Mutex
	servers map[string]*fakeServer
	// connectErr, when set, is returned by Connect (e.g. EVERSION).
	connectErr error
	probes     int
}

func (c *fakeConnector) server(addr string) *fakeServer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.servers[addr]
}

func (c *fakeConnector) Probe(ctx context.Context, address string) (app.ServerInfo, error) {
	c.mu.Lock()
	c.probes++
	c.mu.Unlock()
	s := c.server(address)
	if s == nil {
		return app.ServerInfo{}, app.Errorf(app.EUNAVAILABLE, "无法连接服务器 %s（连接被拒绝）", address)
	}
	return s.info, nil
}

func (c *fakeConnector) Connect(ctx context.Context, address, fingerprint string) (app.Services, error) {
	c.mu.Lock()
	err := c.connectErr
	c.mu.Unlock()
	if err != nil {
		return app.Services{}, err
	}
	s := c.server(address)
	if s == nil {
		return app.Services{}, app.Errorf(app.EUNAVAILABLE, "无法连接服务器 %s（连接被拒绝）", address)
	}
	if fingerprint != s.info.Fingerprint {
		return app.Services{}, app.Errorf(app.EUNSAFE, "服务器 %s 的证书与本机信任的不同：可能有人冒充服务器", address)
	}
	svc := s.svc
	svc.Connection, svc.Changes = s.conn, s.feed
	return svc, nil
}

const (
	testServerAddr = "192.168.1.10:8443"
	testFP         = "3F2A 9C01 77B4 0E12 A9C3 5D60 11EF 8B2A 4C7D 90E1 2B3F 6A58 D4C2 71E9 08BB F1A6"
	otherFP        = "0BAD 0BAD 77B4 0E12 A9C3 5D60 11EF 8B2A 4C7D 90E1 2B3F 6A58 D4C2 71E9 08BB F1A6"
)

// newFakeServer sets up an archive as a server's, with the test institution and admin.
func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	svc, _ := newTestServices(t)
	if _, err := svc.Setup.Initialize(context.Background(), testSetup()); err != nil {
		t.Fatal(err)
	}
	return &fakeServer{svc: svc, conn: &fakeConn{st: app.ConnectionState{Online: true, Address: testServerAddr, Since: testNow}},
		feed: newFakeFeed(),
		info: app.ServerInfo{Address: testServerAddr, Fingerprint: testFP, Institution: testSetup().Institution.Name,
			Version: "1.4.0", Protocol: 1, Compatible: true}}
}

// serverOptions are the StartOptions of a workstation that can reach srv at testServerAddr;
// its local archive is local (empty services: none opened).
func serverOptions(pc *memPC, conn *fakeConnector, local func() (app.Services, string, error)) StartOptions {
	return StartOptions{Workstation: "检验科", PC: pc, Connector: conn,
		Connect: func(ctx context.Context, addr, fp string) (app.Services, error) {
			svc, err := conn.Connect(ctx, addr, fp)
			if err == nil {
				svc.PC = pc // this PC's own parts, as main fills them
			}
			return svc, err
		},
		OpenLocal: local}
}

// eventually waits up to two seconds for cond, letting the UI thread run.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 2 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// setupShot saves the window as a PNG into $OCCHEALTH_UI_SHOTS when set, for a person to look
// at (the manual's screenshots come from here).
func setupShot(t *testing.T, s *starter, name string) {
	t.Helper()
	dir := os.Getenv("OCCHEALTH_UI_SHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	relayout(s.win)
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, s.win.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
