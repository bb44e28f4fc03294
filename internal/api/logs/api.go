package logs

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
)

// DefaultAccount is the account of the in-process calls when
// Options.Account is empty; it is also reqctx's default.
const DefaultAccount = "000000000000"

// The default bounds (see the package comment).
const (
	DefaultMaxEventsPerStream = 10_000
	DefaultMaxBytesPerStream  = 8 << 20
	DefaultMaxGroups          = 1_000
	DefaultMaxStreams         = 10_000
)

// Options configures the Logs API. Zero values take the defaults.
type Options struct {
	// Account owns the stores of the in-process calls. Requests use the
	// account in their context (reqctx.Account). Default DefaultAccount.
	Account string
	Now     func() time.Time // default time.Now

	MaxEventsPerStream int // events kept per stream, oldest dropped first
	MaxBytesPerStream  int // message bytes kept per stream, oldest dropped first
	MaxGroups          int // log groups per account and region
	MaxStreams         int // log streams per account and region
}

func (o Options) withDefaults() Options {
	if o.Account == "" {
		o.Account = DefaultAccount
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.MaxEventsPerStream = positiveOr(o.MaxEventsPerStream, DefaultMaxEventsPerStream)
	o.MaxBytesPerStream = positiveOr(o.MaxBytesPerStream, DefaultMaxBytesPerStream)
	o.MaxGroups = positiveOr(o.MaxGroups, DefaultMaxGroups)
	o.MaxStreams = positiveOr(o.MaxStreams, DefaultMaxStreams)
	return o
}

func positiveOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// API serves CloudWatch Logs operations. It is safe for concurrent use.
type API struct {
	opts     Options
	mu       sync.Mutex
	stores   map[storeKey]*Store
	handlers map[string]handler
}

type storeKey struct{ account, region string }

type handler func(ctx context.Context, s *Store, body []byte) (any, error)

// New returns a Logs API with empty state.
func New(opts Options) *API {
	return &API{opts: opts.withDefaults(), stores: map[storeKey]*Store{}, handlers: operations()}
}

// op adapts a typed operation to the generic handler signature: decode the
// SDK input struct, call, return the SDK output struct.
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return func(ctx context.Context, s *Store, body []byte) (any, error) {
		in := new(In)
		if err := awsproto.DecodeJSON(body, in, awsproto.LowerFirst); err != nil {
			return nil, err
		}
		return fn(s, ctx, in)
	}
}

// Handle runs one operation for the account and region in ctx.
func (a *API) Handle(ctx context.Context, operation string, body []byte) (any, error) {
	h, ok := a.handlers[operation]
	if !ok {
		return nil, awsproto.UnknownOperation(operation)
	}
	return h(ctx, a.StoreFor(reqctx.Account(ctx), reqctx.Region(ctx)), body)
}

// Store returns the state of Options.Account in one region, creating it
// on first use.
func (a *API) Store(region string) *Store {
	return a.StoreFor(a.opts.Account, region)
}

// StoreFor returns the state of one account in one region, creating it on
// first use.
func (a *API) StoreFor(account, region string) *Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := storeKey{account, region}
	s, ok := a.stores[k]
	if !ok {
		s = newStore(region, account, a.opts)
		a.stores[k] = s
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
