package remote_test

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/store/remote"
)

// stubSetup answers Setup calls with a chosen error or panic.
type stubSetup struct {
	status func() (app.SetupStatus, error)
}

func (s stubSetup) Status(context.Context) (app.SetupStatus, error) { return s.status() }
func (s stubSetup) Initialize(context.Context, app.SetupInput) (*app.User, error) {
	return nil, app.Errors{app.FieldError("机构名称", "不能为空"), app.FieldError("管理员密码", "至少 8 位")}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestErrorsOnTheWire: app.Errors come back as app.Errors with every field; any other error,
// and a panic, as EINTERNAL with a generic Chinese message, the details only in the server log.
func TestErrorsOnTheWire(t *testing.T) {
	dir := t.TempDir()
	cert, _, err := remote.LoadOrCreateCertificate(filepath.Join(dir, "s"))
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	var logged lockedBuffer
	status := func() (app.SetupStatus, error) {
		calls++
		switch calls {
		case 1: // /v1/info at Dial
			return app.SetupStatus{}, nil
		case 2:
			return app.SetupStatus{}, errors.New("disk on fire")
		default:
			panic("boom")
		}
	}
	srv := remote.NewServer(remote.ServerOptions{Services: app.Services{Setup: stubSetup{status}}, Secret: []byte("0123456789abcdef0123456789abcdef"),
		Log: log.New(&logged, "", 0)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv, TLSConfig: remote.ServerTLSConfig(cert)}
	go hs.ServeTLS(ln, "", "")
	defer hs.Close()
	c, err := remote.Dial(context.Background(), ln.Addr().String(), remote.CertificateFingerprint(cert), remote.Options{Version: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	svc := c.Services()

	_, err = svc.Setup.Initialize(context.Background(), app.SetupInput{})
	var es app.Errors
	if !errors.As(err, &es) || len(es) != 2 || es[0].Field != "机构名称" || es[1].Message != "至少 8 位" || es[1].Code != app.EINVALID {
		t.Fatalf("app.Errors came back as %#v", err)
	}
	for _, want := range []string{"disk on fire", "boom"} {
		_, err = svc.Setup.Status(context.Background())
		if code(err) != app.EINTERNAL || strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "服务器内部错误") {
			t.Fatalf("err = %v", err)
		}
		if !strings.Contains(logged.String(), want) {
			t.Fatalf("server log lacks %q: %s", want, logged.String())
		}
	}

	// Closing the link closes the subscriptions and the state watches.
	ch := svc.Changes.Subscribe(context.Background())
	st := svc.Connection.Watch(context.Background())
	svc.Connection.Close()
	for _, closed := range []func() bool{
		func() bool { _, ok := <-ch; return !ok },
		func() bool { _, ok := <-st; return !ok },
	} {
		done := make(chan bool, 1)
		go func() { done <- closed() }()
		select {
		case ok := <-done:
			if !ok {
				t.Fatal("a value instead of the end")
			}
		case <-time.After(2 * time.Second):
			t.Fatal("not closed")
		}
	}
}
