package cloudformation

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/template"
)

// Persistence (Options.State). Every store keeps one record per item,
// under "<account>/<region>/<kind>/<id>":
//
//	stack/<stack ARN>                     the stack, without resources and events
//	resource/<stack ARN>/<logical ID>     one resource of a stack
//	event/<stack ARN>/<sequence>          one stack event (append only)
//	changeset/<change set ARN>            a change set
//	export/<export name>                  an export
//
// Code that changes an item under st.mu marks it (save*), with a function
// that gives its current value; unlock writes every marked item once,
// before the lock is released, and waits for the store after. Stack and
// change set IDs are random UUIDs, so no counter needs keeping.
//
// Templates are kept as the body submitted and parsed again on restore
// (parsing is deterministic), so nothing depends on the parser's internal
// value types surviving JSON.
//
// An operation that was running when the process stopped is not carried
// on where it was: the engine keeps the progress of a run (the provider
// call in flight, what a rollback must undo) in memory only, and a create
// re-run against the other services' restored state could duplicate or
// leak resources. Restore ends it instead from what the records say (see
// interrupt): a create fails and rolls back, a delete goes on, an update
// fails without rollback; waiters and the CDK CLI stop waiting and the
// usual recovery works. Change sets still being worked out are planned
// again: planning changes nothing.

const (
	kindStack     = "stack"
	kindResource  = "resource"
	kindEvent     = "event"
	kindChangeSet = "changeset"
	kindExport    = "export"
)

// restartReason is the status reason of a stack (and its resources) whose
// operation the emulator's restart cut short.
const restartReason = "The emulator restarted during the operation."

// configRecord is a stored engine.Config.
type configRecord struct {
	Template string // the body as submitted
	Params   map[string]any
	Tags     map[string]string
}

// deployedRecord is a stored engine.Deployed, without its resources (the
// stack's resource records are the current ones).
type deployedRecord struct {
	Config     configRecord
	Conditions map[string]bool
	Outputs    []engine.Output
	Imports    []string
}

// settingsRecord is stored settings of the running create or update.
type settingsRecord struct {
	Config       configRecord
	Values       map[string]string
	Capabilities []string
	Tags         []types.Tag
	Description  string
}

// stackRecord is a stored stack.
type stackRecord struct {
	ID, Name         string
	Order            int
	Status, Reason   string
	Description      string
	Created          time.Time
	Updated, Deleted time.Time
	Deployed         *deployedRecord
	Values           map[string]string
	Capabilities     []string
	NotificationARNs []string
	RoleARN          string
	Tags             []types.Tag
	DisableRollback  bool
	Protection       bool
	Timeout          *int32
	Policy           *string
	Next             *settingsRecord
	Executing        string // change set ARN
	DeleteAfter      bool
	DeleteRetain     map[string]bool
	OnFailure        string
	Retain           map[string]bool
}

// resourceRecord is a stored resource of a stack.
type resourceRecord struct {
	Stack string
	engine.Resource
}

// changeSetRecord is a stored change set.
type changeSetRecord struct {
	ID, Name      string
	Stack         string
	Kind          string
	Status        string
	Reason        string
	ExecStatus    string
	Description   string
	Created       time.Time
	Changes       []engine.Change
	Config        configRecord
	Values        map[string]string
	Capabilities  []string
	Notifications []string
	Tags          []types.Tag
	RoleARN       string
	Timeout       *int32
}

// exportRecord is a stored export.
type exportRecord struct {
	Name, Stack, StackName, Value string
}

// key is the record key of an item of this store.
func (st *store) key(kind, id string) string {
	return st.account + "/" + st.region + "/" + kind + "/" + id
}

// touch marks a record changed; value gives its current value (false:
// gone) when unlock writes it. st.mu is held.
func (st *store) touch(key string, value func() (any, bool)) {
	if st.bucket == nil {
		return
	}
	st.journal.Touch(key)
	st.dirty[key] = value
}

// unlock writes the records changed under st.mu, releases it and waits
// for the store, so that a request is answered only once its change is
// kept. A failed write is logged and shown in health by the store.
func (st *store) unlock() {
	p := st.journal.Flush(func(key string) (any, bool) { return st.dirty[key]() })
	clear(st.dirty)
	st.mu.Unlock()
	_ = p.Wait()
}

// detach stops the store writing (a reset forgets it; Close leaves the
// records as the last change made them).
func (st *store) detach() {
	st.mu.Lock()
	st.bucket, st.journal = nil, nil
	clear(st.dirty)
	st.mu.Unlock()
}

// saveStack marks a stack's record changed. Stack records are never
// deleted: deleted stacks stay listed.
func (st *store) saveStack(s *stack) {
	st.touch(st.key(kindStack, s.id), func() (any, bool) { return stackRecordOf(s), true })
}

// saveResource marks one resource of a stack changed (or removed).
func (st *store) saveResource(s *stack, logicalID string) {
	st.touch(st.key(kindResource, s.id+"/"+logicalID), func() (any, bool) {
		r := s.resources[logicalID]
		if r == nil {
			return nil, false
		}
		return resourceRecord{Stack: s.id, Resource: *r}, true
	})
}

// record appends ev to the stack's events (see stack.record) and marks it.
func (st *store) record(s *stack, ev types.StackEvent) {
	s.record(ev)
	i := len(s.events) - 1
	st.touch(st.key(kindEvent, fmt.Sprintf("%s/%09d", s.id, i)), func() (any, bool) { return s.events[i], true })
}

// saveChangeSet marks a change set changed (or deleted).
func (st *store) saveChangeSet(cs *changeSet) {
	st.touch(st.key(kindChangeSet, cs.id), func() (any, bool) {
		if st.changeSets[cs.id] != cs {
			return nil, false
		}
		return changeSetRecordOf(cs), true
	})
}

// saveExport marks an export changed (or removed).
func (st *store) saveExport(name string) {
	st.touch(st.key(kindExport, name), func() (any, bool) {
		e, ok := st.exports[name]
		if !ok {
			return nil, false
		}
		return exportRecord{Name: name, Stack: e.stackID, StackName: e.stackName, Value: e.value}, true
	})
}

func configRecordOf(c *engine.Config) configRecord {
	r := configRecord{Params: c.Params, Tags: c.Tags}
	if c.Template != nil { // nil: a stack deleted before it had one
		r.Template = string(c.Template.Body)
	}
	return r
}

func stackRecordOf(s *stack) stackRecord {
	r := stackRecord{ID: s.id, Name: s.name, Order: s.order, Status: s.status, Reason: s.reason, Description: s.description,
		Created: s.created, Updated: s.updated, Deleted: s.deleted, Values: s.values, Capabilities: s.capabilities,
		NotificationARNs: s.notificationARNs, RoleARN: s.roleARN, Tags: s.tags, DisableRollback: s.disableRollback,
		Protection: s.protection, Timeout: s.timeout, Policy: s.policy, DeleteAfter: s.deleteAfter, DeleteRetain: s.deleteRetain,
		OnFailure: s.onFailure, Retain: s.retain}
	if d := s.dep; d != nil {
		r.Deployed = &deployedRecord{Config: configRecordOf(&d.Config), Conditions: d.Conditions, Outputs: d.Outputs, Imports: d.Imports}
	}
	if n := s.next; n != nil {
		r.Next = &settingsRecord{Config: configRecordOf(n.cfg), Values: n.values, Capabilities: n.capabilities, Tags: n.tags, Description: n.description}
	}
	if s.executing != nil {
		r.Executing = s.executing.id
	}
	return r
}

func changeSetRecordOf(cs *changeSet) changeSetRecord {
	return changeSetRecord{ID: cs.id, Name: cs.name, Stack: cs.stack.id, Kind: cs.kind, Status: cs.status, Reason: cs.reason,
		ExecStatus: cs.execStatus, Description: cs.description, Created: cs.created, Changes: cs.changes, Config: configRecordOf(cs.cfg),
		Values: cs.values, Capabilities: cs.capabilities, Notifications: cs.notifications, Tags: cs.tags, RoleARN: cs.roleARN, Timeout: cs.timeout}
}

// Restore loads the stacks, change sets, events and exports kept in the
// state directory, then ends the operations the restart interrupted. It
// runs before the endpoint serves, after the other services restored.
func (a *API) Restore() error {
	if a.opts.State == nil {
		return nil
	}
	l := loader{a: a, stores: map[string]*store{}, stacks: map[string]*stack{}, storeOf: map[*stack]*store{},
		executing: map[*stack]string{}, exports: map[*store][]exportRecord{}}
	if err := a.opts.State.Load(l.load); err != nil {
		return err
	}
	if err := l.link(); err != nil {
		return err
	}
	a.mu.Lock()
	for k, st := range l.stores {
		a.stores[k] = st
	}
	a.mu.Unlock()
	for _, st := range l.stores {
		a.resume(st)
	}
	return nil
}

// loader gathers the records of Restore; link assembles them once all are
// read (keys come in order, but a change set sorts before its stack).
type loader struct {
	a          *API
	stores     map[string]*store
	stacks     map[string]*stack // by ARN
	storeOf    map[*stack]*store
	executing  map[*stack]string
	resources  []resourceRecord
	events     []types.StackEvent
	changeSets []changeSetRecord
	exports    map[*store][]exportRecord
}

func (l *loader) load(key string, raw []byte) error {
	parts := strings.SplitN(key, "/", 4)
	if len(parts) != 4 {
		return fmt.Errorf("unknown key")
	}
	st := l.store(parts[0], parts[1])
	switch parts[2] {
	case kindStack:
		var r stackRecord
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		s, err := stackOf(r)
		if err != nil {
			return err
		}
		st.stacks = append(st.stacks, s)
		l.stacks[s.id] = s
		l.storeOf[s] = st
		if r.Executing != "" {
			l.executing[s] = r.Executing
		}
	case kindResource:
		var r resourceRecord
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		l.resources = append(l.resources, r)
	case kindEvent:
		var ev types.StackEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return err
		}
		l.events = append(l.events, ev)
	case kindChangeSet:
		var r changeSetRecord
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		l.changeSets = append(l.changeSets, r)
	case kindExport:
		var r exportRecord
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		l.exports[st] = append(l.exports[st], r)
	default:
		return fmt.Errorf("unknown kind %q", parts[2])
	}
	return nil
}

// store is the (new) store of an account and region.
func (l *loader) store(account, region string) *store {
	k := account + "/" + region
	if l.stores[k] == nil {
		l.stores[k] = newStore(region, account, l.a.opts.State)
	}
	return l.stores[k]
}

// link puts the resources, events, change sets and exports in their
// stacks and stores. An item of a stack that is not there is damage.
func (l *loader) link() error {
	for _, st := range l.stores {
		sort.SliceStable(st.stacks, func(i, j int) bool { return st.stacks[i].order < st.stacks[j].order })
		for _, s := range st.stacks {
			st.byID[s.id] = s
			if s.live() {
				st.byName[s.name] = s
			}
		}
	}
	for _, r := range l.resources {
		s := l.stacks[r.Stack]
		if s == nil {
			return fmt.Errorf("resource %s of unknown stack %s", r.LogicalID, r.Stack)
		}
		res := r.Resource
		s.resources[r.LogicalID] = &res
	}
	for _, ev := range l.events { // in key order: each stack's oldest first
		s := l.stacks[deref(ev.StackId)]
		if s == nil {
			return fmt.Errorf("event of unknown stack %s", deref(ev.StackId))
		}
		s.events = append(s.events, ev)
	}
	for _, r := range l.changeSets {
		s := l.stacks[r.Stack]
		if s == nil {
			return fmt.Errorf("change set %s of unknown stack %s", r.ID, r.Stack)
		}
		cfg, err := configOf(r.Config)
		if err != nil {
			return fmt.Errorf("change set %s: %w", r.ID, err)
		}
		cs := &changeSet{id: r.ID, name: r.Name, stack: s, kind: r.Kind, status: r.Status, reason: r.Reason, execStatus: r.ExecStatus,
			description: r.Description, created: r.Created, changes: r.Changes, cfg: cfg, values: r.Values, capabilities: r.Capabilities,
			notifications: r.Notifications, tags: r.Tags, roleARN: r.RoleARN, timeout: r.Timeout}
		l.storeOf[s].changeSets[cs.id] = cs
	}
	for s, id := range l.executing {
		s.executing = l.storeOf[s].changeSets[id]
	}
	for st, exports := range l.exports {
		for _, e := range exports {
			st.exports[e.Name] = export{stackID: e.Stack, stackName: e.StackName, value: e.Value}
		}
	}
	return nil
}

// stackOf rebuilds a stack from its record.
func stackOf(r stackRecord) (*stack, error) {
	s := &stack{id: r.ID, name: r.Name, order: r.Order, status: r.Status, reason: r.Reason, description: r.Description,
		created: r.Created, updated: r.Updated, deleted: r.Deleted, values: r.Values, resources: map[string]*engine.Resource{},
		capabilities: r.Capabilities, notificationARNs: r.NotificationARNs, roleARN: r.RoleARN, tags: r.Tags,
		disableRollback: r.DisableRollback, protection: r.Protection, timeout: r.Timeout, policy: r.Policy,
		deleteAfter: r.DeleteAfter, deleteRetain: r.DeleteRetain, onFailure: r.OnFailure, retain: r.Retain}
	if d := r.Deployed; d != nil {
		cfg, err := configOf(d.Config)
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", r.ID, err)
		}
		s.dep = &engine.Deployed{Config: *cfg, Conditions: d.Conditions, Outputs: d.Outputs, Imports: d.Imports}
	}
	if n := r.Next; n != nil {
		cfg, err := configOf(n.Config)
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", r.ID, err)
		}
		s.next = &settings{cfg: cfg, values: n.Values, capabilities: n.Capabilities, tags: n.Tags, description: n.Description}
	}
	return s, nil
}

// configOf rebuilds a Config: the template parsed again from its body,
// list parameters back to []string (JSON reads them as []any).
func configOf(r configRecord) (*engine.Config, error) {
	var t *template.Template
	if r.Template != "" {
		var err error
		if t, err = template.Parse([]byte(r.Template)); err != nil {
			return nil, fmt.Errorf("template: %w", err)
		}
	}
	params := make(map[string]any, len(r.Params))
	for k, v := range r.Params {
		if l, ok := v.([]any); ok {
			ss := make([]string, len(l))
			for i, x := range l {
				ss[i], _ = x.(string)
			}
			v = ss
		}
		params[k] = v
	}
	return &engine.Config{Template: t, Params: params, Tags: r.Tags}, nil
}

// resume ends the operations of st the restart interrupted and plans again
// the change sets that were being worked out; the changes are written
// like any other.
func (a *API) resume(st *store) {
	st.mu.Lock()
	for _, s := range st.stacks {
		if strings.HasSuffix(s.status, "_IN_PROGRESS") && s.status != "REVIEW_IN_PROGRESS" {
			a.interrupt(st, s)
		}
	}
	var plans []*changeSet
	for _, cs := range st.changeSets {
		if cs.status == "CREATE_PENDING" || cs.status == "CREATE_IN_PROGRESS" {
			plans = append(plans, cs)
		}
	}
	var curs []*engine.Deployed
	for _, cs := range plans {
		var cur *engine.Deployed
		if cs.kind == "UPDATE" {
			cur = cs.stack.deployed()
		}
		curs = append(curs, cur)
	}
	st.unlock()
	for i, cs := range plans {
		go a.plan(st, cs, curs[i])
	}
}

// interrupt ends the operation a restart cut short; st.mu is held. A
// create (or its rollback) ends as a failed create does, as OnFailure says:
// the resources it made are deleted (ROLLBACK_COMPLETE, which the CDK CLI
// deletes before deploying again), or kept (CREATE_FAILED). A delete goes
// on: providers' deletes treat a resource already gone as deleted. An
// update ends UPDATE_ROLLBACK_FAILED: rolling it back needs what the run
// kept in memory (the resources it replaced, awaiting cleanup), and
// ContinueUpdateRollback leads from there to UPDATE_ROLLBACK_COMPLETE.
func (a *API) interrupt(st *store, s *stack) {
	switch s.status {
	case "CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS":
		a.failResources(st, s, "CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS")
		cur := s.deployed()
		if s.next != nil {
			cur.Config = *s.next.cfg
		}
		a.start(st, s, engine.Operation{Kind: engine.KindEndCreate, Current: cur, OnFailure: s.onFailure, Reason: restartReason})
	case "DELETE_IN_PROGRESS":
		a.failResources(st, s, "CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS")
		a.startDelete(st, s, s.retain)
	default:
		a.failResources(st, s, "CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "DELETE_IN_PROGRESS")
		s.status, s.reason, s.next = "UPDATE_ROLLBACK_FAILED", restartReason, nil
		ev := sink{a: a, st: st, s: s}.stackEvent(s.status)
		ev.ResourceStatusReason = ptr(restartReason)
		st.record(s, ev)
		if cs := s.executing; cs != nil {
			cs.execStatus = "EXECUTE_FAILED"
			st.saveChangeSet(cs)
			s.executing = nil
		}
		st.saveStack(s)
		if s.deleteAfter { // DeleteStack came during the update
			s.deleteAfter = false
			a.startDelete(st, s, s.deleteRetain)
		}
	}
}

// failResources fails the resources of s caught in one of the statuses
// (CREATE_IN_PROGRESS becomes CREATE_FAILED, …), with their events.
func (a *API) failResources(st *store, s *stack, statuses ...string) {
	for _, r := range sortedResources(s) {
		if !slices.Contains(statuses, r.Status) {
			continue
		}
		r.Status, r.Reason, r.Updated = strings.TrimSuffix(r.Status, "_IN_PROGRESS")+"_FAILED", restartReason, a.now()
		st.saveResource(s, r.LogicalID)
		st.record(s, types.StackEvent{EventId: ptr(uuid()), StackId: ptr(s.id), StackName: ptr(s.name), LogicalResourceId: ptr(r.LogicalID),
			PhysicalResourceId: optional(r.PhysicalID), ResourceType: ptr(r.Type), ResourceStatus: types.ResourceStatus(r.Status),
			ResourceStatusReason: ptr(restartReason), Timestamp: ptr(a.now())})
	}
}
