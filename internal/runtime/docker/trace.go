package docker

import (
	"context"
	"log/slog"
	"time"
)

// trace logs, at debug level, how long one step of the engine took, so a
// slow task start can be split into its engine calls.
func (r *Runtime) trace(ctx context.Context, op, name string, began time.Time) {
	if r.log.Enabled(ctx, slog.LevelDebug) {
		r.log.DebugContext(ctx, "engine step", "op", op, "name", name, "took", time.Since(began))
	}
}
