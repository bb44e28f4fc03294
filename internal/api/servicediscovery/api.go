// Package servicediscovery implements the AWS Cloud Map API (awsJson1_1)
// on top of an in-memory store per account and region. Besides the wire
// API it offers the other parts of the emulator an in-process interface:
// Store methods ECS calls to register its tasks (RegisterInstanceDirect,
// DeregisterInstanceDirect, SetInstanceHealth) and an immutable DNS view
// (API.DNSSnapshot) for the DNS server, refreshed on OnChange.
package servicediscovery

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/localaws/ecsemu/internal/api/regional"
	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/state"
)

// TargetPrefix is the X-Amz-Target prefix of Cloud Map operations.
const TargetPrefix = "Route53AutoNaming_v20170314"

// DefaultAccount is the account of Store(region) when Options.Account is
// empty; it is also reqctx's default.
const DefaultAccount = "000000000000"

// Options configures the Cloud Map API.
type Options struct {
	// Account owns the stores returned by Store(region). Requests use the
	// account in their context (reqctx.Account). Default DefaultAccount.
	Account string
	Now     func() time.Time // default time.Now
	IDs     IDs              // default random
	// OnChange is called, outside every lock, after anything that affects
	// DNS changed (a DNS namespace, one of its services or instances, an
	// instance's health). It must not block: a DNS server typically does
	// a non-blocking send on a channel and rebuilds from DNSSnapshot.
	OnChange func()
	// VPCExists tells whether a VPC exists in a region (EC2); a private DNS
	// namespace in a VPC it does not know fails as on AWS, through its
	// operation. Nil: every VPC is taken as it is.
	VPCExists func(region, vpcID string) bool
	// State keeps namespaces, services, instances, operations and tags
	// across restarts (see Restore). Nil keeps them in memory only.
	State *state.Bucket
}

// API serves Cloud Map operations. It is safe for concurrent use.
type API struct {
	opts     Options
	version  atomic.Uint64 // DNS generation, see Snapshot.Version
	stores   *regional.Stores[Store]
	handlers regional.Handlers[Store]
}

type handler = regional.Handler[Store]

// New returns a Cloud Map API with empty state.
func New(opts Options) *API {
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IDs == nil {
		opts.IDs = randomIDs{}
	}
	a := &API{opts: opts}
	a.stores = regional.NewStores(func(account, region string) *Store {
		s := newStore(region, account, opts.Now, opts.IDs, a.dnsChanged, opts.State)
		s.vpcExists = opts.VPCExists
		return s
	})
	a.handlers = a.operations()
	return a
}

// op adapts a typed operation to a handler (see regional.Op).
// Operations are Store methods, so method expressions fit: op((*Store).X).
func op[In any, Out any](fn func(*Store, context.Context, *In) (*Out, error)) handler {
	return regional.Op(awsproto.AsIs, fn)
}

// Handle runs one operation for the account and region in ctx.
func (a *API) Handle(ctx context.Context, operation string, body []byte) (any, error) {
	return a.handlers.Handle(ctx, a.stores, operation, body)
}

// Store returns the state of Options.Account in one region, creating it on
// first use.
func (a *API) Store(region string) *Store {
	return a.StoreFor(a.opts.Account, region)
}

// StoreFor returns the state of one account in one region, creating it on
// first use.
func (a *API) StoreFor(account, region string) *Store { return a.stores.Get(account, region) }

// StoreForService returns the store owning a service or namespace ARN, as
// ECS holds it in serviceRegistries[].registryArn. It fails with
// InvalidInput when ref is not a Cloud Map ARN.
func (a *API) StoreForService(ref string) (*Store, error) {
	p, ok := parseARN(ref)
	if !ok {
		return nil, errInvalidInput("Invalid ARN: %s", ref)
	}
	return a.StoreFor(p.account, p.region), nil
}

// Stores returns every store, sorted by region then account.
func (a *API) Stores() []*Store { return a.stores.All() }

// Operations lists the operation names this API implements.
func (a *API) Operations() []string { return a.handlers.Names() }

// dnsChanged runs after a store released its lock having changed
// something DNS serves.
func (a *API) dnsChanged() {
	a.version.Add(1)
	if a.opts.OnChange != nil {
		a.opts.OnChange()
	}
}
