// Package cloudformation implements AWS CloudFormation over the awsQuery
// protocol: stacks, change sets, events, resources, templates and
// exports. Stacks are carried out in the background by the engine
// (internal/cloudformation/engine) through its resource providers; every
// operation answers at once, as CloudFormation does.
package cloudformation

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/state"
)

// Options configures the CloudFormation API.
type Options struct {
	Account string           // default account when a request names none
	Now     func() time.Time // default time.Now
	Logger  *slog.Logger
	// Providers carry out resource types (over the engine's built-ins).
	Providers engine.Registry
	// SSMParameter reads an SSM parameter's value, for parameters of type
	// AWS::SSM::Parameter::Value<…>; nil refuses them.
	SSMParameter func(region, name string) (string, error)
	// FetchTemplate reads a TemplateURL (or StackPolicyURL); nil refuses
	// them.
	FetchTemplate func(ctx context.Context, region, url string) ([]byte, error)
	// AZs lists a region's availability zones, for Fn::GetAZs.
	AZs func(region string) []string
	// Parallelism bounds the resources one stack works on at once.
	Parallelism int
	// State keeps stacks, change sets, events and exports across restarts
	// (nil: nothing is kept); see persist.go.
	State *state.Bucket
}

// API serves CloudFormation. It is safe for concurrent use; Close stops
// the stack operations still running.
type API struct {
	opts     Options
	now      func() time.Time
	log      *slog.Logger
	engine   *engine.Engine
	handlers map[string]handler

	// runMu guards the context stack operations run in; Reset replaces it.
	runMu  sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	stores map[string]*store // by account and region
}

type handler func(ctx context.Context, values url.Values) (any, error)

// New returns a CloudFormation API with no stacks.
func New(opts Options) *API {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Account == "" {
		opts.Account = "000000000000"
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &API{opts: opts, now: opts.Now, log: opts.Logger, ctx: ctx, cancel: cancel, stores: map[string]*store{}}
	a.engine = engine.New(engine.Options{Providers: opts.Providers, Now: opts.Now, AZs: opts.AZs, Logger: opts.Logger, Parallelism: opts.Parallelism})
	a.handlers = map[string]handler{
		"CreateStack":                 op(a.CreateStack),
		"UpdateStack":                 op(a.UpdateStack),
		"DeleteStack":                 op(a.DeleteStack),
		"DescribeStacks":              op(a.DescribeStacks),
		"ListStacks":                  op(a.ListStacks),
		"DescribeStackEvents":         op(a.DescribeStackEvents),
		"DescribeStackResource":       op(a.DescribeStackResource),
		"DescribeStackResources":      op(a.DescribeStackResources),
		"ListStackResources":          op(a.ListStackResources),
		"GetTemplate":                 op(a.GetTemplate),
		"GetTemplateSummary":          op(a.GetTemplateSummary),
		"ValidateTemplate":            op(a.ValidateTemplate),
		"CreateChangeSet":             op(a.CreateChangeSet),
		"DescribeChangeSet":           op(a.DescribeChangeSet),
		"ExecuteChangeSet":            op(a.ExecuteChangeSet),
		"DeleteChangeSet":             op(a.DeleteChangeSet),
		"ListChangeSets":              op(a.ListChangeSets),
		"ListExports":                 op(a.ListExports),
		"ListImports":                 op(a.ListImports),
		"UpdateTerminationProtection": op(a.UpdateTerminationProtection),
		"CancelUpdateStack":           op(a.CancelUpdateStack),
		"ContinueUpdateRollback":      op(a.ContinueUpdateRollback),
		"SetStackPolicy":              op(a.SetStackPolicy),
		"GetStackPolicy":              op(a.GetStackPolicy),
	}
	return a
}

// op adapts a typed operation to the generic handler signature.
func op[In any, Out any](fn func(context.Context, *In) (*Out, error)) handler {
	return func(ctx context.Context, values url.Values) (any, error) {
		in := new(In)
		if err := awsproto.DecodeQuery(values, in); err != nil {
			return nil, err
		}
		return fn(ctx, in)
	}
}

// Handle runs one operation (the query Action) and returns the SDK output
// struct for awsproto.WriteQuery, or an error for awsproto.WriteQueryError.
func (a *API) Handle(ctx context.Context, action string, values url.Values) (any, error) {
	h, ok := a.handlers[action]
	if !ok {
		return nil, invalidAction(action)
	}
	return h(ctx, values)
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

// Close cancels the stack operations still running and waits for them.
// What the cancelled operations do next is not kept: the state directory
// keeps them in progress, as a kill would, and Restore ends them.
func (a *API) Close() {
	a.detach()
	a.runMu.Lock()
	a.cancel()
	a.runMu.Unlock()
	a.waitOperations()
}

// detach stops every store writing to the state directory.
func (a *API) detach() {
	a.mu.Lock()
	stores := make([]*store, 0, len(a.stores))
	for _, st := range a.stores {
		stores = append(stores, st)
	}
	a.mu.Unlock()
	for _, st := range stores {
		st.detach()
	}
}

// waitOperations waits for every stack operation started so far to end.
func (a *API) waitOperations() {
	a.mu.Lock()
	var handles []*engine.Handle
	for _, st := range a.stores {
		st.mu.Lock()
		for _, s := range st.stacks {
			if s.handle != nil {
				handles = append(handles, s.handle)
			}
		}
		st.mu.Unlock()
	}
	a.mu.Unlock()
	for _, h := range handles {
		<-h.Done()
	}
}

// store returns the store of the request's account and region.
func (a *API) store(ctx context.Context) *store {
	region, account := reqctx.Region(ctx), reqctx.Account(ctx)
	if account == "" {
		account = a.opts.Account
	}
	if region == "" {
		region = "us-east-1"
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	key := account + "/" + region
	st := a.stores[key]
	if st == nil {
		st = newStore(region, account, a.opts.State)
		a.stores[key] = st
	}
	return st
}

// engineStack is the engine's view of a stack.
func (st *store) engineStack(s *stack) engine.Stack {
	return engine.Stack{Name: s.name, ID: s.id, Region: st.region, Account: st.account, Partition: partition(st.region), NotificationARNs: s.notificationARNs}
}

// start runs an operation on s in the background; st.mu is held.
func (a *API) start(st *store, s *stack, op engine.Operation) {
	op.Stack = st.engineStack(s)
	op.Sink = sink{a: a, st: st, s: s}
	if s.timeout != nil && op.Kind != engine.KindDelete {
		op.Timeout = time.Duration(*s.timeout) * time.Minute
	}
	a.runMu.Lock()
	ctx := a.ctx
	a.runMu.Unlock()
	switch op.Kind { // what Restore needs to end the operation if it is cut short
	case engine.KindCreate:
		s.onFailure = op.OnFailure
	case engine.KindDelete:
		s.retain = op.Retain
	}
	s.handle = a.engine.Start(ctx, op)
	st.saveStack(s)
}

// startDelete deletes s in the background; st.mu is held.
func (a *API) startDelete(st *store, s *stack, retain map[string]bool) {
	s.status, s.reason = "DELETE_IN_PROGRESS", ""
	a.start(st, s, engine.Operation{Kind: engine.KindDelete, Current: s.deployed(), Retain: retain})
}
