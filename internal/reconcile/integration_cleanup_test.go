package reconcile_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/reconcile"
	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/runtime/docker"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// rawEmulator is the emulator wired by hand, as emulatortest and main do,
// for the tests that need to stop it without cleaning up (a crash) or to
// give it a runtime of their own.
type rawEmulator struct {
	rec    *reconcile.Reconciler
	rt     runtime.Runtime
	srv    *httptest.Server
	cancel context.CancelFunc
	ecs    *ecs.Client
}

func startRaw(t *testing.T, rt runtime.Runtime, scope string, tune ...func(*reconcile.Options)) *rawEmulator {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var rec *reconcile.Reconciler
	api := ecsapi.New(ecsapi.Options{Account: "000000000000", Logger: log, OnChange: func(c ecsapi.Change) { rec.Notify(c) }})
	opts := reconcile.Options{Scope: scope, Logger: log}
	for _, fn := range tune {
		fn(&opts)
	}
	rec = reconcile.New(api, rt, opts)
	ctx, cancel := context.WithCancel(context.Background())
	rec.Start(ctx)
	srv := httptest.NewServer(server.New(server.Options{Services: []server.Service{{Spec: ecsapi.Spec, JSON: api}}, Runtime: rt, Region: "us-east-1", AccountID: "000000000000", Version: "test", Logger: log}).Handler())
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""), RetryMaxAttempts: 1}
	e := &rawEmulator{rec: rec, rt: rt, srv: srv, cancel: cancel}
	e.ecs = ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	return e
}

// crash stops the emulator the way a kill would: no Shutdown, so its
// containers stay in the engine.
func (e *rawEmulator) crash() {
	e.srv.Close()
	e.cancel()
	e.rec.Wait()
	_ = e.rt.Close()
}

// shutdown stops it cleanly, as main does on SIGTERM.
func (e *rawEmulator) shutdown() {
	e.srv.Close()
	e.cancel()
	e.rec.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e.rec.Shutdown(ctx)
	_ = e.rt.Close()
}

func (e *rawEmulator) fixture(t *testing.T) *fixture {
	f := &fixture{t: t, ctx: t.Context(), ecs: e.ecs, image: dockertest.TestAppTag}
	f.createCluster()
	return f
}

// dockerRuntime is a runtime on the test engine with its own network.
func dockerRuntime(t *testing.T, network string) runtime.Runtime {
	t.Helper()
	rt, err := docker.New(context.Background(), docker.Options{Network: network})
	if err != nil {
		t.Fatalf("docker runtime: %v", err)
	}
	return rt
}

func testNetworkName(t *testing.T) string {
	return fmt.Sprintf("ecs-emulator-test-%s-%d", strings.ToLower(t.Name()[len("TestIntegration"):]), time.Now().UnixNano()%1e9)
}

func networkExists(t *testing.T, cli *client.Client, name string) bool {
	t.Helper()
	res, err := cli.NetworkList(context.Background(), client.NetworkListOptions{Filters: make(client.Filters).Add("name", name)})
	if err != nil {
		t.Fatalf("network list: %v", err)
	}
	return slices.ContainsFunc(res.Items, func(n networkSummary) bool { return n.Name == name })
}

// removeScope removes what a failed test may have left of a scope: its
// containers and its network.
func removeScope(t *testing.T, cli *client.Client, scope string) {
	ctx := context.Background()
	for _, c := range scopeContainers(t, cli, scope) {
		_, _ = cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true})
	}
	_, _ = cli.NetworkRemove(ctx, scope, client.NetworkRemoveOptions{})
}

// An emulator that shuts down leaves no container of its scope and no
// network behind, even with tasks running and stopped.
func TestIntegrationShutdownLeavesNothing(t *testing.T) {
	t.Parallel()
	cli := dockertest.NewClient(t)
	var scope string
	t.Run("emulator", func(t *testing.T) {
		f := newFixture(t)
		scope = f.e.Network
		running := aws.ToString(f.runTask(f.register("keep", f.app("web"))).TaskArn)
		exited := aws.ToString(f.runTask(f.register("gone", f.app("web", "EXIT_AFTER=0", "EXIT_CODE=1"))).TaskArn)
		f.waitRunning(running, 30*time.Second)
		f.waitStopped(exited, 30*time.Second)
		if n := len(withoutSpares(f.containers(cli))); n != 2 {
			t.Fatalf("%d containers in the engine (spares aside), want the running task's 2: %v", n, containerNames(f.containers(cli)))
		}
		// And shut down while tasks are being created.
		out, err := f.ecs.RunTask(f.ctx, &ecs.RunTaskInput{
			Cluster: aws.String(testCluster), TaskDefinition: aws.String("keep"), Count: aws.Int32(10),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(),
		})
		if err != nil || len(out.Tasks) != 10 {
			t.Fatalf("RunTask count 10: %v", err)
		}
		// At some moment of their creation (engine calls cut short by the
		// shutdown used to leave sandboxes behind).
		time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
	})
	if left := scopeContainers(t, cli, scope); len(left) != 0 {
		t.Fatalf("containers left after shutdown: %v", containerNames(left))
	}
	if networkExists(t, cli, scope) {
		t.Fatalf("network %s left after shutdown", scope)
	}
}

// After a crash the next emulator on the same network removes the
// containers the first one left (it cannot know their tasks), and only
// those of its own scope.
func TestIntegrationRestartSweepsOrphans(t *testing.T) {
	t.Parallel()
	dockertest.TestAppImage(t)
	cli := dockertest.NewClient(t)
	network := testNetworkName(t)
	t.Cleanup(func() { removeScope(t, cli, network) })

	first := startRaw(t, dockerRuntime(t, network), network)
	f := first.fixture(t)
	running := aws.ToString(f.runTask(f.register("orphan", f.app("web"))).TaskArn)
	side := f.app("side", "PORT=8081", "EXIT_AFTER=0")
	side.Essential = aws.Bool(false)
	withExited := aws.ToString(f.runTask(f.register("halfdone", f.app("web"), side)).TaskArn)
	f.waitRunning(running, 30*time.Second)
	f.waitTask(withExited, "side exited", 30*time.Second, func(t types.Task) bool {
		return status(t) == "RUNNING" && slices.ContainsFunc(t.Containers, func(c types.Container) bool { return c.ExitCode != nil })
	}, nil)
	first.crash()
	orphans := scopeContainers(t, cli, network)
	if len(orphans) != 5 {
		t.Fatalf("after the crash %d containers, want 5 (2 sandboxes, 3 containers): %v", len(orphans), containerNames(orphans))
	}

	// A neighbour on the same engine with another scope keeps its own.
	neighbour := newFixture(t)
	kept := aws.ToString(neighbour.runTask(neighbour.register("neighbour", neighbour.app("web"))).TaskArn)
	neighbour.waitRunning(kept, 30*time.Second)

	second := startRaw(t, dockerRuntime(t, network), network)
	defer second.shutdown()
	waitFor(t, "orphans removed", 30*time.Second, func() bool { return len(scopeContainers(t, cli, network)) == 0 },
		func() string { return fmt.Sprintf("%v", containerNames(scopeContainers(t, cli, network))) })
	if task, err := neighbour.describeTask(kept); err != nil || status(task) != "RUNNING" || len(withoutSpares(neighbour.containers(cli))) != 2 {
		t.Fatalf("the neighbour's task suffered from the sweep (%v):\n%s\ncontainers %v", err, dump(task), containerNames(neighbour.containers(cli)))
	}
	// The new emulator runs tasks on the same network.
	g := second.fixture(t)
	again := aws.ToString(g.runTask(g.register("again", g.app("web"))).TaskArn)
	g.waitRunning(again, 30*time.Second)
}

// Without Docker the API works and every task fails to start, saying why.
func TestIntegrationNoEngine(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t, emulatortest.Options{})
	f := &fixture{t: t, ctx: t.Context(), e: e, ecs: e.ECS(), image: dockertest.TestAppTag}
	f.createCluster()
	td := f.register("nodocker", f.app("web"))
	task := f.waitStopped(aws.ToString(f.runTask(td).TaskArn), 10*time.Second)
	reason := aws.ToString(task.StoppedReason)
	t.Logf("Docker disabled: %s", reason)
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.HasPrefix(reason, "ResourceInitializationError:") || !strings.Contains(reason, "disabled") {
		t.Errorf("stopCode %s reason %q, want TaskFailedToStart / ResourceInitializationError: … disabled …", task.StopCode, reason)
	}

	// A service keeps trying, slower and slower, and says so.
	f.createService("hopeless", td, 1)
	f.waitService("hopeless", "the unable-to-start event", 30*time.Second, func(s types.Service, _ []types.Task) bool {
		return slices.Contains(eventMessages(s), "(service hopeless) is unable to consistently start tasks successfully.")
	})
	stopped, err := f.serviceTasks("hopeless", types.DesiredStatusStopped)
	if err != nil {
		t.Fatalf("listing the stopped tasks: %v", err)
	}
	if len(stopped) < 3 || len(stopped) > 6 {
		t.Errorf("%d failed tasks after the third failure, want a few (backoff)\n%s", len(stopped), f.serviceState("hopeless"))
	}
}

// A runtime pointing at an engine that is not there: tasks fail with the
// endpoint in the reason.
func TestIntegrationUnreachableEngine(t *testing.T) {
	t.Parallel()
	const host = "unix:///nonexistent.sock"
	rt, err := docker.New(context.Background(), docker.Options{Host: host, Network: "ecs-emulator-test-unreachable"})
	if err != nil {
		t.Fatalf("docker.New: %v", err)
	}
	e := startRaw(t, rt, "test-unreachable")
	defer e.shutdown()
	f := e.fixture(t)
	start := time.Now()
	task := f.waitStopped(aws.ToString(f.runTask(f.register("unreachable", f.app("web"))).TaskArn), 30*time.Second)
	reason := aws.ToString(task.StoppedReason)
	t.Logf("after %v: %s", time.Since(start).Round(time.Millisecond), reason)
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.HasPrefix(reason, "ResourceInitializationError:") || !strings.Contains(reason, host) {
		t.Errorf("stopCode %s reason %q, want TaskFailedToStart / ResourceInitializationError naming %s", task.StopCode, reason, host)
	}
}

type networkSummary = network.Summary
