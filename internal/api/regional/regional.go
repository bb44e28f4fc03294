// Package regional is the scaffolding the JSON-protocol services share:
// one store per account and region, made on first use, and the table of
// operations that decodes a request into the SDK's input struct and calls
// the store's method for the request's account and region.
package regional

import (
	"context"
	"sort"
	"sync"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
)

// Key names one store.
type Key struct{ Account, Region string }

// Stores keeps one store per account and region. It is safe for concurrent
// use.
type Stores[S any] struct {
	build func(account, region string) *S

	mu sync.Mutex
	m  map[Key]*S
}

// NewStores returns an empty set whose stores build makes on first use.
func NewStores[S any](build func(account, region string) *S) *Stores[S] {
	return &Stores[S]{build: build, m: map[Key]*S{}}
}

// Get returns the store of an account in a region, making it on first use.
func (r *Stores[S]) Get(account, region string) *S {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := Key{account, region}
	s, ok := r.m[k]
	if !ok {
		s = r.build(account, region)
		r.m[k] = s
	}
	return s
}

// All returns every store made so far, by region, then account.
func (r *Stores[S]) All() []*S {
	r.mu.Lock()
	defer r.mu.Unlock()
	keys := make([]Key, 0, len(r.m))
	for k := range r.m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Region != keys[j].Region {
			return keys[i].Region < keys[j].Region
		}
		return keys[i].Account < keys[j].Account
	})
	out := make([]*S, len(keys))
	for i, k := range keys {
		out[i] = r.m[k]
	}
	return out
}

// Reset forgets every store: later requests see a new account.
func (r *Stores[S]) Reset() {
	r.mu.Lock()
	r.m = map[Key]*S{}
	r.mu.Unlock()
}

// Handler runs one operation on a store with the request's JSON body.
type Handler[S any] func(ctx context.Context, s *S, body []byte) (any, error)

// Op adapts a typed store method to a Handler: decode the SDK input struct
// (members named as the service names them), call, return the SDK output.
// Operations are store methods, so method expressions fit: Op(n, (*Store).X).
func Op[S, In, Out any](naming awsproto.Naming, fn func(*S, context.Context, *In) (*Out, error)) Handler[S] {
	return func(ctx context.Context, s *S, body []byte) (any, error) {
		in := new(In)
		if err := awsproto.DecodeJSON(body, in, naming); err != nil {
			return nil, err
		}
		return fn(s, ctx, in)
	}
}

// Handlers is a service's table of operations.
type Handlers[S any] map[string]Handler[S]

// Handle runs an operation on the store of the account and region in ctx.
func (h Handlers[S]) Handle(ctx context.Context, stores *Stores[S], operation string, body []byte) (any, error) {
	fn, ok := h[operation]
	if !ok {
		return nil, awsproto.UnknownOperation(operation)
	}
	return fn(ctx, stores.Get(reqctx.Account(ctx), reqctx.Region(ctx)), body)
}

// Names lists the operations, sorted.
func (h Handlers[S]) Names() []string {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
