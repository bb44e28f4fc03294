package reconcile

import (
	"context"
	"log/slog"
	"time"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// tracePhase logs, at debug level, one phase of a task start: how long it
// took and how long after RunTask (the task's createdAt) it ended. Read
// together, the lines show where a slow start spends its time.
func (r *Reconciler) tracePhase(t *ecsapi.Task, phase string, began time.Time) {
	if !r.log.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	end := r.now()
	attrs := []any{"task", ecsapi.TaskID(deref(t.TaskArn)), "phase", phase, "took", end.Sub(began)}
	if t.CreatedAt != nil {
		attrs = append(attrs, "since_created", end.Sub(*t.CreatedAt))
	}
	r.log.Debug("task start", attrs...)
}
