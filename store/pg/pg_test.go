package pg_test

import (
	"context"
	"os"
	"testing"

	"occhealth/internal/pgtest"
	"occhealth/store/kv"
	"occhealth/store/kv/kvtest"
	"occhealth/store/pg"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func open(t testing.TB) *pg.Engine {
	e, err := pg.Open(context.Background(), pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEngine(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Engine { return open(t) })
}
