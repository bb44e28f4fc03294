package reconcile

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// stopStep takes a task whose desired status is STOPPED one step towards
// STOPPED. Tasks that never ran skip DEACTIVATING, as in ECS.
func (r *Reconciler) stopStep(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) time.Duration {
	switch deref(t.LastStatus) {
	case "ACTIVATING", "RUNNING":
		setStatus(store, t, "DEACTIVATING")
	case "DEACTIVATING":
		done, err := r.runHooks(ctx, *t, false)
		if err != nil {
			r.log.Warn("deactivation hook failed; retrying", "task", ecsapi.TaskID(*t.TaskArn), "err", err)
			return Retry
		}
		if !done {
			return time.Second
		}
		setStatus(store, t, "STOPPING")
	case "PROVISIONING", "PENDING":
		setStatus(store, t, "STOPPING")
	case "STOPPING":
		r.stopContainers(ctx, t)
		if ctx.Err() != nil {
			return 0
		}
		if states, err := r.inspectAll(ctx, t); err == nil {
			r.recordStates(store, t, states)
		}
		now := r.now()
		store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) {
			t.LastStatus = ptr("DEPROVISIONING")
			t.ExecutionStoppedAt = &now
		})
	case "DEPROVISIONING":
		if wait := max(r.awaitLateOOM(ctx, store, t), r.awaitLogs(ctx, store, t)); wait > 0 {
			return wait
		}
		if err := r.removeContainers(ctx, t); err != nil {
			return r.retryLater(ctx, t, err)
		}
		r.detachInterface(t)
		r.finishStop(store, t)
	}
	return 0
}

func setStatus(store *ecsapi.Store, t *ecsapi.Task, status string) {
	from := deref(t.LastStatus)
	store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) {
		if deref(t.LastStatus) == from {
			t.LastStatus = ptr(status)
		}
	})
}

// stopContainers stops all of a task's containers at once, each with its
// own stopTimeout (SIGTERM, then SIGKILL).
func (r *Reconciler) stopContainers(ctx context.Context, t *ecsapi.Task) {
	var wg sync.WaitGroup
	for _, cd := range t.Definition.ContainerDefinitions {
		id := t.ContainerIDs[deref(cd.Name)]
		if id == "" {
			continue
		}
		timeout := stopTimeout(cd)
		wg.Go(func() {
			if err := r.rt.StopContainer(ctx, id, timeout); err != nil && ctx.Err() == nil {
				r.log.Warn("stopping container failed", "task", ecsapi.TaskID(*t.TaskArn), "container", deref(cd.Name), "err", err)
			}
		})
	}
	Blocking(ctx, wg.Wait) // up to the longest stopTimeout
}

// awaitLateOOM keeps a task's containers a moment longer while one that
// was SIGKILLed under a memory limit may still be reported OOM-killed (see
// oomWitness): once removed, it could not be inspected again. It records
// what the engine says meanwhile and returns how long to wait still.
func (r *Reconciler) awaitLateOOM(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) time.Duration {
	suspect := false
	for _, c := range t.Containers {
		suspect = suspect || deref(c.ExitCode) == 137 && c.Reason == nil && memoryLimited(t, deref(c.Name))
	}
	if !suspect {
		return 0
	}
	states, err := r.inspectAll(ctx, t)
	if err != nil {
		return 0 // removal reports the engine's trouble
	}
	r.recordStates(store, t, states)
	var wait time.Duration
	for name, st := range states {
		if st.ExitCode == 137 && !st.OOMKilled && memoryLimited(t, name) {
			// Capped: the engine's clock is not ours.
			wait = max(wait, min(lateOOMWindow-r.now().Sub(st.FinishedAt), lateOOMWindow))
		}
	}
	return wait
}

// memoryLimited says whether a container runs under a hard memory limit,
// the only way for it to be OOM-killed on its own.
func memoryLimited(t *ecsapi.Task, name string) bool {
	if o := override(t, name); o != nil && o.Memory != nil {
		return *o.Memory > 0
	}
	for _, cd := range t.Definition.ContainerDefinitions {
		if deref(cd.Name) == name {
			return deref(cd.Memory) > 0
		}
	}
	return false
}

// removeContainers removes the task's containers and then its sandbox.
func (r *Reconciler) removeContainers(ctx context.Context, t *ecsapi.Task) error {
	for _, id := range t.ContainerIDs {
		if err := r.rt.RemoveContainer(ctx, id); err != nil {
			return err
		}
		r.oom.forget(id)
		if r.ships != nil {
			r.ships.Forget(id)
		}
	}
	if t.SandboxID != "" {
		return r.rt.RemoveContainer(ctx, t.SandboxID)
	}
	return nil
}

// finishStop marks the task STOPPED and tells its service how it ended.
func (r *Reconciler) finishStop(store *ecsapi.Store, t *ecsapi.Task) {
	now := r.now()
	store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) {
		t.LastStatus = ptr("STOPPED")
		t.StoppedAt = &now
		if t.ExecutionStoppedAt == nil {
			t.ExecutionStoppedAt = &now
		}
		t.Connectivity = ""
		for i := range t.Attachments {
			t.Attachments[i].Status = ptr("DELETED")
		}
		for i := range t.Containers {
			t.Containers[i].LastStatus = ptr("STOPPED")
		}
	})
	if t.ServiceARN != "" && failedTask(t) {
		r.recordLaunchFailure(store, t)
	}
}

// failedTask says whether a service task ended badly (rather than being
// stopped on purpose), which makes the scheduler back off.
func failedTask(t *ecsapi.Task) bool {
	switch t.StopCode {
	case types.TaskStopCodeTaskFailedToStart, types.TaskStopCodeEssentialContainerExited:
		return true
	}
	reason := deref(t.StoppedReason)
	return reason == reasonContainerHealth || strings.HasPrefix(reason, "Task failed ELB health checks")
}
