package cloudformation

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
)

// sink records one stack's progress for the engine.
type sink struct {
	a  *API
	st *store
	s  *stack
}

func (k sink) Event(e engine.Event) {
	ev := types.StackEvent{
		EventId: ptr(uuid()), StackId: ptr(k.s.id), StackName: ptr(k.s.name), LogicalResourceId: ptr(e.LogicalID),
		ResourceType: ptr(e.Type), ResourceStatus: types.ResourceStatus(e.Status), Timestamp: ptr(e.Time),
	}
	if e.PhysicalID != "" {
		ev.PhysicalResourceId = ptr(e.PhysicalID)
	}
	if e.Reason != "" {
		ev.ResourceStatusReason = ptr(e.Reason)
	}
	if e.Properties != nil {
		if b, err := json.Marshal(e.Properties); err == nil {
			ev.ResourceProperties = ptr(string(b))
		}
	}
	k.st.mu.Lock()
	defer k.st.unlock()
	k.st.record(k.s, ev)
}

func (k sink) Status(status, reason string) {
	k.st.mu.Lock()
	defer k.st.unlock()
	k.s.status, k.s.reason = status, reason
	k.st.saveStack(k.s)
}

func (k sink) PutResource(r *engine.Resource) {
	k.st.mu.Lock()
	defer k.st.unlock()
	k.s.resources[r.LogicalID] = r
	k.st.saveResource(k.s, r.LogicalID)
}

func (k sink) RemoveResource(logicalID string) {
	k.st.mu.Lock()
	defer k.st.unlock()
	delete(k.s.resources, logicalID)
	k.st.saveResource(k.s, logicalID)
}

func (k sink) ImportValue(name string) (string, error) {
	k.st.mu.Lock()
	defer k.st.unlock()
	if e, ok := k.st.exports[name]; ok {
		return e.value, nil
	}
	return "", &engine.Failure{Message: fmt.Sprintf("No export named %s found.", name)}
}

// importers lists the live stacks other than s that import an export.
func (st *store) importers(name string, s *stack) []string {
	var out []string
	for _, o := range st.stacks {
		if o == s || !o.live() || o.dep == nil {
			continue
		}
		if slices.Contains(o.dep.Imports, name) {
			out = append(out, o.name)
		}
	}
	sort.Strings(out)
	return out
}

func (k sink) ClaimExports(exports map[string]string) error {
	k.st.mu.Lock()
	defer k.st.unlock()
	for name := range exports {
		if e, ok := k.st.exports[name]; ok && e.stackID != k.s.id {
			return &engine.Failure{Message: fmt.Sprintf("Export with name %s is already exported by stack %s", name, e.stackName)}
		}
	}
	for name, e := range k.st.exports {
		if e.stackID != k.s.id {
			continue
		}
		users := k.st.importers(name, k.s)
		if len(users) == 0 {
			continue
		}
		if v, ok := exports[name]; !ok {
			return &engine.Failure{Message: fmt.Sprintf("Export %s cannot be deleted as it is in use by %s", name, users[0])}
		} else if v != e.value {
			return &engine.Failure{Message: fmt.Sprintf("Cannot update export %s as it is in use by %s", name, users[0])}
		}
	}
	k.st.dropExports(k.s)
	for name, v := range exports {
		k.st.exports[name] = export{stackID: k.s.id, stackName: k.s.name, value: v}
		k.st.saveExport(name)
	}
	return nil
}

// dropExports removes the exports of s.
func (st *store) dropExports(s *stack) {
	for name, e := range st.exports {
		if e.stackID == s.id {
			delete(st.exports, name)
			st.saveExport(name)
		}
	}
}

func (k sink) ExportsInUse() error {
	k.st.mu.Lock()
	defer k.st.unlock()
	names := make([]string, 0)
	for name, e := range k.st.exports {
		if e.stackID == k.s.id {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if users := k.st.importers(name, k.s); len(users) > 0 {
			return &engine.Failure{Message: fmt.Sprintf("Export %s cannot be deleted as it is in use by %s", name, users[0])}
		}
	}
	return nil
}

func (k sink) Finish(d *engine.Deployed, status, reason string) {
	k.st.mu.Lock()
	defer k.st.unlock()
	s := k.s
	s.status, s.reason, s.handle = status, reason, nil
	k.st.saveStack(s)
	if cs := s.executing; cs != nil {
		cs.execStatus = "EXECUTE_COMPLETE"
		if !successful(status) {
			cs.execStatus = "EXECUTE_FAILED"
		}
		k.st.saveChangeSet(cs)
		s.executing = nil
	}
	if d == nil { // deleted
		s.next = nil
		s.deleted = k.a.now()
		for id := range s.resources {
			k.st.saveResource(s, id)
		}
		s.resources = map[string]*engine.Resource{}
		delete(k.st.byName, s.name)
		k.st.dropExports(s)
		for id, cs := range k.st.changeSets {
			if cs.stack == s {
				delete(k.st.changeSets, id)
				k.st.saveChangeSet(cs)
			}
		}
		return
	}
	if s.next != nil && d.Template == s.next.cfg.Template {
		s.adopt(s.next)
	}
	s.next = nil
	s.dep = d
	if s.deleteAfter {
		s.deleteAfter = false
		k.a.startDelete(k.st, s, s.deleteRetain)
	}
}

// successful reports whether a final stack status is a success.
func successful(status string) bool {
	return status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE" || status == "DELETE_COMPLETE" || status == "IMPORT_COMPLETE"
}
