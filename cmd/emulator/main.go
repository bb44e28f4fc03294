// Command emulator serves Amazon ECS (with ELBv2 and Cloud Map to come) on
// one local endpoint and runs tasks as Docker containers.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/config"
	"github.com/localaws/ecsemu/internal/reconcile"
	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/runtime/docker"
	"github.com/localaws/ecsemu/internal/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	cfg, err := config.Load(os.Args[1:], os.Getenv, os.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "emulator:", err)
		}
		os.Exit(2)
	}
	log := newLogger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("emulator stopped", "err", err)
		os.Exit(1)
	}
}

func newLogger(cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// run serves until ctx ends, then shuts down within the configured deadline.
func run(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	rt, err := newRuntime(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer rt.Close()
	var rec *reconcile.Reconciler
	api := ecsapi.New(ecsapi.Options{
		Account:  cfg.AccountID,
		Logger:   log,
		OnChange: func(c ecsapi.Change) { rec.Notify(c) },
	})
	rec = reconcile.New(api, rt, reconcile.Options{
		StoppedTaskTTL:  cfg.StoppedTaskTTL,
		KeepContainers:  cfg.KeepContainers,
		AllowPrivileged: cfg.AllowPrivileged,
		AllowHostMounts: cfg.AllowHostMounts,
		Scope:           cfg.DockerNetwork,
		Logger:          log,
	})
	srv := server.New(server.Options{ECS: api, Runtime: rt, Region: cfg.Region, AccountID: cfg.AccountID, Version: version, Logger: log})
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	recCtx, cancelRec := context.WithCancel(context.Background())
	rec.Start(recCtx)
	httpSrv := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	log.Info("emulator ready", "endpoint", "http://"+ln.Addr().String(), "docker", rt.Endpoint(), "version", version)

	select {
	case <-ctx.Done():
	case err := <-errc:
		cancelRec()
		rec.Wait()
		return err
	}
	log.Info("shutting down", "deadline", cfg.ShutdownTimeout)
	sdCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	_ = httpSrv.Shutdown(sdCtx)
	cancelRec()
	rec.Wait()
	rec.Shutdown(sdCtx)
	log.Info("stopped")
	return nil
}

func newRuntime(ctx context.Context, cfg config.Config, log *slog.Logger) (runtime.Runtime, error) {
	if cfg.DisableDocker {
		return runtime.Disabled{}, nil
	}
	return docker.New(ctx, docker.Options{Host: cfg.DockerHost, Network: cfg.DockerNetwork, PullTimeout: cfg.PullTimeout, Logger: log})
}
