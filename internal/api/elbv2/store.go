package elbv2

import (
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/state"
)

// loadBalancer is a load balancer as the store keeps it. The wire view's
// State is computed on read from created.
type loadBalancer struct {
	seq      uint64
	view     types.LoadBalancer
	created  time.Time
	attrs    map[string]string
	capacity capacityReservation
	// address is where the data plane serves it (SetLoadBalancerAddress),
	// kept so that it binds there again after a restart.
	address string
}

type capacityReservation struct {
	units            *int32
	lastModified     time.Time
	decreasesAllowed int32
}

// listener is a listener; its default rule lives in Store.rules.
type listener struct {
	seq         uint64
	view        types.Listener
	attrs       map[string]string
	defaultRule string   // ARN of the default rule
	extraCerts  []string // non-default certificates (AddListenerCertificates)
}

// rule is a listener rule, the default rule included.
type rule struct {
	seq         uint64
	arn         string
	listenerARN string
	priority    int // 1–50000; 0 for the default rule
	isDefault   bool
	conditions  []types.RuleCondition
	actions     []types.Action
	transforms  []types.RuleTransform
}

// targetGroup is a target group; the wire view's LoadBalancerArns is
// computed on read from the listeners and rules that forward to it.
type targetGroup struct {
	seq     uint64
	view    types.TargetGroup
	attrs   map[string]string
	targets map[TargetKey]*target
}

// target is one registration (ID and port) in a target group.
type target struct {
	seq uint64
	key TargetKey
	az  string
	// Health reported by the data plane; "" until the first report.
	health, reason, description string
	// Draining since DeregisterTargets, until drainUntil.
	draining      bool
	drainingSince time.Time
	drainUntil    time.Time
}

// Store holds the ELBv2 state of one region. It has one lock; every read
// returns copies, so callers never share memory with it.
type Store struct {
	api     *API
	region  string
	account string

	mu        sync.Mutex
	dirty     bool
	seq       uint64
	journal   *state.Journal           // records changed under mu (persist.go)
	lbs       map[string]*loadBalancer // by ARN
	listeners map[string]*listener     // by ARN
	rules     map[string]*rule         // by ARN
	tgs       map[string]*targetGroup  // by ARN
	tags      map[string][]types.Tag   // by resource ARN
	subnets   map[string]string        // subnet ID → availability zone
	// used maps each target group forwarded to by some listener or rule
	// to the load balancers doing so, in creation order.
	used map[string][]string
}

func newStore(a *API, region string) *Store {
	return &Store{
		api: a, region: region, account: a.opts.Account,
		journal:   a.opts.State.Journal(),
		lbs:       map[string]*loadBalancer{},
		listeners: map[string]*listener{},
		rules:     map[string]*rule{},
		tgs:       map[string]*targetGroup{},
		tags:      map[string][]types.Tag{},
		subnets:   map[string]string{},
		used:      map[string][]string{},
	}
}

// Region is the store's region.
func (s *Store) Region() string { return s.region }

// lock takes the store lock and settles time-based state (draining targets
// whose delay has passed). The returned function writes the records
// changed under the lock to the state directory, releases the lock, waits
// for the write and then, if anything changed, announces it (never while
// holding the lock).
func (s *Store) lock() (unlock func()) {
	s.mu.Lock()
	s.expireDraining(s.now())
	return func() {
		dirty := s.dirty
		s.dirty = false
		pending := s.journal.Flush(s.record)
		s.mu.Unlock()
		_ = pending.Wait() // a failed write is logged and shown in health by the store
		if dirty {
			s.api.notify()
		}
	}
}

// changed records a change the data plane must hear about.
func (s *Store) changed() { s.dirty = true }

func (s *Store) now() time.Time { return s.api.opts.Now() }

// timestamp is now at the millisecond precision of the wire format.
func (s *Store) timestamp() time.Time {
	return s.now().UTC().Truncate(time.Millisecond)
}

func (s *Store) nextSeq() uint64 {
	s.seq++
	return s.seq
}

// expireDraining removes draining targets whose deregistration delay has
// passed.
func (s *Store) expireDraining(now time.Time) {
	for _, tg := range s.tgs {
		for key, t := range tg.targets {
			if t.draining && !now.Before(t.drainUntil) {
				delete(tg.targets, key)
				s.touchTarget(tg, key)
				s.changed()
			}
		}
	}
}

// refreshUsage recomputes which load balancers forward to each target
// group. A target group that starts or stops being used forgets the health
// reported for its targets: they start over from "initial" once used.
func (s *Store) refreshUsage() {
	used := s.usage()
	for tgARN, tg := range s.tgs {
		if (len(s.used[tgARN]) > 0) == (len(used[tgARN]) > 0) {
			continue
		}
		for _, t := range tg.targets {
			t.health, t.reason, t.description = "", "", ""
			s.touchTarget(tg, t.key)
		}
	}
	s.used = used
	s.changed()
}

// usage maps each target group some listener or rule forwards to to the
// load balancers doing so, in rule order.
func (s *Store) usage() map[string][]string {
	used := map[string][]string{}
	for _, r := range sortedRules(s.rules) {
		l := s.listeners[r.listenerARN]
		if l == nil {
			continue
		}
		lbARN := deref(l.view.LoadBalancerArn)
		for _, tgARN := range forwardTargets(r.actions) {
			if !slices.Contains(used[tgARN], lbARN) {
				used[tgARN] = append(used[tgARN], lbARN)
			}
		}
	}
	return used
}

// forwardTargets lists the target groups the actions forward to.
func forwardTargets(actions []types.Action) []string {
	var out []string
	for _, a := range actions {
		if a.Type != types.ActionTypeEnumForward {
			continue
		}
		if a.ForwardConfig != nil {
			for _, t := range a.ForwardConfig.TargetGroups {
				out = append(out, deref(t.TargetGroupArn))
			}
		} else if a.TargetGroupArn != nil {
			out = append(out, *a.TargetGroupArn)
		}
	}
	return out
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
