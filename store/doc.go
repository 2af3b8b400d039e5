// Package store holds what the storage engines share: the audit key ring kept outside the
// archive, the archive location rules (no network drives), and pinyin initials for search.
// The engines are sub-packages: bolt (embedded, the default), and later pg and remote.
package store
