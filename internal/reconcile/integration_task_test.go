package reconcile_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/runtime/docker"
)

// lifecycleOrder is the order in which ECS moves a task's lastStatus.
var lifecycleOrder = []string{"PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"}

// checkOrder fails unless seen follows the lifecycle order.
func checkOrder(t *testing.T, seen []string) {
	t.Helper()
	prev := -1
	for _, s := range seen {
		i := slices.Index(lifecycleOrder, s)
		if i < prev {
			t.Fatalf("lastStatus went backwards: %v", seen)
		}
		prev = i
	}
}

// A Fargate task runs as real containers: it goes PROVISIONING → PENDING →
// RUNNING, gets an address that answers from the host, and its containers
// carry the agent's labels and deterministic names.
func TestIntegrationRunTaskFargate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	td := f.register("web", f.app("web"))
	start := time.Now()
	task := f.runTask(td)
	arn := aws.ToString(task.TaskArn)
	if status(task) != "PROVISIONING" || aws.ToString(task.DesiredStatus) != "RUNNING" {
		t.Fatalf("RunTask answered lastStatus %s desiredStatus %s, want PROVISIONING/RUNNING", status(task), aws.ToString(task.DesiredStatus))
	}
	seen := []string{"PROVISIONING"}
	task = f.waitTask(arn, "RUNNING", 30*time.Second, func(t types.Task) bool { return status(t) == "RUNNING" }, &seen)
	t.Logf("RunTask → RUNNING in %v via %v", time.Since(start).Round(time.Millisecond), seen)
	checkOrder(t, seen)
	if task.StartedAt == nil || task.PullStartedAt == nil || task.PullStoppedAt == nil || task.ConnectivityAt == nil {
		t.Errorf("RUNNING task lacks timestamps:\n%s", dump(task))
	}
	if c := containerOf(t, task, "web"); aws.ToString(c.LastStatus) != "RUNNING" || aws.ToString(c.RuntimeId) == "" {
		t.Errorf("container web: lastStatus %s runtimeId %q, want RUNNING and an ID", aws.ToString(c.LastStatus), aws.ToString(c.RuntimeId))
	}

	ip := taskIP(task)
	if ip == "" {
		t.Fatalf("no privateIPv4Address in the attachment:\n%s", dump(task.Attachments))
	}
	if a := task.Attachments[0]; aws.ToString(a.Status) != "ATTACHED" {
		t.Errorf("attachment status %s, want ATTACHED", aws.ToString(a.Status))
	}
	if ni := containerOf(t, task, "web").NetworkInterfaces; len(ni) != 1 || aws.ToString(ni[0].PrivateIpv4Address) != ip {
		t.Errorf("container networkInterfaces %s, want the task address %s", dump(ni), ip)
	}
	url := fmt.Sprintf("http://%s:%d/health", ip, appPort)
	var code int
	var body string
	var err error
	waitFor(t, "GET "+url+" = 200", 10*time.Second, func() bool {
		code, body, err = httpGet(url)
		return err == nil && code == 200
	}, func() string { return fmt.Sprintf("%d %q %v", code, body, err) })

	cli := f.engine()
	id := taskID(arn)
	list := f.taskContainers(cli, arn)
	want := []string{"ecs-web-1-sandbox-" + id, "ecs-web-1-web-" + id}
	if got := containerNames(list); !slices.Equal(got, want) {
		t.Fatalf("engine containers of the task %v, want %v", got, want)
	}
	for _, c := range list {
		if c.Labels[docker.LabelPooled] == "true" {
			continue // a sandbox started ahead of its task has no task labels
		}
		if c.Labels[runtime.LabelCluster] != testCluster || c.Labels[runtime.LabelTaskDefFamily] != "web" ||
			c.Labels[runtime.LabelTaskDefVersion] != "1" || c.Labels[runtime.LabelManaged] != "true" {
			t.Errorf("container %s labels %v", c.Names[0], c.Labels)
		}
	}
	app := f.containers(cli, runtime.LabelTaskARN+"="+arn, runtime.LabelContainerName+"=web")
	if len(app) != 1 || app[0].ID != aws.ToString(containerOf(t, task, "web").RuntimeId) {
		t.Errorf("container labelled web: %v, want the task's runtimeId", containerNames(app))
	}
}

// An essential container's exit stops the task with its exit code; a
// non-essential one's does not.
func TestIntegrationExitCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	td := f.register("exit", f.app("main", "EXIT_AFTER=1s", "EXIT_CODE=3"))
	arn := aws.ToString(f.runTask(td).TaskArn)
	task := f.waitStopped(arn, 30*time.Second)
	if task.StopCode != types.TaskStopCodeEssentialContainerExited || aws.ToString(task.StoppedReason) != "Essential container in task exited" {
		t.Errorf("stopCode %s reason %q, want EssentialContainerExited / Essential container in task exited", task.StopCode, aws.ToString(task.StoppedReason))
	}
	if c := containerOf(t, task, "main"); aws.ToInt32(c.ExitCode) != 3 || c.ExitCode == nil || aws.ToString(c.LastStatus) != "STOPPED" {
		t.Errorf("container main:\n%s\nwant exit code 3, STOPPED", dump(c))
	}
	if task.StoppedAt == nil || task.ExecutionStoppedAt == nil || task.StoppingAt == nil {
		t.Errorf("stopped task lacks timestamps:\n%s", dump(task))
	}

	side := f.app("side", "EXIT_AFTER=1s", "EXIT_CODE=4", "PORT=8081") // main has 8080
	side.Essential = aws.Bool(false)
	td = f.register("sidecar", f.app("main"), side)
	arn = aws.ToString(f.runTask(td).TaskArn)
	task = f.waitTask(arn, "side exited", 30*time.Second, func(t types.Task) bool {
		for _, c := range t.Containers {
			if aws.ToString(c.Name) == "side" && aws.ToString(c.LastStatus) == "STOPPED" {
				return true
			}
		}
		return status(t) == "STOPPED"
	}, nil)
	if c := containerOf(t, task, "side"); aws.ToInt32(c.ExitCode) != 4 {
		t.Errorf("side:\n%s\nwant exit code 4", dump(c))
	}
	// Give the reconciler a few passes to (wrongly) react.
	time.Sleep(2 * time.Second)
	if task, _ = f.describeTask(arn); status(task) != "RUNNING" || aws.ToString(task.DesiredStatus) != "RUNNING" {
		t.Fatalf("a non-essential container's exit changed the task:\n%s", dump(task))
	}
}

// A container over its memory limit is OOM-killed, reported as ECS does.
func TestIntegrationOutOfMemory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cd := f.app("hog", "ALLOCATE_MB=64", "ALLOCATE_AFTER=500ms")
	cd.Memory = aws.Int32(16)
	td := f.register("oom", cd)
	arn := aws.ToString(f.runTask(td).TaskArn)
	task := f.waitStopped(arn, 30*time.Second)
	c := containerOf(t, task, "hog")
	if aws.ToString(c.Reason) != "OutOfMemoryError: Container killed due to memory usage" || aws.ToInt32(c.ExitCode) != 137 {
		t.Fatalf("container:\n%s\nwant reason OutOfMemoryError: Container killed due to memory usage, exit 137", dump(c))
	}
	if task.StopCode != types.TaskStopCodeEssentialContainerExited {
		t.Errorf("stopCode %s, want EssentialContainerExited", task.StopCode)
	}
}

// An image that does not exist fails the task quickly, in ECS's words.
func TestIntegrationMissingImage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cd := f.app("ghost")
	cd.Image = aws.String("ecs-emulator-does-not-exist:latest")
	td := f.register("ghost", cd)
	start := time.Now()
	arn := aws.ToString(f.runTask(td).TaskArn)
	task := f.waitStopped(arn, 60*time.Second)
	t.Logf("failed in %v: %s", time.Since(start).Round(time.Millisecond), aws.ToString(task.StoppedReason))
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.HasPrefix(aws.ToString(task.StoppedReason), "CannotPullContainerError:") {
		t.Fatalf("stopCode %s reason %q, want TaskFailedToStart / CannotPullContainerError: …", task.StopCode, aws.ToString(task.StoppedReason))
	}
	if c := containerOf(t, task, "ghost"); !strings.HasPrefix(aws.ToString(c.Reason), "CannotPullContainerError:") {
		t.Errorf("container reason %q, want CannotPullContainerError: …", aws.ToString(c.Reason))
	}
	if n := len(f.taskContainers(f.engine(), arn)); n != 0 {
		t.Errorf("%d containers left in the engine for the failed task", n)
	}
}

// StopTask stops a task with UserInitiated and the caller's reason and
// removes its containers; a container ignoring SIGTERM is killed after
// its stopTimeout.
func TestIntegrationStopTask(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cli := f.engine()
	td := f.register("stoppable", f.app("web"))
	arn := aws.ToString(f.runTask(td).TaskArn)
	f.waitRunning(arn, 30*time.Second)
	out, err := f.ecs.StopTask(f.ctx, &ecs.StopTaskInput{Cluster: aws.String(testCluster), Task: aws.String(arn), Reason: aws.String("testing stop task.")})
	if err != nil {
		t.Fatalf("StopTask: %v", err)
	}
	if aws.ToString(out.Task.DesiredStatus) != "STOPPED" {
		t.Errorf("StopTask answered desiredStatus %s", aws.ToString(out.Task.DesiredStatus))
	}
	seen := []string{status(*out.Task)}
	task := f.waitTask(arn, "STOPPED", 30*time.Second, func(t types.Task) bool { return status(t) == "STOPPED" }, &seen)
	t.Logf("stop went through %v", seen)
	checkOrder(t, seen)
	if task.StopCode != types.TaskStopCodeUserInitiated || aws.ToString(task.StoppedReason) != "testing stop task." {
		t.Errorf("stopCode %s reason %q, want UserInitiated / testing stop task.", task.StopCode, aws.ToString(task.StoppedReason))
	}
	if left := f.taskContainers(cli, arn); len(left) != 0 {
		t.Errorf("containers left after STOPPED: %v", containerNames(left))
	}

	stubborn := f.app("stubborn", "IGNORE_SIGTERM=1")
	stubborn.StopTimeout = aws.Int32(2)
	td = f.register("stubborn", stubborn)
	arn = aws.ToString(f.runTask(td).TaskArn)
	// RUNNING means started, not ready: a SIGTERM before the app set up
	// its handler would end it at once. It answers HTTP once it has.
	url := fmt.Sprintf("http://%s:%d/health", taskIP(f.waitRunning(arn, 30*time.Second)), appPort)
	waitFor(t, "GET "+url+" = 200", 10*time.Second, func() bool {
		code, _, err := httpGet(url)
		return err == nil && code == 200
	}, func() string { return url })
	start := time.Now()
	if _, err := f.ecs.StopTask(f.ctx, &ecs.StopTaskInput{Cluster: aws.String(testCluster), Task: aws.String(arn)}); err != nil {
		t.Fatalf("StopTask: %v", err)
	}
	task = f.waitStopped(arn, 30*time.Second)
	took := time.Since(start)
	t.Logf("stopTimeout 2 s: STOPPED after %v", took.Round(time.Millisecond))
	if took < 2*time.Second || took > 8*time.Second {
		t.Errorf("stop took %v, want about the stopTimeout of 2 s", took)
	}
	if c := containerOf(t, task, "stubborn"); aws.ToInt32(c.ExitCode) != 137 {
		t.Errorf("exit code %v, want 137 (SIGKILL)", c.ExitCode)
	}
	if aws.ToString(task.StoppedReason) != "Task stopped by user" || task.StopCode != types.TaskStopCodeUserInitiated {
		t.Errorf("stopCode %s reason %q, want UserInitiated / Task stopped by user", task.StopCode, aws.ToString(task.StoppedReason))
	}
}

// Containers of one task share localhost; dependsOn HEALTHY holds a
// container back until the other is healthy.
func TestIntegrationSharedLocalhostAndHealthyDependency(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.app("a")
	a.HealthCheck = healthCheck(3)
	b := f.app("b")
	b.Essential = aws.Bool(false)
	b.Command = []string{"get", fmt.Sprintf("http://127.0.0.1:%d/health", appPort)}
	b.DependsOn = []types.ContainerDependency{{ContainerName: aws.String("a"), Condition: types.ContainerConditionHealthy}}
	td := f.register("pair", a, b)
	arn := aws.ToString(f.runTask(td).TaskArn)
	task := f.waitTask(arn, "b exited", 45*time.Second, func(t types.Task) bool {
		for _, c := range t.Containers {
			if aws.ToString(c.Name) == "b" && c.ExitCode != nil {
				return true
			}
		}
		return status(t) == "STOPPED"
	}, nil)
	if c := containerOf(t, task, "b"); aws.ToInt32(c.ExitCode) != 0 || c.ExitCode == nil {
		t.Fatalf("b:\n%s\nwant exit code 0 (it reached a on localhost)", dump(c))
	}
	if status(task) == "STOPPED" {
		t.Fatalf("the task stopped:\n%s", dump(task))
	}
	// b started only once a was healthy: compare the engine's times.
	cli := f.engine()
	aState := inspect(t, cli, aws.ToString(containerOf(t, task, "a").RuntimeId))
	bState := inspect(t, cli, aws.ToString(containerOf(t, task, "b").RuntimeId))
	healthyAt := firstPassingProbe(aState)
	bStart, _ := time.Parse(time.RFC3339Nano, bState.State.StartedAt)
	if healthyAt.IsZero() || bStart.Before(healthyAt) {
		t.Fatalf("b started at %v, a's first passing health check ended at %v", bStart, healthyAt)
	}
	t.Logf("a healthy at +%v after its start, b started %v later", healthyAt.Sub(parseTime(aState.State.StartedAt)).Round(time.Millisecond), bStart.Sub(healthyAt).Round(time.Millisecond))
	task = f.waitTask(arn, "healthStatus HEALTHY", 10*time.Second, func(t types.Task) bool { return t.HealthStatus == types.HealthStatusHealthy }, nil)
	if status(task) != "RUNNING" {
		t.Errorf("task lastStatus %s, want RUNNING", status(task))
	}
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// dependsOn START/COMPLETE/SUCCESS: an init container that succeeds runs
// before the main one; one that fails stops the task before it starts.
func TestIntegrationDependsOnOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	initC := f.app("init")
	initC.Essential = aws.Bool(false)
	initC.Command = []string{"sleep", "1s"}
	main := f.app("main")
	main.DependsOn = []types.ContainerDependency{{ContainerName: aws.String("init"), Condition: types.ContainerConditionSuccess}}
	logger := f.app("logger")
	logger.Essential = aws.Bool(false)
	logger.Command = []string{"exit", "5"}
	logger.DependsOn = []types.ContainerDependency{{ContainerName: aws.String("main"), Condition: types.ContainerConditionStart}}
	after := f.app("after")
	after.Essential = aws.Bool(false)
	after.Command = []string{"exit", "0"}
	after.DependsOn = []types.ContainerDependency{{ContainerName: aws.String("logger"), Condition: types.ContainerConditionComplete}}
	td := f.register("ordered", initC, main, logger, after)
	arn := aws.ToString(f.runTask(td).TaskArn)
	task := f.waitTask(arn, "RUNNING with after exited", 30*time.Second, func(t types.Task) bool {
		for _, c := range t.Containers {
			if aws.ToString(c.Name) == "after" && c.ExitCode != nil {
				return status(t) == "RUNNING"
			}
		}
		return status(t) == "STOPPED"
	}, nil)
	if status(task) != "RUNNING" {
		t.Fatalf("task:\n%s", dump(task))
	}
	cli := f.engine()
	times := map[string][2]time.Time{}
	for _, name := range []string{"init", "main", "logger", "after"} {
		st := inspect(t, cli, aws.ToString(containerOf(t, task, name).RuntimeId)).State
		times[name] = [2]time.Time{parseTime(st.StartedAt), parseTime(st.FinishedAt)}
	}
	if !times["main"][0].After(times["init"][1]) {
		t.Errorf("main started %v, before init finished %v (SUCCESS)", times["main"][0], times["init"][1])
	}
	if !times["logger"][0].After(times["main"][0]) {
		t.Errorf("logger started %v, before main %v (START)", times["logger"][0], times["main"][0])
	}
	if !times["after"][0].After(times["logger"][1]) {
		t.Errorf("after started %v, before logger finished %v (COMPLETE)", times["after"][0], times["logger"][1])
	}
	if c := containerOf(t, task, "init"); aws.ToInt32(c.ExitCode) != 0 || c.ExitCode == nil {
		t.Errorf("init exit code %v, want 0", c.ExitCode)
	}

	bad := f.app("init")
	bad.Essential = aws.Bool(false)
	bad.Command = []string{"exit", "1"}
	td = f.register("badinit", bad, main)
	arn = aws.ToString(f.runTask(td).TaskArn)
	task = f.waitStopped(arn, 30*time.Second)
	reason := aws.ToString(task.StoppedReason)
	t.Logf("failed init: %s", reason)
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.Contains(reason, "init") || !strings.Contains(reason, "SUCCESS") {
		t.Errorf("stopCode %s reason %q, want TaskFailedToStart naming init and SUCCESS", task.StopCode, reason)
	}
	if c := containerOf(t, task, "main"); c.ExitCode != nil || aws.ToString(c.Reason) == "" {
		t.Errorf("main should never have run, with the reason on it:\n%s", dump(c))
	}
	if c := containerOf(t, task, "init"); aws.ToInt32(c.ExitCode) != 1 {
		t.Errorf("init exit code %v, want 1", c.ExitCode)
	}

	// A dependency that does not get HEALTHY within its startTimeout.
	slow := f.app("slow")
	slow.HealthCheck = healthCheck(1)
	slow.HealthCheck.Interval = aws.Int32(300) // no verdict during the test
	slow.StartTimeout = aws.Int32(2)
	waiting := f.app("main", "PORT=8081")
	waiting.DependsOn = []types.ContainerDependency{{ContainerName: aws.String("slow"), Condition: types.ContainerConditionHealthy}}
	td = f.register("slowdep", slow, waiting)
	start := time.Now()
	arn = aws.ToString(f.runTask(td).TaskArn)
	task = f.waitStopped(arn, 30*time.Second)
	reason = aws.ToString(task.StoppedReason)
	t.Logf("startTimeout: stopped after %v: %s", time.Since(start).Round(time.Millisecond), reason)
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.Contains(reason, "startTimeout") || !strings.Contains(reason, "HEALTHY") {
		t.Errorf("stopCode %s reason %q, want TaskFailedToStart naming the startTimeout", task.StopCode, reason)
	}
}

// Container health checks set container and task healthStatus.
func TestIntegrationHealth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	good := f.app("web")
	good.HealthCheck = healthCheck(1)
	bad := f.app("web", "HEALTH_STATUS=500")
	bad.HealthCheck = healthCheck(1)
	goodArn := aws.ToString(f.runTask(f.register("healthy", good)).TaskArn)
	badArn := aws.ToString(f.runTask(f.register("unhealthy", bad)).TaskArn)
	task := f.waitTask(goodArn, "healthStatus HEALTHY", 30*time.Second, func(t types.Task) bool { return t.HealthStatus == types.HealthStatusHealthy }, nil)
	if c := containerOf(t, task, "web"); c.HealthStatus != types.HealthStatusHealthy {
		t.Errorf("container healthStatus %s, want HEALTHY", c.HealthStatus)
	}
	task = f.waitTask(badArn, "healthStatus UNHEALTHY", 30*time.Second, func(t types.Task) bool { return t.HealthStatus == types.HealthStatusUnhealthy }, nil)
	if c := containerOf(t, task, "web"); c.HealthStatus != types.HealthStatusUnhealthy {
		t.Errorf("container healthStatus %s, want UNHEALTHY", c.HealthStatus)
	}
	// A standalone task keeps running whatever its health.
	if status(task) != "RUNNING" || aws.ToString(task.DesiredStatus) != "RUNNING" {
		t.Errorf("unhealthy standalone task: %s/%s, want RUNNING/RUNNING", status(task), aws.ToString(task.DesiredStatus))
	}

	// A settled task is not rewritten: its version stays put across
	// health probes and a resync (5 s).
	before, _ := f.describeTask(goodArn)
	time.Sleep(6 * time.Second)
	after, _ := f.describeTask(goodArn)
	if after.Version != before.Version {
		t.Errorf("version of a settled task went from %d to %d:\n%s", before.Version, after.Version, dump(after))
	}
}

func inspect(t *testing.T, cli *client.Client, id string) containerInspect {
	t.Helper()
	res, err := cli.ContainerInspect(context.Background(), id, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatalf("inspect %s: %v", id, err)
	}
	return res.Container
}

type containerInspect = container.InspectResponse

// firstPassingProbe is when the first successful health check of a
// container ended (the engine keeps the last five probes).
func firstPassingProbe(c containerInspect) time.Time {
	if c.State == nil || c.State.Health == nil {
		return time.Time{}
	}
	for _, p := range c.State.Health.Log {
		if p.ExitCode == 0 {
			return p.End
		}
	}
	return time.Time{}
}

// A task stopped before it runs (a container waiting for a dependency)
// stops cleanly, containers that never started included.
func TestIntegrationStopPendingTask(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.app("a")
	a.HealthCheck = healthCheck(1)
	a.HealthCheck.Interval = aws.Int32(300) // never healthy during the test
	b := f.app("b", "PORT=8081")
	b.DependsOn = []types.ContainerDependency{{ContainerName: aws.String("a"), Condition: types.ContainerConditionHealthy}}
	arn := aws.ToString(f.runTask(f.register("waiting", a, b)).TaskArn)
	f.waitTask(arn, "a RUNNING, b waiting", 30*time.Second, func(t types.Task) bool {
		return status(t) == "PENDING" && aws.ToString(t.Containers[0].LastStatus) == "RUNNING"
	}, nil)
	if _, err := f.ecs.StopTask(f.ctx, &ecs.StopTaskInput{Cluster: aws.String(testCluster), Task: aws.String(arn), Reason: aws.String("not waiting")}); err != nil {
		t.Fatalf("StopTask: %v", err)
	}
	task := f.waitStopped(arn, 15*time.Second)
	if task.StopCode != types.TaskStopCodeUserInitiated || aws.ToString(task.StoppedReason) != "not waiting" || task.StartedAt != nil {
		t.Errorf("stopCode %s reason %q startedAt %v, want UserInitiated / not waiting / never started", task.StopCode, aws.ToString(task.StoppedReason), task.StartedAt)
	}
	if left := f.taskContainers(f.engine(), arn); len(left) != 0 {
		t.Errorf("containers left: %v", containerNames(left))
	}
}

// Containers removed behind the emulator's back stop their task.
func TestIntegrationContainerRemovedOutside(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cli := f.engine()
	td := f.register("victim", f.app("web"))
	arn := aws.ToString(f.runTask(td).TaskArn)
	task := f.waitRunning(arn, 30*time.Second)
	if _, err := cli.ContainerRemove(f.ctx, aws.ToString(containerOf(t, task, "web").RuntimeId), client.ContainerRemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	task = f.waitStopped(arn, 15*time.Second)
	t.Logf("container removed: %s / %q; container reason %q", task.StopCode, aws.ToString(task.StoppedReason), aws.ToString(containerOf(t, task, "web").Reason))
	if task.StopCode != types.TaskStopCodeEssentialContainerExited {
		t.Errorf("stopCode %s, want EssentialContainerExited", task.StopCode)
	}
	if left := f.taskContainers(cli, arn); len(left) != 0 {
		t.Errorf("containers left: %v", containerNames(left))
	}

	// The sandbox holds the task's network: without it the task stops.
	arn = aws.ToString(f.runTask(td).TaskArn)
	f.waitRunning(arn, 30*time.Second)
	sb := f.sandboxOf(cli, arn)
	if len(sb) != 1 {
		t.Fatalf("sandboxes of the task: %v", containerNames(sb))
	}
	if _, err := cli.ContainerRemove(f.ctx, sb[0].ID, client.ContainerRemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	task = f.waitStopped(arn, 15*time.Second)
	t.Logf("sandbox removed: %s / %q", task.StopCode, aws.ToString(task.StoppedReason))
	if left := f.taskContainers(cli, arn); len(left) != 0 {
		t.Errorf("containers left: %v", containerNames(left))
	}
}

// A container the engine cannot start fails its task, the reason on the
// task and on the container.
func TestIntegrationCannotStartContainer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cd := f.app("web")
	cd.EntryPoint = []string{"/does-not-exist"}
	arn := aws.ToString(f.runTask(f.register("badentry", cd)).TaskArn)
	task := f.waitStopped(arn, 30*time.Second)
	reason := aws.ToString(task.StoppedReason)
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.HasPrefix(reason, "CannotStartContainerError:") || !strings.Contains(reason, "/does-not-exist") {
		t.Errorf("stopCode %s reason %q, want TaskFailedToStart / CannotStartContainerError: … /does-not-exist …", task.StopCode, reason)
	}
	if c := containerOf(t, task, "web"); aws.ToString(c.Reason) != reason {
		t.Errorf("container reason %q, want the task's", aws.ToString(c.Reason))
	}
	if left := f.taskContainers(f.engine(), arn); len(left) != 0 {
		t.Errorf("containers left: %v", containerNames(left))
	}
}
