// Package ec2 implements the part of Amazon EC2 that ECS, ELBv2, Cloud Map
// and CloudFormation stacks refer to: VPCs, subnets, security groups and
// their rules, internet and NAT gateways, route tables, Elastic IPs, VPC
// endpoints, network interfaces, instances as records, key pairs, zones,
// regions and tags, over the ec2Query protocol, on one in-memory store per
// region. Nothing runs: an instance is a record whose state moves from
// pending to running, and so on, as time passes.
//
// Every region starts like a new AWS account: a default VPC
// (172.31.0.0/16) with one default subnet per availability zone, its
// default security group, an attached internet gateway and a main route
// table routing 0.0.0.0/0 to it. Their IDs are derived from account and
// region (DefaultVPCIDs), so they are the same after every restart.
//
// The rest of the emulator calls EC2 in process, without the wire:
//
//   - API.Store(region) returns the region's *Store, whose exported methods
//     are the typed operations themselves, e.g.
//     (*Store).CreateVpc(ctx, *ec2.CreateVpcInput) (*ec2.CreateVpcOutput, error);
//     CloudFormation's providers create and delete through them;
//   - API.Vpc, API.Subnet, API.SecurityGroup look one resource up, and
//     API.Subnets, API.SecurityGroupVPCs, API.VPCExists,
//     API.DefaultSecurityGroup, API.CheckAwsvpc answer ELBv2's and ECS's
//     network checks;
//   - API.CreateTaskInterface and API.DeleteInterface give an awsvpc task
//     its network interface and take it away.
//
// Errors are EC2's: *Error values (a smithy.APIError) with AWS's code and
// message, the same whether they reach the wire or an in-process caller.
// DryRun is answered by the wire adapter (DryRunOperation, HTTP 412); the
// Store methods themselves ignore it.
//
// Time is injected (Options.Now) and transitions are evaluated lazily when
// state is read: an instance is pending for Options.TransitionDelay after
// RunInstances, then running; a NAT gateway is pending, then available.
package ec2

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/state"
)

// APIVersion is the ec2Query Version of EC2 requests.
const APIVersion = "2016-11-15"

// Namespace is the xmlns of EC2 responses.
const Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

// DefaultAccount owns every resource when Options.Account is empty.
const DefaultAccount = "000000000000"

// DefaultTransitionDelay is how long an instance stays pending (or
// stopping, shutting-down) and a NAT gateway pending (or deleting).
const DefaultTransitionDelay = 100 * time.Millisecond

// Options configures the EC2 API.
type Options struct {
	// Account owns every resource. Default DefaultAccount.
	Account string
	Now     func() time.Time // default time.Now
	IDs     IDs              // default random
	// TransitionDelay is the time an instance or NAT gateway spends in a
	// transitional state. Zero means DefaultTransitionDelay; a negative
	// value makes every transition immediate.
	TransitionDelay time.Duration
	// OnChange is called, outside every lock, after a change to any
	// resource. It must not block.
	OnChange func()
	Logger   *slog.Logger
	// State keeps every region's resources across restarts (persist.go);
	// nil keeps nothing.
	State *state.Bucket
}

// API serves EC2 operations. It is safe for concurrent use.
type API struct {
	opts     Options
	mu       sync.Mutex
	regions  map[string]*Store
	handlers map[string]handler
}

type handler func(ctx context.Context, s *Store, values url.Values) (any, error)

// New returns an EC2 API whose regions start as new accounts do.
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
	case opts.TransitionDelay == 0:
		opts.TransitionDelay = DefaultTransitionDelay
	case opts.TransitionDelay < 0:
		opts.TransitionDelay = 0
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	a := &API{opts: opts, regions: map[string]*Store{}}
	a.handlers = operations()
	return a
}

// op adapts a typed operation to the generic handler: decode the SDK input
// struct from the query parameters, answer DryRun, call, return the output.
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return func(ctx context.Context, s *Store, values url.Values) (any, error) {
		in := new(In)
		if err := awsproto.DecodeEC2(values, in); err != nil {
			return nil, err
		}
		if isDryRun(in) {
			return nil, errDryRun()
		}
		return fn(s, ctx, in)
	}
}

// Handle runs one operation (the query Action) for the region in ctx and
// returns the SDK output struct for awsproto.WriteEC2, or an error for
// awsproto.WriteEC2Error with Spec.Status.
func (a *API) Handle(ctx context.Context, action string, values url.Values) (any, error) {
	h, ok := a.handlers[action]
	if !ok {
		return nil, newError("InvalidAction", fmt.Sprintf("The action %s is not valid for this web service.", action))
	}
	return h(ctx, a.Store(reqctx.Region(ctx)), values)
}

// Store returns the state of one region, creating it (with its default
// VPC) on first use.
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

// Operations lists the operation names this API implements.
func (a *API) Operations() []string {
	names := make([]string, 0, len(a.handlers))
	for n := range a.handlers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// notify announces a change.
func (a *API) notify() {
	if a.opts.OnChange != nil {
		a.opts.OnChange()
	}
}
