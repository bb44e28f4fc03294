// Package secretsmanager implements a small AWS Secrets Manager
// (awsJson1_1, X-Amz-Target prefix secretsmanager) on an in-memory store
// per account and region: secrets with versions and staging labels,
// scheduled deletion and restore, listing with filters, and tags. Besides
// the wire API it offers ECS an in-process read (API.SecretValue) to
// resolve a container's secrets at task start.
package secretsmanager

import (
	"context"
	"crypto/rand"
	"io"
	"time"

	"github.com/localaws/ecsemu/internal/api/regional"
	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/state"
)

// DefaultAccount is the account of Store(region) when Options.Account is
// empty; it is also reqctx's default.
const DefaultAccount = "000000000000"

// Options configures the Secrets Manager API.
type Options struct {
	// Account owns the stores returned by Store(region). Requests use the
	// account in their context (reqctx.Account). Default DefaultAccount.
	Account string
	Now     func() time.Time // default time.Now
	// Random feeds ARN suffixes and version IDs; default crypto/rand.
	Random io.Reader
	// State keeps every region's secrets across restarts (persist.go); nil
	// keeps nothing.
	State *state.Bucket
}

// API serves Secrets Manager operations. It is safe for concurrent use.
type API struct {
	opts     Options
	stores   *regional.Stores[Store]
	handlers regional.Handlers[Store]
}

type handler = regional.Handler[Store]

// New returns a Secrets Manager API with empty state.
func New(opts Options) *API {
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Random == nil {
		opts.Random = rand.Reader
	}
	return &API{opts: opts, handlers: operations(), stores: regional.NewStores(func(account, region string) *Store {
		s := newStore(region, account, opts.Now, opts.Random)
		s.journal = opts.State.Journal()
		return s
	})}
}

// op adapts a typed operation to a handler (see regional.Op).
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return regional.Op(awsproto.AsIs, fn)
}

// Handle runs one operation for the account and region in ctx.
func (a *API) Handle(ctx context.Context, operation string, body []byte) (any, error) {
	return a.handlers.Handle(ctx, a.stores, operation, body)
}

// Store returns the state of Options.Account in one region.
func (a *API) Store(region string) *Store {
	return a.StoreFor(a.opts.Account, region)
}

// StoreFor returns the state of one account in one region, creating it on
// first use.
func (a *API) StoreFor(account, region string) *Store { return a.stores.Get(account, region) }

// Operations lists the operation names this API implements.
func (a *API) Operations() []string { return a.handlers.Names() }
