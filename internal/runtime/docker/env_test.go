package docker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
)

// labelTestRun marks every container a test creates, so cleanup finds them
// all (and only them) even when other packages' tests run at the same time.
const labelTestRun = "ecs-emulator.test-run"

// testEnv is a Runtime on its own task network, for one test that needs the
// engine. Cleanup force-removes the test's containers and its network.
type testEnv struct {
	t   *testing.T
	ctx context.Context
	r   *Runtime
	run string // random, in names, labels and the network name
	app string // the test app image
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	app := dockertest.TestAppImage(t) // skips (or fails) without an engine
	run := randomHex(t, 4)
	r, err := New(t.Context(), Options{
		Network:     "ecs-emulator-test-" + run,
		PullTimeout: 30 * time.Second,
		Logger:      slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, ctx: t.Context(), r: r, run: run, app: app}
	t.Cleanup(e.cleanup)
	return e
}

// sub returns the env for a subtest, so helpers fail the subtest (calling
// FailNow on the parent from a subtest is not allowed).
func (e *testEnv) sub(t *testing.T) *testEnv {
	c := *e
	c.t = t
	return &c
}

func (e *testEnv) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := e.r.cli.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", labelTestRun+"="+e.run),
	})
	if err != nil {
		e.t.Errorf("cleanup: list containers: %v", err)
	}
	for _, c := range res.Items {
		if err := e.r.RemoveContainer(ctx, c.ID); err != nil {
			e.t.Errorf("cleanup: %v", err)
		}
	}
	if err := e.r.RemoveNetwork(ctx); err != nil {
		e.t.Errorf("cleanup: %v", err)
	}
	if id, err := e.r.findNetwork(ctx); err != nil || id != "" {
		e.t.Errorf("cleanup: network %s still there (%v)", e.r.Network(), err)
	}
	_ = e.r.Close()
}

func (e *testEnv) name(suffix string) string { return "ecs-emu-test-" + e.run + "-" + suffix }

func (e *testEnv) labels(role string) map[string]string {
	return map[string]string{
		runtime.LabelManaged: "true",
		runtime.LabelRole:    role,
		labelTestRun:         e.run,
	}
}

// sandbox creates a started sandbox.
func (e *testEnv) sandbox(suffix string) runtime.Sandbox {
	e.t.Helper()
	sb, err := e.r.CreateSandbox(e.ctx, runtime.SandboxSpec{
		Name:     e.name(suffix),
		Hostname: "host-" + suffix,
		Labels:   e.labels(runtime.RoleSandbox),
	})
	if err != nil {
		e.t.Fatalf("CreateSandbox: %v", err)
	}
	return sb
}

// appSpec is a container of the test app in a sandbox.
func (e *testEnv) appSpec(sb runtime.Sandbox, suffix string, cmd []string, env ...string) runtime.ContainerSpec {
	return runtime.ContainerSpec{
		Name:      e.name(suffix),
		Image:     e.app,
		Labels:    e.labels(runtime.RoleContainer),
		SandboxID: sb.ID,
		Command:   cmd,
		Env:       env,
	}
}

// start creates and starts a container.
func (e *testEnv) start(spec runtime.ContainerSpec) string {
	e.t.Helper()
	id, err := e.r.CreateContainer(e.ctx, spec)
	if err != nil {
		e.t.Fatalf("CreateContainer: %v", err)
	}
	if err := e.r.StartContainer(e.ctx, id); err != nil {
		e.t.Fatalf("StartContainer: %v", err)
	}
	return id
}

// waitState polls the container until cond holds.
func (e *testEnv) waitState(id string, timeout time.Duration, what string, cond func(runtime.ContainerState) bool) runtime.ContainerState {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s, err := e.r.InspectContainer(e.ctx, id)
		if err != nil {
			e.t.Fatalf("InspectContainer: %v", err)
		}
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("container %s: not %s after %v; state %+v", s.Name, what, timeout, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (e *testEnv) waitExit(id string) runtime.ContainerState {
	e.t.Helper()
	return e.waitState(id, 30*time.Second, "exited", runtime.ContainerState.Exited)
}

// httpGet polls url from the host until it answers 200 and returns the body.
func (e *testEnv) httpGet(url string) string {
	e.t.Helper()
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := c.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return string(body)
			}
			err = &statusError{resp.StatusCode}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("GET %s from the host: %v", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type statusError struct{ code int }

func (s *statusError) Error() string { return http.StatusText(s.code) }

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
