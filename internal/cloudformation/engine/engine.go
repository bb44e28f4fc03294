package engine

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/cloudformation/template"
)

// DefaultParallelism bounds how many resources of one stack are worked on
// at the same time.
const DefaultParallelism = 8

// Options configures an Engine.
type Options struct {
	Providers   Registry                     // by resource type, over Builtins()
	Parallelism int                          // default DefaultParallelism
	Now         func() time.Time             // default time.Now
	AZs         func(region string) []string // Fn::GetAZs; nil: <region>a, b, c
	Logger      *slog.Logger
}

// Engine carries out stack operations through the providers.
type Engine struct {
	providers Registry
	limit     int
	now       func() time.Time
	azs       func(string) []string
	log       *slog.Logger
}

// New returns an engine with the built-in providers and opts.Providers.
func New(opts Options) *Engine {
	e := &Engine{providers: Builtins(), limit: opts.Parallelism, now: opts.Now, azs: opts.AZs, log: opts.Logger}
	for t, p := range opts.Providers {
		e.providers[t] = p
	}
	if e.limit <= 0 {
		e.limit = DefaultParallelism
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.azs == nil {
		e.azs = func(region string) []string { return []string{region + "a", region + "b", region + "c"} }
	}
	if e.log == nil {
		e.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return e
}

// Kind is what an operation does to a stack.
type Kind int

// The operations.
const (
	KindCreate Kind = iota
	KindUpdate
	KindDelete
	// KindEndCreate ends a create that stopped before it finished (the
	// emulator restarted during it) as a failed create ends: as OnFailure
	// says, over the resources in Current, for Reason.
	KindEndCreate
)

// The values of Operation.OnFailure, as CreateStack takes them.
const (
	OnFailureRollback  = "ROLLBACK"
	OnFailureDoNothing = "DO_NOTHING"
	OnFailureDelete    = "DELETE"
)

// Operation is one create, update or delete of a stack.
type Operation struct {
	Kind      Kind
	Stack     Stack
	Current   *Deployed // KindUpdate, KindDelete: the stack as it is
	Next      *Config   // KindCreate, KindUpdate: what it is asked to be
	OnFailure string    // KindCreate: OnFailure* (default ROLLBACK); KindUpdate: DO_NOTHING disables rollback
	Timeout   time.Duration
	Retain    map[string]bool // KindDelete: RetainResources
	Reason    string          // KindEndCreate: why the create failed
	Sink      Sink
}

// Handle is a running operation.
type Handle struct {
	cancel context.CancelCauseFunc
	done   chan struct{}
}

// Cancel stops the forward phase of the operation (CancelUpdateStack): it
// then rolls back as after a failure.
func (h *Handle) Cancel() { h.cancel(ErrCancelled) }

// Done is closed when the operation has finished.
func (h *Handle) Done() <-chan struct{} { return h.done }

// ErrCancelled is the cause of an operation cancelled by the user.
var ErrCancelled = &Failure{Message: "User Initiated"}

// Start runs op in the background until it ends; ctx bounds the whole
// run, rollback included (the emulator's lifetime).
func (e *Engine) Start(ctx context.Context, op Operation) *Handle {
	fwd, cancel := context.WithCancelCause(ctx)
	h := &Handle{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		defer cancel(nil)
		e.run(ctx, fwd, op)
	}()
	return h
}

// Run carries out op and returns when it has finished.
func (e *Engine) Run(ctx context.Context, op Operation) {
	e.run(ctx, ctx, op)
}

func (e *Engine) run(base, fwd context.Context, op Operation) {
	r := &run{e: e, op: op, base: base, imports: map[string]bool{}}
	if op.Timeout > 0 {
		var cancel context.CancelFunc
		fwd, cancel = context.WithTimeoutCause(fwd, op.Timeout, errTimeout)
		defer cancel()
	}
	switch op.Kind {
	case KindCreate:
		r.create(fwd)
	case KindUpdate:
		r.update(fwd)
	case KindDelete:
		r.deleteStack(base)
	case KindEndCreate:
		r.endCreate()
	}
}

// errTimeout is the cause of an operation that ran past TimeoutInMinutes.
var errTimeout = &Failure{Message: "Resource creation cancelled"}

// run is the state of one operation.
type run struct {
	e    *Engine
	op   Operation
	base context.Context // for rollback and cleanup, which a cancel does not stop

	mu      sync.Mutex
	res     map[string]*Resource // the stack's resources as they are now
	cfg     *Config              // the configuration resources are evaluated against
	conds   map[string]bool
	imports map[string]bool
	resolve template.Resolver // nil: the resources as they are (Plan overrides it)
}

// evalContext is the template context for cfg, resolving against the
// resources as they are now.
func (r *run) evalContext(cfg *Config, conds map[string]bool) *template.Context {
	var res template.Resolver = resolver{r}
	if r.resolve != nil {
		res = r.resolve
	}
	return &template.Context{
		Params:     cfg.Params,
		Conditions: conds,
		Template:   cfg.Template,
		Resolver:   res,
		Pseudo: template.Pseudo{
			AccountID: r.op.Stack.Account, Region: r.op.Stack.Region, Partition: r.op.Stack.Partition,
			StackName: r.op.Stack.Name, StackID: r.op.Stack.ID, NotificationARNs: r.op.Stack.NotificationARNs,
		},
	}
}

// conditions evaluates cfg's Conditions section.
func (r *run) conditions(cfg *Config) (map[string]bool, error) {
	return cfg.Template.EvaluateConditions(r.evalContext(cfg, nil))
}

// active lists the resources whose condition holds, in creation order.
func active(t *template.Template, conds map[string]bool) ([]string, error) {
	on := map[string]bool{}
	for _, id := range t.ResourceOrder {
		if c := t.Resources[id].Condition; c == "" || conds[c] {
			on[id] = true
		}
	}
	return t.CreationOrder(on)
}

// properties evaluates a resource's Properties.
func (r *run) properties(cfg *Config, conds map[string]bool, logicalID string) (map[string]any, error) {
	raw := cfg.Template.Resources[logicalID].Properties
	if raw == nil {
		return map[string]any{}, nil
	}
	v, err := template.Evaluate(raw, r.evalContext(cfg, conds))
	if err != nil {
		return nil, err
	}
	props, _ := v.(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	return props, nil
}

// request builds a provider request for a resource.
func (r *run) request(logicalID, typ, physicalID string, props map[string]any, tags map[string]string) *Request {
	t := map[string]string{}
	for k, v := range tags {
		t[k] = v
	}
	t["aws:cloudformation:stack-name"] = r.op.Stack.Name
	t["aws:cloudformation:stack-id"] = r.op.Stack.ID
	t["aws:cloudformation:logical-id"] = logicalID
	s := r.op.Stack
	return &Request{Region: s.Region, Account: s.Account, Partition: partition(s.Partition), StackName: s.Name, StackID: s.ID,
		LogicalID: logicalID, Type: typ, PhysicalID: physicalID, Properties: props, Tags: t}
}

func partition(p string) string {
	if p == "" {
		return "aws"
	}
	return p
}

// resource returns the current record of a resource (nil if none).
func (r *run) resource(logicalID string) *Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.res[logicalID]
}

// put records a resource's new state.
func (r *run) put(rec *Resource) {
	rec.Updated = r.e.now()
	r.mu.Lock()
	r.res[rec.LogicalID] = rec
	r.mu.Unlock()
	r.op.Sink.PutResource(rec.Copy())
}

// remove forgets a resource.
func (r *run) remove(logicalID string) {
	r.mu.Lock()
	delete(r.res, logicalID)
	r.mu.Unlock()
	r.op.Sink.RemoveResource(logicalID)
}

// event records a resource event.
func (r *run) event(rec *Resource, status, reason string) {
	r.op.Sink.Event(Event{LogicalID: rec.LogicalID, PhysicalID: rec.PhysicalID, Type: rec.Type, Status: status,
		Reason: reason, Properties: rec.Properties, Time: r.e.now()})
}

// stackStatus moves the stack to status, with its event.
func (r *run) stackStatus(status, reason string) {
	r.op.Sink.Status(status, reason)
	r.stackEvent(status, reason)
}

// stackEvent records an event of the stack itself.
func (r *run) stackEvent(status, reason string) {
	r.op.Sink.Event(Event{LogicalID: r.op.Stack.Name, PhysicalID: r.op.Stack.ID, Type: "AWS::CloudFormation::Stack",
		Status: status, Reason: reason, Time: r.e.now()})
}

// finish records the end state of the run. The final status is set by
// Finish alone, together with the outputs and the deployed state: a
// client that sees CREATE_COMPLETE (the CDK CLI, the waiters) must also
// see the stack's outputs and a finished change set.
func (r *run) finish(cfg *Config, conds map[string]bool, outputs []Output, status, reason string) {
	r.stackEvent(status, reason)
	if cfg == nil {
		r.op.Sink.Finish(nil, status, reason)
		return
	}
	r.mu.Lock()
	d := &Deployed{Config: *cfg, Conditions: conds, Resources: copyResources(r.res), Outputs: outputs}
	for name := range r.imports {
		d.Imports = append(d.Imports, name)
	}
	r.mu.Unlock()
	r.op.Sink.Finish(d, status, reason)
}
