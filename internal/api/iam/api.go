// Package iam implements AWS Identity and Access Management over the
// awsQuery protocol: roles and their trust policies, inline and managed
// policies with versions, attachments, instance profiles, users and their
// access keys, server certificates and service-linked roles.
//
// IAM is global: one store per account, whatever region a request is
// signed for. Nothing is enforced: policies are stored, validated as
// documents and reported back, but no request anywhere in the emulator is
// ever allowed or denied by them, and no role trust is checked when STS
// hands out role credentials.
//
// Besides the wire API the store's methods are the typed in-process
// interface of CloudFormation's providers (API.Store(account).CreateRole,
// PutRolePolicy, CreatePolicy, AttachRolePolicy, CreateInstanceProfile, …),
// and API implements sts.Directory so STS can tell whose access key signed
// a request and what a role's unique ID is.
package iam

import (
	"context"
	"crypto/rand"
	"io"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
	"github.com/localaws/ecsemu/internal/state"
)

// Options configures the IAM API.
type Options struct {
	Now  func() time.Time // default time.Now
	Rand io.Reader        // source of IDs and secrets, default crypto/rand
	// State keeps every account's entities across restarts (persist.go);
	// nil keeps nothing.
	State *state.Bucket
}

// API serves IAM operations. It is safe for concurrent use.
type API struct {
	opts     Options
	mu       sync.Mutex
	accounts map[string]*Store
	handlers map[string]handler
}

type handler func(ctx context.Context, s *Store, values url.Values) (any, error)

// New returns an IAM API with empty accounts.
func New(opts Options) *API {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	a := &API{opts: opts, accounts: map[string]*Store{}}
	a.handlers = operations()
	return a
}

// op adapts a typed Store method to the generic handler signature.
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return func(ctx context.Context, s *Store, values url.Values) (any, error) {
		in := new(In)
		if err := awsproto.DecodeQuery(values, in); err != nil {
			return nil, err
		}
		return fn(s, ctx, in)
	}
}

// Handle runs one operation (the query Action) against the store of the
// request's account.
func (a *API) Handle(ctx context.Context, action string, values url.Values) (any, error) {
	h, ok := a.handlers[action]
	if !ok {
		return nil, invalidAction(action)
	}
	return h(ctx, a.Store(reqctx.Account(ctx)), values)
}

// Store returns the IAM of one account, creating it on first use.
func (a *API) Store(account string) *Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.accounts[account]
	if !ok {
		s = a.newStore(account)
		a.accounts[account] = s
	}
	return s
}

// stores returns every account's store.
func (a *API) stores() []*Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]*Store, 0, len(a.accounts))
	for _, s := range a.accounts {
		out = append(out, s)
	}
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
