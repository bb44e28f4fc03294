package ecs

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/localaws/ecsemu/internal/clone"
)

// This file is the store's interface to the reconciler: snapshots to read
// and small, named mutations to write. Every mutation bumps what changed,
// so the reconciler is woken for it again.

// TaskARNs lists every task the store holds.
func (s *Store) TaskARNs() []string {
	unlock := s.lock()
	defer unlock()
	arns := make([]string, 0, len(s.tasks))
	for arn := range s.tasks {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	return arns
}

// ServiceARNs lists every service the store holds.
func (s *Store) ServiceARNs() []string {
	unlock := s.lock()
	defer unlock()
	arns := make([]string, 0, len(s.services))
	for arn := range s.services {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	return arns
}

// TaskSnapshot returns a copy of a task. Its Definition is shared with
// the store, as in ServiceSnapshot (copying it was half the cost of each
// step of a task): never change it.
func (s *Store) TaskSnapshot(arn string) (Task, bool) {
	unlock := s.lock()
	defer unlock()
	t, ok := s.tasks[arn]
	if !ok {
		return Task{}, false
	}
	var c Task
	copySharingDefinition(&c, t)
	return c, true
}

// MutateTask applies fn to a task under the lock and bumps its version.
// It returns false when the task is gone.
func (s *Store) MutateTask(arn string, fn func(*Task)) bool {
	unlock := s.lock()
	defer unlock()
	t, ok := s.tasks[arn]
	if !ok {
		return false
	}
	fn(t)
	t.Version++
	s.changed(ChangeTask, arn)
	if t.ServiceARN != "" {
		s.changed(ChangeService, t.ServiceARN)
	}
	return true
}

// RequestStop asks a task to stop with a stop code and reason; a task that
// is already stopping keeps its first reason.
func (s *Store) RequestStop(arn string, code types.TaskStopCode, reason string) {
	unlock := s.lock()
	defer unlock()
	if t, ok := s.tasks[arn]; ok {
		s.requestStop(t, code, reason)
	}
}

// ServiceSnapshot returns a copy of a service and of its tasks that are
// not yet STOPPED, plus those that stopped after since (for failure counts).
// The tasks' Definition is shared with the store, not copied: it never
// changes once a task is launched, the scheduler only reads it, and
// copying it made up most of the cost of a scheduler pass. So are the
// service's Events (up to 100, which the scheduler never reads): an event
// never changes once added, addEvent puts the list in a new array. Never
// change either.
func (s *Store) ServiceSnapshot(arn string, since time.Time) (Service, []Task, bool) {
	unlock := s.lock()
	defer unlock()
	svc, ok := s.services[arn]
	if !ok {
		return Service{}, nil, false
	}
	var tasks []Task
	for _, t := range s.byService[arn] {
		if deref(t.LastStatus) == "STOPPED" && (t.StoppedAt == nil || t.StoppedAt.Before(since)) {
			continue
		}
		if tasks == nil {
			tasks = make([]Task, 0, len(s.byService[arn]))
		}
		tasks = append(tasks, Task{})
		copySharingDefinition(&tasks[len(tasks)-1], t)
	}
	sort.Slice(tasks, func(i, j int) bool { return deref(tasks[i].CreatedAt).Before(deref(tasks[j].CreatedAt)) })
	c := *svc
	c.Events = nil
	clone.Unshare(&c)
	c.Events = svc.Events
	return c, tasks, true
}

// MutateService applies fn to a service under the lock.
func (s *Store) MutateService(arn string, fn func(*Service)) bool {
	unlock := s.lock()
	defer unlock()
	svc, ok := s.services[arn]
	if !ok {
		return false
	}
	fn(svc)
	s.touch(recService, arn)
	return true
}

// maxServiceEvents is how many events ECS keeps per service.
const maxServiceEvents = 100

// AddServiceEvent records a service event, newest first.
func (s *Store) AddServiceEvent(arn, message string) {
	unlock := s.lock()
	defer unlock()
	if svc, ok := s.services[arn]; ok {
		s.addEvent(svc, message)
		s.touch(recService, arn)
	}
}

// addEvent never changes the list's array in place: snapshots share it.
func (s *Store) addEvent(svc *Service, message string) {
	ev := types.ServiceEvent{Id: ptr(s.ids.UUID()), CreatedAt: s.timestamp(), Message: ptr(message)}
	svc.Events = append([]types.ServiceEvent{ev}, svc.Events...)
	if len(svc.Events) > maxServiceEvents {
		svc.Events = svc.Events[:maxServiceEvents]
	}
}

// LaunchServiceTasks starts n tasks for a deployment of a service and
// records the "has started" event. It returns the new task ARNs.
func (s *Store) LaunchServiceTasks(arn, deploymentID string, n int) ([]string, error) {
	unlock := s.lock()
	defer unlock()
	svc, ok := s.services[arn]
	if !ok || n <= 0 {
		return nil, nil
	}
	var d *types.Deployment
	for i := range svc.Deployments {
		if deref(svc.Deployments[i].Id) == deploymentID {
			d = &svc.Deployments[i]
		}
	}
	if d == nil {
		return nil, fmt.Errorf("deployment %s not found", deploymentID)
	}
	cluster := s.clusters[clusterNameOf(svc)]
	td, err := s.taskDefinitionRevision(deref(d.TaskDefinition)) // DELETE_IN_PROGRESS still scales
	if cluster == nil || err != nil {
		return nil, fmt.Errorf("service %s: cluster or task definition is gone", deref(svc.ServiceName))
	}
	lt, cp := d.LaunchType, ""
	if len(d.CapacityProviderStrategy) > 0 {
		cp = deref(d.CapacityProviderStrategy[0].CapacityProvider)
		lt = launchTypeOfProvider(cp)
	}
	var tags []types.Tag
	switch svc.PropagateTags {
	case types.PropagateTagsService:
		tags = s.getTags(arn)
	case types.PropagateTagsTaskDefinition:
		tags = s.getTags(*td.TaskDefinitionArn)
	}
	var arns, ids []string
	for range n {
		t := s.launchTask(launchParams{
			cluster: cluster, definition: td, launchType: lt, capacityProvider: cp,
			network: d.NetworkConfiguration, group: "service:" + deref(svc.ServiceName),
			startedBy: deploymentID, serviceARN: arn, tags: tags, enableExec: svc.EnableExecuteCommand,
		})
		t.ServiceRegistries = clone.Of(svc.ServiceRegistries)
		t.LoadBalancers = clone.Of(svc.LoadBalancers)
		arns = append(arns, *t.TaskArn)
		ids = append(ids, "(task "+TaskID(*t.TaskArn)+")")
	}
	svc.Steady = false
	s.addEvent(svc, fmt.Sprintf("(service %s) has started %d tasks: %s.", deref(svc.ServiceName), n, strings.Join(ids, " ")))
	s.changed(ChangeService, arn)
	return arns, nil
}

// TaskID is the last element of a task ARN.
func TaskID(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// PruneStoppedTasks forgets tasks that stopped before cutoff.
func (s *Store) PruneStoppedTasks(cutoff time.Time) int {
	unlock := s.lock()
	defer unlock()
	n := 0
	for arn, t := range s.tasks {
		if deref(t.LastStatus) == "STOPPED" && t.StoppedAt != nil && t.StoppedAt.Before(cutoff) {
			s.dropTask(arn)
			delete(s.tags, arn)
			s.touch(recTask, arn)
			s.touch(recTags, arn)
			n++
		}
	}
	return n
}

// Account is the account ID in the store's ARNs.
func (s *Store) Account() string { return s.account }

// copySharingDefinition makes *dst a copy of *t but for its Definition,
// which the copy shares: it never changes once the task is launched, and
// the reconciler and the metadata endpoint only read it. The copy is made
// in place, as snapshots of many tasks are.
func copySharingDefinition(dst, t *Task) {
	*dst = *t
	dst.Definition = types.TaskDefinition{}
	clone.Unshare(dst)
	dst.Definition = t.Definition
}
