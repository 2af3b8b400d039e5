package app

import "context"

type contextKey int

const (
	userContextKey contextKey = iota + 1
	workstationContextKey
)

// NewContextWithUser returns a context carrying the logged-in user. Every service call that
// needs a role reads the user from its context.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the logged-in user, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}

// NewContextWithWorkstation returns a context naming the workstation (host name or a
// configured label) that the audit log records.
func NewContextWithWorkstation(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, workstationContextKey, name)
}

// WorkstationFromContext returns the workstation name, or "".
func WorkstationFromContext(ctx context.Context) string {
	s, _ := ctx.Value(workstationContextKey).(string)
	return s
}
