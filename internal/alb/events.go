package alb

import (
	"context"
	"sync"
)

// event is a callback to deliver: a health transition.
type event struct {
	tg     string
	key    TargetKey
	health TargetHealth
}

// eventQueue hands callbacks to one goroutine so that they run in order and
// never on the request path, in a health checker, or under the server's lock:
// the control plane may call Update from inside a callback.
type eventQueue struct {
	mu      sync.Mutex
	pending []event
	closed  bool
	wake    chan struct{}
}

func newEventQueue() *eventQueue {
	return &eventQueue{wake: make(chan struct{}, 1)}
}

func (q *eventQueue) push(e event) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.pending = append(q.pending, e)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// run delivers events until ctx ends; events still queued then are dropped.
func (q *eventQueue) run(ctx context.Context, deliver func(event)) {
	defer func() {
		q.mu.Lock()
		q.closed = true
		q.pending = nil
		q.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		}
		for {
			q.mu.Lock()
			batch := q.pending
			q.pending = nil
			q.mu.Unlock()
			if len(batch) == 0 {
				break
			}
			for _, e := range batch {
				if ctx.Err() != nil {
					return
				}
				deliver(e)
			}
		}
	}
}
