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
	"sort"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
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
}

// API serves Secrets Manager operations. It is safe for concurrent use.
type API struct {
	opts     Options
	mu       sync.Mutex
	stores   map[storeKey]*Store
	handlers map[string]handler
}

type storeKey struct{ account, region string }

type handler func(ctx context.Context, s *Store, body []byte) (any, error)

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
	return &API{opts: opts, stores: map[storeKey]*Store{}, handlers: operations()}
}

// op adapts a typed operation to the generic handler signature: decode the
// SDK input struct, call, return the SDK output struct.
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return func(ctx context.Context, s *Store, body []byte) (any, error) {
		in := new(In)
		if err := awsproto.DecodeJSON(body, in, awsproto.AsIs); err != nil {
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

// Store returns the state of Options.Account in one region.
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
		s = newStore(region, account, a.opts.Now, a.opts.Random)
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
