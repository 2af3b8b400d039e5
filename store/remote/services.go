package remote

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/rules"
	"occhealth/store"
)

var textInitials = store.TextInitials

// Services returns the server's services as this workstation sees them: every remote
// interface, the change feed, the connection, the server's clock, and the bundled catalogs and
// rule table with the server's edits applied (refreshed at each login, after this client's own
// edits and on a settings notice). The caller fills the local parts (PC, Drops, Spooler,
// Documents, Exchange).
func (c *Client) Services() app.Services {
	s := remoteServices(c)
	s.Auth = authClient2{authClient{c}, c}
	s.Setup = setupClient2{setupClient{c}, c}
	s.Catalog = catalogClient2{catalogClient{c}, c}
	s.Rules = rulesClient2{rulesClient{c}, c}
	s.Changes = &c.feed
	s.Connection = c
	s.Now = c.Now
	s.Planner = plannerView{c}
	s.RuleTable = c.ruleTableBytes
	s.Catalogs = c.set
	return s
}

// authClient2 notes each login: its token serves the change stream, and the server's edited
// catalogs and rule table are fetched before the window uses them.
type authClient2 struct {
	authClient
	c *Client
}

func (a authClient2) Login(ctx context.Context, username, password string) (*app.User, error) {
	u, err := a.authClient.Login(ctx, username, password)
	if err == nil {
		a.c.loggedIn(ctx, u)
	}
	return u, err
}

type setupClient2 struct {
	setupClient
	c *Client
}

func (s setupClient2) Initialize(ctx context.Context, in app.SetupInput) (*app.User, error) {
	u, err := s.setupClient.Initialize(ctx, in)
	if err == nil {
		s.c.loggedIn(ctx, u)
	}
	return u, err
}

func (c *Client) loggedIn(ctx context.Context, u *app.User) {
	c.noteLogin(u)
	if err := c.refresh(app.NewContextWithUser(ctx, u)); err != nil {
		c.opts.Log.Printf("refresh settings after login: %v", err)
	}
}

// catalogClient2 and rulesClient2 put this client's own edits in force at once, as the local
// store does.
type catalogClient2 struct {
	catalogClient
	c *Client
}

func (s catalogClient2) SaveCatalog(ctx context.Context, cat catalog.Catalog, reason string) error {
	err := s.catalogClient.SaveCatalog(ctx, cat, reason)
	if err == nil {
		s.c.refreshQuietly(ctx)
	}
	return err
}

func (s catalogClient2) ResetCatalog(ctx context.Context, name string) error {
	err := s.catalogClient.ResetCatalog(ctx, name)
	if err == nil {
		s.c.refreshQuietly(ctx)
	}
	return err
}

type rulesClient2 struct {
	rulesClient
	c *Client
}

func (s rulesClient2) SaveRuleTable(ctx context.Context, data []byte, reason string) error {
	err := s.rulesClient.SaveRuleTable(ctx, data, reason)
	if err == nil {
		s.c.refreshQuietly(ctx)
	}
	return err
}

func (s rulesClient2) ResetRuleTable(ctx context.Context) error {
	err := s.rulesClient.ResetRuleTable(ctx)
	if err == nil {
		s.c.refreshQuietly(ctx)
	}
	return err
}

func (c *Client) refreshQuietly(ctx context.Context) {
	if err := c.refresh(ctx); err != nil {
		c.opts.Log.Printf("refresh settings: %v", err)
	}
}

// refreshAs refreshes as user u (after a settings notice).
func (c *Client) refreshAs(u *app.User) {
	if u == nil {
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	c.refreshQuietly(app.NewContextWithUser(ctx, u))
}

// refresh applies the server's edited catalogs and rule table to the bundled ones.
func (c *Client) refresh(ctx context.Context) error {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	if c.set != nil {
		over, err := (catalogClient{c}).CatalogOverrides(ctx)
		if err != nil {
			return err
		}
		for name, cat := range over {
			if err := c.set.Replace(name, cat); err != nil {
				return fmt.Errorf("apply the server's catalog %s: %w", name, err)
			}
		}
		for name := range c.overridden {
			if _, ok := over[name]; ok {
				continue
			}
			if cat, ok := c.bundled.Catalog(name); ok {
				if err := c.set.Replace(name, cat); err != nil {
					return err
				}
			}
		}
		c.overridden = map[string]bool{}
		for name := range over {
			c.overridden[name] = true
		}
	}
	data, err := (rulesClient{c}).RuleTableOverride(ctx)
	if err != nil {
		return err
	}
	if data == nil {
		c.table.Store(c.opts.Rules)
		return nil
	}
	t, err := rules.Unmarshal(data)
	if err != nil {
		return fmt.Errorf("the server's rule table: %w", err)
	}
	c.table.Store(t)
	return nil
}

// plannerView follows the rule table in force on the server.
type plannerView struct{ c *Client }

func (p plannerView) PlanItems(h []string, t app.ExamType, e string) ([]app.ExamItem, []string) {
	if tb := p.c.table.Load(); tb != nil {
		return tb.PlanItems(h, t, e)
	}
	return nil, []string{"未加载 GBZ 188 规则表"}
}

func (p plannerView) Group(code string) (app.ExamItem, bool) {
	if tb := p.c.table.Load(); tb != nil {
		return tb.Group(code)
	}
	return app.ExamItem{}, false
}

func (c *Client) ruleTableBytes() ([]byte, error) {
	t := c.table.Load()
	if t == nil {
		return nil, app.Errorf(app.ENOTFOUND, "未加载 GBZ 188 规则表")
	}
	return rules.Marshal(t)
}

// Connector implements app.ServerConnector with the options of every connection.
type Connector struct{ Options Options }

var _ app.ServerConnector = Connector{}

// Probe asks the server at address about itself without trusting its certificate, reporting
// the certificate's fingerprint for the user to compare with the one the server printed.
func (k Connector) Probe(ctx context.Context, address string) (app.ServerInfo, error) {
	address = normalizeAddress(address)
	si := app.ServerInfo{Address: address}
	tc := clientTLS("", func(fp string) { si.Fingerprint = fp })
	c := &Client{opts: k.Options, address: address, base: "https://" + address, http: &http.Client{Transport: newTransport(tc), Timeout: 10 * time.Second}}
	c.conn.init(address)
	defer c.http.CloseIdleConnections()
	in, err := c.info(ctx)
	if err != nil {
		return si, err
	}
	si.Institution, si.Version, si.Protocol = in.Institution, in.Version, in.Protocol
	gen := fmt.Sprintf("%d/%s", in.Protocol, in.API)
	want := k.Options.generation
	if want == "" {
		want = generation()
	}
	si.Compatible = gen == want
	if !si.Compatible {
		si.Message = versionError(k.Options.Version, want, in.Version, gen).(*app.Error).Message
	} else if !in.Initialized {
		si.Message = "服务器上的档案尚未初始化：登录前需要先设置机构和第一位管理员。"
	}
	return si, nil
}

// Connect returns the services of the server at address, trusting only the certificate with
// fingerprint.
func (k Connector) Connect(ctx context.Context, address, fingerprint string) (app.Services, error) {
	c, err := Dial(ctx, address, fingerprint, k.Options)
	if err != nil {
		return app.Services{}, err
	}
	return c.Services(), nil
}
