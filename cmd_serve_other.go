//go:build !windows

package main

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"
)

// serveMain runs the server in the foreground until SIGINT or SIGTERM (systemd stops it so).
func serveMain(cfg serveConfig) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runServer(ctx, cfg, log.New(os.Stderr, "", log.LstdFlags)); err != nil {
		return fail(err)
	}
	return exitOK
}
