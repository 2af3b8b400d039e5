// Package bolt implements the app services on an embedded bbolt file (单机 mode, and the
// default engine behind `occhealth serve`).
//
// One service method is one transaction. Every method first checks the caller's role against
// app.PermissionTable, then, inside the transaction, refuses a clock earlier than the newest
// audit entry, validates, writes, and appends a chained audit entry. Records go through the
// private codec (codec.go) so that encryption at rest can be switched on there later.
package bolt
