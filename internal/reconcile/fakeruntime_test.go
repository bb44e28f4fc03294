package reconcile_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/runtime"
)

// fakeRuntime is an in-memory engine for what a real one cannot do on
// demand, such as reporting events in an unlucky order. Containers start
// when told and stop at once on SIGTERM; the test makes them exit with
// exit and sends engine events with event.
type fakeRuntime struct {
	mu         sync.Mutex
	n          int
	containers map[string]*runtime.ContainerState
	events     chan runtime.Event
}

func newFakeRuntime() *fakeRuntime {
	return &fakeRuntime{containers: map[string]*runtime.ContainerState{}, events: make(chan runtime.Event, 100)}
}

var _ runtime.Runtime = (*fakeRuntime)(nil)

func (f *fakeRuntime) Endpoint() string { return "fake://engine" }
func (f *fakeRuntime) Info(context.Context) (runtime.EngineInfo, error) {
	return runtime.EngineInfo{Endpoint: f.Endpoint(), Version: "fake"}, nil
}
func (f *fakeRuntime) EnsureImage(context.Context, string) error { return nil }
func (f *fakeRuntime) Close() error                              { return nil }

func (f *fakeRuntime) add(name string, labels map[string]string, running bool) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	id := fmt.Sprintf("%064d", f.n)
	st := &runtime.ContainerState{ID: id, Name: name, Labels: maps.Clone(labels), Status: "created"}
	if running {
		st.Status, st.Running, st.StartedAt = "running", true, time.Now()
	}
	f.containers[id] = st
	return id
}

func (f *fakeRuntime) CreateSandbox(_ context.Context, spec runtime.SandboxSpec) (runtime.Sandbox, error) {
	id := f.add(spec.Name, spec.Labels, true)
	return runtime.Sandbox{ID: id, IP: "10.0.0.2", MACAddress: "02:42:0a:00:00:02", Network: "fake"}, nil
}

func (f *fakeRuntime) CreateContainer(_ context.Context, spec runtime.ContainerSpec) (string, error) {
	return f.add(spec.Name, spec.Labels, false), nil
}

func (f *fakeRuntime) StartContainer(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, ok := f.containers[id]
	if !ok {
		return runtime.ErrNotFound
	}
	st.Status, st.Running, st.StartedAt = "running", true, time.Now()
	f.emit(st, "start")
	return nil
}

func (f *fakeRuntime) StopContainer(_ context.Context, id string, _ time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st, ok := f.containers[id]; ok && st.Running {
		f.stop(st, 0)
	}
	return nil
}

func (f *fakeRuntime) RemoveContainer(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st, ok := f.containers[id]; ok {
		delete(f.containers, id)
		f.emit(st, "destroy")
	}
	return nil
}

func (f *fakeRuntime) InspectContainer(_ context.Context, id string) (runtime.ContainerState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, ok := f.containers[id]
	if !ok {
		return runtime.ContainerState{}, fmt.Errorf("inspect %s: %w", id, runtime.ErrNotFound)
	}
	return *st, nil
}

func (f *fakeRuntime) ListContainers(context.Context) ([]runtime.ContainerState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []runtime.ContainerState
	for _, st := range f.containers {
		out = append(out, *st)
	}
	return out, nil
}

// FollowLogs: the fake's containers print nothing.
func (f *fakeRuntime) FollowLogs(_ context.Context, id string, _ time.Time) (runtime.LogReader, error) {
	if _, err := f.InspectContainer(context.Background(), id); err != nil {
		return nil, err
	}
	return emptyLogs{}, nil
}

type emptyLogs struct{}

func (emptyLogs) Next() (runtime.LogEntry, error) { return runtime.LogEntry{}, io.EOF }
func (emptyLogs) Buffered() bool                  { return false }
func (emptyLogs) Close() error                    { return nil }

// Events serves the one subscriber the reconciler is.
func (f *fakeRuntime) Events(ctx context.Context) (<-chan runtime.Event, <-chan error) {
	out := make(chan runtime.Event)
	errs := make(chan error, 1)
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-f.events:
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, errs
}

// stop and emit are called with f.mu held.
func (f *fakeRuntime) stop(st *runtime.ContainerState, code int) {
	st.Status, st.Running, st.ExitCode, st.FinishedAt = "exited", false, code, time.Now()
	f.emit(st, "die")
}

func (f *fakeRuntime) emit(st *runtime.ContainerState, action string) {
	select {
	case f.events <- runtime.Event{ContainerID: st.ID, Action: action, Labels: maps.Clone(st.Labels)}:
	default: // nobody listens yet; the reconciler's passes catch up
	}
}

// exit makes the named task container exit as the engine reports it.
func (f *fakeRuntime) exit(container string, code int, oomKilled bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, st := range f.containers {
		if st.Labels[runtime.LabelContainerName] == container && st.Running {
			st.OOMKilled = oomKilled
			f.stop(st, code)
		}
	}
}

// event sends an engine event about the named task container.
func (f *fakeRuntime) event(container, action string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, st := range f.containers {
		if st.Labels[runtime.LabelContainerName] == container {
			f.emit(st, action)
		}
	}
}
