package reconcile

import (
	"fmt"
	"time"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// settleTime is how long a task without any health check must run before
// ECS trusts it: it resets its deployment's consecutive failure count
// then. A task with health checks proves itself by turning HEALTHY.
const settleTime = 40 * time.Second

// runCircuitBreaker resets failure counts of deployments whose tasks
// settled and trips the breaker of a primary deployment that reached its
// threshold. It reports when to look again for a task about to settle, and
// whether it tripped (the deployments changed).
func (r *Reconciler) runCircuitBreaker(store *ecsapi.Store, svc *ecsapi.Service, tasks []ecsapi.Task, now time.Time) (time.Duration, bool) {
	var wait time.Duration
	for i := range tasks {
		t := &tasks[i]
		left, ok := settled(t, now)
		if !ok {
			if left > 0 && (wait == 0 || left < wait) {
				wait = left
			}
			continue
		}
		id := deref(t.StartedBy)
		if failedTasks(svc, id) > 0 {
			store.MutateService(*svc.ServiceArn, func(s *ecsapi.Service) { ecsapi.ResetTaskFailures(s, id) })
		}
	}
	if !ecsapi.BreakerTripped(svc) {
		return wait, false
	}
	r.trip(store, svc)
	return 0, true
}

// settled says whether a running task has proven itself; if not yet, how
// long until it would without a health check.
func settled(t *ecsapi.Task, now time.Time) (time.Duration, bool) {
	if deref(t.LastStatus) != "RUNNING" || deref(t.DesiredStatus) == "STOPPED" || !rolloutHealthy(t) {
		return 0, false
	}
	if hasHealthCheck(t) {
		return 0, true
	}
	left := deref(t.StartedAt).Add(settleTime).Sub(now)
	return left, left <= 0
}

func hasHealthCheck(t *ecsapi.Task) bool {
	for _, cd := range t.Definition.ContainerDefinitions {
		if cd.HealthCheck != nil && essential(t.Definition, deref(cd.Name)) {
			return true
		}
	}
	return false
}

func failedTasks(svc *ecsapi.Service, deploymentID string) int32 {
	for _, d := range svc.Deployments {
		if deref(d.Id) == deploymentID {
			return d.FailedTasks
		}
	}
	return 0
}

// trip fails the primary deployment (and rolls back when configured) and
// reports it as ECS does.
func (r *Reconciler) trip(store *ecsapi.Store, svc *ecsapi.Service) {
	var failed, target string
	store.MutateService(*svc.ServiceArn, func(s *ecsapi.Service) {
		failed, target = ecsapi.TripCircuitBreaker(s, r.now())
		s.Steady = false
	})
	name := deref(svc.ServiceName)
	r.log.Info("deployment circuit breaker tripped", "service", name, "deployment", failed, "rollback_to", target)
	store.AddServiceEvent(*svc.ServiceArn, fmt.Sprintf("(service %s) (deployment %s) deployment failed: tasks failed to start.", name, failed))
	if target != "" {
		store.AddServiceEvent(*svc.ServiceArn, fmt.Sprintf("(service %s) rolling back to deployment %s.", name, target))
	}
}
