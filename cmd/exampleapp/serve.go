package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// shutdownTimeout is how long in-flight requests may take after SIGTERM;
// well under ECS's default stopTimeout of 30 s.
const shutdownTimeout = 10 * time.Second

// serve listens on all interfaces at cfg.Port until SIGTERM or SIGINT,
// then shuts down gracefully; it returns the exit code.
func serve(cfg config, h http.Handler) int {
	log.SetOutput(os.Stdout)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ln, err := net.Listen("tcp", ":"+cfg.Port)
	if err != nil {
		fmt.Fprintln(os.Stderr, "exampleapp:", err)
		return 1
	}
	return serveOn(ctx, ln, h)
}

// serveOn serves h on ln until ctx ends; split from serve for tests.
func serveOn(ctx context.Context, ln net.Listener, h http.Handler) int {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Printf("listening on %s", ln.Addr())
	select {
	case err := <-errc:
		fmt.Fprintln(os.Stderr, "exampleapp:", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "exampleapp: shutdown:", err)
		return 1
	}
	return 0
}
