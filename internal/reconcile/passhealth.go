package reconcile

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// passHealth is what a service pass needs to know of one task's health.
// It is computed once per task per pass (healthOf): every health source
// is asked once, however many rules look at the answer.
type passHealth struct {
	// passes: every essential container with a health check is HEALTHY,
	// and every other source (a load balancer's target health) agrees.
	passes bool
	// checked: something checks the task's health.
	checked bool
	// failure is ECS's stoppedReason when the task failed a check.
	failure string
}

// healthOf asks every source about a task once.
func (r *Reconciler) healthOf(t *ecsapi.Task) passHealth {
	h := passHealth{passes: containersHealthy(t), checked: hasHealthCheck(t)}
	if t.HealthStatus == types.HealthStatusUnhealthy {
		h.failure = reasonContainerHealth
	}
	for _, src := range r.healthSources {
		checked, healthy, failure := src.TaskHealth(*t)
		h.checked = h.checked || checked
		h.passes = h.passes && (!checked || healthy)
		if h.failure == "" {
			h.failure = failure
		}
	}
	return h
}

// healthOfAll computes the health of each task of a pass, by index.
func (r *Reconciler) healthOfAll(tasks []ecsapi.Task) []passHealth {
	hs := make([]passHealth, len(tasks))
	for i := range tasks {
		hs[i] = r.healthOf(&tasks[i])
	}
	return hs
}

// countsAsHealthy says whether a task counts as healthy for the deployment
// (minimumHealthyPercent, circuit breaker); if not yet, how long until it
// would without a health check.
func (r *Reconciler) countsAsHealthy(t *ecsapi.Task, h passHealth, now time.Time) (time.Duration, bool) {
	if deref(t.LastStatus) != "RUNNING" || deref(t.DesiredStatus) == "STOPPED" || !h.passes {
		return 0, false
	}
	if h.checked {
		return 0, true
	}
	left := deref(t.StartedAt).Add(r.settleTime()).Sub(now)
	return left, left <= 0
}
