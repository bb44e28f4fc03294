package reconcile

import (
	"strings"
	"sync"
	"time"
)

// adoption tracks the tasks the store had when the reconciler started
// (restored from a state directory) until each was reconciled once: then
// its containers are adopted, or it was found stopped and is being
// replaced. Health reports how many are left.
type adoption struct {
	mu      sync.Mutex
	pending map[string]struct{}
	started time.Time
	total   int
	took    time.Duration // how long adopting all took (0 until done)
}

// Adopting is how many restored tasks were not reconciled yet, and how long
// adopting them all took once none is left.
func (r *Reconciler) Adopting() (pending int, took time.Duration) {
	r.adopt.mu.Lock()
	defer r.adopt.mu.Unlock()
	return len(r.adopt.pending), r.adopt.took
}

// startAdoption records the tasks to adopt. Called before the first pass.
func (r *Reconciler) startAdoption() {
	pending := map[string]struct{}{}
	for _, s := range r.api.Stores() {
		for _, arn := range s.TaskARNs() {
			if t, ok := s.TaskSnapshot(arn); ok && deref(t.LastStatus) != "STOPPED" {
				pending[arn] = struct{}{}
			}
		}
	}
	r.adopt.mu.Lock()
	r.adopt.pending, r.adopt.started, r.adopt.total = pending, r.now(), len(pending)
	r.adopt.mu.Unlock()
}

// adopted notes that the task under key was reconciled once.
func (r *Reconciler) adopted(key string) {
	arn, ok := strings.CutPrefix(key, taskKeyPrefix)
	if !ok {
		return
	}
	r.adopt.mu.Lock()
	defer r.adopt.mu.Unlock()
	if _, ok := r.adopt.pending[arn]; !ok {
		return
	}
	delete(r.adopt.pending, arn)
	if len(r.adopt.pending) == 0 {
		r.adopt.took = r.now().Sub(r.adopt.started)
		r.log.Info("restored tasks adopted", "tasks", r.adopt.total, "took", r.adopt.took.Round(time.Millisecond))
	}
}
