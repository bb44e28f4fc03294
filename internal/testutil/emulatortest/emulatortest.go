// Package emulatortest starts the whole emulator in-process for tests:
// the HTTP endpoint on a loopback port, the ECS API, the reconciler and a
// runtime (the real Docker engine, or none), and gives out real SDK clients.
package emulatortest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/reconcile"
	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/runtime/docker"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
)

// Emulator is a running in-process emulator.
type Emulator struct {
	URL        string
	API        *ecsapi.API
	Reconciler *reconcile.Reconciler
	Runtime    runtime.Runtime
	Network    string // the Docker network of this emulator ("" without Docker)
}

// Options tune Start.
type Options struct {
	// Docker runs tasks on the real engine (the test is skipped, or failed
	// under EMULATOR_REQUIRE_DOCKER=1, when there is none).
	Docker bool
	// StoppedTaskTTL overrides the default of one hour.
	StoppedTaskTTL time.Duration
	Logger         *slog.Logger
}

// Start runs an emulator for the duration of the test. Everything it
// started (containers, network, goroutines) is gone when the test ends.
func Start(t testing.TB, opts Options) *Emulator {
	t.Helper()
	log := opts.Logger
	if log == nil {
		log = testLogger()
	}
	e := &Emulator{}
	var rt runtime.Runtime = runtime.Disabled{}
	if opts.Docker {
		dockertest.RequireEngine(t)
		e.Network = fmt.Sprintf("ecs-emulator-test-%d-%d", os.Getpid(), time.Now().UnixNano()%1e9)
		drt, err := docker.New(context.Background(), docker.Options{Network: e.Network, Logger: log})
		if err != nil {
			t.Fatalf("docker runtime: %v", err)
		}
		rt = drt
	}
	e.Runtime = rt
	var rec *reconcile.Reconciler
	e.API = ecsapi.New(ecsapi.Options{Account: "000000000000", Logger: log, OnChange: func(c ecsapi.Change) { rec.Notify(c) }})
	rec = reconcile.New(e.API, rt, reconcile.Options{StoppedTaskTTL: opts.StoppedTaskTTL, Scope: scopeOf(e.Network), Logger: log})
	e.Reconciler = rec
	ctx, cancel := context.WithCancel(context.Background())
	rec.Start(ctx)
	srv := httptest.NewServer(server.New(server.Options{ECS: e.API, Runtime: rt, Region: "us-east-1", AccountID: "000000000000", Version: "test", Logger: log}).Handler())
	e.URL = srv.URL
	t.Cleanup(func() {
		srv.Close()
		cancel()
		rec.Wait()
		sdCtx, sdCancel := context.WithTimeout(context.Background(), time.Minute)
		defer sdCancel()
		rec.Shutdown(sdCtx)
		_ = rt.Close()
	})
	return e
}

func scopeOf(network string) string {
	if network == "" {
		return "test-no-docker"
	}
	return network
}

// testLogger logs to stderr when EMULATOR_TEST_LOG=debug, else nowhere.
func testLogger() *slog.Logger {
	if os.Getenv("EMULATOR_TEST_LOG") == "debug" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// Config is an aws.Config for the emulator in a region, with dummy
// credentials and no retries (a test should see the first answer).
func (e *Emulator) Config(region string) aws.Config {
	return aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       httpClient,
	}
}

// ECS returns a real ECS client for the emulator in us-east-1.
func (e *Emulator) ECS() *ecs.Client { return e.ECSIn("us-east-1") }

// ECSIn returns a real ECS client for the emulator in a region.
func (e *Emulator) ECSIn(region string) *ecs.Client {
	return ecs.NewFromConfig(e.Config(region), func(o *ecs.Options) { o.BaseEndpoint = aws.String(e.URL) })
}
