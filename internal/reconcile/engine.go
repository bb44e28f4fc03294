package reconcile

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/localaws/ecsemu/internal/runtime"
)

// Engine outages. The reconciler never waits for the engine on behalf of an
// API call (calls only change the store), so an engine that goes away only
// stops tasks from moving. The monitor notices the outage, reports it (the
// health endpoint, a service event on each active service) and, once the
// engine answers again, reconciles every task and service at once against
// what the engine now has: a restarted engine has stopped the containers,
// and their tasks stop and are replaced as ECS would.

// EngineStatus is what the monitor knows about the engine.
type EngineStatus struct {
	Watched   bool      // false with Docker disabled
	Reachable bool      // at the last check
	DownSince time.Time // start of the current outage (zero while reachable)
	Error     string    // why the last check failed
	Outages   int       // outages seen since start
	// LastOutage is how long the last finished outage lasted.
	LastOutage      time.Duration
	LastOutageEnded time.Time
}

// engineMonitor checks the engine, more often while it is down.
type engineMonitor struct {
	mu     sync.Mutex
	status EngineStatus
}

// Engine check periods: the steady one, and the backoff while the engine
// is away (doubling from engineRetryMin up to engineRetryMax).
const (
	engineCheckEvery = 2 * time.Second
	engineRetryMin   = 250 * time.Millisecond
	engineRetryMax   = 5 * time.Second
)

// EngineStatus returns the engine's status as the monitor last saw it.
func (r *Reconciler) EngineStatus() EngineStatus {
	r.engine.mu.Lock()
	defer r.engine.mu.Unlock()
	return r.engine.status
}

// watchEngine checks the engine until ctx ends.
func (r *Reconciler) watchEngine(ctx context.Context) {
	if _, disabled := r.rt.(runtime.Disabled); disabled {
		return
	}
	r.engine.mu.Lock()
	r.engine.status.Watched, r.engine.status.Reachable = true, true
	r.engine.mu.Unlock()
	wait := engineCheckEvery
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		_, err := r.rt.Info(cctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		wait = r.engineChecked(err, wait)
	}
}

// engineChecked records one check and returns the wait before the next.
func (r *Reconciler) engineChecked(err error, wait time.Duration) time.Duration {
	now := r.now()
	r.engine.mu.Lock()
	st := &r.engine.status
	wasUp := st.Reachable
	if err != nil {
		st.Reachable, st.Error = false, err.Error()
		if wasUp {
			st.DownSince = now
			st.Outages++
		}
	} else {
		st.Reachable, st.Error = true, ""
		if !wasUp {
			st.LastOutage, st.LastOutageEnded = now.Sub(st.DownSince), now
			st.DownSince = time.Time{}
		}
	}
	outage := st.LastOutage
	r.engine.mu.Unlock()

	switch {
	case err != nil && wasUp:
		r.log.Error("the container engine is unreachable; tasks cannot start or stop until it is back", "err", err)
		r.serviceEvents("is unable to reach the container engine: tasks cannot start or stop until it is back.")
		return engineRetryMin
	case err != nil:
		return min(wait*2, engineRetryMax)
	case !wasUp:
		r.log.Info("the container engine is back; reconciling every task", "outage", outage.Round(time.Millisecond))
		r.serviceEvents(fmt.Sprintf("reached the container engine again after %s; every task was checked against it.", outage.Round(time.Second)))
		r.enqueueAll()
	}
	return engineCheckEvery
}

// serviceEvents adds an event to every active service.
func (r *Reconciler) serviceEvents(what string) {
	for _, s := range r.api.Stores() {
		for _, arn := range s.ServiceARNs() {
			svc, _, ok := s.ServiceSnapshot(arn, time.Time{})
			if !ok || aws.ToString(svc.Status) != "ACTIVE" {
				continue
			}
			s.AddServiceEvent(arn, fmt.Sprintf("(service %s) %s", aws.ToString(svc.ServiceName), what))
		}
	}
}
