package reconcile

import (
	"context"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// Hook takes part in a task's activation and deactivation: registering
// load-balancer targets and Cloud Map instances in ACTIVATING, and
// deregistering (draining) them in DEACTIVATING. Each method is called on
// every pass of its phase until it reports done; it must be idempotent.
// Observe is called on every pass over a RUNNING task (its health may have
// changed); it must be cheap when nothing changed.
type Hook interface {
	Activate(ctx context.Context, t ecsapi.Task) (done bool, err error)
	Deactivate(ctx context.Context, t ecsapi.Task) (done bool, err error)
	Observe(ctx context.Context, t ecsapi.Task)
}

// observeHooks shows a RUNNING task to every hook.
func (r *Reconciler) observeHooks(ctx context.Context, t ecsapi.Task) {
	for _, h := range r.hooks {
		h.Observe(ctx, t)
	}
}

// AddHook registers a hook; call before Start.
func (r *Reconciler) AddHook(h Hook) { r.hooks = append(r.hooks, h) }

// runHooks runs one phase of every hook and reports whether all are done.
func (r *Reconciler) runHooks(ctx context.Context, t ecsapi.Task, activate bool) (bool, error) {
	all := true
	for _, h := range r.hooks {
		var done bool
		var err error
		if activate {
			done, err = h.Activate(ctx, t)
		} else {
			done, err = h.Deactivate(ctx, t)
		}
		if err != nil {
			return false, err
		}
		all = all && done
	}
	return all, nil
}

// HealthSource is a view on task health besides container health checks:
// a load balancer's target health. TaskHealth says whether the source
// checks the task at all, whether it is healthy, and, when it failed its
// checks, ECS's stoppedReason for replacing it.
type HealthSource interface {
	TaskHealth(t ecsapi.Task) (checked, healthy bool, failure string)
}

// AddHealthSource registers a health source; call before Start.
func (r *Reconciler) AddHealthSource(h HealthSource) { r.healthSources = append(r.healthSources, h) }
