package servicediscovery

import (
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/localaws/ecsemu/internal/state"
)

// namespace is a namespace as the store keeps it: the wire view (whose
// ServiceCount is computed on read) plus what only the store needs.
type namespace struct {
	types.Namespace
	vpc      string // DNS_PRIVATE only
	seq      uint64 // creation order, the order of listings
	createOp string // the CREATE_NAMESPACE operation, for DuplicateRequest
}

// isDNS reports whether DNS serves the namespace.
func (ns *namespace) isDNS() bool { return ns.Type != types.NamespaceTypeHttp }

// service is a service as the store keeps it (InstanceCount is computed
// on read).
type service struct {
	types.Service
	seq        uint64
	attributes map[string]string    // service attributes (Get/Update/DeleteServiceAttributes)
	instances  map[string]*instance // by instance ID
	// revision is the InstancesRevision: it grows on every registration and
	// deregistration, never on a health change.
	revision int64
}

// servesDNS reports whether the service creates DNS records.
func (svc *service) servesDNS() bool { return svc.Type == types.ServiceTypeDnsHttp }

// hasHealthCheck reports whether the service has a Route 53 or a custom
// health check; instances of services without one are UNKNOWN.
func (svc *service) hasHealthCheck() bool {
	return svc.HealthCheckConfig != nil || svc.HealthCheckCustomConfig != nil
}

// instance is a registered instance.
type instance struct {
	types.Instance
	seq uint64
	// health is the instance's status when its service has a health check:
	// the custom status (AWS_INIT_HEALTH_STATUS, then
	// UpdateInstanceCustomHealthStatus) or the emulated Route 53 result.
	health types.HealthStatus
}

// Store holds the Cloud Map state of one account in one region. It has one
// lock; every read returns copies, so callers never share memory with it.
type Store struct {
	region, account string
	now             func() time.Time
	ids             IDs
	onDNSChange     func()
	vpcExists       func(region, vpcID string) bool // nil: unchecked

	mu         sync.Mutex
	journal    *state.Journal // records changed under the current lock (persist.go)
	dnsDirty   bool           // a change DNS serves happened under the current lock
	seq        uint64
	namespaces map[string]*namespace  // by ID
	services   map[string]*service    // by ID
	operations map[string]*operation  // by ID
	tags       map[string][]types.Tag // by resource ARN
}

func newStore(region, account string, now func() time.Time, ids IDs, onDNSChange func(), bucket *state.Bucket) *Store {
	return &Store{
		region: region, account: account, now: now, ids: ids, onDNSChange: onDNSChange,
		journal:    bucket.Journal(),
		namespaces: map[string]*namespace{},
		services:   map[string]*service{},
		operations: map[string]*operation{},
		tags:       map[string][]types.Tag{},
	}
}

// Region is the store's region.
func (s *Store) Region() string { return s.region }

// Account is the store's account.
func (s *Store) Account() string { return s.account }

// lock takes the store lock; the returned function writes the records
// changed under it to the state directory, releases it, waits for the
// write (so a request is acknowledged only once it is stored) and then,
// if DNS-visible state changed, announces it (never while holding the
// lock).
func (s *Store) lock() (unlock func()) {
	s.mu.Lock()
	return func() {
		dirty := s.dnsDirty
		s.dnsDirty = false
		stored := s.journal.Flush(s.record)
		s.mu.Unlock()
		// A failed write is logged and shown by the health endpoint; the
		// change stays in memory either way.
		_ = stored.Wait()
		if dirty && s.onDNSChange != nil {
			s.onDNSChange()
		}
	}
}

// dnsChangedIn records that something DNS serves changed in ns (nothing
// for HTTP namespaces). Callers hold the lock.
func (s *Store) dnsChangedIn(ns *namespace) {
	if ns != nil && ns.isDNS() {
		s.dnsDirty = true
	}
}

// nextSeq numbers objects in creation order. Callers hold the lock.
func (s *Store) nextSeq() uint64 {
	s.seq++
	return s.seq
}

// timestamp is the store's notion of now, at the millisecond precision the
// wire format carries.
func (s *Store) timestamp() time.Time {
	return s.now().Truncate(time.Millisecond)
}

// refID resolves an ID-or-ARN reference of the given kind ("namespace",
// "service") to an ID. An ARN of another kind, region or account resolves
// to nothing (ok false).
func (s *Store) refID(ref, kind string) (string, bool) {
	if !strings.HasPrefix(ref, "arn:") {
		return ref, ref != ""
	}
	p, ok := parseARN(ref)
	if !ok || p.kind != kind || p.region != s.region || p.account != s.account {
		return "", false
	}
	return p.id, true
}

// lookupNamespace finds a namespace by ID or ARN. Callers hold the lock.
func (s *Store) lookupNamespace(ref string) (*namespace, error) {
	if id, ok := s.refID(ref, "namespace"); ok {
		if ns, ok := s.namespaces[id]; ok {
			return ns, nil
		}
	}
	return nil, errNamespaceNotFound(ref)
}

// lookupService finds a service by ID or ARN. Callers hold the lock.
func (s *Store) lookupService(ref string) (*service, error) {
	if id, ok := s.refID(ref, "service"); ok {
		if svc, ok := s.services[id]; ok {
			return svc, nil
		}
	}
	return nil, errServiceNotFound(ref)
}

// lookupInstance finds an instance of a service. Callers hold the lock.
func (s *Store) lookupInstance(serviceRef, instanceID string) (*service, *instance, error) {
	svc, err := s.lookupService(serviceRef)
	if err != nil {
		return nil, nil, err
	}
	inst, ok := svc.instances[instanceID]
	if !ok {
		return nil, nil, errInstanceNotFound(deref(svc.Id), instanceID)
	}
	return svc, inst, nil
}

// namespaceOf returns the namespace of a service. Callers hold the lock.
func (s *Store) namespaceOf(svc *service) *namespace {
	return s.namespaces[deref(svc.NamespaceId)]
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
