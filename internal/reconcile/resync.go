package reconcile

import (
	"context"
	"time"
)

// The resync is the safety net under the wake-ups from store changes,
// engine events and target health. Every Resync period it looks at every
// service; tasks, which engine events wake whenever their containers
// change, are looked at every taskResyncFactor periods, and all of them
// again whenever the event stream was resubscribed. Each pass is spread
// over its period in slots, so that thousands of keys never wake at once
// and crowd out the wake-ups that matter. Anything that is due at a time
// (a grace period ending, a task settling, a launch backoff) is not left
// to the resync: its pass asks to run again then.
const (
	DefaultResync    = 30 * time.Second
	taskResyncFactor = 2
	resyncSlot       = 100 * time.Millisecond
	// serviceCoalesce is how long a store change waits before it wakes
	// the service (see Notify).
	serviceCoalesce = 50 * time.Millisecond
)

// resyncLoop runs the passes and prunes expired tasks.
func (r *Reconciler) resyncLoop(ctx context.Context) {
	r.enqueueAll()
	tick := time.NewTicker(r.opts.Resync)
	defer tick.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, s := range r.api.Stores() {
			s.PruneStoppedTasks(r.now().Add(-r.opts.StoppedTaskTTL))
		}
		keys := r.serviceKeys()
		if n%taskResyncFactor == 0 {
			keys = append(keys, r.taskKeys()...)
		}
		r.spread(ctx, keys, r.opts.Resync*9/10)
	}
}

// spread enqueues keys in equal parts, one every resyncSlot, within over.
func (r *Reconciler) spread(ctx context.Context, keys []string, over time.Duration) {
	slots := max(int(over/resyncSlot), 1)
	per := (len(keys) + slots - 1) / slots
	slot := time.NewTicker(resyncSlot)
	defer slot.Stop()
	for len(keys) > 0 {
		n := min(per, len(keys))
		for _, k := range keys[:n] {
			r.queue.Load().Enqueue(k)
		}
		keys = keys[n:]
		if len(keys) == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-slot.C:
		}
	}
}

// enqueueAll wakes every task and service at once (at start, and when the
// engine is back after an outage).
func (r *Reconciler) enqueueAll() {
	r.enqueueTasks()
	for _, k := range r.serviceKeys() {
		r.queue.Load().Enqueue(k)
	}
}

func (r *Reconciler) enqueueTasks() {
	for _, k := range r.taskKeys() {
		r.queue.Load().Enqueue(k)
	}
}

func (r *Reconciler) taskKeys() []string {
	var keys []string
	for _, s := range r.api.Stores() {
		for _, arn := range s.TaskARNs() {
			keys = append(keys, taskKeyPrefix+arn)
		}
	}
	return keys
}

func (r *Reconciler) serviceKeys() []string {
	var keys []string
	for _, s := range r.api.Stores() {
		for _, arn := range s.ServiceARNs() {
			keys = append(keys, serviceKeyPrefix+arn)
		}
	}
	return keys
}
