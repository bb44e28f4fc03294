package simulated

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/localaws/ecsemu/internal/runtime"
)

// container is one simulated container or sandbox.
type container struct {
	state       runtime.ContainerState
	healthCheck bool
	ip          netip.Addr    // sandboxes only
	done        chan struct{} // closed once it stopped or was removed
}

func (c *container) end() {
	select {
	case <-c.done:
	default:
		close(c.done)
	}
}

// CreateSandbox "starts" the task's network owner with a fresh address.
// A sandbox of that name that exists already is returned as it is, as a
// retried create finds its first attempt.
func (r *Runtime) CreateSandbox(_ context.Context, spec runtime.SandboxSpec) (runtime.Sandbox, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.byName(spec.Name); c != nil && c.ip.IsValid() {
		return r.sandbox(c), nil
	}
	ip, ok := r.addrs.take()
	if !ok {
		return runtime.Sandbox{}, fmt.Errorf("the simulated task subnet %s has no free address", r.addrs.subnet)
	}
	c := r.add(spec.Name, "", spec.Labels, "sandbox")
	c.ip = ip
	r.run(c)
	return r.sandbox(c), nil
}

func (r *Runtime) sandbox(c *container) runtime.Sandbox {
	ip := c.ip.As4()
	return runtime.Sandbox{
		ID:         c.state.ID,
		IP:         c.ip.String(),
		MACAddress: fmt.Sprintf("02:42:%02x:%02x:%02x:%02x", ip[0], ip[1], ip[2], ip[3]),
		Gateway:    r.addrs.subnet.Addr().Next().String(),
		Network:    "simulated",
	}
}

// CreateContainer records a container in the created state.
func (r *Runtime) CreateContainer(_ context.Context, spec runtime.ContainerSpec) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.byName(spec.Name); c != nil {
		return c.state.ID, nil
	}
	c := r.add(spec.Name, spec.Image, spec.Labels, "container")
	c.healthCheck = spec.HealthCheck != nil
	return c.state.ID, nil
}

func (r *Runtime) add(name, image string, labels map[string]string, kind string) *container {
	c := &container{done: make(chan struct{})}
	c.state = runtime.ContainerState{ID: r.newID(kind), Name: name, Image: image, Labels: labels, Status: "created"}
	r.containers[c.state.ID] = c
	r.names[name] = c.state.ID
	return c
}

// byName finds a container by name; called with r.mu held.
func (r *Runtime) byName(name string) *container {
	return r.containers[r.names[name]]
}

// StartContainer makes a created container run until it is stopped; a
// health check passes at once.
func (r *Runtime) StartContainer(_ context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.containers[id]
	if c == nil {
		return fmt.Errorf("%w: %s", runtime.ErrNotFound, id)
	}
	if !c.state.Running {
		r.run(c)
	}
	return nil
}

// run starts c; called with r.mu held.
func (r *Runtime) run(c *container) {
	c.state.Status, c.state.Running, c.state.StartedAt = "running", true, r.now()
	r.subs.publish(c.state, "start")
	if c.healthCheck {
		c.state.Health = runtime.HealthHealthy
		r.subs.publish(c.state, "health_status")
	}
}

// StopContainer ends a running container with exit code 0, as a process
// that exits on SIGTERM does.
func (r *Runtime) StopContainer(_ context.Context, id string, _ time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.containers[id]
	if c == nil || !c.state.Running {
		return nil
	}
	c.state.Status, c.state.Running, c.state.ExitCode, c.state.FinishedAt = "exited", false, 0, r.now()
	c.end()
	r.subs.publish(c.state, "die")
	return nil
}

// RemoveContainer forgets a container and frees its address.
func (r *Runtime) RemoveContainer(_ context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.containers[id]
	if c == nil {
		return nil
	}
	delete(r.containers, id)
	delete(r.names, c.state.Name)
	if c.ip.IsValid() {
		r.addrs.release(c.ip)
	}
	c.end()
	r.subs.publish(c.state, "destroy")
	return nil
}

// InspectContainer returns a container's state.
func (r *Runtime) InspectContainer(_ context.Context, id string) (runtime.ContainerState, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.containers[id]
	if c == nil {
		return runtime.ContainerState{}, fmt.Errorf("%w: %s", runtime.ErrNotFound, id)
	}
	return c.state, nil
}

// ListContainers returns every container, running or not.
func (r *Runtime) ListContainers(context.Context) ([]runtime.ContainerState, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]runtime.ContainerState, 0, len(r.containers))
	for _, c := range r.containers {
		out = append(out, c.state)
	}
	return out, nil
}
