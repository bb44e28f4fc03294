// Package ssm implements the Parameter Store part of AWS Systems Manager
// (awsJson1_1, X-Amz-Target prefix AmazonSSM) on an in-memory store per
// account and region. Besides the wire API it offers CloudFormation typed
// in-process calls: API.GetValue to resolve
// AWS::SSM::Parameter::Value<String> parameters, and the Store's typed
// operations (PutParameter, DeleteParameter) for AWS::SSM::Parameter
// resources.
package ssm

import (
	"context"
	"time"

	"github.com/localaws/ecsemu/internal/api/regional"
	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/state"
)

// DefaultAccount is the account of Store(region) when Options.Account is
// empty; it is also reqctx's default.
const DefaultAccount = "000000000000"

// Options configures the SSM API.
type Options struct {
	// Account owns the stores returned by Store(region). Requests use the
	// account in their context (reqctx.Account). Default DefaultAccount.
	Account string
	Now     func() time.Time // default time.Now
	// Bootstrap seeds every store, on its first use, with what a CDK
	// bootstrap leaves in Parameter Store (see Bootstrap).
	Bootstrap bool
	// State keeps every region's parameters across restarts (persist.go);
	// nil keeps nothing.
	State *state.Bucket
}

// API serves Parameter Store operations. It is safe for concurrent use.
type API struct {
	opts     Options
	stores   *regional.Stores[Store]
	handlers regional.Handlers[Store]
	// restoring makes new stores empty: Restore is filling them.
	restoring bool
}

type handler = regional.Handler[Store]

// New returns an SSM API with empty state.
func New(opts Options) *API {
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	a := &API{opts: opts, handlers: operations()}
	a.stores = regional.NewStores(func(account, region string) *Store {
		s := newStore(region, account, opts.Now)
		s.journal = opts.State.Journal()
		if a.restoring {
			return s // Restore fills it
		}
		s.journal.Touch(s.prefix() + kindRegion) // written by the first operation
		if opts.Bootstrap {
			Bootstrap(s)
		}
		return s
	})
	return a
}

// op adapts a typed operation to a handler (see regional.Op).
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return regional.Op(awsproto.AsIs, fn)
}

// Handle runs one operation for the account and region in ctx.
func (a *API) Handle(ctx context.Context, operation string, body []byte) (any, error) {
	return a.handlers.Handle(ctx, a.stores, operation, body)
}

// Store returns the state of Options.Account in one region, creating (and,
// with Options.Bootstrap, seeding) it on first use.
func (a *API) Store(region string) *Store {
	return a.StoreFor(a.opts.Account, region)
}

// StoreFor returns the state of one account in one region, creating it on
// first use.
func (a *API) StoreFor(account, region string) *Store { return a.stores.Get(account, region) }

// Operations lists the operation names this API implements.
func (a *API) Operations() []string { return a.handlers.Names() }
