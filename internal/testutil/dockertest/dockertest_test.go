package dockertest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/testutil/dockertest"
)

// execIn runs cmd in the container and returns its exit code and output.
func execIn(ctx context.Context, t *testing.T, cli *client.Client, id string, cmd ...string) (int, string) {
	t.Helper()
	ex, err := cli.ExecCreate(ctx, id, client.ExecCreateOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		t.Fatalf("exec create %v: %v", cmd, err)
	}
	att, err := cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{})
	if err != nil {
		t.Fatalf("exec attach %v: %v", cmd, err)
	}
	// The stream is multiplexed (8-byte frame headers); good enough for
	// error messages and substring checks.
	var out bytes.Buffer
	_, _ = io.Copy(&out, att.Reader)
	att.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ins, err := cli.ExecInspect(ctx, ex.ID, client.ExecInspectOptions{})
		if err != nil {
			t.Fatalf("exec inspect %v: %v", cmd, err)
		}
		if !ins.Running {
			return ins.ExitCode, out.String()
		}
		if time.Now().After(deadline) {
			t.Fatalf("exec %v still running", cmd)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func httpGet(url string) (int, []byte, error) {
	c := &http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func TestTestAppContainer(t *testing.T) {
	t.Parallel()
	image := dockertest.TestAppImage(t)
	if image != dockertest.TestAppTag {
		t.Fatalf("TestAppImage = %q", image)
	}
	// A second call is served from the cache.
	if again := dockertest.TestAppImage(t); again != image {
		t.Fatalf("second TestAppImage = %q", again)
	}
	cli := dockertest.NewClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	name := fmt.Sprintf("ecs-emulator-dockertest-%d-%d", os.Getpid(), time.Now().UnixNano())
	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: name,
		Config: &container.Config{
			Image:  image,
			Env:    []string{"PORT=8080", "NAME=dockertest", "ECS_TEST_VAR=yes"},
			Labels: map[string]string{"ecs-emulator.test": "dockertest"},
			Healthcheck: &container.HealthConfig{
				Test:     []string{"CMD", "/testapp", "healthcheck"},
				Interval: time.Second,
				Timeout:  3 * time.Second,
				Retries:  3,
			},
		},
		HostConfig: &container.HostConfig{NetworkMode: "bridge"},
	})
	if err != nil {
		t.Fatalf("container create: %v", err)
	}
	id := created.ID
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true}); err != nil {
			t.Errorf("container remove %s: %v", name, err)
		}
	})
	if _, err := cli.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		t.Fatalf("container start: %v", err)
	}

	ins, err := cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatalf("container inspect: %v", err)
	}
	ep := ins.Container.NetworkSettings.Networks["bridge"]
	if ep == nil || !ep.IPAddress.IsValid() {
		t.Fatalf("container has no address on the default bridge: %+v", ins.Container.NetworkSettings.Networks)
	}
	ip := ep.IPAddress.String()
	base := "http://" + ip + ":8080"

	// /health from the host, through the container's bridge address.
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, body, err := httpGet(base + "/health")
		if err == nil && code == http.StatusOK && strings.TrimSpace(string(body)) == "ok" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s/health: code=%d body=%q err=%v", base, code, body, err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	code, body, err := httpGet(base + "/")
	if err != nil || code != http.StatusOK {
		t.Fatalf("GET /: %d %s %v", code, body, err)
	}
	var root struct {
		Name     string            `json:"name"`
		Hostname string            `json:"hostname"`
		IPs      []string          `json:"ips"`
		Port     int               `json:"port"`
		Env      map[string]string `json:"env"`
	}
	if err := json.Unmarshal(body, &root); err != nil {
		t.Fatalf("GET /: %v: %s", err, body)
	}
	if root.Name != "dockertest" || root.Port != 8080 || !slices.Contains(root.IPs, ip) ||
		root.Env["ECS_TEST_VAR"] != "yes" || root.Env["NAME"] != "dockertest" || root.Env["PORT"] != "" {
		t.Fatalf("GET / = %s", body)
	}

	// The image's own health check (the binary probing itself) turns healthy.
	deadline = time.Now().Add(30 * time.Second)
	for {
		ins, err := cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatalf("container inspect: %v", err)
		}
		st := ins.Container.State
		if st.Health != nil && st.Health.Status == container.Healthy {
			break
		}
		if !st.Running || time.Now().After(deadline) {
			t.Fatalf("container not healthy: %+v health=%+v", st, st.Health)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// The subcommands, run by exec.
	if code, out := execIn(ctx, t, cli, id, "/testapp", "healthcheck"); code != 0 {
		t.Fatalf("testapp healthcheck = %d: %s", code, out)
	}
	if code, _, err := httpGet(base + "/health/set?code=503"); err != nil || code != http.StatusOK {
		t.Fatalf("/health/set: %d %v", code, err)
	}
	if code, out := execIn(ctx, t, cli, id, "/testapp", "healthcheck"); code != 1 {
		t.Fatalf("testapp healthcheck after /health/set?code=503 = %d, want 1: %s", code, out)
	}
	if code, out := execIn(ctx, t, cli, id, "/testapp", "get", "http://127.0.0.1:8080/"); code != 0 || !strings.Contains(out, `"dockertest"`) {
		t.Fatalf("testapp get = %d: %s", code, out)
	}
	if code, out := execIn(ctx, t, cli, id, "/testapp", "resolve", root.Hostname); code != 0 || !strings.Contains(out, ip) {
		t.Fatalf("testapp resolve %s = %d: %s", root.Hostname, code, out)
	}
	if code, out := execIn(ctx, t, cli, id, "/testapp", "exit", "7"); code != 7 {
		t.Fatalf("testapp exit 7 = %d: %s", code, out)
	}
}

func TestRequireEngineMessage(t *testing.T) {
	// With an unreachable endpoint RequireEngine must skip (or fail when
	// EMULATOR_REQUIRE_DOCKER=1), never hang or pass.
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	t.Setenv(dockertest.EnvRequireDocker, "")
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		dockertest.RequireEngine(rec)
	}()
	<-done
	if !rec.skipped || !strings.Contains(rec.msg, "Docker engine not reachable at unix:///nonexistent/docker.sock") ||
		!strings.Contains(rec.msg, "EMULATOR_REQUIRE_DOCKER=1") {
		t.Fatalf("skipped=%v msg=%q", rec.skipped, rec.msg)
	}

	t.Setenv(dockertest.EnvRequireDocker, "1")
	rec = &recorder{TB: t}
	done = make(chan struct{})
	go func() {
		defer close(done)
		dockertest.RequireEngine(rec)
	}()
	<-done
	if !rec.failed || rec.skipped {
		t.Fatalf("with EMULATOR_REQUIRE_DOCKER=1: failed=%v skipped=%v msg=%q", rec.failed, rec.skipped, rec.msg)
	}
}

// recorder captures Skipf/Fatalf instead of ending the real test; both end
// the calling goroutine like the real ones do.
type recorder struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recorder) Helper() {}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
