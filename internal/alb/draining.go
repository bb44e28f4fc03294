package alb

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// target is the live state of one registered target: what the request path
// reads lock-free (in-flight count, draining, routable) and what the health
// checker owns under mu.
type target struct {
	tg     string
	key    TargetKey
	addr   string // ip:port toward the target
	events *eventQueue

	inflight atomic.Int64
	draining atomic.Bool // fenced: finishes its requests, gets no new ones
	removed  atomic.Bool // gone from the snapshot
	routable atomic.Bool // healthy, or health checks disabled
	abort    atomic.Pointer[abortScope]

	mu         sync.Mutex
	health     TargetHealth
	passes     int
	fails      int
	probed     bool // a probe was started since the last (re)start of checking
	drainTimer *time.Timer
}

// abortScope is cancelled to abort every request running on a target at that
// moment; a fresh scope replaces it for later requests.
type abortScope struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newAbortScope() *abortScope {
	ctx, cancel := context.WithCancel(context.Background())
	return &abortScope{ctx: ctx, cancel: cancel}
}

func newTarget(tgARN string, key TargetKey, events *eventQueue) *target {
	t := &target{
		tg:     tgARN,
		key:    key,
		addr:   net.JoinHostPort(key.ID, strconv.Itoa(key.Port)),
		events: events,
		health: TargetHealth{State: StateInitial},
	}
	t.abort.Store(newAbortScope())
	return t
}

// release ends a request counted by group.acquire.
func (t *target) release() { t.inflight.Add(-1) }

// requestContext derives the context of a proxied request: it ends with the
// client's request or when the target's running requests are aborted.
// An abort ends it with the cause errTargetAborted.
func (t *target) requestContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	stop := context.AfterFunc(t.abort.Load().ctx, func() { cancel(errTargetAborted) })
	return ctx, func() {
		stop()
		cancel(nil)
	}
}

// errTargetAborted is the cause of a request context ended by abortInflight.
var errTargetAborted = errors.New("alb: request aborted at the end of the deregistration delay")

// abortInflight cuts every request running on the target now.
func (t *target) abortInflight() {
	old := t.abort.Swap(newAbortScope())
	old.cancel()
}

// setDraining fences or unfences the target: a fenced target finishes its
// requests and gets no new ones. With a positive delay, requests still
// running when it expires are aborted. Draining itself lasts the whole
// delay even when the target is idle, as ALBs are observed to do (the
// control plane owns that deadline; see elbv2's DeregisterTargets).
func (t *target) setDraining(on bool, delay time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if on == t.draining.Load() {
		return
	}
	if t.drainTimer != nil {
		t.drainTimer.Stop()
		t.drainTimer = nil
	}
	t.draining.Store(on)
	if !on {
		return
	}
	if delay > 0 {
		t.drainTimer = time.AfterFunc(delay, t.abortInflight)
	}
}

// remove retires a target that left the snapshot (deregistration complete,
// or its target group no longer used): it leaves the view so it gets no new
// requests, it is no longer checked or reported, and requests already running
// on it finish undisturbed. A pending deregistration deadline still applies
// to them.
func (t *target) remove() {
	t.removed.Store(true)
	if t.inflight.Load() == 0 {
		t.stopDrainTimer()
	}
}

func (t *target) stopDrainTimer() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.drainTimer != nil {
		t.drainTimer.Stop()
		t.drainTimer = nil
	}
}
