// Package acm implements AWS Certificate Manager (awsJson1_1) on an
// in-memory store per account and region. A requested certificate is
// issued at once: its DNS validation is reported as SUCCESS without any
// record being looked up, and it is a real self-signed X.509 certificate
// for its domain and SANs with a private key, generated once and kept, so
// that the ALB can serve it (API.TLSCertificate). Imported certificates
// are kept as uploaded.
package acm

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

// Options configures the ACM API.
type Options struct {
	Now  func() time.Time // default time.Now
	Rand io.Reader        // source of IDs and keys, default crypto/rand
	// InUse says whether a load balancer listener uses a certificate:
	// DeleteCertificate refuses such certificates and listings report it.
	// Nil: no certificate is in use.
	InUse func(arn string) bool
}

// API serves ACM operations. It is safe for concurrent use.
type API struct {
	opts     Options
	mu       sync.Mutex
	stores   map[storeKey]*Store
	handlers map[string]handler
}

type storeKey struct{ account, region string }

type handler func(ctx context.Context, s *Store, body []byte) (any, error)

// New returns an ACM API with no certificates.
func New(opts Options) *API {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.InUse == nil {
		opts.InUse = func(string) bool { return false }
	}
	a := &API{opts: opts, stores: map[storeKey]*Store{}}
	a.handlers = map[string]handler{
		"RequestCertificate":        op((*Store).RequestCertificate),
		"DescribeCertificate":       op((*Store).DescribeCertificate),
		"ListCertificates":          rewrite(filterMembers, op((*Store).ListCertificates)),
		"DeleteCertificate":         op((*Store).DeleteCertificate),
		"ImportCertificate":         op((*Store).ImportCertificate),
		"GetCertificate":            op((*Store).GetCertificate),
		"AddTagsToCertificate":      op((*Store).AddTagsToCertificate),
		"ListTagsForCertificate":    op((*Store).ListTagsForCertificate),
		"RemoveTagsFromCertificate": op((*Store).RemoveTagsFromCertificate),
	}
	return a
}

// op adapts a typed Store method to the generic handler signature.
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return func(ctx context.Context, s *Store, body []byte) (any, error) {
		in := new(In)
		if err := awsproto.DecodeJSON(body, in, awsproto.AsIs); err != nil {
			return nil, err
		}
		return fn(s, ctx, in)
	}
}

// rewrite adjusts a request body before h decodes it.
func rewrite(fix func([]byte) []byte, h handler) handler {
	return func(ctx context.Context, s *Store, body []byte) (any, error) {
		return h(ctx, s, fix(body))
	}
}

// Handle runs one operation for the account and region in ctx.
func (a *API) Handle(ctx context.Context, operation string, body []byte) (any, error) {
	h, ok := a.handlers[operation]
	if !ok {
		return nil, awsproto.UnknownOperation(operation)
	}
	return h(ctx, a.Store(reqctx.Account(ctx), reqctx.Region(ctx)), body)
}

// Store returns the certificates of one account in one region.
func (a *API) Store(account, region string) *Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := storeKey{account, region}
	s, ok := a.stores[k]
	if !ok {
		s = newStore(account, region, a.opts)
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
