// Package docker implements runtime.Runtime on a Docker engine through the
// Engine API. Containers are found again after a restart by their labels
// alone (see runtime.Label*); names are deterministic so a retried create
// after a crash collides with its leftover and replaces it.
package docker

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// Defaults for Options fields left zero.
const (
	DefaultHost        = "unix:///var/run/docker.sock"
	DefaultNetwork     = "ecs-emulator"
	DefaultCallTimeout = 30 * time.Second
	DefaultPullTimeout = 2 * time.Minute
)

// Options configures New. Zero values take the defaults above.
type Options struct {
	// Host is the engine address; empty means $DOCKER_HOST, then DefaultHost.
	Host string
	// Network is the user-defined bridge network every task sandbox joins.
	Network string
	// CallTimeout bounds each engine call, so a hung engine cannot stall
	// the reconciler. Stops get the stop timeout on top of it.
	CallTimeout time.Duration
	// PullTimeout bounds one image pull, shared by all its waiters.
	PullTimeout time.Duration
	// SandboxSpares is how many task sandboxes to keep started ahead of
	// need (see sparesandbox.go); 0 starts each when its task asks.
	SandboxSpares int
	Logger        *slog.Logger
}

// Runtime talks to one Docker engine. It is safe for concurrent use.
type Runtime struct {
	cli  *client.Client
	opts Options
	log  *slog.Logger

	pulls   flightGroup // one pull per image reference
	sandbox flightGroup // one import of the sandbox image
	netMu   sync.Mutex  // serialises find-or-create of the task network
	// linkLocal is set once sandboxes also join the link-local network,
	// whose gateway is linkLocalGW (set under netMu before).
	linkLocal   atomic.Bool
	linkLocalGW netip.Addr

	spares sparePool // sandboxes started ahead of need

	// pullHook, when set (tests only), runs at the start of each real pull.
	pullHook func(ref string)
}

var _ runtime.Runtime = (*Runtime)(nil)

// New builds a Runtime without contacting the engine: the emulator must
// start (and its API answer) even when Docker is down, and every call then
// fails with an error wrapping runtime.ErrEngineUnavailable that names the
// endpoint. Only a malformed host address is an error here.
func New(ctx context.Context, opts Options) (*Runtime, error) {
	opts = withDefaults(opts)
	cli, err := client.New(client.FromEnv, client.WithHost(opts.Host), client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("docker client for %s: %w", opts.Host, err)
	}
	r := &Runtime{cli: cli, opts: opts, log: opts.Logger}
	r.log.DebugContext(ctx, "docker runtime configured", "op", "new", "endpoint", opts.Host, "network", opts.Network)
	return r, nil
}

func withDefaults(o Options) Options {
	if o.Host == "" {
		o.Host = os.Getenv(client.EnvOverrideHost)
	}
	if o.Host == "" {
		o.Host = DefaultHost
	}
	if o.Network == "" {
		o.Network = DefaultNetwork
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.PullTimeout <= 0 {
		o.PullTimeout = DefaultPullTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Endpoint is the effective engine address.
func (r *Runtime) Endpoint() string { return r.opts.Host }

// Network is the name of the task network.
func (r *Runtime) Network() string { return r.opts.Network }

// Close releases idle connections to the engine.
func (r *Runtime) Close() error { return r.cli.Close() }

// call derives the context of one engine call.
func (r *Runtime) call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.opts.CallTimeout)
}

// Info pings the engine (negotiating the API version) and reports its
// version.
func (r *Runtime) Info(ctx context.Context) (runtime.EngineInfo, error) {
	ctx, cancel := r.call(ctx)
	defer cancel()
	v, err := r.cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return runtime.EngineInfo{Endpoint: r.Endpoint()}, r.wrap("engine info", "", err)
	}
	return runtime.EngineInfo{
		Endpoint:   r.Endpoint(),
		Version:    v.Version,
		APIVersion: r.cli.ClientVersion(),
	}, nil
}
