// Package elbv2 implements the control plane of Elastic Load Balancing v2
// (Application Load Balancers only) over the awsQuery protocol, on top of an
// in-memory store per region, kept in the state directory when
// Options.State is set (persist.go).
//
// Besides the wire API it offers the rest of the emulator an in-process
// interface without the AWS wire:
//
//   - the ALB data plane reads an immutable configuration view
//     (API.Snapshot), refreshed whenever Options.OnChange fires, and reports
//     what it observes: target health (API.SetTargetHealth);
//   - ECS registers and deregisters task IPs (API.RegisterTargetDirect,
//     API.DeregisterTargetDirect), reads a target's health and whether its
//     deregistration finished (API.TargetStatus), and checks that a target
//     group is attached to a load balancer (API.HasLoadBalancer).
//
// Time is injected (Options.Now) and every time-based transition is
// evaluated lazily when state is read: a load balancer is "provisioning"
// until Options.ProvisioningDelay has passed since its creation and
// "active" afterwards; a draining target is removed once
// deregistration_delay.timeout_seconds has passed since DeregisterTargets.
// That is the whole delay even when the target has no request in flight:
// AWS documents an early completion for idle targets, but ALBs are
// observed to keep targets draining (and ECS tasks DEACTIVATING) for the
// full delay, which is why the delay is usually lowered. A read that finds
// a draining target expired removes it and fires OnChange.
package elbv2

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/state"
)

// APIVersion is the awsQuery Version of ELBv2 requests.
const APIVersion = "2015-12-01"

// DefaultAccount is the account of the stores when Options.Account is empty.
const DefaultAccount = "000000000000"

// DefaultProvisioningDelay is how long a new load balancer stays
// "provisioning" before it reports "active".
const DefaultProvisioningDelay = 200 * time.Millisecond

// Options configures the ELBv2 API.
type Options struct {
	// Account owns every resource (ARNs carry it). Default DefaultAccount.
	Account string
	Now     func() time.Time // default time.Now
	IDs     IDs              // default random
	// ProvisioningDelay is the time from CreateLoadBalancer until the load
	// balancer reports State.Code "active". Zero means
	// DefaultProvisioningDelay; a negative value makes new load balancers
	// active at once.
	ProvisioningDelay time.Duration
	// OnChange is called, outside every lock, after anything the data plane
	// cares about changed: load balancers and their attributes, listeners,
	// rules, target groups and their attributes, registered targets and
	// their health. It must not block; it may call Snapshot.
	OnChange func()
	// Network resolves subnets, security groups and VPCs through EC2.
	// Nil: subnets are placed in invented zones of one made-up VPC.
	Network NetworkLookup
	Logger  *slog.Logger
	// State keeps every resource across restarts (persist.go); nil keeps
	// nothing.
	State *state.Bucket
}

// API serves ELBv2 operations. It is safe for concurrent use.
type API struct {
	opts     Options
	version  atomic.Uint64
	mu       sync.Mutex
	regions  map[string]*Store
	handlers map[string]handler
}

type handler func(ctx context.Context, s *Store, values url.Values) (any, error)

// New returns an ELBv2 API with empty state.
func New(opts Options) *API {
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IDs == nil {
		opts.IDs = randomIDs{}
	}
	switch {
	case opts.ProvisioningDelay == 0:
		opts.ProvisioningDelay = DefaultProvisioningDelay
	case opts.ProvisioningDelay < 0:
		opts.ProvisioningDelay = 0
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	a := &API{opts: opts, regions: map[string]*Store{}}
	a.handlers = a.operations()
	return a
}

// op adapts a typed operation to the generic handler signature: decode the
// SDK input struct from the query parameters, call, return the SDK output.
// Operations are Store methods, so method expressions fit: op((*Store).X).
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return func(ctx context.Context, s *Store, values url.Values) (any, error) {
		in := new(In)
		if err := awsproto.DecodeQuery(values, in); err != nil {
			return nil, err
		}
		return fn(s, ctx, in)
	}
}

// Handle runs one operation (the query Action) for the region in ctx and
// returns the SDK output struct to write with awsproto.WriteQuery, or an
// error for awsproto.WriteQueryError (namespace awsproto.ELBv2Namespace,
// status awsproto.ELBv2Status). Errors are SDK error values whose
// ErrorCode() is the awsQuery wire code, *awsproto.ValidationError, or
// InvalidAction for operations the emulator does not serve.
func (a *API) Handle(ctx context.Context, action string, values url.Values) (any, error) {
	h, ok := a.handlers[action]
	if !ok {
		return nil, invalidAction(action)
	}
	return h(ctx, a.Store(reqctx.Region(ctx)), values)
}

func invalidAction(action string) error {
	msg := fmt.Sprintf("The action %s is not valid for this web service.", action)
	if unsupportedOperations[action] {
		msg = fmt.Sprintf("The action %s is not supported by this emulator.", action)
	}
	return &smithy.GenericAPIError{Code: "InvalidAction", Message: msg, Fault: smithy.FaultClient}
}

// Store returns the state of one region, creating it on first use.
func (a *API) Store(region string) *Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.regions[region]
	if !ok {
		s = newStore(a, region)
		a.regions[region] = s
	}
	return s
}

// existingStore returns the store of a region without creating it.
func (a *API) existingStore(region string) *Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.regions[region]
}

// stores returns every region's store, sorted by region.
func (a *API) stores() []*Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]*Store, 0, len(a.regions))
	for _, s := range a.regions {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].region < out[j].region })
	return out
}

// Operations lists the operation names this API implements.
func (a *API) Operations() []string {
	names := make([]string, 0, len(a.handlers))
	for n := range a.handlers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// notify announces a change: a new snapshot version, then OnChange.
func (a *API) notify() {
	a.version.Add(1)
	if a.opts.OnChange != nil {
		a.opts.OnChange()
	}
}
