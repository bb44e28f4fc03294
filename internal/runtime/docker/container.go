package docker

import (
	"context"
	"maps"
	"math"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// CreateContainer creates (does not start) one task container inside its
// task's sandbox network namespace.
func (r *Runtime) CreateContainer(ctx context.Context, spec runtime.ContainerSpec) (string, error) {
	return r.createReplacing(ctx, "create container", containerCreateOptions(spec))
}

func containerCreateOptions(spec runtime.ContainerSpec) client.ContainerCreateOptions {
	return client.ContainerCreateOptions{
		Name: spec.Name,
		Config: &container.Config{
			Image:       spec.Image,
			Entrypoint:  spec.Entrypoint, // nil keeps the image's
			Cmd:         spec.Command,
			Env:         spec.Env,
			WorkingDir:  spec.WorkingDir,
			User:        spec.User,
			Labels:      managedLabels(spec.Labels, runtime.RoleContainer),
			StopTimeout: stopSeconds(spec.StopTimeout),
			Healthcheck: healthConfig(spec.HealthCheck),
			// No Hostname: a container joining another's network
			// namespace takes the sandbox's, and the engine rejects one.
		},
		HostConfig: &container.HostConfig{
			NetworkMode:    container.NetworkMode("container:" + spec.SandboxID),
			Privileged:     spec.Privileged,
			ReadonlyRootfs: spec.ReadonlyRootfs,
			Binds:          spec.Binds,
			Resources:      resources(spec),
			Init:           initFlag(spec.Init),
			CapAdd:         spec.CapAdd,
			CapDrop:        spec.CapDrop,
		},
	}
}

func resources(spec runtime.ContainerSpec) container.Resources {
	res := container.Resources{
		CPUShares:         spec.CPUShares,
		Memory:            spec.MemoryBytes,
		MemoryReservation: spec.MemoryReservationBytes,
	}
	if spec.MemoryBytes > 0 {
		// Fargate has no swap. Left unset, Docker would allow as much swap
		// again as memory, and a container over its limit would page
		// instead of being OOM-killed as on ECS.
		res.MemorySwap = spec.MemoryBytes
	}
	for _, u := range spec.Ulimits {
		res.Ulimits = append(res.Ulimits, &container.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
	return res
}

func healthConfig(hc *runtime.HealthCheck) *container.HealthConfig {
	if hc == nil || len(hc.Test) == 0 {
		return nil
	}
	return &container.HealthConfig{
		Test:        hc.Test, // ["CMD", ...] and ["CMD-SHELL", "..."] are Docker's forms too
		Interval:    hc.Interval,
		Timeout:     hc.Timeout,
		StartPeriod: hc.StartPeriod,
		Retries:     hc.Retries,
	}
}

// stopSeconds converts a stop timeout to the engine's whole seconds,
// rounding up so a container never gets less grace than asked; zero keeps
// the engine default.
func stopSeconds(d time.Duration) *int {
	if d <= 0 {
		return nil
	}
	s := int(math.Ceil(d.Seconds()))
	return &s
}

// createReplacing creates a container; if one with the same name already
// exists (left over from a crash between create and record), it removes
// that one and tries once more. Names are deterministic per task and
// container, so the leftover can only be an earlier attempt at this one.
func (r *Runtime) createReplacing(ctx context.Context, op string, opts client.ContainerCreateOptions) (string, error) {
	id, err := r.create(ctx, opts)
	if cerrdefs.IsConflict(err) {
		r.log.WarnContext(ctx, "replacing leftover container", "op", op, "container", opts.Name)
		if rmErr := r.RemoveContainer(ctx, opts.Name); rmErr != nil {
			return "", r.wrap(op, opts.Name, rmErr)
		}
		id, err = r.create(ctx, opts)
	}
	if err != nil {
		return "", notContainerNotFound(r.wrap(op, opts.Name, err))
	}
	return id, nil
}

// notContainerNotFound drops the ErrNotFound kind from a create error: there
// the missing thing is the image or the network, and a caller testing for
// ErrNotFound means "the container is gone".
func notContainerNotFound(err error) error {
	if oe, ok := err.(*opError); ok && oe.kind == runtime.ErrNotFound {
		oe.kind = nil
	}
	return err
}

func (r *Runtime) create(ctx context.Context, opts client.ContainerCreateOptions) (string, error) {
	defer r.trace(ctx, "create container", opts.Name, time.Now())
	ctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.ContainerCreate(ctx, opts)
	return res.ID, err
}

// StartContainer starts a created container.
func (r *Runtime) StartContainer(ctx context.Context, id string) error {
	defer r.trace(ctx, "start container", shortID(id), time.Now())
	ctx, cancel := r.call(ctx)
	defer cancel()
	_, err := r.cli.ContainerStart(ctx, id, client.ContainerStartOptions{})
	r.refillDue()
	return r.wrap("start container", shortID(id), err)
}

// StopContainer sends the stop signal, then SIGKILL after timeout (rounded
// up to whole seconds, the engine's unit). A container that is gone or
// already stopped counts as stopped: the goal is reached either way.
func (r *Runtime) StopContainer(ctx context.Context, id string, timeout time.Duration) error {
	secs := 0
	if p := stopSeconds(timeout); p != nil {
		secs = *p
	}
	// The engine answers only once the container is down, so the call may
	// legitimately take the whole grace period on top of its own budget.
	ctx, cancel := context.WithTimeout(ctx, r.opts.CallTimeout+time.Duration(secs)*time.Second)
	defer cancel()
	_, err := r.cli.ContainerStop(ctx, id, client.ContainerStopOptions{Timeout: &secs})
	if err == nil || cerrdefs.IsNotFound(err) || cerrdefs.IsNotModified(err) {
		return nil
	}
	return r.wrap("stop container", shortID(id), err)
}

// RemoveContainer force-removes a container (killing it if running) and its
// anonymous volumes. A missing container, or one whose removal is already
// under way, counts as removed.
func (r *Runtime) RemoveContainer(ctx context.Context, id string) error {
	ctx, cancel := r.call(ctx)
	defer cancel()
	_, err := r.cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	switch {
	case err == nil, cerrdefs.IsNotFound(err):
		return nil
	case cerrdefs.IsConflict(err) && strings.Contains(err.Error(), "already in progress"):
		return nil
	}
	return r.wrap("remove container", shortID(id), err)
}

// managedLabels returns a copy of labels that surely carries LabelManaged
// (and a role): the labels are how the emulator finds its containers after
// a restart, so a spec that forgot them must not create an orphan nobody
// lists or cleans up.
func managedLabels(labels map[string]string, role string) map[string]string {
	out := make(map[string]string, len(labels)+2)
	maps.Copy(out, labels)
	out[runtime.LabelManaged] = "true"
	if out[runtime.LabelRole] == "" {
		out[runtime.LabelRole] = role
	}
	return out
}

// initFlag leaves the engine's default (no init) unless the task asked
// for one.
func initFlag(on bool) *bool {
	if !on {
		return nil
	}
	return &on
}
