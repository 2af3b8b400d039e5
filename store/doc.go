// Package store holds what the storage engines share: the audit key ring kept outside the
// archive, the archive location rules (no network drives), and pinyin initials for search.
// Sub-packages: kv (the ordered key-value engine interface, with bbolt), bolt (every app
// service on a kv engine), pg (the PostgreSQL engine), remote (the application server and its
// client, generated from the app interfaces) and transfer (copying an archive between engines).
package store
