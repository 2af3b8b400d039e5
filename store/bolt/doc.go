// Package bolt implements the app services once, on an ordered key-value engine (store/kv):
// an embedded bbolt file (单机 mode, and the default behind `occhealth serve`) or PostgreSQL
// (store/pg, through OpenEngine) for large sites and several server instances. Every rule lives
// here exactly once, so the engines cannot drift apart; the service tests run on each engine
// and through the application server (store/remote), in `make test`.
//
// One service method is one transaction. Every method first checks the caller's role against
// app.PermissionTable, then, inside the transaction, refuses a clock earlier than the newest
// audit entry, validates, writes, and appends a chained audit entry. Records go through the
// private codec (codec.go) so that encryption at rest can be switched on there later. After a
// commit the change feed (changes.go) tells subscribers — worklists here, other workstations
// through the server, other server instances through PostgreSQL's NOTIFY — what kinds of
// records changed.
package bolt
