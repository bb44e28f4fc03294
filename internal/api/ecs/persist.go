package ecs

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The state directory keeps one record per resource under
// "<region>/<kind>/<id>": a write costs what the resource weighs, not what
// the region holds. The store marks a record with touch wherever it changes
// it; lock's unlock writes the touched records' current values.
const (
	recCluster  = "cluster"  // id: cluster name; value: types.Cluster
	recService  = "service"  // id: service ARN; value: Service
	recTask     = "task"     // id: task ARN; value: Task
	recRevision = "taskdef"  // id: family:revision; value: types.TaskDefinition
	recTags     = "tags"     // id: resource ARN; value: []types.Tag
	recSettings = "settings" // id: "account"; value: storedSettings
	recProvider = "provider" // id: capacity provider name; value: types.CapacityProvider
	recRunToken = "runtoken" // id: RunTask clientToken; value: storedRunToken
)

// touch marks a record changed. Callers hold the lock.
func (s *Store) touch(kind, id string) {
	if kind == recService {
		if svc, ok := s.services[id]; ok {
			svc.wire = nil // the encoded view is stale (servicewire.go)
		}
	}
	s.journal.Touch(s.region + "/" + kind + "/" + id)
}

// touchChange marks the record behind a reconciler change.
func (s *Store) touchChange(kind ChangeKind, arn string) {
	switch kind {
	case ChangeTask:
		s.touch(recTask, arn)
	case ChangeService:
		s.touch(recService, arn)
	case ChangeCluster:
		s.touch(recCluster, arn[strings.LastIndex(arn, "/")+1:])
	}
}

// storedSettings is accountSettings as the state directory keeps it.
type storedSettings struct {
	Defaults   map[types.SettingName]string
	Principals map[string]map[types.SettingName]string
}

type storedRunToken struct {
	Request string
	Tasks   []string
}

// record is the current value of a touched record; false when it is gone.
// Callers hold the lock.
func (s *Store) record(key string) (any, bool) {
	kind, id, _ := strings.Cut(strings.TrimPrefix(key, s.region+"/"), "/")
	switch kind {
	case recCluster:
		c, ok := s.clusters[id]
		return c, ok
	case recService:
		svc, ok := s.services[id]
		return svc, ok
	case recTask:
		t, ok := s.tasks[id]
		return t, ok
	case recRevision:
		td, err := s.taskDefinitionRevision(id)
		return td, err == nil
	case recTags:
		tags, ok := s.tags[id]
		return tags, ok
	case recSettings:
		return storedSettings{s.settings.defaults, s.settings.principals}, true
	case recProvider:
		cp, ok := s.providers[id]
		return cp, ok
	case recRunToken:
		tok, ok := s.runTokens[id]
		return storedRunToken{tok.request, tok.tasks}, ok
	}
	return nil, false
}

// Restore reloads every region's resources from the state directory. It
// runs once, before the endpoint serves and before the reconciler starts,
// which then picks up every task where it was: running containers are
// adopted, not restarted (see reconcile.Reconciler.Start).
func (a *API) Restore() error {
	err := a.opts.State.Load(func(key string, value []byte) error {
		region, rest, ok := strings.Cut(key, "/")
		kind, id, ok2 := strings.Cut(rest, "/")
		if !ok || !ok2 {
			return fmt.Errorf("unknown key")
		}
		s := a.Store(region)
		unlock := s.lock()
		defer unlock()
		return s.restore(kind, id, value)
	})
	if err != nil {
		return err
	}
	for _, s := range a.Stores() {
		if err := s.checkFamilies(); err != nil {
			return err
		}
	}
	return nil
}

// checkFamilies fails when a family lacks a revision below its newest one:
// revisions are numbered without gaps, and every lookup relies on it.
func (s *Store) checkFamilies() error {
	unlock := s.lock()
	defer unlock()
	for name, f := range s.families {
		for i, td := range f.revisions {
			if td == nil {
				return fmt.Errorf("state of ecs: task definition %s:%d is missing (the family has revision %d)", name, i+1, len(f.revisions))
			}
		}
	}
	return nil
}

// restore puts one stored record back. Callers hold the lock.
func (s *Store) restore(kind, id string, value []byte) error {
	switch kind {
	case recCluster:
		return decodeInto(value, func(c *types.Cluster) { s.clusters[id] = c })
	case recService:
		return decodeInto(value, func(svc *Service) { s.services[id] = svc })
	case recTask:
		return decodeInto(value, func(t *Task) {
			if t.ContainerIDs == nil {
				t.ContainerIDs = map[string]string{}
			}
			s.putTask(id, t)
		})
	case recRevision:
		return decodeInto(value, s.restoreRevision)
	case recTags:
		return decodeInto(value, func(tags *[]types.Tag) { s.tags[id] = *tags })
	case recSettings:
		return decodeInto(value, func(st *storedSettings) {
			s.settings = accountSettings{defaults: st.Defaults, principals: st.Principals}
			if s.settings.principals == nil {
				s.settings.principals = map[string]map[types.SettingName]string{}
			}
		})
	case recProvider:
		return decodeInto(value, func(cp *types.CapacityProvider) { s.providers[id] = cp })
	case recRunToken:
		return decodeInto(value, func(tok *storedRunToken) { s.runTokens[id] = runToken{tok.Request, tok.Tasks} })
	}
	return fmt.Errorf("unknown kind %q", kind)
}

// restoreRevision puts a task definition back at its revision's place in
// its family (records load in key order, not revision order).
func (s *Store) restoreRevision(td *types.TaskDefinition) {
	f := s.families[deref(td.Family)]
	if f == nil {
		f = &family{}
		s.families[deref(td.Family)] = f
	}
	for len(f.revisions) < int(td.Revision) {
		f.revisions = append(f.revisions, nil)
	}
	f.revisions[td.Revision-1] = td
}

// touchRevision marks a task definition changed. Callers hold the lock.
func (s *Store) touchRevision(td *types.TaskDefinition) {
	s.touch(recRevision, fmt.Sprintf("%s:%d", deref(td.Family), td.Revision))
}

// decodeInto decodes a record and hands it to keep.
func decodeInto[T any](value []byte, keep func(*T)) error {
	v := new(T)
	if err := json.Unmarshal(value, v); err != nil {
		return err
	}
	keep(v)
	return nil
}
