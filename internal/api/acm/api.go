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
	"time"

	"github.com/localaws/ecsemu/internal/api/regional"
	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/state"
)

// Options configures the ACM API.
type Options struct {
	Now  func() time.Time // default time.Now
	Rand io.Reader        // source of IDs and keys, default crypto/rand
	// InUse says whether a load balancer listener uses a certificate:
	// DeleteCertificate refuses such certificates and listings report it.
	// Nil: no certificate is in use.
	InUse func(arn string) bool
	// State keeps every region's certificates across restarts
	// (persist.go); nil keeps nothing.
	State *state.Bucket
}

// API serves ACM operations. It is safe for concurrent use.
type API struct {
	opts     Options
	stores   *regional.Stores[Store]
	handlers regional.Handlers[Store]
}

type handler = regional.Handler[Store]

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
	a := &API{opts: opts, stores: regional.NewStores(func(account, region string) *Store {
		return newStore(account, region, opts)
	})}
	a.handlers = regional.Handlers[Store]{
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

// op adapts a typed Store method to a handler (see regional.Op).
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return regional.Op(awsproto.AsIs, fn)
}

// rewrite adjusts a request body before h decodes it.
func rewrite(fix func([]byte) []byte, h handler) handler {
	return func(ctx context.Context, s *Store, body []byte) (any, error) {
		return h(ctx, s, fix(body))
	}
}

// Handle runs one operation for the account and region in ctx.
func (a *API) Handle(ctx context.Context, operation string, body []byte) (any, error) {
	return a.handlers.Handle(ctx, a.stores, operation, body)
}

// Store returns the certificates of one account in one region.
func (a *API) Store(account, region string) *Store { return a.stores.Get(account, region) }

// Operations lists the operation names this API implements.
func (a *API) Operations() []string { return a.handlers.Names() }
