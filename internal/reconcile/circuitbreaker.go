package reconcile

import (
	"fmt"
	"time"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// runCircuitBreaker resets the failure counts of deployments with a task
// that settled, and trips the breaker of a primary deployment that reached
// its threshold. It reports whether it tripped (the deployments changed).
func (r *Reconciler) runCircuitBreaker(store *ecsapi.Store, svc *ecsapi.Service, tasks []ecsapi.Task, health []passHealth, now time.Time) bool {
	for i := range tasks {
		t := &tasks[i]
		if _, ok := r.countsAsHealthy(t, health[i], now); !ok {
			continue
		}
		id := deref(t.StartedBy)
		if failedTasks(svc, id) > 0 {
			store.MutateService(*svc.ServiceArn, func(s *ecsapi.Service) { ecsapi.ResetTaskFailures(s, id) })
		}
	}
	if !ecsapi.BreakerTripped(svc) {
		return false
	}
	r.trip(store, svc)
	return true
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
