package reconcile

import (
	"fmt"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/clone"
	"github.com/localaws/ecsemu/internal/runtime"
)

// oomReason is what ECS puts on a container the kernel killed for memory.
const oomReason = "OutOfMemoryError: Container killed due to memory usage"

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
// ended in a way that cannot satisfy its condition.
type dependencyError struct {
	container, dependency string
	condition             types.ContainerCondition
}

func (e dependencyError) Error() string {
	return fmt.Sprintf("CannotStartContainerError: dependency %s of container %s can no longer reach condition %s", e.dependency, e.container, e.condition)
}

// dependenciesMet evaluates a container's dependsOn against the engine's
// view: START (has started), COMPLETE (has exited), SUCCESS (exited 0),
// HEALTHY (health check passing).
func dependenciesMet(cd types.ContainerDefinition, states map[string]runtime.ContainerState) (bool, error) {
	for _, d := range cd.DependsOn {
		st := states[deref(d.ContainerName)]
		started := st.Status != "created" && st.Status != ""
		ended := st.Exited() || st.Status == "removed"
		fail := dependencyError{container: deref(cd.Name), dependency: deref(d.ContainerName), condition: d.Condition}
		switch d.Condition {
		case types.ContainerConditionStart, "":
			if !started {
				return false, nil
			}
		case types.ContainerConditionComplete:
			if !ended {
				return false, nil
			}
		case types.ContainerConditionSuccess:
			if ended && st.ExitCode != 0 {
				return false, fail
			}
			if !ended {
				return false, nil
			}
		case types.ContainerConditionHealthy:
			if ended || st.Health == runtime.HealthUnhealthy {
				return false, fail
			}
			if st.Health != runtime.HealthHealthy {
				return false, nil
			}
		}
	}
	return true, nil
}
