// Package simulated is a container runtime without containers, for users
// who only need the AWS APIs (CI without Docker) and for scale tests. Tasks
// walk the ECS lifecycle through the reconciler as with Docker: each gets a
// sandbox with an invented address in the simulated task subnet, its
// containers "run" until stopped, and a stop ends them with exit code 0,
// as a process that honours SIGTERM does. Nothing is pulled, so a missing
// image never fails a task; container health checks report healthy at
// once; and nothing listens on the invented addresses (the app treats their
// load balancer targets as healthy without probing them).
package simulated

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/runtime"
)

// DefaultSubnet is where simulated tasks get their addresses: the
// benchmarking range of RFC 2544, which no real network routes, so an
// invented address never reaches anything.
var DefaultSubnet = netip.MustParsePrefix("198.18.0.0/15")

// Options configures the simulated runtime.
type Options struct {
	// Subnet is the task subnet (default DefaultSubnet).
	Subnet netip.Prefix
	Now    func() time.Time
}

// Runtime implements runtime.Runtime in memory. It is safe for concurrent use.
type Runtime struct {
	now func() time.Time

	mu         sync.Mutex
	containers map[string]*container // by ID
	names      map[string]string     // container name → ID
	nextID     uint64
	addrs      addresses
	subs       subscribers
}

var _ runtime.Runtime = (*Runtime)(nil)

// New returns an empty simulated runtime.
func New(opts Options) *Runtime {
	if !opts.Subnet.IsValid() {
		opts.Subnet = DefaultSubnet
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Runtime{now: opts.Now, containers: map[string]*container{}, names: map[string]string{}, addrs: newAddresses(opts.Subnet)}
}

// Endpoint names the runtime where a user reads the engine's address.
func (r *Runtime) Endpoint() string { return "simulated" }

// Info always answers: there is no engine to lose.
func (r *Runtime) Info(context.Context) (runtime.EngineInfo, error) {
	return runtime.EngineInfo{Endpoint: "simulated", Version: "simulated"}, nil
}

// EnsureImage succeeds for every image: there are no images to pull.
func (r *Runtime) EnsureImage(context.Context, string) error { return nil }

// Subnet is the task subnet the sandboxes' addresses come from.
func (r *Runtime) Subnet() netip.Prefix { return r.addrs.subnet }

// Owns reports whether ip is a simulated task's address (in the subnet).
func (r *Runtime) Owns(ip string) bool {
	a, err := netip.ParseAddr(ip)
	return err == nil && r.addrs.subnet.Contains(a)
}

// Close forgets every container.
func (r *Runtime) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.containers {
		c.end()
	}
	r.containers, r.names = map[string]*container{}, map[string]string{}
	return nil
}

func (r *Runtime) newID(kind string) string {
	r.nextID++
	return fmt.Sprintf("sim-%s-%012d", kind, r.nextID)
}
