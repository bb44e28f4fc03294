// Package ecs implements the Amazon ECS API (awsJson1_1) on top of an
// in-memory store per region. The reconciler (internal/reconcile) reads the
// store and makes the container engine match it.
package ecs

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/state"
)

// TargetPrefix is the X-Amz-Target prefix of ECS operations.
const TargetPrefix = "AmazonEC2ContainerServiceV20141113"

// Options configures the ECS API.
type Options struct {
	Account string
	Now     func() time.Time // default time.Now
	IDs     IDs              // default random
	// OnChange is called (outside any lock) for every changed object.
	OnChange func(Change)
	// TargetGroups looks up the target groups services name in
	// loadBalancers; nil accepts any target group.
	TargetGroups TargetGroupLookup
	// Network checks awsvpc subnets and security groups against EC2; nil
	// accepts any IDs.
	Network NetworkLookup
	// SubnetZone is the availability zone of a subnet (EC2), where a task
	// placed in it runs; nil or "" puts tasks in the region's zone a.
	SubnetZone func(region, subnetID string) string
	// Quotas override ECS's default service quotas (zero fields keep
	// the defaults); tests lower them to reach them quickly.
	Quotas Quotas
	// State keeps every resource in the state directory (nil: memory only).
	State  *state.Bucket
	Logger *slog.Logger
}

// API serves ECS operations. It is safe for concurrent use.
type API struct {
	opts     Options
	mu       sync.Mutex
	regions  map[string]*Store
	handlers map[string]handler
}

type handler func(ctx context.Context, s *Store, body []byte) (any, error)

// New returns an ECS API with empty state.
func New(opts Options) *API {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IDs == nil {
		opts.IDs = randomIDs{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	a := &API{opts: opts, regions: map[string]*Store{}}
	a.handlers = a.operations()
	return a
}

// op adapts a typed operation to the generic handler signature: decode the
// SDK input struct, call, return the SDK output struct.
// Operations are Store methods, so method expressions fit: op((*Store).X).
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return func(ctx context.Context, s *Store, body []byte) (any, error) {
		in := new(In)
		if err := awsproto.DecodeJSON(body, in, awsproto.LowerFirst); err != nil {
			return nil, err
		}
		return fn(s, ctx, in)
	}
}

// Handle runs one operation for the region in ctx.
func (a *API) Handle(ctx context.Context, operation string, body []byte) (any, error) {
	h, ok := a.handlers[operation]
	if !ok {
		return nil, awsproto.UnknownOperation(operation)
	}
	return h(ctx, a.Store(reqctx.Region(ctx)), body)
}

// Store returns the state of one region, creating it on first use.
func (a *API) Store(region string) *Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.regions[region]
	if !ok {
		s = newStore(region, a.opts.Account, a.opts.Now, a.opts.IDs, a.opts.OnChange)
		s.targetGroups = a.opts.TargetGroups
		s.network = a.opts.Network
		s.subnetZone = a.opts.SubnetZone
		s.quotas = a.opts.Quotas.withDefaults()
		s.journal = a.opts.State.Journal()
		a.regions[region] = s
	}
	return s
}

// Stores returns every region's store, sorted by region.
func (a *API) Stores() []*Store {
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

// TargetGroupLookup tells ECS about an ELBv2 target group: whether it
// exists, whether a load balancer forwards to it, and its target type.
type TargetGroupLookup func(arn string) (found, attached bool, targetType string)
