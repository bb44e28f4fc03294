package servicediscovery

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

// Persistence (Options.State). Every store keeps one record per resource,
// under "<account>/<region>/<kind>/<id>":
//
//	namespace/<namespace ID>              the namespace with its tags
//	service/<service ID>                  the service with its attributes, revision and tags
//	instance/<service ID>/<instance ID>   an instance with its health
//	operation/<operation ID>              an asynchronous operation
//
// Code that changes a resource under the store lock marks its key
// (touch*); unlock writes the current value of every marked key once, and
// deletes the keys whose resource is gone. IDs are random, so no counter
// needs keeping: the creation sequence that orders listings restarts after
// the highest one restored. An operation's status is a function of its
// submission time, so one in progress when the process died finishes
// (SUCCESS or FAIL) by the clock after a restart.

const (
	kindNamespace = "namespace"
	kindService   = "service"
	kindInstance  = "instance"
	kindOperation = "operation"
)

// namespaceRecord is a stored namespace.
type namespaceRecord struct {
	Namespace types.Namespace
	Vpc       string      `json:",omitempty"`
	Seq       uint64      // creation order
	CreateOp  string      `json:",omitempty"`
	Tags      []types.Tag `json:",omitempty"`
}

// serviceRecord is a stored service, without its instances.
type serviceRecord struct {
	Service    types.Service
	Seq        uint64
	Attributes map[string]string `json:",omitempty"`
	Revision   int64
	Tags       []types.Tag `json:",omitempty"`
}

// instanceRecord is a stored instance.
type instanceRecord struct {
	Instance types.Instance
	Seq      uint64
	Health   types.HealthStatus
}

// operationRecord is a stored operation.
type operationRecord struct {
	ID             string
	Type           types.OperationType
	Targets        map[string]string
	NamespaceID    string `json:",omitempty"`
	ServiceID      string `json:",omitempty"`
	RequestID      string `json:",omitempty"`
	Created        time.Time
	Seq            uint64
	FailureCode    string `json:",omitempty"`
	FailureMessage string `json:",omitempty"`
}

// prefix starts the keys of this store's records.
func (s *Store) prefix() string { return s.account + "/" + s.region + "/" }

// key is the record key of a resource of this store.
func (s *Store) key(kind, id string) string { return s.prefix() + kind + "/" + id }

// touch marks a record changed. Callers hold the lock.
func (s *Store) touch(kind, id string) { s.journal.Touch(s.key(kind, id)) }

func (s *Store) touchInstance(serviceID, instanceID string) {
	s.touch(kindInstance, serviceID+"/"+instanceID)
}

// touchTagged marks the namespace or service a tagged ARN names.
func (s *Store) touchTagged(arn string) {
	if p, ok := parseARN(arn); ok && (p.kind == kindNamespace || p.kind == kindService) {
		s.touch(p.kind, p.id)
	}
}

// record is the value to store under one of this store's keys, false when
// the resource is gone. Callers hold the lock (it is Journal.Flush's value
// function).
func (s *Store) record(key string) (any, bool) {
	kind, id, _ := strings.Cut(strings.TrimPrefix(key, s.prefix()), "/")
	switch kind {
	case kindNamespace:
		ns, ok := s.namespaces[id]
		if !ok {
			return nil, false
		}
		return namespaceRecord{Namespace: ns.Namespace, Vpc: ns.vpc, Seq: ns.seq, CreateOp: ns.createOp, Tags: s.tags[deref(ns.Arn)]}, true
	case kindService:
		svc, ok := s.services[id]
		if !ok {
			return nil, false
		}
		return serviceRecord{Service: svc.Service, Seq: svc.seq, Attributes: svc.attributes, Revision: svc.revision, Tags: s.tags[deref(svc.Arn)]}, true
	case kindInstance:
		svcID, instID, _ := strings.Cut(id, "/")
		svc, ok := s.services[svcID]
		if !ok {
			return nil, false
		}
		inst, ok := svc.instances[instID]
		if !ok {
			return nil, false
		}
		return instanceRecord{Instance: inst.Instance, Seq: inst.seq, Health: inst.health}, true
	case kindOperation:
		o, ok := s.operations[id]
		if !ok {
			return nil, false
		}
		r := operationRecord{
			ID: o.id, Type: o.typ, Targets: o.targets, NamespaceID: o.namespaceID, ServiceID: o.serviceID,
			RequestID: o.requestID, Created: o.created, Seq: o.seq,
		}
		if o.failure != nil {
			r.FailureCode, r.FailureMessage = o.failure.code, o.failure.message
		}
		return r, true
	}
	return nil, false
}

// Restore loads every stored record into the stores. It runs once, before
// the API serves; a record it cannot decode is an error.
func (a *API) Restore() error {
	// Instances come before their services in key order: they are
	// attached once everything is loaded.
	type pendingInstance struct {
		store                      *Store
		key, serviceID, instanceID string
		rec                        instanceRecord
	}
	var instances []pendingInstance
	err := a.opts.State.Load(func(key string, value []byte) error {
		parts := strings.SplitN(key, "/", 4)
		if len(parts) != 4 {
			return fmt.Errorf("unknown key")
		}
		s := a.stores.Get(parts[0], parts[1])
		kind, id := parts[2], parts[3]
		switch kind {
		case kindNamespace:
			var r namespaceRecord
			if err := json.Unmarshal(value, &r); err != nil {
				return err
			}
			s.namespaces[id] = &namespace{Namespace: r.Namespace, vpc: r.Vpc, seq: r.Seq, createOp: r.CreateOp}
			s.restoreTags(deref(r.Namespace.Arn), r.Tags, r.Seq)
		case kindService:
			var r serviceRecord
			if err := json.Unmarshal(value, &r); err != nil {
				return err
			}
			if r.Attributes == nil {
				r.Attributes = map[string]string{}
			}
			s.services[id] = &service{Service: r.Service, seq: r.Seq, attributes: r.Attributes, revision: r.Revision, instances: map[string]*instance{}}
			s.restoreTags(deref(r.Service.Arn), r.Tags, r.Seq)
		case kindInstance:
			var r instanceRecord
			if err := json.Unmarshal(value, &r); err != nil {
				return err
			}
			svcID, instID, ok := strings.Cut(id, "/")
			if !ok {
				return fmt.Errorf("unknown key")
			}
			instances = append(instances, pendingInstance{store: s, serviceID: svcID, instanceID: instID, key: key, rec: r})
		case kindOperation:
			var r operationRecord
			if err := json.Unmarshal(value, &r); err != nil {
				return err
			}
			o := &operation{
				id: r.ID, typ: r.Type, targets: r.Targets, namespaceID: r.NamespaceID, serviceID: r.ServiceID,
				requestID: r.RequestID, created: r.Created, seq: r.Seq,
			}
			if r.FailureCode != "" {
				o.failure = &operationFailure{code: r.FailureCode, message: r.FailureMessage}
			}
			s.operations[id] = o
			s.seq = max(s.seq, r.Seq)
		default:
			return fmt.Errorf("unknown kind %q", kind)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, o := range instances {
		svc, ok := o.store.services[o.serviceID]
		if !ok {
			return fmt.Errorf("state of %s, record %q: instance of a service that is not stored", Spec.Name, o.key)
		}
		svc.instances[o.instanceID] = &instance{Instance: o.rec.Instance, seq: o.rec.Seq, health: o.rec.Health}
		o.store.seq = max(o.store.seq, o.rec.Seq)
	}
	a.dnsChanged() // a new DNS generation: the restored records
	return nil
}

// restoreTags puts back a resource's tags and advances the creation
// sequence past its own. Restore only: nothing else runs yet.
func (s *Store) restoreTags(arn string, tags []types.Tag, seq uint64) {
	if len(tags) > 0 {
		s.tags[arn] = tags
	}
	s.seq = max(s.seq, seq)
}
