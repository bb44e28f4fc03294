package docker

import (
	"context"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// InspectContainer reports one container's state; unknown ids give an
// error wrapping runtime.ErrNotFound.
func (r *Runtime) InspectContainer(ctx context.Context, id string) (runtime.ContainerState, error) {
	ctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return runtime.ContainerState{}, r.wrap("inspect container", shortID(id), err)
	}
	return stateFromInspect(res.Container), nil
}

func stateFromInspect(c container.InspectResponse) runtime.ContainerState {
	s := runtime.ContainerState{ID: c.ID, Name: trimName(c.Name), Image: c.Image}
	if c.Config != nil {
		s.Image = c.Config.Image // the reference as given, not the image ID
		s.Labels = c.Config.Labels
	}
	if st := c.State; st != nil {
		s.Status = string(st.Status)
		s.Running = st.Running
		s.ExitCode = st.ExitCode
		s.OOMKilled = st.OOMKilled
		s.Error = st.Error
		s.StartedAt = parseEngineTime(st.StartedAt)
		s.FinishedAt = parseEngineTime(st.FinishedAt)
		if st.Health != nil {
			s.Health = healthString(st.Health.Status)
		}
	}
	return s
}

// ListContainers lists every container carrying the managed label, running
// or not. It stays cheap: one list call, plus an inspect only for stopped
// containers, whose exit code, OOM flag and finish time the list lacks.
// For containers that are not stopped, StartedAt and FinishedAt are left
// zero; call InspectContainer when they matter.
func (r *Runtime) ListContainers(ctx context.Context) ([]runtime.ContainerState, error) {
	items, err := r.listManaged(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]runtime.ContainerState, 0, len(items))
	for _, it := range items {
		s := stateFromSummary(it)
		if s.Status == string(container.StateExited) || s.Status == string(container.StateDead) {
			full, err := r.InspectContainer(ctx, it.ID)
			if cerrdefs.IsNotFound(err) {
				continue // removed since the list; it no longer exists
			}
			if err != nil {
				return nil, err
			}
			s = full
		}
		out = append(out, s)
	}
	return out, nil
}

func (r *Runtime) listManaged(ctx context.Context) ([]container.Summary, error) {
	ctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", runtime.LabelManaged+"=true"),
	})
	if err != nil {
		return nil, r.wrap("list containers", "", err)
	}
	return res.Items, nil
}

func stateFromSummary(c container.Summary) runtime.ContainerState {
	s := runtime.ContainerState{
		ID:      c.ID,
		Image:   c.Image,
		Labels:  c.Labels,
		Status:  string(c.State),
		Running: c.State == container.StateRunning,
	}
	if len(c.Names) > 0 {
		s.Name = trimName(c.Names[0])
	}
	if c.Health != nil {
		s.Health = healthString(c.Health.Status)
	} else {
		s.Health = healthFromStatusText(c.Status)
	}
	return s
}

// healthFromStatusText reads health from the list's human status, e.g.
// "Up 5 seconds (health: starting)": engines before API 1.52 put it
// nowhere else in a list answer.
func healthFromStatusText(status string) string {
	switch {
	case strings.Contains(status, "(healthy)"):
		return runtime.HealthHealthy
	case strings.Contains(status, "(unhealthy)"):
		return runtime.HealthUnhealthy
	case strings.Contains(status, "(health: starting)"):
		return runtime.HealthStarting
	}
	return runtime.HealthNone
}

// healthString maps the engine's health words to the runtime's; "none"
// (no health check) becomes HealthNone.
func healthString(h container.HealthStatus) string {
	switch h {
	case container.Starting, container.Healthy, container.Unhealthy:
		return string(h)
	}
	return runtime.HealthNone
}

// parseEngineTime parses the engine's RFC 3339 times. The engine writes
// "0001-01-01T00:00:00Z" for "never", which parses to the zero time.
func parseEngineTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.IsZero() {
		return time.Time{}
	}
	return t
}

// trimName drops the leading "/" the engine puts on container names.
func trimName(n string) string { return strings.TrimPrefix(n, "/") }

// shortID shortens a full 64-hex container ID to the 12 characters people
// see in `docker ps`; names and short IDs pass through.
func shortID(id string) string {
	if len(id) == 64 && strings.Trim(id, "0123456789abcdef") == "" {
		return id[:12]
	}
	return id
}
