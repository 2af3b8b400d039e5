//go:build windows

package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"

	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/eventlog"
)

// serviceName is the Windows service that packaging/server/install-windows-service.ps1 creates.
const serviceName = "occhealth-server"

// serveMain runs the server under the Windows service manager when started by it, and in the
// console (until Ctrl+C) otherwise.
func serveMain(cfg serveConfig) int {
	inService, err := svc.IsWindowsService()
	if err != nil {
		return fail(err)
	}
	if !inService {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		if err := runServer(ctx, cfg, log.New(os.Stderr, "", log.LstdFlags)); err != nil {
			return fail(err)
		}
		return exitOK
	}
	logger := log.New(os.Stderr, "", log.LstdFlags)
	if el, err := eventlog.Open(serviceName); err == nil {
		defer el.Close()
		logger = log.New(eventLogWriter{el}, "", 0)
	}
	if err := svc.Run(serviceName, &service{cfg: cfg, log: logger}); err != nil {
		logger.Printf("service: %v", err)
		return exitError
	}
	return exitOK
}

type eventLogWriter struct{ el *eventlog.Log }

func (w eventLogWriter) Write(p []byte) (int, error) {
	return len(p), w.el.Info(1, string(p))
}

// service is the server as a Windows service: it stops on Stop and Shutdown requests.
type service struct {
	cfg serveConfig
	log *log.Logger
}

func (s *service) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServer(ctx, s.cfg, s.log) }()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case err := <-done:
			cancel()
			if err != nil {
				s.log.Printf("服务器停止：%v", err)
				return true, 1
			}
			return false, 0
		case r := <-req:
			switch r.Cmd {
			case svc.Interrogate:
				status <- r.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending}
				cancel()
				if err := <-done; err != nil {
					s.log.Printf("%v", err)
				}
				return false, 0
			default:
				s.log.Print(fmt.Sprintf("unexpected service request %d", r.Cmd))
			}
		}
	}
}
