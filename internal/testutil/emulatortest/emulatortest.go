// Package emulatortest starts the whole emulator in-process for tests:
// the HTTP endpoint on a loopback port, the ECS API, the reconciler and a
// runtime (the real Docker engine, the simulated one, or none), and gives
// out real SDK clients.
package emulatortest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/app"
	"github.com/localaws/ecsemu/internal/config"
	"github.com/localaws/ecsemu/internal/reconcile"
	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
)

// Emulator is a running in-process emulator.
type Emulator struct {
	URL        string
	App        *app.App
	API        *ecsapi.API // the ECS API
	Reconciler *reconcile.Reconciler
	Runtime    runtime.Runtime
	Network    string // the Docker network of this emulator ("" without Docker)
	// DNSAddr is the host address of the Cloud Map DNS server (127.0.0.1:port).
	DNSAddr string

	cfg     config.Config
	opts    Options
	crashed bool
}

// Options tune Start.
type Options struct {
	// Docker runs tasks on the real engine (the test is skipped, or failed
	// under EMULATOR_REQUIRE_DOCKER=1, when there is none).
	Docker bool
	// Simulated runs tasks on the simulated runtime (--runtime simulated):
	// no containers, no Docker engine needed.
	Simulated bool
	// TaskDNS makes the DNS server the task containers' resolver (on the
	// task network's gateway, port 53: needs root). Only with Docker.
	TaskDNS bool
	// SettleTime overrides the 40 s a RUNNING task without health checks
	// runs before it counts as healthy; tests default to 3 s, so that
	// services without checks complete their deployments quickly while a
	// task that crashes within a second still never counts.
	SettleTime time.Duration
	// TaskEndpoints serves the AWS endpoint on the task network's gateway
	// and the task metadata and credentials endpoint at 169.254.170.2,
	// and sets their variables in task containers. Only with Docker.
	TaskEndpoints bool
	// StoppedTaskTTL overrides the default of one hour.
	StoppedTaskTTL time.Duration
	// HTTPIdleTimeout overrides the endpoint's default of 60 s.
	HTTPIdleTimeout time.Duration
	// StateDir keeps state there (see Crash and Restart); "" keeps it in
	// memory.
	StateDir string
	Logger   *slog.Logger
}

// Start runs an emulator for the duration of the test. Everything it
// started (containers, network, listeners, goroutines) is gone when the
// test ends.
func Start(t testing.TB, opts Options) *Emulator {
	t.Helper()
	if opts.Docker {
		dockertest.RequireEngine(t)
	}
	return start(t, opts, testConfig(t, opts))
}

func start(t testing.TB, opts Options, cfg config.Config) *Emulator {
	t.Helper()
	log := opts.Logger
	if log == nil {
		log = testLogger()
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, log, "test")
	if err != nil {
		t.Fatalf("building the emulator: %v", err)
	}
	if err := a.Start(ctx); err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	readyCtx, cancel := context.WithTimeout(ctx, time.Minute)
	a.WaitTasksReady(readyCtx) // tests look at task networking at once
	cancel()
	e := &Emulator{URL: a.Endpoint(), App: a, API: a.ECS, Reconciler: a.Reconciler, Runtime: a.Runtime, cfg: cfg, opts: opts}
	t.Cleanup(func() {
		if e.crashed {
			return
		}
		sdCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		a.Shutdown(sdCtx)
	})
	if opts.Docker {
		e.Network = cfg.DockerNetwork
	}
	if a.DNS != nil {
		e.DNSAddr = a.DNS.Addrs()[0]
	}
	return e
}

// Crash stops the emulator as kill -9 would: task containers keep running
// and only committed state remains. Follow it with Restart.
func (e *Emulator) Crash() {
	e.crashed = true
	e.App.Crash()
}

// Restart starts a new emulator on the same state directory, task network
// and load balancer range as the crashed (or still running: it is crashed
// first) e. Its endpoint and DNS ports are new.
func (e *Emulator) Restart(t testing.TB) *Emulator {
	t.Helper()
	if !e.crashed {
		e.Crash()
	}
	return start(t, e.opts, e.cfg)
}

var testCount atomic.Int64

// testConfig is the default configuration on free loopback ports, with a
// network (and so a container scope) of its own.
func testConfig(t testing.TB, opts Options) config.Config {
	cfg, err := config.Load(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatalf("default configuration: %v", err)
	}
	cfg.Listen = "127.0.0.1:0"
	cfg.DNSListen = "127.0.0.1:0"
	cfg.DNSForTasks = opts.Docker && opts.TaskDNS
	cfg.EndpointForTasks = opts.Docker && opts.TaskEndpoints
	cfg.TaskMetadata = opts.Docker && opts.TaskEndpoints
	if !cfg.TaskMetadata {
		cfg.ALBTaskAddresses = ""
	}
	cfg.DisableDocker = !opts.Docker && !opts.Simulated
	if opts.Simulated {
		cfg.Runtime = config.RuntimeSimulated
	}
	cfg.DockerNetwork = fmt.Sprintf("ecs-emulator-test-%d-%d", os.Getpid(), time.Now().UnixNano()%1e9)
	// Load balancers of emulators running side by side (parallel tests,
	// several test binaries) must not share addresses.
	n := testCount.Add(1)
	cfg.ALBAddresses = fmt.Sprintf("127.%d.%d.0/24", 100+os.Getpid()%150, n%250)
	cfg.TaskSettleTime = 3 * time.Second
	if opts.SettleTime > 0 {
		cfg.TaskSettleTime = opts.SettleTime
	}
	if opts.StoppedTaskTTL > 0 {
		cfg.StoppedTaskTTL = opts.StoppedTaskTTL
	}
	if opts.HTTPIdleTimeout > 0 {
		cfg.HTTPIdleTimeout = opts.HTTPIdleTimeout
	}
	cfg.StateDir = opts.StateDir
	// A test leaves nothing behind, state directory or not (a crashed
	// emulator's containers are adopted by Restart, then removed).
	cfg.KeepContainers = false
	return cfg
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
		HTTPClient:       apitest.HTTPClient,
	}
}

// ECS returns a real ECS client for the emulator in us-east-1.
func (e *Emulator) ECS() *ecs.Client { return e.ECSIn("us-east-1") }

// ECSIn returns a real ECS client for the emulator in a region.
func (e *Emulator) ECSIn(region string) *ecs.Client {
	return ecs.NewFromConfig(e.Config(region), func(o *ecs.Options) { o.BaseEndpoint = aws.String(e.URL) })
}

// CloudMap returns a real Cloud Map client for the emulator in us-east-1.
// DiscoverInstances is sent without the SDK's "data-" host prefix, which
// a custom endpoint cannot resolve (spec §1.5).
func (e *Emulator) CloudMap() *servicediscovery.Client {
	return servicediscovery.NewFromConfig(e.Config("us-east-1"), func(o *servicediscovery.Options) {
		o.BaseEndpoint = aws.String(e.URL)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("NoHostPrefix",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
				}), middleware.Before)
		})
	})
}
