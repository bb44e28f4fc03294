package docker

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localaws/ecsemu/internal/runtime"
)

// Tests in this file need a Docker engine: they skip without one, and fail
// when EMULATOR_REQUIRE_DOCKER=1. They run one after another on purpose:
// each has its own task network, and the engine's pool of subnets is small.

func TestInfo(t *testing.T) {
	e := newTestEnv(t)
	info, err := e.r.Info(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Endpoint != e.r.Endpoint() || info.Version == "" || info.APIVersion == "" {
		t.Fatalf("info = %+v", info)
	}
	t.Logf("engine %s, API %s at %s", info.Version, info.APIVersion, info.Endpoint)
}

// TestSandboxTaskNetworking: containers of one task share the sandbox's
// network namespace (localhost between them, its hostname), and the task's
// address answers from the host.
func TestSandboxTaskNetworking(t *testing.T) {
	e := newTestEnv(t)
	sb := e.sandbox("net")
	ip, err := netip.ParseAddr(sb.IP)
	if err != nil || !ip.Is4() || sb.Gateway == "" || sb.MACAddress == "" || sb.Network != e.r.Network() {
		t.Fatalf("sandbox = %+v", sb)
	}
	e.start(e.appSpec(sb, "server", nil, "NAME=server"))

	// From the host, on the task's own address.
	body := e.httpGet("http://" + sb.IP + ":8080/")
	var info struct{ Hostname string }
	if err := json.Unmarshal([]byte(body), &info); err != nil || info.Hostname != "host-net" {
		t.Fatalf("GET / = %s (%v); want the sandbox hostname host-net", body, err)
	}

	// From a second container, on localhost.
	client := e.start(e.appSpec(sb, "client", []string{"get", "http://127.0.0.1:8080/health"}))
	if s := e.waitExit(client); s.ExitCode != 0 {
		t.Fatalf("client on localhost exited %d, want 0", s.ExitCode)
	}

	st, err := e.r.InspectContainer(e.ctx, sb.ID)
	if err != nil || !st.Running || st.Labels[runtime.LabelRole] != runtime.RoleSandbox {
		t.Fatalf("sandbox state = %+v (%v)", st, err)
	}
}

// The sandbox ignores SIGTERM; its stop signal is SIGKILL so a stop does
// not wait out the timeout.
func TestSandboxStopsAtOnce(t *testing.T) {
	e := newTestEnv(t)
	sb := e.sandbox("stop")
	start := time.Now()
	if err := e.r.StopContainer(e.ctx, sb.ID, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("stopping the sandbox took %v", d)
	}
	if s := e.waitExit(sb.ID); s.ExitCode != 137 {
		t.Fatalf("sandbox exit code %d, want 137 (SIGKILL)", s.ExitCode)
	}
}

func TestExitCodePropagation(t *testing.T) {
	e := newTestEnv(t)
	sb := e.sandbox("exit")
	tests := []struct {
		name string
		cmd  []string
		env  []string
		want int
	}{
		{"exit-0", []string{"exit", "0"}, nil, 0},
		{"exit-3", []string{"exit", "3"}, nil, 3},
		{"exit-after", nil, []string{"EXIT_AFTER=300ms", "EXIT_CODE=7", "PORT=8081"}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e.sub(t)
			id := e.start(e.appSpec(sb, tt.name, tt.cmd, tt.env...))
			s := e.waitExit(id)
			// Not FinishedAt >= StartedAt: for a process that exits at once
			// the engine may stamp its start after its end.
			if s.ExitCode != tt.want || s.Status != "exited" || s.OOMKilled ||
				s.StartedAt.IsZero() || s.FinishedAt.IsZero() {
				t.Fatalf("state = %+v, want exit code %d", s, tt.want)
			}
		})
	}
}

func TestOOMKilled(t *testing.T) {
	e := newTestEnv(t)
	sb := e.sandbox("oom")
	spec := e.appSpec(sb, "hog", nil, "ALLOCATE_MB=256")
	spec.MemoryBytes = 32 << 20
	id := e.start(spec)
	s := e.waitExit(id)
	// Docker 20.10 on cgroup v1 may record the kernel's OOM notice a few
	// hundred milliseconds after the exit, so look again for a while.
	for deadline := time.Now().Add(3 * time.Second); !s.OOMKilled && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		var err error
		if s, err = e.r.InspectContainer(e.ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if !s.OOMKilled || s.ExitCode != 137 {
		t.Fatalf("state = %+v, want OOMKilled with exit code 137", s)
	}
}

func TestHealthCheck(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name string
		env  []string
		want string
	}{
		{"healthy", nil, runtime.HealthHealthy},
		{"unhealthy", []string{"HEALTH_STATUS=500"}, runtime.HealthUnhealthy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e.sub(t)
			sb := e.sandbox(tt.name)
			spec := e.appSpec(sb, tt.name+"-app", nil, tt.env...)
			spec.HealthCheck = &runtime.HealthCheck{
				Test:     []string{"CMD", "/testapp", "healthcheck"},
				Interval: 250 * time.Millisecond,
				Timeout:  2 * time.Second,
				Retries:  2,
			}
			id := e.start(spec)
			e.waitState(id, 30*time.Second, tt.want, func(s runtime.ContainerState) bool { return s.Health == tt.want })

			// The list reports it too (from its status text on old engines).
			list, err := e.r.ListContainers(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, s := range list {
				if s.ID == id {
					found = true
					if s.Health != tt.want || !s.Running {
						t.Fatalf("listed state = %+v, want running and %s", s, tt.want)
					}
				}
			}
			if !found {
				t.Fatal("container missing from ListContainers")
			}
		})
	}
}

func TestStopContainer(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name     string
		env      []string
		timeout  time.Duration
		wantCode int
		min, max time.Duration
	}{
		{"graceful", nil, 10 * time.Second, 0, 0, 5 * time.Second},
		{"ignores-sigterm", []string{"IGNORE_SIGTERM=1"}, 2 * time.Second, 137, 1800 * time.Millisecond, 8 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e.sub(t)
			sb := e.sandbox(tt.name)
			id := e.start(e.appSpec(sb, tt.name+"-app", nil, tt.env...))
			e.httpGet("http://" + sb.IP + ":8080/health") // signal handlers are in place

			start := time.Now()
			if err := e.r.StopContainer(e.ctx, id, tt.timeout); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			if took < tt.min || took > tt.max {
				t.Fatalf("stop took %v, want between %v and %v", took, tt.min, tt.max)
			}
			if s := e.waitExit(id); s.ExitCode != tt.wantCode {
				t.Fatalf("exit code %d, want %d", s.ExitCode, tt.wantCode)
			}
			// Stopping a stopped, then a removed, container succeeds.
			if err := e.r.StopContainer(e.ctx, id, time.Second); err != nil {
				t.Fatalf("stop of a stopped container: %v", err)
			}
			if err := e.r.RemoveContainer(e.ctx, id); err != nil {
				t.Fatal(err)
			}
			if err := e.r.StopContainer(e.ctx, id, time.Second); err != nil {
				t.Fatalf("stop of a removed container: %v", err)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	e := newTestEnv(t)
	missing := e.name("missing")
	if _, err := e.r.InspectContainer(e.ctx, missing); !errors.Is(err, runtime.ErrNotFound) {
		t.Fatalf("inspect: err = %v, want ErrNotFound", err)
	}
	if err := e.r.StopContainer(e.ctx, missing, time.Second); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := e.r.RemoveContainer(e.ctx, missing); err != nil {
		t.Fatalf("remove: %v", err)
	}
}

// A container left from a crash under the same deterministic name is
// replaced, not reported as a conflict.
func TestCreateReplacesLeftover(t *testing.T) {
	e := newTestEnv(t)
	sb := e.sandbox("dup")
	spec := e.appSpec(sb, "dup-app", []string{"sleep", "1m"})
	first, err := e.r.CreateContainer(e.ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.r.CreateContainer(e.ctx, spec)
	if err != nil {
		t.Fatalf("second create: %v", err)
	}
	if first == second {
		t.Fatal("want a new container")
	}
	if _, err := e.r.InspectContainer(e.ctx, first); !errors.Is(err, runtime.ErrNotFound) {
		t.Fatalf("leftover still there: %v", err)
	}
}

func TestListContainers(t *testing.T) {
	e := newTestEnv(t)
	sb := e.sandbox("list")
	running := e.start(e.appSpec(sb, "running", []string{"sleep", "1m"}))
	exited := e.start(e.appSpec(sb, "exited", []string{"exit", "5"}))
	e.waitExit(exited)

	list, err := e.r.ListContainers(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]runtime.ContainerState{}
	for _, s := range list {
		if s.Labels[runtime.LabelManaged] != "true" {
			t.Fatalf("unmanaged container listed: %+v", s)
		}
		if s.Labels[labelTestRun] == e.run {
			got[s.ID] = s
		}
	}
	if len(got) != 3 {
		t.Fatalf("listed %d of this test's containers, want 3: %+v", len(got), got)
	}
	if s := got[sb.ID]; !s.Running || s.Labels[runtime.LabelRole] != runtime.RoleSandbox || s.Name != e.name("list") {
		t.Fatalf("sandbox = %+v", s)
	}
	if s := got[running]; !s.Running || s.Status != "running" || s.Image != e.app {
		t.Fatalf("running = %+v", s)
	}
	if s := got[exited]; !s.Exited() || s.ExitCode != 5 || s.FinishedAt.IsZero() {
		t.Fatalf("exited = %+v", s)
	}
}

func TestEnsureImage(t *testing.T) {
	e := newTestEnv(t)
	var pulls atomic.Int32
	e.r.pullHook = func(string) { pulls.Add(1) }

	t.Run("present", func(t *testing.T) {
		if err := e.r.EnsureImage(e.ctx, e.app); err != nil || pulls.Load() != 0 {
			t.Fatalf("err = %v, pulls = %d; want no pull", err, pulls.Load())
		}
	})

	t.Run("missing", func(t *testing.T) {
		image := "ecs-emulator-test/missing-" + e.run + ":v1"
		start := time.Now()
		err := e.r.EnsureImage(e.ctx, image)
		if err == nil {
			t.Fatal("want a pull error")
		}
		msg := err.Error()
		t.Logf("CannotPullContainerError: %s", msg)
		prefix := "pull image manifest has been retried 1 time(s): failed to resolve ref docker.io/ecs-emulator-test/missing-" + e.run + ":v1: "
		if !strings.HasPrefix(msg, prefix) || strings.Contains(msg, "\n") || len(msg) == len(prefix) {
			t.Fatalf("message %q: want one line starting %q", msg, prefix)
		}
		if errors.Is(err, runtime.ErrEngineUnavailable) {
			t.Fatal("a failed pull is not an unavailable engine")
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Fatalf("failing pull took %v", d)
		}
	})

	t.Run("concurrent callers share one pull", func(t *testing.T) {
		image := "ecs-emulator-test/shared-" + e.run + ":v1"
		const n = 6
		pulls.Store(0)
		// Hold the pull until every caller has joined it, so the test does
		// not depend on how fast the engine fails.
		var joined atomic.Int32
		e.r.pullHook = func(string) {
			pulls.Add(1)
			deadline := time.Now().Add(10 * time.Second)
			for e.r.pulls.waiting(image) < n && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			joined.Store(int32(e.r.pulls.waiting(image)))
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { errs[i] = e.r.EnsureImage(context.Background(), image) })
		}
		wg.Wait()
		if pulls.Load() != 1 || joined.Load() != n {
			t.Fatalf("%d pulls with %d callers attached, want 1 pull shared by %d", pulls.Load(), joined.Load(), n)
		}
		for _, err := range errs {
			if err == nil || err.Error() != errs[0].Error() {
				t.Fatalf("callers got different results: %v / %v", err, errs[0])
			}
		}
	})
}

func TestEvents(t *testing.T) {
	e := newTestEnv(t)
	ctx, cancel := context.WithCancel(e.ctx)
	evs, errc := e.r.Events(ctx)

	sb := e.sandbox("events")
	id := e.start(e.appSpec(sb, "events-app", []string{"exit", "0"}))

	seen := map[string]bool{}
	timeout := time.After(30 * time.Second)
	for !seen["start"] || !seen["die"] {
		select {
		case ev := <-evs:
			if ev.ContainerID != id {
				continue
			}
			if ev.Labels[labelTestRun] != e.run || ev.Labels[runtime.LabelRole] != runtime.RoleContainer {
				t.Fatalf("event labels = %v", ev.Labels)
			}
			seen[ev.Action] = true
		case err := <-errc:
			t.Fatalf("event stream broke: %v", err)
		case <-timeout:
			t.Fatalf("events seen %v, want start and die", seen)
		}
	}

	cancel()
	for range evs { // drains until closed
	}
	if err, ok := <-errc; ok {
		t.Fatalf("a cancelled stream must not report an error, got %v", err)
	}
}

// TestNetworkLifecycle: concurrent first sandboxes create one network;
// RemoveNetwork keeps a network in use and removes an idle one; a removed
// network is re-created by the next sandbox.
func TestNetworkLifecycle(t *testing.T) {
	e := newTestEnv(t)
	const n = 4
	sbs := make([]runtime.Sandbox, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sbs[i], errs[i] = e.r.CreateSandbox(e.ctx, runtime.SandboxSpec{
				Name:   e.name("conc-" + string(rune('a'+i))),
				Labels: e.labels(runtime.RoleSandbox),
			})
		})
	}
	wg.Wait()
	ips := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("sandbox %d: %v", i, errs[i])
		}
		ips[sbs[i].IP] = true
	}
	if len(ips) != n {
		t.Fatalf("sandboxes share addresses: %v", ips)
	}
	nets, err := e.r.networksNamed(e.ctx)
	if err != nil || len(nets) != 1 {
		t.Fatalf("%d networks named %s, want 1 (%v)", len(nets), e.r.Network(), err)
	}

	if err := e.r.RemoveNetwork(e.ctx); err != nil {
		t.Fatal(err)
	}
	if id, _ := e.r.findNetwork(e.ctx); id == "" {
		t.Fatal("RemoveNetwork removed a network with sandboxes attached")
	}
	for _, sb := range sbs {
		if err := e.r.RemoveContainer(e.ctx, sb.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.r.RemoveNetwork(e.ctx); err != nil {
		t.Fatal(err)
	}
	if id, _ := e.r.findNetwork(e.ctx); id != "" {
		t.Fatal("idle network not removed")
	}

	sb := e.sandbox("again")
	if sb.IP == "" {
		t.Fatalf("sandbox on re-created network = %+v", sb)
	}
}
