package elbv2

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// Persistence (Options.State). Every store keeps one record per resource,
// under "<account>/<region>/<kind>/<id>":
//
//	loadbalancer/<ARN>                    a load balancer with its attributes, capacity, tags and data-plane address
//	listener/<ARN>                        a listener with its attributes, added certificates and tags
//	listener-rule/<ARN>                   a rule (the default rule too) with its priority and tags
//	targetgroup/<ARN>                     a target group with its attributes and tags, without its targets
//	target/<group ARN> <port> <target ID> a registration with its last health and its drain deadline
//	subnet/<subnet ID>                    the zone a subnet was placed in without EC2
//
// Code that changes a resource under the store lock marks its key (touch*);
// unlock writes the current value of every marked key once and deletes the
// keys whose resource is gone. IDs are random, so no counter needs keeping:
// the creation sequence that orders listings restarts after the highest
// one restored. Times are absolute, so a load balancer provisioning and a
// target draining when the process died go on by the clock after a
// restart rather than starting over.

const (
	kindLoadBalancer = "loadbalancer"
	kindListener     = "listener"
	kindRule         = "listener-rule"
	kindTargetGroup  = "targetgroup"
	kindTarget       = "target"
	kindSubnet       = "subnet"
)

// lbRecord is a stored load balancer.
type lbRecord struct {
	Seq      uint64
	View     types.LoadBalancer
	Created  time.Time
	Attrs    map[string]string
	Capacity capacityRecord
	Tags     []types.Tag `json:",omitempty"`
	Address  string      `json:",omitempty"`
}

type capacityRecord struct {
	Units            *int32    `json:",omitempty"`
	LastModified     time.Time `json:",omitzero"`
	DecreasesAllowed int32
}

// listenerRecord is a stored listener; its default rule is a rule record.
type listenerRecord struct {
	Seq         uint64
	View        types.Listener
	Attrs       map[string]string
	DefaultRule string
	ExtraCerts  []string    `json:",omitempty"`
	Tags        []types.Tag `json:",omitempty"`
}

// ruleRecord is a stored rule.
type ruleRecord struct {
	Seq         uint64
	ARN         string
	ListenerARN string
	Priority    int
	IsDefault   bool                  `json:",omitempty"`
	Conditions  []types.RuleCondition `json:",omitempty"`
	Actions     []types.Action
	Transforms  []types.RuleTransform `json:",omitempty"`
	Tags        []types.Tag           `json:",omitempty"`
}

// tgRecord is a stored target group; its targets are target records.
type tgRecord struct {
	Seq   uint64
	View  types.TargetGroup
	Attrs map[string]string
	Tags  []types.Tag `json:",omitempty"`
}

// targetRecord is a stored registration.
type targetRecord struct {
	Seq                         uint64
	TargetGroup                 string
	ID                          string
	Port                        int32
	AZ                          string `json:",omitempty"`
	Health, Reason, Description string `json:",omitempty"`
	Draining                    bool   `json:",omitempty"`
	DrainingSince, DrainUntil   time.Time
}

// prefix starts the keys of this store's records.
func (s *Store) prefix() string { return s.account + "/" + s.region + "/" }

// touch marks a record changed. Callers hold the lock.
func (s *Store) touch(kind, id string) { s.journal.Touch(s.prefix() + kind + "/" + id) }

// touchARN marks the load balancer, listener, rule or target group an ARN
// names (tags are part of each).
func (s *Store) touchARN(arn string) { s.touch(resourceKind(arn), arn) }

func (s *Store) touchTarget(tg *targetGroup, k TargetKey) {
	s.touch(kindTarget, targetID(deref(tg.view.TargetGroupArn), k))
}

// targetID is the record ID of a registration. Neither ARNs nor target IDs
// (addresses, instance IDs, Lambda ARNs) contain spaces.
func targetID(tgARN string, k TargetKey) string {
	return tgARN + " " + strconv.Itoa(int(k.Port)) + " " + k.ID
}

// record is the value to store under one of this store's keys, false when
// the resource is gone. Callers hold the lock (it is Journal.Flush's value
// function).
func (s *Store) record(key string) (any, bool) {
	kind, id, _ := strings.Cut(strings.TrimPrefix(key, s.prefix()), "/")
	switch kind {
	case kindLoadBalancer:
		lb := s.lbs[id]
		if lb == nil {
			return nil, false
		}
		c := lb.capacity
		return lbRecord{
			Seq: lb.seq, View: lb.view, Created: lb.created, Attrs: lb.attrs, Tags: s.tags[id], Address: lb.address,
			Capacity: capacityRecord{Units: c.units, LastModified: c.lastModified, DecreasesAllowed: c.decreasesAllowed},
		}, true
	case kindListener:
		l := s.listeners[id]
		if l == nil {
			return nil, false
		}
		return listenerRecord{Seq: l.seq, View: l.view, Attrs: l.attrs, DefaultRule: l.defaultRule, ExtraCerts: l.extraCerts, Tags: s.tags[id]}, true
	case kindRule:
		r := s.rules[id]
		if r == nil {
			return nil, false
		}
		return ruleRecord{
			Seq: r.seq, ARN: r.arn, ListenerARN: r.listenerARN, Priority: r.priority, IsDefault: r.isDefault,
			Conditions: r.conditions, Actions: r.actions, Transforms: r.transforms, Tags: s.tags[id],
		}, true
	case kindTargetGroup:
		tg := s.tgs[id]
		if tg == nil {
			return nil, false
		}
		return tgRecord{Seq: tg.seq, View: tg.view, Attrs: tg.attrs, Tags: s.tags[id]}, true
	case kindTarget:
		tgARN, k, ok := parseTargetID(id)
		tg := s.tgs[tgARN]
		if !ok || tg == nil || tg.targets[k] == nil {
			return nil, false
		}
		t := tg.targets[k]
		return targetRecord{
			Seq: t.seq, TargetGroup: tgARN, ID: k.ID, Port: k.Port, AZ: t.az,
			Health: t.health, Reason: t.reason, Description: t.description,
			Draining: t.draining, DrainingSince: t.drainingSince, DrainUntil: t.drainUntil,
		}, true
	case kindSubnet:
		zone, ok := s.subnets[id]
		return zone, ok
	}
	return nil, false
}

func parseTargetID(id string) (string, TargetKey, bool) {
	parts := strings.SplitN(id, " ", 3)
	if len(parts) != 3 {
		return "", TargetKey{}, false
	}
	port, err := strconv.Atoi(parts[1])
	if err != nil {
		return "", TargetKey{}, false
	}
	return parts[0], TargetKey{ID: parts[2], Port: int32(port)}, true
}

// Restore loads every stored record into the stores. It runs once, before
// the API serves; a record it cannot decode is an error.
func (a *API) Restore() error {
	// Targets come before their groups in key order ("target/" sorts
	// before "targetgroup/"): they are attached once everything is loaded.
	var targets []targetRecord
	touched := map[*Store]bool{}
	err := a.opts.State.Load(func(key string, value []byte) error {
		parts := strings.SplitN(key, "/", 4)
		if len(parts) != 4 {
			return fmt.Errorf("unknown key")
		}
		s := a.Store(parts[1])
		touched[s] = true
		s.mu.Lock()
		defer s.mu.Unlock()
		if parts[2] == kindTarget {
			var r targetRecord
			if err := json.Unmarshal(value, &r); err != nil {
				return err
			}
			targets = append(targets, r)
			return nil
		}
		return s.restore(parts[2], parts[3], value)
	})
	if err != nil {
		return err
	}
	for _, r := range targets {
		region, _, _ := arnParts(r.TargetGroup)
		s := a.Store(region)
		s.mu.Lock()
		if tg := s.tgs[r.TargetGroup]; tg != nil {
			k := TargetKey{ID: r.ID, Port: r.Port}
			tg.targets[k] = &target{
				seq: r.Seq, key: k, az: r.AZ, health: r.Health, reason: r.Reason, description: r.Description,
				draining: r.Draining, drainingSince: r.DrainingSince, drainUntil: r.DrainUntil,
			}
			s.seq = max(s.seq, r.Seq)
		} else {
			// Cannot happen (a group's deletion deletes its targets); a
			// stray registration is dropped at the next write.
			s.touch(kindTarget, targetID(r.TargetGroup, TargetKey{ID: r.ID, Port: r.Port}))
		}
		s.mu.Unlock()
	}
	for s := range touched {
		s.mu.Lock()
		// Computed, not refreshed: a restored group keeps its targets'
		// health.
		s.used = s.usage()
		s.mu.Unlock()
	}
	if len(touched) > 0 {
		a.notify()
	}
	return nil
}

// restore loads one record other than a target's. Called under s.mu.
func (s *Store) restore(kind, id string, value []byte) error {
	var seq uint64
	switch kind {
	case kindLoadBalancer:
		var r lbRecord
		if err := json.Unmarshal(value, &r); err != nil {
			return err
		}
		c := r.Capacity
		s.lbs[id] = &loadBalancer{
			seq: r.Seq, view: r.View, created: r.Created, attrs: r.Attrs, address: r.Address,
			capacity: capacityReservation{units: c.Units, lastModified: c.LastModified, decreasesAllowed: c.DecreasesAllowed},
		}
		seq = r.Seq
		s.restoreTags(id, r.Tags)
	case kindListener:
		var r listenerRecord
		if err := json.Unmarshal(value, &r); err != nil {
			return err
		}
		s.listeners[id] = &listener{seq: r.Seq, view: r.View, attrs: r.Attrs, defaultRule: r.DefaultRule, extraCerts: r.ExtraCerts}
		seq = r.Seq
		s.restoreTags(id, r.Tags)
	case kindRule:
		var r ruleRecord
		if err := json.Unmarshal(value, &r); err != nil {
			return err
		}
		s.rules[id] = &rule{
			seq: r.Seq, arn: r.ARN, listenerARN: r.ListenerARN, priority: r.Priority, isDefault: r.IsDefault,
			conditions: r.Conditions, actions: r.Actions, transforms: r.Transforms,
		}
		seq = r.Seq
		s.restoreTags(id, r.Tags)
	case kindTargetGroup:
		var r tgRecord
		if err := json.Unmarshal(value, &r); err != nil {
			return err
		}
		s.tgs[id] = &targetGroup{seq: r.Seq, view: r.View, attrs: r.Attrs, targets: map[TargetKey]*target{}}
		seq = r.Seq
		s.restoreTags(id, r.Tags)
	case kindSubnet:
		var zone string
		if err := json.Unmarshal(value, &zone); err != nil {
			return err
		}
		s.subnets[id] = zone
	default:
		return fmt.Errorf("unknown kind of record %q", kind)
	}
	s.seq = max(s.seq, seq)
	return nil
}

func (s *Store) restoreTags(arn string, tags []types.Tag) {
	if tags != nil {
		s.tags[arn] = tags
	}
}

// SetLoadBalancerAddress records the address the data plane serves a load
// balancer at, so that it binds there again after a restart. It is no
// change the data plane hears about (it made it).
func (a *API) SetLoadBalancerAddress(arn, address string) {
	s := a.storeFor(arn)
	if s == nil {
		return
	}
	unlock := s.lock()
	defer unlock()
	if lb := s.lbs[arn]; lb != nil && lb.address != address {
		lb.address = address
		s.touchARN(arn)
	}
}
