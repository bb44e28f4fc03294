package reconcile

import (
	"context"
	"sync"
	"time"
)

// Handler reconciles one key and says when to look at it again (0: only
// when something wakes it; Retry: it failed, try again after the key's
// backoff).
type Handler func(ctx context.Context, key string) (requeueAfter time.Duration)

// Retry is what a Handler returns when a run failed for a passing reason
// (the engine did not answer, a hook failed): the key runs again after a
// backoff that doubles with each failure in a row, from RetryMin up to
// RetryMax, so that a broken key neither spins nor waits long once fixed.
const Retry time.Duration = -1

// The bounds of the Retry backoff.
const (
	RetryMin = 50 * time.Millisecond
	RetryMax = 30 * time.Second
)

// DefaultWorkers is how many keys run at once unless Options say otherwise.
const DefaultWorkers = 8

// Queue runs a Handler per key with a bounded number of runs at a time:
// at most one run per key at a time, and a wake-up during a run causes one
// more run afterwards (never two at once). Woken keys wait their turn in
// order. A run that waits on something slow (a container taking 30 s to
// stop, an image pull) gives its slot up meanwhile (see Blocking), so that
// it never holds up the other keys.
type Queue struct {
	ctx     context.Context
	handle  Handler
	workers int

	mu       sync.Mutex
	keys     map[string]*keyState
	ready    []string // woken keys in order, each at most once
	busy     int      // runs holding a slot
	waiting  int      // runs back from a slow call, waiting for a slot
	slotFree *sync.Cond
	wg       sync.WaitGroup
	closed   bool
}

type keyState struct {
	queued   bool // in ready
	running  bool
	dirty    bool // woken while running
	failures int  // Retry results in a row
	timer    *time.Timer
	due      time.Time
}

// NewQueue returns a queue running at most workers keys at once (0:
// DefaultWorkers) whose runs use ctx; cancel ctx and call Wait to stop.
func NewQueue(ctx context.Context, workers int, handle Handler) *Queue {
	if workers <= 0 {
		workers = DefaultWorkers
	}
	q := &Queue{ctx: ctx, handle: handle, workers: workers, keys: map[string]*keyState{}}
	q.slotFree = sync.NewCond(&q.mu)
	context.AfterFunc(ctx, func() { // runs waiting for a slot take one now
		q.mu.Lock()
		q.slotFree.Broadcast()
		q.mu.Unlock()
	})
	return q
}

// Enqueue wakes key now. It never blocks.
func (q *Queue) Enqueue(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped() {
		return
	}
	q.wake(key)
}

// wake queues key unless it is queued already; a running key runs once
// more when done. Called with q.mu held.
func (q *Queue) wake(key string) {
	st := q.state(key)
	switch {
	case st.running:
		st.dirty = true
	case !st.queued:
		q.queue(key, st)
		q.dispatch()
	}
}

func (q *Queue) queue(key string, st *keyState) {
	st.queued = true
	q.ready = append(q.ready, key)
}

// EnqueueAfter wakes key after d, unless an earlier wake-up is pending.
func (q *Queue) EnqueueAfter(key string, d time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped() {
		return
	}
	q.wakeAfter(key, d)
}

// wakeAfter is EnqueueAfter with q.mu held.
func (q *Queue) wakeAfter(key string, d time.Duration) {
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
		defer q.mu.Unlock()
		if s := q.keys[key]; s != nil && s.due.Equal(due) {
			s.timer = nil
		}
		if !q.stopped() {
			q.wake(key)
		}
	})
}

func (q *Queue) stopped() bool { return q.closed || q.ctx.Err() != nil }

func (q *Queue) state(key string) *keyState {
	st := q.keys[key]
	if st == nil {
		st = &keyState{}
		q.keys[key] = st
	}
	return st
}

// dispatch starts queued keys while slots are free; runs coming back from
// a slow call go first. Called with q.mu held.
func (q *Queue) dispatch() {
	for key, ok := q.next(); ok; key, ok = q.next() {
		q.wg.Add(1)
		go q.run(key)
	}
}

// next takes the next queued key if a slot is free for it. Called with
// q.mu held.
func (q *Queue) next() (string, bool) {
	if len(q.ready) == 0 || q.busy >= q.workers || q.waiting > 0 || q.stopped() {
		return "", false
	}
	key := q.ready[0]
	q.ready[0] = ""
	q.ready = q.ready[1:]
	st := q.keys[key]
	st.queued, st.running = false, true
	q.busy++
	return key, true
}

// run runs key, then the keys queued meanwhile while there are any: a
// goroutine that goes on with the next key keeps the stack it grew, where
// a new one per key grew its stack again on every run (a twentieth of the
// reconciler's time with thousands of tasks).
func (q *Queue) run(key string) {
	defer q.wg.Done()
	for {
		after := q.handle(context.WithValue(q.ctx, slotKey{}, q), key)
		q.mu.Lock()
		q.done(key, after)
		var ok bool
		if q.waiting > 0 {
			q.slotFree.Signal()
		} else if key, ok = q.next(); ok {
			q.dispatch()
		}
		q.mu.Unlock()
		if !ok {
			return
		}
	}
}

// done ends a run of key and schedules its next one. Called with q.mu
// held.
func (q *Queue) done(key string, after time.Duration) {
	q.busy--
	st := q.keys[key]
	st.running = false
	if after == Retry {
		after = backoff(st.failures)
		st.failures++
	} else {
		st.failures = 0
	}
	switch {
	case q.stopped():
	case st.dirty:
		st.dirty = false
		q.queue(key, st) // not dispatched: the run goes on with the next key
	case after > 0:
		q.wakeAfter(key, after)
	case st.timer == nil:
		delete(q.keys, key) // forget idle keys so the map does not grow
	}
}

// freed hands a freed slot to a run waiting for one, else to the next key.
// Called with q.mu held.
func (q *Queue) freed() {
	if q.waiting > 0 {
		q.slotFree.Signal()
		return
	}
	q.dispatch()
}

// backoff is the delay after the n+1st failure in a row.
func backoff(n int) time.Duration {
	return min(RetryMin<<min(n, 20), RetryMax)
}

type slotKey struct{}

// Blocking runs fn, which waits on something slow, without holding the
// run's slot, and takes a slot again before it returns. Outside a queue
// run it just calls fn.
func Blocking(ctx context.Context, fn func()) {
	q, _ := ctx.Value(slotKey{}).(*Queue)
	if q == nil {
		fn()
		return
	}
	q.mu.Lock()
	q.busy--
	q.freed()
	q.mu.Unlock()
	defer q.reacquire()
	fn()
}

// reacquire waits for a free slot; once stopping, it takes one at once so
// that shutdown never waits behind the limit.
func (q *Queue) reacquire() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.waiting++
	for q.busy >= q.workers && !q.stopped() {
		q.slotFree.Wait()
	}
	q.waiting--
	q.busy++
	if q.waiting > 0 {
		q.slotFree.Signal()
	} else {
		q.dispatch()
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
	q.slotFree.Broadcast()
	q.mu.Unlock()
	q.wg.Wait()
}
