package logs

import (
	"context"
	"time"

	"github.com/localaws/ecsemu/internal/api/regional"
	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/state"
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

	// State keeps every region's groups, streams and events across
	// restarts (persist.go); nil keeps nothing.
	State *state.Bucket
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
	stores   *regional.Stores[Store]
	handlers regional.Handlers[Store]
}

type handler = regional.Handler[Store]

// New returns a Logs API with empty state.
func New(opts Options) *API {
	opts = opts.withDefaults()
	return &API{opts: opts, handlers: operations(), stores: regional.NewStores(func(account, region string) *Store {
		return newStore(region, account, opts)
	})}
}

// op adapts a typed operation to a handler (see regional.Op).
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return regional.Op(awsproto.LowerFirst, fn)
}

// Handle runs one operation for the account and region in ctx.
func (a *API) Handle(ctx context.Context, operation string, body []byte) (any, error) {
	return a.handlers.Handle(ctx, a.stores, operation, body)
}

// Store returns the state of Options.Account in one region, creating it
// on first use.
func (a *API) Store(region string) *Store {
	return a.StoreFor(a.opts.Account, region)
}

// StoreFor returns the state of one account in one region, creating it on
// first use.
func (a *API) StoreFor(account, region string) *Store { return a.stores.Get(account, region) }

// Operations lists the operation names this API implements.
func (a *API) Operations() []string { return a.handlers.Names() }
