package main

import (
	"context"

	"occhealth/store"
	"occhealth/store/bolt"
	"occhealth/store/pg"
)

// openPostgresArchive opens the archive in a PostgreSQL database: the same services on the
// PostgreSQL engine, its audit key ring in the configuration directory, backups and
// attachments in dataDir.
func openPostgresArchive(ctx context.Context, dsn, dataDir string) (*archive, error) {
	keys, err := store.LoadKeyRing(archiveKeyRingPath(dsn), nowFunc())
	if err != nil {
		return nil, err
	}
	opts, set, err := archiveOptions(keys, false)
	if err != nil {
		return nil, err
	}
	opts.Dir = dataDir
	eng, err := pg.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	db, err := bolt.OpenEngine(eng, opts) // closes eng on failure
	if err != nil {
		return nil, err
	}
	return archiveServices(db, set)
}
