package remote

import "context"

// WithGeneration makes a client pretend to speak another protocol generation.
func WithGeneration(o Options, g string) Options { o.generation = g; return o }

// Generation is this build's protocol generation ("1/<api hash>").
func Generation() string { return generation() }

// CallWithID runs one request with a chosen request ID, as a retry would send it.
func (c *Client) CallWithID(ctx context.Context, name, reqID string, args, res any) error {
	save := newRequestIDFunc
	newRequestIDFunc = func() string { return reqID }
	defer func() { newRequestIDFunc = save }()
	return c.call(ctx, name, true, args, res)
}

// CopySession gives to the session from holds for user (as if the workstation had moved to
// another server instance).
func CopySession(from, to *Client, user int64) {
	from.mu.Lock()
	tok := from.sessions[user]
	from.mu.Unlock()
	to.mu.Lock()
	to.sessions[user] = tok
	to.mu.Unlock()
}
