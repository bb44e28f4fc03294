package reconcile

import (
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/clone"
	"github.com/localaws/ecsemu/internal/runtime"
)

// oomReason is what ECS puts on a container the kernel killed for memory.
const oomReason = "OutOfMemoryError: Container killed due to memory usage"

// lateOOMWindow is how long after a SIGKILL exit a memory-limited
// container is kept for a late OOM report (see oomWitness).
const lateOOMWindow = time.Second

// oomWitness remembers the containers the engine reported an "oom" event
// for. Docker sets its OOMKilled flag only if the kernel's OOM notification
// reaches it before the exit; under load (cgroup v1) the exit can win by
// hundreds of milliseconds, and then the late "oom" event is the only trace
// of why the container died.
type oomWitness struct {
	mu   sync.Mutex
	seen map[string]time.Time // container ID → when the event came
}

func (w *oomWitness) add(id string, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen == nil {
		w.seen = map[string]time.Time{}
	}
	for k, at := range w.seen {
		if now.Sub(at) > time.Hour {
			delete(w.seen, k) // a container removed behind our back
		}
	}
	w.seen[id] = now
}

func (w *oomWitness) killed(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.seen[id]
	return ok
}

func (w *oomWitness) forget(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.seen, id)
}

// recordStates copies what the engine reports into the task's containers
// and health, writing to the store only when something changed (a write
// wakes the task again, so writing every time would never settle).
func (r *Reconciler) recordStates(store *ecsapi.Store, t *ecsapi.Task, states map[string]runtime.ContainerState) {
	containers := clone.Of(t.Containers)
	for i := range containers {
		if st, ok := states[deref(containers[i].Name)]; ok {
			applyState(&containers[i], st)
		}
	}
	health := taskHealth(t.Definition, containers)
	if reflect.DeepEqual(containers, t.Containers) && health == t.HealthStatus {
		return
	}
	t.Containers, t.HealthStatus = containers, health
	store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) {
		t.Containers = clone.Of(containers)
		t.HealthStatus = health
	})
}

// applyState sets a container's lastStatus, exit code, reason and health
// from the engine's state.
func applyState(c *types.Container, st runtime.ContainerState) {
	if st.ID != "" {
		c.RuntimeId = ptr(st.ID)
	}
	switch {
	case st.Running:
		c.LastStatus = ptr("RUNNING")
	case st.Status == "removed":
		c.LastStatus = ptr("STOPPED")
		if c.Reason == nil {
			c.Reason = ptr("DockerStateError: the container was removed outside of ECS")
		}
	case st.Exited():
		c.LastStatus = ptr("STOPPED")
		c.ExitCode = ptr(int32(st.ExitCode))
		if st.OOMKilled {
			c.Reason = ptr(oomReason)
		} else if st.Error != "" && c.Reason == nil {
			c.Reason = ptr("CannotStartContainerError: " + st.Error)
		}
	}
	c.HealthStatus = containerHealth(st.Health)
}

func containerHealth(h string) types.HealthStatus {
	switch h {
	case runtime.HealthHealthy:
		return types.HealthStatusHealthy
	case runtime.HealthUnhealthy:
		return types.HealthStatusUnhealthy
	}
	return types.HealthStatusUnknown
}

// taskHealth aggregates the essential containers' health as ECS does:
// any UNHEALTHY → UNHEALTHY, else any UNKNOWN → UNKNOWN, else HEALTHY.
func taskHealth(td types.TaskDefinition, containers []types.Container) types.HealthStatus {
	result := types.HealthStatusHealthy
	for _, c := range containers {
		if !essential(td, deref(c.Name)) {
			continue
		}
		switch c.HealthStatus {
		case types.HealthStatusUnhealthy:
			return types.HealthStatusUnhealthy
		case types.HealthStatusHealthy:
		default:
			result = types.HealthStatusUnknown
		}
	}
	return result
}

func essential(td types.TaskDefinition, name string) bool {
	for _, cd := range td.ContainerDefinitions {
		if deref(cd.Name) == name {
			return cd.Essential == nil || *cd.Essential
		}
	}
	return false
}

// essentialExited reports whether an essential container has stopped.
func essentialExited(t *ecsapi.Task, states map[string]runtime.ContainerState) bool {
	for name, st := range states {
		if essential(t.Definition, name) && (st.Exited() || st.Status == "removed") {
			return true
		}
	}
	return false
}

// dependencyError says a container can never start because a dependency
// ended in a way that cannot satisfy its condition, or did not satisfy it
// within its startTimeout.
type dependencyError struct {
	container, dependency string
	condition             types.ContainerCondition
	timeout               time.Duration // set when the startTimeout ran out
}

func (e dependencyError) Error() string {
	if e.timeout > 0 {
		return fmt.Sprintf("CannotStartContainerError: dependency %s of container %s did not reach condition %s within its startTimeout of %v", e.dependency, e.container, e.condition, e.timeout)
	}
	return fmt.Sprintf("CannotStartContainerError: dependency %s of container %s can no longer reach condition %s", e.dependency, e.container, e.condition)
}

// dependenciesMet evaluates a container's dependsOn against the engine's
// view. A dependency with a startTimeout that has run since it started
// without reaching a COMPLETE, SUCCESS or HEALTHY condition fails it, as
// the ECS agent does; without one the agent's default applies.
func dependenciesMet(td types.TaskDefinition, cd types.ContainerDefinition, states map[string]runtime.ContainerState, now time.Time) (bool, error) {
	for _, d := range cd.DependsOn {
		dep := deref(d.ContainerName)
		st := states[dep]
		met, failed := dependencyState(d.Condition, st)
		fail := dependencyError{container: deref(cd.Name), dependency: dep, condition: d.Condition}
		switch {
		case failed:
			return false, fail
		case met:
			continue
		}
		limit := dependencyTimeout(td, dep)
		if d.Condition != types.ContainerConditionStart && d.Condition != "" && limit > 0 && !st.StartedAt.IsZero() && now.Sub(st.StartedAt) > limit {
			fail.timeout = limit
			return false, fail
		}
		return false, nil
	}
	return true, nil
}

// dependencyState says whether a dependency's condition holds, or can no
// longer hold: START (has started), COMPLETE (has exited), SUCCESS (exited
// 0), HEALTHY (health check passing while running).
func dependencyState(cond types.ContainerCondition, st runtime.ContainerState) (met, failed bool) {
	started := st.Status != "created" && st.Status != ""
	ended := st.Exited() || st.Status == "removed"
	switch cond {
	case types.ContainerConditionComplete:
		return ended, false
	case types.ContainerConditionSuccess:
		return ended && st.ExitCode == 0, ended && st.ExitCode != 0
	case types.ContainerConditionHealthy:
		failed = ended || st.Health == runtime.HealthUnhealthy
		return !failed && st.Health == runtime.HealthHealthy, failed
	}
	return started, false
}

// defaultStartTimeout is the ECS agent's wait for a dependency when the
// container sets no startTimeout (ECS_CONTAINER_START_TIMEOUT, 3 minutes
// on Linux): no task waits for a condition forever.
const defaultStartTimeout = 3 * time.Minute

// dependencyTimeout is a container's startTimeout, or the agent's default.
func dependencyTimeout(td types.TaskDefinition, name string) time.Duration {
	for _, cd := range td.ContainerDefinitions {
		if deref(cd.Name) == name && deref(cd.StartTimeout) > 0 {
			return time.Duration(deref(cd.StartTimeout)) * time.Second
		}
	}
	return defaultStartTimeout
}
