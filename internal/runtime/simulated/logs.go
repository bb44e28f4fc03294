package simulated

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/localaws/ecsemu/internal/runtime"
)

// FollowLogs follows a container that logs nothing: Next waits until the
// container stops (or ctx ends) and then reports io.EOF.
func (r *Runtime) FollowLogs(ctx context.Context, id string, _ time.Time) (runtime.LogReader, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.containers[id]
	if c == nil {
		return nil, fmt.Errorf("%w: %s", runtime.ErrNotFound, id)
	}
	if !c.state.Running {
		return silentLog{ctx: ctx, done: ended}, nil
	}
	return silentLog{ctx: ctx, done: c.done}, nil
}

var ended = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

type silentLog struct {
	ctx  context.Context
	done <-chan struct{}
}

func (l silentLog) Next() (runtime.LogEntry, error) {
	select {
	case <-l.done:
		return runtime.LogEntry{}, io.EOF
	case <-l.ctx.Done():
		return runtime.LogEntry{}, l.ctx.Err()
	}
}

func (silentLog) Buffered() bool { return false }
func (silentLog) Close() error   { return nil }
