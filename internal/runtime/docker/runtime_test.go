package docker

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/localaws/ecsemu/internal/runtime"
)

func TestOptionsDefaults(t *testing.T) {
	tests := []struct {
		name, host, env, want string
	}{
		{"explicit host wins", "tcp://10.0.0.1:2375", "unix:///env.sock", "tcp://10.0.0.1:2375"},
		{"DOCKER_HOST next", "", "unix:///env.sock", "unix:///env.sock"},
		{"default last", "", "", DefaultHost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DOCKER_HOST", tt.env)
			r, err := New(context.Background(), Options{Host: tt.host})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Endpoint() != tt.want {
				t.Fatalf("Endpoint() = %q, want %q", r.Endpoint(), tt.want)
			}
			if r.Network() != DefaultNetwork || r.opts.CallTimeout != DefaultCallTimeout || r.opts.PullTimeout != DefaultPullTimeout {
				t.Fatalf("defaults not applied: %+v", r.opts)
			}
		})
	}
}

func TestNewRejectsMalformedHost(t *testing.T) {
	if _, err := New(context.Background(), Options{Host: "no-scheme"}); err == nil {
		t.Fatal("want an error for a host without a scheme")
	}
}

// TestEngineDown needs no Docker: with the host pointing at a socket that
// does not exist, New succeeds and every call fails fast with an error that
// wraps ErrEngineUnavailable and names the endpoint.
func TestEngineDown(t *testing.T) {
	hosts := []string{
		"unix://" + filepath.Join(t.TempDir(), "no-docker.sock"), // no socket file
		"tcp://127.0.0.1:1", // nothing listening: connection refused
	}
	for _, host := range hosts {
		t.Run(host, func(t *testing.T) { testEngineDown(t, host) })
	}
}

func testEngineDown(t *testing.T, host string) {
	r, err := New(context.Background(), Options{Host: host, CallTimeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("New must not fail when the engine is down: %v", err)
	}
	defer r.Close()
	ctx := context.Background()
	calls := []struct {
		name string
		call func() error
	}{
		{"Info", func() error { _, err := r.Info(ctx); return err }},
		{"EnsureImage", func() error { return r.EnsureImage(ctx, "nginx:latest") }},
		{"CreateSandbox", func() error { _, err := r.CreateSandbox(ctx, runtime.SandboxSpec{Name: "sb"}); return err }},
		{"CreateContainer", func() error {
			_, err := r.CreateContainer(ctx, runtime.ContainerSpec{Name: "c", Image: "i", SandboxID: "s"})
			return err
		}},
		{"StartContainer", func() error { return r.StartContainer(ctx, "c") }},
		{"StopContainer", func() error { return r.StopContainer(ctx, "c", time.Second) }},
		{"RemoveContainer", func() error { return r.RemoveContainer(ctx, "c") }},
		{"InspectContainer", func() error { _, err := r.InspectContainer(ctx, "c"); return err }},
		{"ListContainers", func() error { _, err := r.ListContainers(ctx); return err }},
		{"RemoveNetwork", func() error { return r.RemoveNetwork(ctx) }},
		{"Events", func() error {
			evs, errc := r.Events(ctx)
			err := <-errc
			if _, open := <-evs; open {
				t.Error("event channel must be closed after the stream broke")
			}
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := c.call()
			if !errors.Is(err, runtime.ErrEngineUnavailable) {
				t.Fatalf("err = %v, want one wrapping ErrEngineUnavailable", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "cannot reach the Docker engine at "+host) || strings.Contains(msg, "\n") {
				t.Fatalf("message %q must name the endpoint on one line", msg)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("took %v; an absent engine must fail fast", d)
			}
			t.Log(msg)
		})
	}
}

// TestEngineHangs needs no Docker: an engine that accepts connections but
// never answers must not stall callers beyond CallTimeout.
func TestEngineHangs(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "hung.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c) // read nothing, answer nothing
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})

	const callTimeout = 300 * time.Millisecond
	r, err := New(context.Background(), Options{Host: "unix://" + sock, CallTimeout: callTimeout})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	calls := []struct {
		name string
		call func() error
	}{
		{"Info", func() error { _, err := r.Info(t.Context()); return err }},
		{"InspectContainer", func() error { _, err := r.InspectContainer(t.Context(), "c"); return err }},
		{"Events", func() error { _, errc := r.Events(t.Context()); return <-errc }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := c.call()
			if d := time.Since(start); d > 5*callTimeout {
				t.Fatalf("took %v with a %v call timeout", d, callTimeout)
			}
			if !errors.Is(err, runtime.ErrEngineUnavailable) || !strings.Contains(err.Error(), "unix://"+sock) {
				t.Fatalf("err = %v, want ErrEngineUnavailable naming the endpoint", err)
			}
			t.Log(err)
		})
	}
}
