package remote

import (
	"bytes"
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"occhealth/app"
)

// method is one entry of the generated dispatch table.
type method struct {
	write bool
	call  func(ctx context.Context, svc *app.Services, decode func(any) error) (any, error)
}

// ServerOptions configure Handler.
type ServerOptions struct {
	// Services are the archive's services (store/bolt on bbolt or PostgreSQL); Changes, when
	// set, feeds GET /v1/changes.
	Services app.Services
	// SessionUser loads a user as stored, without a role check (bolt.DB.SessionUser).
	SessionUser func(id int64) (*app.User, error)
	// Secret signs session tokens (LoadOrCreateSecret).
	Secret []byte
	// Version is the server program's version, named in version messages.
	Version string
	// SessionTTL is how long a login lasts; 24 hours when zero.
	SessionTTL time.Duration
	// Heartbeat is the interval of heartbeats on the change stream; 10 s when zero.
	Heartbeat time.Duration
	// MaxBody limits a request body; 64 MiB when zero.
	MaxBody int64
	// Remember is how many write outcomes are kept for retried requests; 2000 when zero.
	Remember int
	// Log receives internal errors and panics; log.Default() when nil.
	Log *log.Logger
}

// Server serves the app services over HTTP (wrap it in TLS: see Serve).
type Server struct {
	opts    ServerOptions
	tokens  tokens
	outcome *outcomes
	mux     *http.ServeMux
	quit    chan struct{} // closed by CloseStreams
	once    sync.Once
	users   userCache
}

// CloseStreams ends every change stream (before http.Server.Shutdown, which would otherwise
// wait for them) and the server's own subscription; the workstations reconnect to whichever
// server answers next.
func (s *Server) CloseStreams() { s.once.Do(func() { close(s.quit) }) }

// noLogin are the methods that work without a session.
var noLogin = map[string]bool{"Auth.Login": true, "Setup.Initialize": true, "Setup.Status": true}

func withoutToken(r *http.Request) *http.Request {
	r2 := r.Clone(r.Context())
	r2.Header.Del("Authorization")
	return r2
}

// sessionMethods return the logged-in user: the response carries a session token for it.
var sessionMethods = map[string]bool{"Auth.Login": true, "Setup.Initialize": true}

// NewServer returns the HTTP handler of the protocol.
func NewServer(opts ServerOptions) *Server {
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 24 * time.Hour
	}
	if opts.Heartbeat == 0 {
		opts.Heartbeat = 10 * time.Second
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = 64 << 20
	}
	if opts.Remember == 0 {
		opts.Remember = 2000
	}
	if opts.Log == nil {
		opts.Log = log.Default()
	}
	if opts.Services.Now == nil {
		opts.Services.Now = time.Now
	}
	s := &Server{opts: opts, tokens: tokens{secret: opts.Secret, ttl: opts.SessionTTL}, outcome: newOutcomes(opts.Remember, 256<<20), quit: make(chan struct{})}
	if opts.Services.Changes != nil {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-s.quit; cancel() }()
		go s.watchUsers(ctx)
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /v1/call/{method}", s.handleCall)
	s.mux.HandleFunc("GET /v1/info", s.handleInfo)
	s.mux.HandleFunc("GET /v1/changes", s.handleChanges)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(hdrTime, s.opts.Services.Now().Format(timeLayout))
	w.Header().Set(hdrVersion, s.opts.Version)
	s.mux.ServeHTTP(w, r)
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	in := info{Version: s.opts.Version, Protocol: Protocol, API: apiHash}
	if st, err := s.opts.Services.Setup.Status(r.Context()); err == nil {
		in.Initialized = st.Initialized
		if st.Institution != nil {
			in.Institution = st.Institution.Name
		}
	} else {
		s.opts.Log.Printf("info: %v", err)
	}
	writeJSON(w, http.StatusOK, in)
}

// checkVersion refuses a client of another generation.
func (s *Server) checkVersion(r *http.Request) error {
	got := r.Header.Get(hdrProtocol)
	if got == generation() {
		return nil
	}
	return versionError(unescapeHeader(r.Header.Get(hdrVersion)), got, s.opts.Version, generation())
}

// versionError names both programs' versions and generations.
func versionError(clientVersion, clientGen, serverVersion, serverGen string) error {
	if clientGen == "" {
		clientGen = "未知"
	}
	return app.Errorf(app.EVERSION, "本工作站的程序（版本 %s，协议 %s）与服务器（版本 %s，协议 %s）不一致，无法连接。请把本工作站的程序升级到与服务器相同的版本（%s）后再连接。",
		orUnknown(clientVersion), clientGen, orUnknown(serverVersion), serverGen, orUnknown(serverVersion))
}

func orUnknown(s string) string {
	if s == "" {
		return "未知"
	}
	return s
}

// authenticate returns the context of the request: its user (loaded fresh) and workstation.
// A request without a token gets a context without a user; the service then decides
// (Login and Setup need none, everything else answers EUNAUTHORIZED).
func (s *Server) authenticate(r *http.Request) (context.Context, error) {
	ctx := context.WithoutCancel(r.Context()) // a write the client gave up on still completes and is remembered
	if ws := unescapeHeader(r.Header.Get(hdrWorkstation)); ws != "" {
		ctx = app.NewContextWithWorkstation(ctx, ws)
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return ctx, nil
	}
	id, err := s.tokens.check(tok, time.Now())
	if errors.Is(err, errExpiredToken) {
		return nil, app.Errorf(app.EUNAUTHORIZED, "登录已过期，请重新登录")
	} else if err != nil {
		return nil, app.Errorf(app.EUNAUTHORIZED, "登录凭据无效（服务器可能换过密钥），请重新登录")
	}
	u, err := s.users.get(id, s.opts.SessionUser)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.EUNAUTHORIZED, "用户已不存在，请重新登录")
	} else if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, app.Errorf(app.EUNAUTHORIZED, "用户“%s”已停用，请联系管理员", u.Username)
	}
	return app.NewContextWithUser(ctx, u), nil
}

func (s *Server) handleCall(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("method")
	if err := s.checkVersion(r); err != nil {
		s.writeError(w, http.StatusUpgradeRequired, err, name)
		return
	}
	m, ok := methods[name]
	if !ok {
		s.writeError(w, http.StatusNotFound, app.Errorf(app.EVERSION, "服务器不认识操作“%s”：请把工作站程序升级到与服务器相同的版本", name), name)
		return
	}
	ctx, err := s.authenticate(r)
	if err != nil && noLogin[name] {
		// A stale session does not stand in the way of logging in again.
		ctx, err = s.authenticate(withoutToken(r))
	}
	if err != nil {
		s.writeError(w, http.StatusUnauthorized, err, name)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			s.writeError(w, http.StatusRequestEntityTooLarge, app.Errorf(app.EINVALID,
				"提交的数据太大（超过服务器上限 %d MB），没有保存。请把文件拆小或分批提交。", s.opts.MaxBody>>20), name)
			return
		}
		return // the client went away
	}
	reqID := r.Header.Get(hdrRequest)
	if !m.write && r.Header.Get(hdrBulk) == "1" {
		out, parts := s.runBulk(ctx, name, m, body)
		if parts != nil {
			w.Header().Set(hdrBulkEnvelope, strconv.Itoa(len(out)))
			out = appendBulk(out, parts)
		}
		writeRaw(w, http.StatusOK, out)
		return
	}
	if !m.write || reqID == "" {
		out := s.run(ctx, name, m, body)
		if m.write {
			s.afterWrite(name)
		}
		writeRaw(w, http.StatusOK, out)
		return
	}
	key := name + " " + reqID
	e, first := s.outcome.start(key)
	if first {
		e.body = s.run(ctx, name, m, body)
		s.afterWrite(name)
		s.outcome.finish(key, e)
	} else {
		<-e.done
	}
	writeRaw(w, http.StatusOK, e.body)
}

// run calls the method and encodes the envelope.
func (s *Server) run(ctx context.Context, name string, m method, body []byte) (out []byte) {
	out, _ = s.runWith(ctx, name, m, body, false)
	return out
}

// runBulk is run for a client that reads bulk replies: a result's large byte fields are
// returned beside the envelope (nil parts: an ordinary reply).
func (s *Server) runBulk(ctx context.Context, name string, m method, body []byte) ([]byte, [][]byte) {
	return s.runWith(ctx, name, m, body, true)
}

func (s *Server) runWith(ctx context.Context, name string, m method, body []byte, bulk bool) (out []byte, parts [][]byte) {
	defer func() {
		if p := recover(); p != nil {
			s.opts.Log.Printf("%s: panic: %v\n%s", name, p, debug.Stack())
			w, _ := toWire(fmt.Errorf("panic"))
			out, parts = encodeEnvelope(nil, w, nil), nil
		}
	}()
	decode := func(v any) error {
		if err := json.Unmarshal(body, v); err != nil {
			return app.Errorf(app.EINVALID, "服务器无法读取提交的数据（%v）：请确认工作站与服务器的程序版本相同", err)
		}
		return nil
	}
	res, err := m.call(ctx, &s.opts.Services, decode)
	if bulk && err == nil {
		if bc, ok := res.(bulkCarrier); ok {
			if parts = bc.takeBulk(); parts == nil {
				parts = [][]byte{}
			}
		}
	}
	var result []byte
	if res != nil {
		b, merr := json.Marshal(res)
		if merr != nil {
			s.opts.Log.Printf("%s: encode result: %v", name, merr)
			err = merr
		} else {
			result = b
		}
	}
	var werr *wireError
	var sess *session
	if err != nil {
		var internal bool
		if werr, internal = toWire(err); internal {
			s.opts.Log.Printf("%s: %v", name, err)
		}
	} else if sessionMethods[name] {
		if u := userResult(res); u != nil {
			tok, terr := s.tokens.mint(u.ID, time.Now())
			if terr != nil {
				s.opts.Log.Printf("%s: mint token: %v", name, terr)
				werr, _ = toWire(terr)
			} else {
				sess = &session{Token: tok, User: u.ID}
			}
		}
	}
	return encodeEnvelope(result, werr, sess), parts
}

// encodeEnvelope writes the envelope around an encoded result without encoding it again.
func encodeEnvelope(result []byte, e *wireError, sess *session) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	sep := ""
	if result != nil {
		b.WriteString(`"result":`)
		b.Write(result)
		sep = ","
	}
	if e != nil {
		eb, _ := json.Marshal(e)
		b.WriteString(sep + `"error":`)
		b.Write(eb)
		sep = ","
	}
	if sess != nil {
		sb, _ := json.Marshal(sess)
		b.WriteString(sep + `"session":`)
		b.Write(sb)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// userResult finds the *app.User a session method returned (its first result).
func userResult(res any) *app.User {
	b, err := json.Marshal(res)
	if err != nil {
		return nil
	}
	var r struct {
		R0 *app.User `json:"r0"`
	}
	if json.Unmarshal(b, &r) != nil {
		return nil
	}
	return r.R0
}

func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) {
	if err := s.checkVersion(r); err != nil {
		s.writeError(w, http.StatusUpgradeRequired, err, "changes")
		return
	}
	ctx, err := s.authenticate(r)
	if err == nil && app.UserFromContext(ctx) == nil {
		err = app.Errorf(app.EUNAUTHORIZED, "请先登录")
	}
	if err != nil {
		s.writeError(w, http.StatusUnauthorized, err, "changes")
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	sub, cancel := context.WithCancel(r.Context())
	defer cancel()
	var ch <-chan app.Change
	if s.opts.Services.Changes != nil {
		ch = s.opts.Services.Changes.Subscribe(sub)
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set(hdrHeartbeat, s.opts.Heartbeat.String())
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	beat := time.NewTicker(s.opts.Heartbeat)
	defer beat.Stop()
	send := func(l streamLine) bool {
		if err := enc.Encode(l); err != nil {
			return false
		}
		fl.Flush()
		return true
	}
	if !send(streamLine{Heartbeat: true, Change: app.Change{At: s.opts.Services.Now()}}) {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.quit:
			return
		case c, ok := <-ch:
			if !ok {
				return
			}
			if !send(streamLine{Change: c}) {
				return
			}
		case <-beat.C:
			if !send(streamLine{Heartbeat: true, Change: app.Change{At: s.opts.Services.Now()}}) {
				return
			}
		}
	}
}

func (s *Server) writeError(w http.ResponseWriter, status int, err error, name string) {
	we, internal := toWire(err)
	if internal {
		s.opts.Log.Printf("%s: %v", name, err)
	}
	writeJSON(w, status, envelope{Error: we})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// The length lets the client read a large reply (100,000 sealed cards: 500 MB) into one
	// buffer of the right size.
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// outcomes remembers the responses of recent write calls by request ID (bounded by count and
// bytes, least recently used out first), so that a retried request is answered from memory.
type outcomes struct {
	mu       sync.Mutex
	max      int
	maxBytes int
	bytes    int
	order    *list.List // of string keys, most recent at the front
	byKey    map[string]*outcome
}

type outcome struct {
	done chan struct{}
	body []byte
	elem *list.Element
}

func newOutcomes(max, maxBytes int) *outcomes {
	return &outcomes{max: max, maxBytes: maxBytes, order: list.New(), byKey: map[string]*outcome{}}
}

// start returns the outcome of key and whether the caller is the first (and must run it).
func (o *outcomes) start(key string) (*outcome, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if e, ok := o.byKey[key]; ok {
		if e.elem != nil {
			o.order.MoveToFront(e.elem)
		}
		return e, false
	}
	e := &outcome{done: make(chan struct{})}
	o.byKey[key] = e
	return e, true
}

func (o *outcomes) finish(key string, e *outcome) {
	o.mu.Lock()
	defer o.mu.Unlock()
	close(e.done)
	e.elem = o.order.PushFront(key)
	o.bytes += len(e.body)
	for o.order.Len() > o.max || (o.bytes > o.maxBytes && o.order.Len() > 1) {
		last := o.order.Back()
		k := last.Value.(string)
		o.bytes -= len(o.byKey[k].body)
		delete(o.byKey, k)
		o.order.Remove(last)
	}
}

// afterWrite empties the user cache after a write that may change users: roles,
// qualifications, disabling, a restored archive are seen by the next request.
func (s *Server) afterWrite(name string) {
	if strings.HasPrefix(name, "Users.") || strings.HasPrefix(name, "Backup.") {
		s.users.flush()
	}
}

// userCache keeps the users of recent requests for a second, so that a burst of calls loads
// the user once. A write to users on this server empties it at once; a change notice about
// users (another server instance on the same database) too.
type userCache struct {
	mu sync.Mutex
	m  map[int64]cachedUser
}

type cachedUser struct {
	u  app.User
	at time.Time
}

const userCacheTTL = time.Second

func (c *userCache) get(id int64, load func(int64) (*app.User, error)) (*app.User, error) {
	c.mu.Lock()
	if e, ok := c.m[id]; ok && time.Since(e.at) < userCacheTTL {
		c.mu.Unlock()
		u := e.u
		return &u, nil
	}
	c.mu.Unlock()
	u, err := load(id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[int64]cachedUser{}
	}
	c.m[id] = cachedUser{u: *u, at: time.Now()}
	c.mu.Unlock()
	return u, nil
}

func (c *userCache) flush() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// watchUsers empties the user cache on every notice about users, until ctx ends.
func (s *Server) watchUsers(ctx context.Context) {
	for c := range s.opts.Services.Changes.Subscribe(ctx) {
		if c.Kind == app.ChangeUser || c.Kind == app.ChangeAll {
			s.users.flush()
		}
	}
}
