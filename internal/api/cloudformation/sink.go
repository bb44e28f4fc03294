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
	defer k.st.mu.Unlock()
	k.s.record(ev)
}

func (k sink) Status(status, reason string) {
	k.st.mu.Lock()
	defer k.st.mu.Unlock()
	k.s.status, k.s.reason = status, reason
}

func (k sink) PutResource(r *engine.Resource) {
	k.st.mu.Lock()
	defer k.st.mu.Unlock()
	k.s.resources[r.LogicalID] = r
}

func (k sink) RemoveResource(logicalID string) {
	k.st.mu.Lock()
	defer k.st.mu.Unlock()
	delete(k.s.resources, logicalID)
}

func (k sink) ImportValue(name string) (string, error) {
	k.st.mu.Lock()
	defer k.st.mu.Unlock()
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
	defer k.st.mu.Unlock()
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
	}
	return nil
}

// dropExports removes the exports of s.
func (st *store) dropExports(s *stack) {
	for name, e := range st.exports {
		if e.stackID == s.id {
			delete(st.exports, name)
		}
	}
}

func (k sink) ExportsInUse() error {
	k.st.mu.Lock()
	defer k.st.mu.Unlock()
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
	defer k.st.mu.Unlock()
	s := k.s
	s.status, s.reason, s.handle = status, reason, nil
	if cs := s.executing; cs != nil {
		cs.execStatus = "EXECUTE_COMPLETE"
		if !successful(status) {
			cs.execStatus = "EXECUTE_FAILED"
		}
		s.executing = nil
	}
	if d == nil { // deleted
		s.next = nil
		s.deleted = k.a.now()
		s.resources = map[string]*engine.Resource{}
		delete(k.st.byName, s.name)
		k.st.dropExports(s)
		for id, cs := range k.st.changeSets {
			if cs.stack == s {
				delete(k.st.changeSets, id)
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
