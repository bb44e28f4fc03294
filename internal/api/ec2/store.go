package ec2

import (
	"net/netip"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/state"
)

// Store is the EC2 state of one region. Its exported methods are the
// typed operations; one lock guards everything, and what they return are
// copies.
type Store struct {
	api     *API
	region  string
	account string

	mu         sync.Mutex
	seq        map[string]int // creation order of every resource ID
	next       int
	vpcs       map[string]*vpcRecord
	subnets    map[string]*subnetRecord
	groups     map[string]*groupRecord
	igws       map[string]*types.InternetGateway
	rtbs       map[string]*types.RouteTable
	nats       map[string]*natRecord
	eips       map[string]*types.Address
	endpoints  map[string]*types.VpcEndpoint
	enis       map[string]*types.NetworkInterface
	instances  map[string]*instanceRecord
	keys       map[string]*types.KeyPairInfo // by name
	tags       map[string][]types.Tag        // by resource ID, sorted by key
	dhcp       string                        // the region's default DHCP options
	nextPublic uint32                        // offset into publicPool
	journal    *state.Journal                // records changed under mu (persist.go)
}

// vpcRecord is a VPC and what EC2 keeps beside it.
type vpcRecord struct {
	vpc          types.Vpc // Tags are kept in Store.tags
	cidrs        []netip.Prefix
	dnsSupport   bool
	dnsHostnames bool
	usageMetrics bool
	mainTable    string // route table ID
	defaultGroup string // security group ID
	networkACL   string
}

// subnetRecord is a subnet and the addresses taken in it.
type subnetRecord struct {
	subnet types.Subnet
	cidr   netip.Prefix
	used   map[netip.Addr]string // address → network interface ID
	index  *addressIndex         // of used, made on first need (see subnetaddresses.go)
}

// newStore is a region as a new account has it: its default VPC.
func newStore(a *API, region string) *Store {
	s := newEmptyStore(a, region)
	s.seedDefaultVPC()
	return s
}

// newEmptyStore is a region with nothing in it, for Restore to fill.
func newEmptyStore(a *API, region string) *Store {
	s := &Store{
		api: a, region: region, account: a.opts.Account,
		seq:  map[string]int{},
		vpcs: map[string]*vpcRecord{}, subnets: map[string]*subnetRecord{}, groups: map[string]*groupRecord{},
		igws: map[string]*types.InternetGateway{}, rtbs: map[string]*types.RouteTable{}, nats: map[string]*natRecord{},
		eips: map[string]*types.Address{}, endpoints: map[string]*types.VpcEndpoint{}, enis: map[string]*types.NetworkInterface{},
		instances: map[string]*instanceRecord{}, keys: map[string]*types.KeyPairInfo{}, tags: map[string][]types.Tag{},
		journal: a.opts.State.Journal(),
	}
	s.dhcp = stableID("dopt", s.account, region)
	return s
}

// write runs a change under the lock and announces it when it succeeded.
func (s *Store) write(fn func() error) error {
	s.lock()
	err := fn()
	s.unlock()
	if err == nil {
		s.api.notify()
	}
	return err
}

// read runs fn under the lock.
func (s *Store) read(fn func() error) error {
	s.lock()
	defer s.unlock()
	return fn()
}

func (s *Store) now() time.Time { return s.api.opts.Now() }

// newID makes an ID and notes its creation order.
func (s *Store) newID(prefix string) string {
	id := s.api.opts.IDs.New(prefix)
	s.created(id)
	return id
}

// created notes the creation order of an ID.
func (s *Store) created(id string) {
	s.next++
	s.seq[id] = s.next
	s.touch(id)
	s.touchMeta()
}

// forget drops an ID's bookkeeping: its order and its tags.
func (s *Store) forget(id string) {
	delete(s.seq, id)
	delete(s.tags, id)
	s.touch(id)
}

// lookup finds one resource by ID: Malformed for an ID that cannot be of
// its kind, NotFound for one that does not exist.
func lookup[T any](m map[string]T, prefix, id string) (T, error) {
	var zero T
	if err := checkID(prefix, id); err != nil {
		return zero, err
	}
	r, ok := m[id]
	if !ok {
		return zero, errNotFound(prefix, id)
	}
	return r, nil
}

// selectIDs returns the resources asked for by ID, or all of them, in
// creation order. Every ID must exist.
func selectIDs[T any](s *Store, m map[string]T, prefix string, ids []string) ([]T, error) {
	var keys []string
	if len(ids) == 0 {
		for id := range m {
			keys = append(keys, id)
		}
	} else {
		var missing []string
		seen := map[string]bool{}
		for _, id := range ids {
			if err := checkID(prefix, id); err != nil {
				return nil, err
			}
			if _, ok := m[id]; !ok {
				missing = append(missing, id)
				continue
			}
			if !seen[id] {
				seen[id] = true
				keys = append(keys, id)
			}
		}
		if len(missing) > 0 {
			return nil, errNotFoundIDs(prefix, missing)
		}
	}
	s.sortIDs(keys)
	out := make([]T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out, nil
}

// sortIDs puts IDs in creation order.
func (s *Store) sortIDs(ids []string) {
	sort.SliceStable(ids, func(i, j int) bool { return s.seq[ids[i]] < s.seq[ids[j]] })
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// lock takes the store's lock and brings time-driven states up to date
// (instances, NAT gateways), so every operation sees the present.
func (s *Store) lock() {
	s.mu.Lock()
	s.tick()
}

// tick advances every transition whose time has come.
func (s *Store) tick() {
	now := s.now()
	for _, n := range s.nats {
		s.advanceNat(n, now)
	}
	for _, r := range s.instances {
		s.advanceInstance(r, now)
	}
}
