package reconcile

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/logship"
	"github.com/localaws/ecsemu/internal/runtime"
)

// LogShipper ships the output of containers whose logConfiguration uses
// the awslogs driver (internal/logship). Containers with another driver,
// or none, keep their logs in the engine.
type LogShipper interface {
	// Prepare readies a container's log group before the container is
	// created; an error is the task's stoppedReason.
	Prepare(a logship.Awslogs) error
	// Ship makes sure a started container's output is being shipped, and
	// reports whether it is all shipped (the container stopped and its
	// output was read to the end); an error is the task's stoppedReason.
	Ship(containerID string, d logship.Destination) (done bool, err error)
	// Forget is called once the container was removed.
	Forget(containerID string)
}

// logDrainTimeout bounds how long a stopped task waits for its output to
// be shipped before its containers are removed (and their logs with
// them). Reading what an exited container logged takes milliseconds; this
// only guards against an engine that never ends the stream.
const logDrainTimeout = 10 * time.Second

// awslogsOf returns a container's awslogs configuration, if it uses the
// driver.
func awslogsOf(t *ecsapi.Task, cd types.ContainerDefinition) (a logship.Awslogs, ok bool, err error) {
	lc := cd.LogConfiguration
	if lc == nil || lc.LogDriver != types.LogDriverAwslogs {
		return a, false, nil
	}
	a, err = logship.ParseAwslogs(lc.Options, regionOf(*t.TaskArn), deref(cd.Name), ecsapi.TaskID(*t.TaskArn))
	return a, true, err
}

// prepareLogs readies the log groups of the containers not created yet.
// It reports false when the task failed.
func (r *Reconciler) prepareLogs(store *ecsapi.Store, t *ecsapi.Task) bool {
	if r.ships == nil {
		return true
	}
	for _, cd := range t.Definition.ContainerDefinitions {
		if t.ContainerIDs[deref(cd.Name)] != "" {
			continue
		}
		a, ok, err := awslogsOf(t, cd)
		if ok && err == nil {
			err = r.ships.Prepare(a)
		}
		if err != nil {
			r.failTask(store, t, types.TaskStopCodeTaskFailedToStart, deref(cd.Name), err.Error())
			return false
		}
	}
	return true
}

// shipLogs makes sure the output of every started awslogs container of
// the task is being shipped. It reports whether all of it was shipped,
// and false for ok when the task failed (fail is false once the task
// is stopping: then a failure only leaves the logs in the engine).
func (r *Reconciler) shipLogs(store *ecsapi.Store, t *ecsapi.Task, states map[string]runtime.ContainerState, fail bool) (done, ok bool) {
	done = true
	if r.ships == nil {
		return true, true
	}
	for _, cd := range t.Definition.ContainerDefinitions {
		name := deref(cd.Name)
		id := t.ContainerIDs[name]
		a, uses, err := awslogsOf(t, cd)
		if !uses || err != nil || id == "" || states[name].StartedAt.IsZero() {
			continue // never started: nothing to ship
		}
		shipped, err := r.ships.Ship(id, a.Destination(id))
		if err != nil && fail {
			r.failTask(store, t, types.TaskStopCodeTaskFailedToStart, name, err.Error())
			return false, false
		}
		done = done && (shipped || err != nil)
	}
	return done, true
}

// shipStarted starts shipping a container's output as soon as it was
// started, rather than on the next pass, so that its first lines are not
// late. A failure shows on that pass (shipLogs).
func (r *Reconciler) shipStarted(t *ecsapi.Task, cd types.ContainerDefinition) {
	id := t.ContainerIDs[deref(cd.Name)]
	if a, uses, err := awslogsOf(t, cd); r.ships != nil && uses && err == nil {
		_, _ = r.ships.Ship(id, a.Destination(id))
	}
}

// awaitLogs holds a stopped task's containers until their output is
// shipped, up to logDrainTimeout after the task's execution stopped. It
// returns how long to wait still.
func (r *Reconciler) awaitLogs(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) time.Duration {
	if r.ships == nil || t.ExecutionStoppedAt == nil || r.now().Sub(*t.ExecutionStoppedAt) > logDrainTimeout {
		return 0
	}
	states, err := r.inspectAll(ctx, t)
	if err != nil {
		return 0 // removal reports the engine's trouble
	}
	if done, _ := r.shipLogs(store, t, states, false); !done {
		return 50 * time.Millisecond
	}
	return 0
}
