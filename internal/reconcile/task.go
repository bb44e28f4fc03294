package reconcile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// reconcileTask takes a task one step along ECS's lifecycle:
// PROVISIONING → PENDING → ACTIVATING → RUNNING, and once its desired status
// is STOPPED: DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED.
func (r *Reconciler) reconcileTask(ctx context.Context, arn string) time.Duration {
	store := r.store(arn)
	t, ok := store.TaskSnapshot(arn)
	if !ok || deref(t.LastStatus) == "STOPPED" {
		return 0
	}
	if deref(t.DesiredStatus) == "STOPPED" {
		return r.stopStep(ctx, store, &t)
	}
	switch deref(t.LastStatus) {
	case "PROVISIONING":
		return r.provision(ctx, store, &t)
	case "PENDING":
		return r.startContainers(ctx, store, &t)
	case "ACTIVATING":
		return r.activate(ctx, store, &t)
	case "RUNNING":
		return r.observe(ctx, store, &t)
	}
	return 0
}

// failTask stops a task that cannot go on, with ECS's code and reason; the
// reason is also put on the container it concerns, if any.
func (r *Reconciler) failTask(store *ecsapi.Store, t *ecsapi.Task, code types.TaskStopCode, container, reason string) {
	r.log.Info("task failed", "task", ecsapi.TaskID(*t.TaskArn), "reason", reason)
	if container != "" {
		store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) {
			for i := range t.Containers {
				if deref(t.Containers[i].Name) == container {
					t.Containers[i].Reason = ptr(reason)
				}
			}
		})
	}
	store.RequestStop(*t.TaskArn, code, reason)
}

// provision creates the task's network namespace and address (the ENI of
// a Fargate task).
func (r *Reconciler) provision(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) time.Duration {
	if t.CreatedAt != nil {
		r.tracePhase(t, "queue wait", *t.CreatedAt)
	}
	began := r.now()
	// Not cancelled by a shutdown: a create cut short may still happen in
	// the engine, and then nobody would know to remove it (see mustFinish).
	sb, err := r.rt.CreateSandbox(mustFinish(ctx), runtime.SandboxSpec{
		Name:       sandboxName(t),
		Labels:     r.labels(t, "", runtime.RoleSandbox),
		DNS:        r.taskDNS,
		ExtraHosts: r.taskHosts(),
	})
	if err != nil {
		if ctx.Err() == nil {
			r.failTask(store, t, types.TaskStopCodeTaskFailedToStart, "", "ResourceInitializationError: failed to configure the task network: "+err.Error())
		}
		return 0
	}
	r.tracePhase(t, "sandbox", began)
	eni := r.attachInterface(t, sb)
	now := r.now()
	store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) {
		t.SandboxID = sb.ID
		setAddress(t, sb, eni)
		t.ConnectivityAt = &now
		if deref(t.LastStatus) == "PROVISIONING" {
			t.LastStatus = ptr("PENDING")
		}
	})
	return 0
}

// setAddress shows the task's address where ECS shows an ENI's.
func setAddress(t *ecsapi.Task, sb runtime.Sandbox, eni string) {
	for i := range t.Attachments {
		a := &t.Attachments[i]
		if deref(a.Type) != "ElasticNetworkInterface" {
			continue
		}
		a.Status = ptr("ATTACHED")
		a.Details = append(a.Details,
			kv("networkInterfaceId", eni),
			kv("macAddress", sb.MACAddress),
			kv("privateDnsName", privateDNSName(sb.IP, regionOf(*t.TaskArn))),
			kv("privateIPv4Address", sb.IP),
		)
	}
	for i := range t.Containers {
		for j := range t.Containers[i].NetworkInterfaces {
			t.Containers[i].NetworkInterfaces[j].PrivateIpv4Address = ptr(sb.IP)
		}
	}
}

func kv(name, value string) types.KeyValuePair {
	return types.KeyValuePair{Name: ptr(name), Value: ptr(value)}
}

// privateDNSName is the EC2-style name of an address, ip-172-18-0-5.ec2.internal.
func privateDNSName(ip, region string) string {
	name := "ip-"
	for _, c := range ip {
		if c == '.' {
			c = '-'
		}
		name += string(c)
	}
	if region == "us-east-1" {
		return name + ".ec2.internal"
	}
	return name + "." + region + ".compute.internal"
}

// startContainers pulls images, creates the containers and starts each one
// once its dependsOn conditions hold. When all have started the task moves
// to ACTIVATING.
func (r *Reconciler) startContainers(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) time.Duration {
	began := r.now()
	injected, ok := r.resolveTaskEnv(ctx, store, t) // before the pull, as on Fargate
	if !ok {
		return 0
	}
	r.tracePhase(t, "environment", began)
	if t.PullStoppedAt == nil {
		began = r.now()
		if !r.pullImages(ctx, store, t) {
			return 0
		}
		r.tracePhase(t, "image check", began)
	}
	began = r.now()
	if !r.prepareLogs(store, t) || !r.createContainers(ctx, store, t, injected) {
		return 0
	}
	r.tracePhase(t, "container create", began)
	return r.runContainers(ctx, store, t)
}

// runContainers starts the created containers whose dependencies hold.
// After starting some it looks again at once: a successful start call
// says they run, so neither an engine event nor a requeue is waited for
// (and a container waiting on another's START goes next). Each round
// starts one container at least, so it ends.
func (r *Reconciler) runContainers(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) time.Duration {
	for range len(t.Definition.ContainerDefinitions) + 1 {
		began := r.now()
		states, err := r.inspectAll(ctx, t)
		if err != nil {
			return r.retryLater(ctx, t, err)
		}
		r.tracePhase(t, "inspect", began)
		r.recordStates(store, t, states)
		if _, ok := r.shipLogs(store, t, states, true); !ok {
			return 0
		}
		if essentialExited(t, states) {
			r.failTask(store, t, types.TaskStopCodeEssentialContainerExited, "", "Essential container in task exited")
			return 0
		}
		began = r.now()
		waiting, started, failed, err := r.startReady(ctx, t, states)
		r.tracePhase(t, "start ready containers", began)
		if err != nil {
			if ctx.Err() == nil {
				r.failTask(store, t, types.TaskStopCodeTaskFailedToStart, failed, err.Error())
			}
			return 0
		}
		if started {
			continue
		}
		if waiting {
			return time.Second // health and exit events wake us sooner
		}
		store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) {
			if deref(t.LastStatus) == "PENDING" {
				t.LastStatus = ptr("ACTIVATING")
			}
		})
		r.tracePhase(t, "all containers running (ACTIVATING)", began)
		return 0
	}
	return time.Second
}

// pullImages makes every image of the task available locally. It reports
// false when the task failed.
func (r *Reconciler) pullImages(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) bool {
	start := r.now()
	for _, cd := range t.Definition.ContainerDefinitions {
		var err error
		Blocking(ctx, func() { err = r.rt.EnsureImage(ctx, deref(cd.Image)) }) // a pull takes long
		if err != nil {
			if ctx.Err() != nil {
				return false
			}
			reason := "CannotPullContainerError: " + err.Error()
			if errors.Is(err, runtime.ErrEngineUnavailable) {
				reason = "ResourceInitializationError: " + err.Error()
			}
			store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) { t.PullStartedAt = &start })
			r.failTask(store, t, types.TaskStopCodeTaskFailedToStart, deref(cd.Name), reason)
			return false
		}
	}
	end := r.now()
	store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) {
		t.PullStartedAt, t.PullStoppedAt = &start, &end
	})
	t.PullStartedAt, t.PullStoppedAt = &start, &end
	return true
}

// createContainers creates the containers not created yet, recording each
// engine ID at once so that a stop finds it. It reports false on failure.
func (r *Reconciler) createContainers(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task, injected map[string]injectedEnv) bool {
	for _, cd := range t.Definition.ContainerDefinitions {
		name := deref(cd.Name)
		if t.ContainerIDs[name] != "" {
			continue
		}
		if ctx.Err() != nil {
			return false
		}
		spec, err := r.containerSpec(t, cd)
		spec.Env = withInjected(spec.Env, injected[name])
		if err == nil {
			spec.SandboxID = t.SandboxID
			var id string
			id, err = r.rt.CreateContainer(mustFinish(ctx), spec)
			if err == nil {
				t.ContainerIDs[name] = id
				store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) { t.ContainerIDs[name] = id })
				continue
			}
		}
		if ctx.Err() == nil {
			r.failTask(store, t, types.TaskStopCodeTaskFailedToStart, name, "CannotCreateContainerError: "+err.Error())
		}
		return false
	}
	return true
}

// mustFinish detaches an engine call that creates something from the
// reconciler's cancellation: the engine may complete a create whose
// request was abandoned, leaving a container nobody recorded. The runtime
// still bounds the call with its own timeout.
func mustFinish(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// inspectAll returns the engine's view of each created container by name;
// a container that vanished is reported as exited without an exit code.
func (r *Reconciler) inspectAll(ctx context.Context, t *ecsapi.Task) (map[string]runtime.ContainerState, error) {
	states := map[string]runtime.ContainerState{}
	for name, id := range t.ContainerIDs {
		st, err := r.rt.InspectContainer(ctx, id)
		switch {
		case errors.Is(err, runtime.ErrNotFound):
			st = runtime.ContainerState{ID: id, Status: "removed", ExitCode: -1}
		case err != nil:
			return nil, err
		}
		st.OOMKilled = st.OOMKilled || r.oom.killed(id)
		states[name] = st
	}
	return states, nil
}

// retryLater logs a passing engine problem and looks again after the
// task's backoff.
func (r *Reconciler) retryLater(ctx context.Context, t *ecsapi.Task, err error) time.Duration {
	if ctx.Err() == nil {
		r.log.Warn("engine call failed; retrying", "task", ecsapi.TaskID(*t.TaskArn), "err", err)
	}
	return Retry
}

// startReady starts every created container whose dependencies are met.
// It reports whether some container still waits for its dependencies,
// whether it started any, or which one can never start, and why (ECS
// shows the reason on it too).
func (r *Reconciler) startReady(ctx context.Context, t *ecsapi.Task, states map[string]runtime.ContainerState) (waiting, started bool, failed string, err error) {
	for _, cd := range t.Definition.ContainerDefinitions {
		name := deref(cd.Name)
		if st := states[name]; st.Status != "created" {
			continue
		}
		ready, err := dependenciesMet(t.Definition, cd, states, r.now())
		if err != nil {
			return false, false, name, err
		}
		if !ready {
			waiting = true
			continue
		}
		if err := r.rt.StartContainer(ctx, t.ContainerIDs[name]); err != nil {
			return false, false, name, fmt.Errorf("CannotStartContainerError: %w", err)
		}
		r.shipStarted(t, cd)
		started = true // look again: the start shows up in the next inspection
	}
	return waiting, started, "", nil
}

// activate runs the activation hooks (load balancer, Cloud Map) and then
// marks the task RUNNING.
func (r *Reconciler) activate(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) time.Duration {
	began := r.now()
	done, err := r.runHooks(ctx, *t, true)
	if err != nil {
		r.log.Warn("activation hook failed; retrying", "task", ecsapi.TaskID(*t.TaskArn), "err", err)
		return Retry
	}
	if !done {
		return time.Second
	}
	now := r.now()
	r.tracePhase(t, "activation hooks (RUNNING)", began)
	store.MutateTask(*t.TaskArn, func(t *ecsapi.Task) {
		if deref(t.LastStatus) == "ACTIVATING" {
			t.LastStatus = ptr("RUNNING")
			t.StartedAt = &now
		}
	})
	return 0
}

// observe keeps a RUNNING task's view current and stops it when an
// essential container exits.
func (r *Reconciler) observe(ctx context.Context, store *ecsapi.Store, t *ecsapi.Task) time.Duration {
	states, err := r.inspectAll(ctx, t)
	if err != nil {
		return r.retryLater(ctx, t, err)
	}
	r.recordStates(store, t, states)
	r.shipLogs(store, t, states, false)
	if essentialExited(t, states) {
		r.failTask(store, t, types.TaskStopCodeEssentialContainerExited, "", "Essential container in task exited")
		return 0
	}
	r.observeHooks(ctx, *t)
	if sb, err := r.rt.InspectContainer(ctx, t.SandboxID); errors.Is(err, runtime.ErrNotFound) || err == nil && !sb.Running {
		// Without its namespace owner the task has no network.
		r.failTask(store, t, types.TaskStopCodeTaskFailedToStart, "", "ResourceInitializationError: the task's network namespace is gone (its sandbox container exited or was removed)")
	}
	return 0
}
