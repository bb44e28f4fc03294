package simulated

import (
	"context"
	"sync"

	"github.com/localaws/ecsemu/internal/runtime"
)

// subscribers fans container events out to every Events stream. Publishing
// never blocks (it runs under the runtime's lock): each stream queues its
// events and a goroutine of its own hands them on.
type subscribers struct {
	mu   sync.Mutex
	list map[*stream]struct{}
}

type stream struct {
	mu      sync.Mutex
	pending []runtime.Event
	wake    chan struct{}
}

func (s *subscribers) publish(st runtime.ContainerState, action string) {
	ev := runtime.Event{ContainerID: st.ID, Action: action, Labels: st.Labels}
	s.mu.Lock()
	defer s.mu.Unlock()
	for sub := range s.list {
		sub.mu.Lock()
		sub.pending = append(sub.pending, ev)
		sub.mu.Unlock()
		select {
		case sub.wake <- struct{}{}:
		default:
		}
	}
}

// Events streams container events until ctx ends; the stream never breaks.
func (r *Runtime) Events(ctx context.Context) (<-chan runtime.Event, <-chan error) {
	sub := &stream{wake: make(chan struct{}, 1)}
	r.subs.mu.Lock()
	if r.subs.list == nil {
		r.subs.list = map[*stream]struct{}{}
	}
	r.subs.list[sub] = struct{}{}
	r.subs.mu.Unlock()
	out, errs := make(chan runtime.Event), make(chan error, 1)
	go func() {
		defer func() {
			r.subs.mu.Lock()
			delete(r.subs.list, sub)
			r.subs.mu.Unlock()
			errs <- ctx.Err()
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case <-sub.wake:
			}
			sub.mu.Lock()
			batch := sub.pending
			sub.pending = nil
			sub.mu.Unlock()
			for _, ev := range batch {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, errs
}
