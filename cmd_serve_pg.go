package main

import (
	"context"

	"occhealth/app"
)

// openPostgresArchive opens the archive in a PostgreSQL database (store/pg behind the bbolt
// services).
func openPostgresArchive(ctx context.Context, dsn string) (*archive, error) {
	return nil, app.Errorf(app.EINVALID, "本版本的服务器还不能使用 PostgreSQL 档案（%s）：请用 --db 指定档案文件", redactDSN(dsn))
}
