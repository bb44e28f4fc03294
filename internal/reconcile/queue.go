package reconcile

import (
	"context"
	"sync"
	"time"
)

// Handler reconciles one key and says when to look at it again (0: only
// when something wakes it).
type Handler func(ctx context.Context, key string) (requeueAfter time.Duration)

// Queue runs a Handler per key: at most one run per key at a time, runs of
// different keys in parallel, and a wake-up during a run causes one more
// run afterwards. A slow key (a container taking 30 s to stop) never holds
// up the others.
type Queue struct {
	ctx    context.Context
	handle Handler

	mu     sync.Mutex
	keys   map[string]*keyState
	wg     sync.WaitGroup
	closed bool
}

type keyState struct {
	running bool
	dirty   bool
	timer   *time.Timer
	due     time.Time
}

// NewQueue returns a queue whose runs use ctx; cancel ctx and call Wait to stop.
func NewQueue(ctx context.Context, handle Handler) *Queue {
	return &Queue{ctx: ctx, handle: handle, keys: map[string]*keyState{}}
}

// Enqueue wakes key now. It never blocks.
func (q *Queue) Enqueue(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || q.ctx.Err() != nil {
		return
	}
	st := q.state(key)
	if st.running {
		st.dirty = true
		return
	}
	st.running = true
	q.wg.Add(1)
	go q.run(key)
}

// EnqueueAfter wakes key after d, unless an earlier wake-up is pending.
func (q *Queue) EnqueueAfter(key string, d time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || q.ctx.Err() != nil {
		return
	}
	st := q.state(key)
	due := time.Now().Add(d)
	if st.timer != nil && !st.due.After(due) {
		return
	}
	if st.timer != nil {
		st.timer.Stop()
	}
	st.due = due
	st.timer = time.AfterFunc(d, func() {
		q.mu.Lock()
		if s := q.keys[key]; s != nil && s.due.Equal(due) {
			s.timer = nil
		}
		q.mu.Unlock()
		q.Enqueue(key)
	})
}

func (q *Queue) state(key string) *keyState {
	st := q.keys[key]
	if st == nil {
		st = &keyState{}
		q.keys[key] = st
	}
	return st
}

func (q *Queue) run(key string) {
	defer q.wg.Done()
	for {
		after := q.handle(q.ctx, key)
		q.mu.Lock()
		st := q.keys[key]
		if st.dirty && q.ctx.Err() == nil {
			st.dirty = false
			q.mu.Unlock()
			continue
		}
		st.running = false
		if st.timer == nil && after <= 0 {
			delete(q.keys, key) // forget idle keys so the map does not grow
		}
		q.mu.Unlock()
		if after > 0 {
			q.EnqueueAfter(key, after)
		}
		return
	}
}

// Wait stops accepting work and waits for running handlers to return.
// Cancel the queue's context first so that they return promptly.
func (q *Queue) Wait() {
	q.mu.Lock()
	q.closed = true
	for _, st := range q.keys {
		if st.timer != nil {
			st.timer.Stop()
		}
	}
	q.mu.Unlock()
	q.wg.Wait()
}
