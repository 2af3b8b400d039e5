package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/rules"
)

// Options configure a client.
type Options struct {
	// Workstation names this PC in the server's audit log (host name or a label).
	Workstation string
	// Version is this program's version, named in version messages.
	Version string
	// Catalogs returns a fresh copy of the bundled catalogs; the client's Services.Catalogs
	// is one such copy with the server's edits applied. Nil leaves Services.Catalogs nil.
	Catalogs func() (*catalog.Set, error)
	// Rules is the bundled GBZ 188 rule table; the server's edited table replaces it.
	Rules *rules.Table
	// RetryFor is how long a call keeps retrying a server it cannot reach; 10 s when zero.
	RetryFor time.Duration
	// Log receives what the user need not read; log.Default() when nil.
	Log *log.Logger

	generation string // tests: pretend to speak another generation
}

// Client is a connection to one server: its services, change feed and connection state.
type Client struct {
	opts    Options
	address string
	base    string
	http    *http.Client
	offset  atomic.Int64 // server clock minus local clock, in nanoseconds

	mu       sync.Mutex
	sessions map[int64]string // user ID → token
	lastUser *app.User        // the latest login: the change stream and refreshes run as it
	newLogin chan struct{}    // closed and replaced at each login
	closed   bool

	conn  connState
	feed  fanout
	ctx   context.Context
	stop  context.CancelFunc
	done  chan struct{}
	set   *catalog.Set
	table atomic.Pointer[rules.Table]

	bundled    *catalog.Set
	overridden map[string]bool
	refreshMu  sync.Mutex
}

// Dial connects to the server at address ("host:port"), trusting only the certificate with
// fingerprint. It checks that the server speaks this program's generation (EVERSION if not)
// and starts following its change notices once a user logs in.
func Dial(ctx context.Context, address, fingerprint string, opts Options) (*Client, error) {
	if opts.RetryFor == 0 {
		opts.RetryFor = 10 * time.Second
	}
	if opts.Log == nil {
		opts.Log = log.Default()
	}
	if opts.generation == "" {
		opts.generation = generation()
	}
	if normalizeFingerprint(fingerprint) == "" {
		return nil, app.Errorf(app.EINVALID, "请先确认服务器证书的指纹")
	}
	address = normalizeAddress(address)
	c := &Client{
		opts: opts, address: address, base: "https://" + address,
		http:     &http.Client{Transport: newTransport(clientTLS(fingerprint, nil))},
		sessions: map[int64]string{}, newLogin: make(chan struct{}), done: make(chan struct{}),
	}
	c.conn.init(address)
	in, err := c.info(ctx)
	if err != nil {
		c.http.CloseIdleConnections()
		return nil, err
	}
	if in.Protocol != Protocol || fmt.Sprintf("%d/%s", in.Protocol, in.API) != opts.generation {
		c.http.CloseIdleConnections()
		return nil, versionError(opts.Version, opts.generation, in.Version, fmt.Sprintf("%d/%s", in.Protocol, in.API))
	}
	if opts.Catalogs != nil {
		if c.set, err = opts.Catalogs(); err != nil {
			return nil, fmt.Errorf("load catalogs: %w", err)
		}
		if c.bundled, err = opts.Catalogs(); err != nil {
			return nil, fmt.Errorf("load catalogs: %w", err)
		}
		c.set.SetInitials(textInitials)
	}
	c.table.Store(opts.Rules)
	c.ctx, c.stop = context.WithCancel(context.Background())
	go c.follow()
	return c, nil
}

func newTransport(tc *tls.Config) *http.Transport {
	return &http.Transport{
		TLSClientConfig:     tc,
		DialContext:         (&net.Dialer{Timeout: 3 * time.Second, KeepAlive: 15 * time.Second}).DialContext,
		TLSHandshakeTimeout: 5 * time.Second,
		IdleConnTimeout:     90 * time.Second,
		MaxIdleConnsPerHost: 8,
		ForceAttemptHTTP2:   true,
	}
}

// Address is the server's address.
func (c *Client) Address() string { return c.address }

// Now is the server's clock: the local clock plus the offset measured on the last response.
func (c *Client) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// measure notes the server clock of a response received at t1 for a request sent at t0.
func (c *Client) measure(h http.Header, t0, t1 time.Time) {
	st, err := time.Parse(timeLayout, h.Get(hdrTime))
	if err != nil {
		return
	}
	mid := t0.Add(t1.Sub(t0) / 2)
	c.offset.Store(int64(st.Sub(mid)))
}

func (c *Client) info(ctx context.Context) (info, error) {
	var in info
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/info", nil)
	if err != nil {
		return in, err
	}
	t0 := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		var pe *pinError
		if errors.As(err, &pe) || ctx.Err() != nil {
			return in, c.transportErrorOrCtx(ctx, err, false)
		}
		return in, app.Errorf(app.EUNAVAILABLE, "无法连接服务器 %s（%s）。请确认服务器程序已启动、地址和端口正确，并且防火墙允许本机连接。", c.address, reason(err))
	}
	defer resp.Body.Close()
	c.measure(resp.Header, t0, time.Now())
	if err := json.NewDecoder(resp.Body).Decode(&in); err != nil {
		return in, app.Errorf(app.EUNAVAILABLE, "服务器 %s 的回答无法识别（%v）：地址是否指向职业健康工作站服务器？", c.address, err)
	}
	c.conn.set(true, "")
	return in, nil
}

// transportError turns a failure to reach the server into what the user reads; write says
// whether the call was one that saves.
func (c *Client) transportError(err error, write bool) error {
	var pe *pinError
	if errors.As(err, &pe) {
		return app.Errorf(app.EUNSAFE, "服务器 %s 出示的证书（指纹 %s）与本工作站登记的不一致，已拒绝连接：可能有人冒充服务器，也可能服务器重新安装过。请联系管理员在服务器上核对指纹（occhealth serve --fingerprint）后，在“联网设置”中重新确认。", c.address, pe.got)
	}
	if !write {
		return app.Errorf(app.EUNAVAILABLE, "无法连接服务器 %s（%s），请稍后再试。", c.address, reason(err))
	}
	return app.Errorf(app.EUNAVAILABLE, "无法连接服务器 %s（%s）。刚才的操作没有保存；您输入的内容仍在窗口中，连接恢复后请再保存。", c.address, reason(err))
}

// reason says in Chinese why a connection failed.
func reason(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "连接被拒绝，服务器程序可能没有运行"
	case errors.As(err, &ne) && ne.Timeout():
		return "服务器无响应"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return "连接中断"
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return "找不到该服务器名称"
	}
	return "网络错误"
}

// newRequestIDFunc makes request IDs (tests replace it to replay a request).
var newRequestIDFunc = newRequestID

func newRequestID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// retryable is a failure to reach the server or to get its whole answer.
type retryable struct{ err error }

func (r *retryable) Error() string { return r.err.Error() }
func (r *retryable) Unwrap() error { return r.err }

// call runs one remote method. A request that cannot reach the server, or whose answer is cut
// off, is sent again with the same request ID (the server answers a write it already ran from
// memory) for up to Options.RetryFor, then EUNAVAILABLE.
func (c *Client) call(ctx context.Context, name string, write bool, args, res any) error {
	body, err := json.Marshal(args)
	if err != nil {
		return fmt.Errorf("%s: encode arguments: %w", name, err)
	}
	token := ""
	if u := app.UserFromContext(ctx); u != nil {
		c.mu.Lock()
		token = c.sessions[u.ID]
		c.mu.Unlock()
	}
	reqID := newRequestIDFunc()
	deadline := time.Now().Add(c.opts.RetryFor)
	wait := 100 * time.Millisecond
	for {
		env, err := c.once(ctx, name, write, token, reqID, body, res)
		if err == nil {
			c.conn.set(true, "")
			if env.Session != nil {
				c.mu.Lock()
				c.sessions[env.Session.User] = env.Session.Token
				c.mu.Unlock()
			}
			if env.Error != nil {
				return fromWire(env.Error)
			}
			return nil
		}
		var rt *retryable
		if !errors.As(err, &rt) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.conn.set(false, "服务器无响应，正在重试…")
		left := time.Until(deadline)
		if left <= 0 {
			c.opts.Log.Printf("%s: giving up after %s: %v", name, c.opts.RetryFor, rt.err)
			return c.transportError(rt.err, write)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(wait, left)):
		}
		if wait *= 2; wait > 2*time.Second {
			wait = 2 * time.Second
		}
	}
}

// replyOf is an envelope decoded in one pass: the result straight into the caller's value.
type replyOf struct {
	Result  any        `json:"result"`
	Error   *wireError `json:"error"`
	Session *session   `json:"session"`
}

// once sends one request and reads its envelope, decoding the result into res.
func (c *Client) once(ctx context.Context, name string, write bool, token, reqID string, body []byte, res any) (*replyOf, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/v1/call/"+name, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(hdrProtocol, c.opts.generation)
	req.Header.Set(hdrVersion, escapeHeader(c.opts.Version))
	req.Header.Set(hdrRequest, reqID)
	if c.opts.Workstation != "" {
		req.Header.Set(hdrWorkstation, escapeHeader(c.opts.Workstation))
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if !write {
		req.Header.Set(hdrBulk, "1")
	}
	t0 := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		var pe *pinError
		if errors.As(err, &pe) || ctx.Err() != nil {
			return nil, c.transportErrorOrCtx(ctx, err, write)
		}
		return nil, &retryable{err}
	}
	defer resp.Body.Close()
	c.measure(resp.Header, t0, time.Now())
	b, err := readBody(resp)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &retryable{err}
	}
	var parts [][]byte
	if h := resp.Header.Get(hdrBulkEnvelope); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n < 0 || n > len(b) {
			return nil, fmt.Errorf("%s: bulk reply: envelope length %q of %d bytes", name, h, len(b))
		}
		if parts, err = splitBulk(b[n:]); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		b = b[:n]
	}
	env := replyOf{Result: res}
	if err := json.Unmarshal(b, &env); err != nil {
		if resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout {
			return nil, &retryable{fmt.Errorf("HTTP %s", resp.Status)}
		}
		return nil, fmt.Errorf("%s: HTTP %s: unreadable answer: %w", name, resp.Status, err)
	}
	if parts != nil && env.Error == nil {
		bc, ok := res.(bulkCarrier)
		if !ok {
			return nil, fmt.Errorf("%s: bulk reply to a result without byte fields", name)
		}
		if err := bc.giveBulk(parts); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return &env, nil
}

// readBody reads a reply into one buffer of its announced length (io.ReadAll grows and
// clears its buffer again and again: seconds for a reply of hundreds of MB).
func readBody(resp *http.Response) ([]byte, error) {
	n := resp.ContentLength
	if n < 0 || n > 4<<30 {
		return io.ReadAll(resp.Body)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(resp.Body, b); err != nil {
		return nil, err
	}
	return b, nil
}

func (c *Client) transportErrorOrCtx(ctx context.Context, err error, write bool) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return c.transportError(err, write)
}

// noteLogin remembers the latest logged-in user and wakes the change stream.
func (c *Client) noteLogin(u *app.User) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lastUser = u
	close(c.newLogin)
	c.newLogin = make(chan struct{})
}

// streamUser returns the user whose token the change stream and refreshes use, and a channel
// closed at the next login.
func (c *Client) streamUser() (*app.User, string, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lastUser == nil {
		return nil, "", c.newLogin
	}
	return c.lastUser, c.sessions[c.lastUser.ID], c.newLogin
}

// Close ends the link: the change stream stops, subscriptions close, connections close.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	c.stop()
	<-c.done
	c.feed.closeAll()
	c.conn.closeAll()
	c.http.CloseIdleConnections()
	return nil
}
