package remote

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"occhealth/app"
)

// connState is the client's app.Connection state with its watchers.
type connState struct {
	mu       sync.Mutex
	st       app.ConnectionState
	watchers map[chan app.ConnectionState]struct{}
	closed   bool
}

func (s *connState) init(address string) {
	s.st = app.ConnectionState{Online: true, Address: address, Since: time.Now()}
	s.watchers = map[chan app.ConnectionState]struct{}{}
}

// set records online or offline (with a message); watchers hear of changes only.
func (s *connState) set(online bool, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.Online == online && s.st.Message == msg {
		return
	}
	if s.st.Online != online {
		s.st.Since = time.Now()
	}
	s.st.Online, s.st.Message = online, msg
	for w := range s.watchers {
		select {
		case w <- s.st:
		default: // a slow watcher reads the state itself
		}
	}
}

func (s *connState) get() app.ConnectionState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

func (s *connState) watch(ctx context.Context) <-chan app.ConnectionState {
	ch := make(chan app.ConnectionState, 16)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		close(ch)
		return ch
	}
	s.watchers[ch] = struct{}{}
	go func() {
		<-ctx.Done()
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.watchers[ch]; ok {
			delete(s.watchers, ch)
			close(ch)
		}
	}()
	return ch
}

func (s *connState) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for w := range s.watchers {
		delete(s.watchers, w)
		close(w)
	}
}

// State implements app.Connection.
func (c *Client) State() app.ConnectionState { return c.conn.get() }

// Watch implements app.Connection.
func (c *Client) Watch(ctx context.Context) <-chan app.ConnectionState { return c.conn.watch(ctx) }

// fanout delivers change notices to the subscribers; one that falls behind gets ChangeAll.
type fanout struct {
	mu     sync.Mutex
	subs   map[*subscriber]struct{}
	closed bool
}

type subscriber struct {
	ch   chan app.Change
	lost bool
}

// Subscribe implements app.ChangeFeed.
func (f *fanout) Subscribe(ctx context.Context) <-chan app.Change {
	s := &subscriber{ch: make(chan app.Change, 64)}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		close(s.ch)
		return s.ch
	}
	if f.subs == nil {
		f.subs = map[*subscriber]struct{}{}
	}
	f.subs[s] = struct{}{}
	go func() {
		<-ctx.Done()
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.subs[s]; ok {
			delete(f.subs, s)
			close(s.ch)
		}
	}()
	return s.ch
}

func (f *fanout) deliver(c app.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		if s.lost {
			select {
			case s.ch <- app.Change{Kind: app.ChangeAll, At: c.At}:
				s.lost = false
			default:
				continue
			}
		}
		select {
		case s.ch <- c:
		default:
			s.lost = true
		}
	}
}

func (f *fanout) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	for s := range f.subs {
		delete(f.subs, s)
		close(s.ch)
	}
}

// follow keeps the change stream open while the client lives: it waits for a login, reads
// notices, and after a break reconnects with backoff, then tells subscribers to refresh
// everything (ChangeAll), since notices may have been missed meanwhile.
func (c *Client) follow() {
	defer close(c.done)
	wait := 200 * time.Millisecond
	broken := false
	for {
		u, token, next := c.streamUser()
		if token == "" {
			select {
			case <-c.ctx.Done():
				return
			case <-next:
				continue
			}
		}
		got, status, err := c.stream(u, token, broken)
		if c.ctx.Err() != nil {
			return
		}
		if got {
			wait = 200 * time.Millisecond
		}
		if status == http.StatusUnauthorized || status == http.StatusUpgradeRequired {
			// The session ended (disabled, expired) or the server changed: wait for a login.
			c.opts.Log.Printf("change stream: HTTP %d", status)
			select {
			case <-c.ctx.Done():
				return
			case <-next:
			}
			continue
		}
		broken = true
		c.conn.set(false, "与服务器的连接中断，正在重连…")
		if err != nil {
			c.opts.Log.Printf("change stream: %v", err)
		}
		select {
		case <-c.ctx.Done():
			return
		case <-time.After(wait):
		}
		if wait *= 2; wait > 2*time.Second {
			wait = 2 * time.Second
		}
	}
}

// stream reads one change stream until it breaks. got says whether the server answered.
func (c *Client) stream(u *app.User, token string, reconnected bool) (got bool, status int, err error) {
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/changes", nil)
	if err != nil {
		return false, 0, err
	}
	req.Header.Set(hdrProtocol, c.opts.generation)
	req.Header.Set(hdrVersion, escapeHeader(c.opts.Version))
	req.Header.Set("Authorization", "Bearer "+token)
	if c.opts.Workstation != "" {
		req.Header.Set(hdrWorkstation, escapeHeader(c.opts.Workstation))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return false, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return true, resp.StatusCode, nil
	}
	beat, err := time.ParseDuration(resp.Header.Get(hdrHeartbeat))
	if err != nil || beat <= 0 {
		beat = 10 * time.Second
	}
	// A stream that stays silent for three heartbeats is dead (a cable pulled, a server
	// frozen): cut it and reconnect.
	watchdog := time.AfterFunc(3*beat, cancel)
	defer watchdog.Stop()
	c.conn.set(true, "")
	if reconnected {
		c.feed.deliver(app.Change{Kind: app.ChangeAll, At: c.Now()})
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		watchdog.Reset(3 * beat)
		c.conn.set(true, "")
		var l streamLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return true, 0, err
		}
		if l.Heartbeat {
			continue
		}
		c.feed.deliver(l.Change)
		if l.Kind == app.ChangeSettings || l.Kind == app.ChangeAll {
			go c.refreshAs(u)
		}
	}
	return true, 0, sc.Err()
}
