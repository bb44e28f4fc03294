package reconcile

import (
	"context"
	"sync"
	"time"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// sweepOrphans removes the containers of this scope that no task owns:
// leftovers of an earlier run without a state directory, of a crash
// between a create and its record, or of a task that stopped while the
// emulator was down. The containers of tasks restored from the state
// directory are kept: the reconciler adopts them. It runs before the first
// reconcile (see handle), so no container of this run exists yet.
func (r *Reconciler) sweepOrphans(ctx context.Context) {
	r.sweep(ctx, true)
	close(r.swept)
	r.prepareSandboxes()
}

// prepareSandboxes lets a runtime that keeps spare sandboxes start them
// now, after the sweep (which would remove them as leftovers): then the
// first task start does not wait for one either.
func (r *Reconciler) prepareSandboxes() {
	if p, ok := r.rt.(interface{ PrepareSandboxes(runtime.SandboxSpec) }); ok {
		p.PrepareSandboxes(runtime.SandboxSpec{
			Labels:     map[string]string{runtime.LabelScope: r.opts.Scope},
			DNS:        r.taskDNS,
			ExtraHosts: r.taskHosts(),
		})
	}
}

// sweep removes the containers of this emulator's scope; keepKnown spares
// those of tasks the store knows.
func (r *Reconciler) sweep(ctx context.Context, keepKnown bool) {
	list, err := r.rt.ListContainers(ctx)
	if err != nil {
		r.log.Debug("orphan sweep skipped: engine not reachable", "err", err)
		return
	}
	removed := 0
	var sandboxes map[string]bool // of known tasks; built when first needed
	for _, c := range list {
		if c.Labels[runtime.LabelScope] != r.opts.Scope {
			continue // another emulator's container
		}
		if arn := c.Labels[runtime.LabelTaskARN]; keepKnown && arn != "" {
			if t, known := r.store(arn).TaskSnapshot(arn); known && owns(&t, c.ID) {
				continue
			}
		}
		if keepKnown && c.Labels[runtime.LabelTaskARN] == "" && c.Labels[runtime.LabelRole] == runtime.RoleSandbox {
			// A sandbox started ahead of its task carries no task label.
			if sandboxes == nil {
				sandboxes = r.knownSandboxes()
			}
			if sandboxes[c.ID] {
				continue
			}
		}
		if err := r.rt.RemoveContainer(ctx, c.ID); err != nil {
			r.log.Warn("removing a leftover container failed", "container", c.Name, "err", err)
			continue
		}
		removed++
	}
	if removed > 0 {
		r.log.Info("removed leftover task containers", "count", removed)
	}
}

// knownSandboxes are the sandbox IDs of the tasks that are not STOPPED.
func (r *Reconciler) knownSandboxes() map[string]bool {
	ids := map[string]bool{}
	for _, s := range r.api.Stores() {
		for _, arn := range s.TaskARNs() {
			if t, ok := s.TaskSnapshot(arn); ok && deref(t.LastStatus) != "STOPPED" && t.SandboxID != "" {
				ids[t.SandboxID] = true
			}
		}
	}
	return ids
}

// owns says whether a task that is not STOPPED recorded the container as
// its own (its sandbox or one of its containers).
func owns(t *ecsapi.Task, id string) bool {
	if deref(t.LastStatus) == "STOPPED" {
		return false
	}
	if id == t.SandboxID {
		return true
	}
	for _, own := range t.ContainerIDs {
		if own == id {
			return true
		}
	}
	return false
}

// RemoveAll removes every task container of this emulator's scope, known
// to the store or not: the store was just emptied (a reset).
func (r *Reconciler) RemoveAll(ctx context.Context) {
	r.sweep(ctx, false)
}

// Shutdown stops and removes every task container (unless KeepContainers)
// within ctx's deadline, then the task network. Call it after the
// reconciler's context was cancelled and Wait returned.
func (r *Reconciler) Shutdown(ctx context.Context) {
	// Spares belong to no task: they go even when task containers stay.
	if sp, ok := r.rt.(interface{ RemoveSpares(context.Context) error }); ok {
		if err := sp.RemoveSpares(ctx); err != nil {
			r.log.Warn("removing spare sandboxes failed", "err", err)
		}
	}
	if r.opts.KeepContainers {
		r.log.Info("leaving task containers running (keep-containers)")
		return
	}
	var wg sync.WaitGroup
	for _, s := range r.api.Stores() {
		for _, arn := range s.TaskARNs() {
			t, ok := s.TaskSnapshot(arn)
			if !ok || deref(t.LastStatus) == "STOPPED" {
				continue
			}
			wg.Go(func() { r.teardown(ctx, &t) })
		}
	}
	wg.Wait()
	// Everything of this scope goes, recorded or not: a create that timed
	// out may still have happened in the engine.
	r.sweep(ctx, false)
	if nr, ok := r.rt.(interface{ RemoveNetwork(context.Context) error }); ok {
		if err := nr.RemoveNetwork(ctx); err != nil {
			r.log.Warn("removing the task network failed", "err", err)
		}
	}
}

// teardown stops a task's containers quickly (the emulator is exiting) and
// removes them.
func (r *Reconciler) teardown(ctx context.Context, t *ecsapi.Task) {
	for _, id := range t.ContainerIDs {
		_ = r.rt.StopContainer(ctx, id, 2*time.Second)
	}
	if err := r.removeContainers(ctx, t); err != nil {
		r.log.Warn("removing task containers at shutdown failed", "task", ecsapi.TaskID(*t.TaskArn), "err", err)
	}
}
