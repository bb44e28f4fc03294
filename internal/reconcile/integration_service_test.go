package reconcile_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// createService creates a Fargate service and returns its name.
func (f *fixture) createService(name, taskDef string, desired int32, opts ...func(*ecs.CreateServiceInput)) string {
	f.t.Helper()
	in := &ecs.CreateServiceInput{
		Cluster:              aws.String(testCluster),
		ServiceName:          aws.String(name),
		TaskDefinition:       aws.String(taskDef),
		DesiredCount:         aws.Int32(desired),
		LaunchType:           types.LaunchTypeFargate,
		NetworkConfiguration: awsvpc(),
	}
	for _, o := range opts {
		o(in)
	}
	if _, err := f.ecs.CreateService(f.ctx, in); err != nil {
		f.t.Fatalf("CreateService %s: %v", name, err)
	}
	return name
}

func (f *fixture) describeService(name string) (types.Service, error) {
	out, err := f.ecs.DescribeServices(f.ctx, &ecs.DescribeServicesInput{Cluster: aws.String(testCluster), Services: []string{name}})
	if err != nil {
		return types.Service{}, err
	}
	if len(out.Services) != 1 {
		return types.Service{}, fmt.Errorf("DescribeServices %s: failures %s", name, dump(out.Failures))
	}
	return out.Services[0], nil
}

// serviceTasks lists and describes the service's tasks with the given
// desired status (RUNNING or STOPPED).
func (f *fixture) serviceTasks(name string, desired types.DesiredStatus) ([]types.Task, error) {
	list, err := f.ecs.ListTasks(f.ctx, &ecs.ListTasksInput{Cluster: aws.String(testCluster), ServiceName: aws.String(name), DesiredStatus: desired})
	if err != nil || len(list.TaskArns) == 0 {
		return nil, err
	}
	out, err := f.ecs.DescribeTasks(f.ctx, &ecs.DescribeTasksInput{Cluster: aws.String(testCluster), Tasks: list.TaskArns})
	if err != nil {
		return nil, err
	}
	return out.Tasks, nil
}

// serviceState renders a service and its tasks for failure messages.
func (f *fixture) serviceState(name string) string {
	svc, err := f.describeService(name)
	var b strings.Builder
	fmt.Fprintf(&b, "service %s: status %s desired %d running %d pending %d (err %v)\n", name, aws.ToString(svc.Status), svc.DesiredCount, svc.RunningCount, svc.PendingCount, err)
	for _, d := range svc.Deployments {
		fmt.Fprintf(&b, "  deployment %s %s %s desired %d running %d pending %d\n", aws.ToString(d.Id), aws.ToString(d.Status), d.RolloutState, d.DesiredCount, d.RunningCount, d.PendingCount)
	}
	for i, ev := range svc.Events {
		if i == 10 {
			break
		}
		fmt.Fprintf(&b, "  event %s\n", aws.ToString(ev.Message))
	}
	for _, desired := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
		tasks, err := f.serviceTasks(name, desired)
		if err != nil {
			fmt.Fprintf(&b, "  tasks %s: %v\n", desired, err)
		}
		for _, t := range tasks {
			fmt.Fprintf(&b, "  task %s %s/%s health %s stop %s %q\n", taskID(aws.ToString(t.TaskArn)), status(t), aws.ToString(t.DesiredStatus), t.HealthStatus, t.StopCode, aws.ToString(t.StoppedReason))
		}
	}
	return b.String()
}

// waitService polls the service until cond holds for it and its tasks
// whose desired status is RUNNING.
func (f *fixture) waitService(name, what string, timeout time.Duration, cond func(types.Service, []types.Task) bool) (types.Service, []types.Task) {
	f.t.Helper()
	var svc types.Service
	var tasks []types.Task
	waitFor(f.t, "service "+name+": "+what, timeout, func() bool {
		var err error
		if svc, err = f.describeService(name); err != nil {
			return false
		}
		if tasks, err = f.serviceTasks(name, types.DesiredStatusRunning); err != nil {
			return false
		}
		return cond(svc, tasks)
	}, func() string { return f.serviceState(name) })
	return svc, tasks
}

// runningTasks says whether exactly n tasks are RUNNING and none other is
// on its way, and the service counts agree.
func runningTasks(n int) func(types.Service, []types.Task) bool {
	return func(svc types.Service, tasks []types.Task) bool {
		running := 0
		for _, t := range tasks {
			if status(t) == "RUNNING" {
				running++
			}
		}
		return running == n && len(tasks) == n && svc.RunningCount == int32(n) && svc.PendingCount == 0
	}
}

// appContainers counts the engine's task containers (not sandboxes) of a
// service in this emulator.
func (f *fixture) appContainers(cli *client.Client, service string) int {
	n := 0
	for _, c := range f.containers(cli, runtime.LabelServiceName+"="+service, runtime.LabelContainerName) {
		if c.State == "running" {
			n++
		}
	}
	return n
}

func (f *fixture) waitAppContainers(cli *client.Client, service string, n int) {
	f.t.Helper()
	waitFor(f.t, fmt.Sprintf("%d running containers of %s in the engine", n, service), 30*time.Second,
		func() bool { return f.appContainers(cli, service) == n },
		func() string {
			return fmt.Sprintf("containers %v\n%s", containerNames(f.containers(cli, runtime.LabelServiceName+"="+service)), f.serviceState(service))
		})
}

func eventMessages(svc types.Service) []string {
	var msgs []string
	for _, ev := range svc.Events {
		msgs = append(msgs, aws.ToString(ev.Message))
	}
	return msgs
}

// The service scheduler keeps desiredCount tasks running: it starts them,
// reports the events ECS reports, replaces a task whose container dies,
// scales in and out, and cleans everything up on DeleteService.
func TestIntegrationService(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cli := f.engine()
	td := f.register("websvc", f.app("web"))
	name := f.createService("web", td, 3)

	stable := ecs.NewServicesStableWaiter(f.ecs, func(o *ecs.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Second, time.Second
	})
	start := time.Now()
	if err := stable.Wait(f.ctx, &ecs.DescribeServicesInput{Cluster: aws.String(testCluster), Services: []string{name}}, time.Minute); err != nil {
		t.Fatalf("ServicesStable: %v\n%s", err, f.serviceState(name))
	}
	t.Logf("3 tasks stable in %v", time.Since(start).Round(time.Millisecond))
	svc, tasks := f.waitService(name, "3 RUNNING tasks", 30*time.Second, runningTasks(3))
	f.waitAppContainers(cli, name, 3)
	started := regexp.MustCompile(`^\(service web\) has started 3 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$`)
	msgs := eventMessages(svc)
	if !slices.ContainsFunc(msgs, started.MatchString) {
		t.Errorf("no %q event in %q", started, msgs)
	}
	svc, _ = f.waitService(name, "steady state event", 10*time.Second, func(s types.Service, _ []types.Task) bool {
		return slices.Contains(eventMessages(s), "(service web) has reached a steady state.")
	})
	if d := svc.Deployments; len(d) != 1 || d[0].RolloutState != types.DeploymentRolloutStateCompleted {
		t.Errorf("deployments %s, want one COMPLETED", dump(d))
	}
	for _, task := range tasks {
		if aws.ToString(task.Group) != "service:web" || !strings.HasPrefix(aws.ToString(task.StartedBy), "ecs-svc/") {
			t.Errorf("task group %q startedBy %q", aws.ToString(task.Group), aws.ToString(task.StartedBy))
		}
	}

	// Kill one task's container behind the emulator's back.
	victim := tasks[0]
	victimARN := aws.ToString(victim.TaskArn)
	before := map[string]bool{}
	for _, task := range tasks {
		before[aws.ToString(task.TaskArn)] = true
	}
	killedAt := time.Now()
	if _, err := cli.ContainerKill(context.Background(), aws.ToString(containerOf(t, victim, "web").RuntimeId), client.ContainerKillOptions{}); err != nil {
		t.Fatalf("kill: %v", err)
	}
	stopped := f.waitStopped(victimARN, 30*time.Second)
	stoppedAfter := time.Since(killedAt)
	if stopped.StopCode != types.TaskStopCodeEssentialContainerExited || aws.ToString(stopped.StoppedReason) != "Essential container in task exited" {
		t.Errorf("killed task: stopCode %s reason %q", stopped.StopCode, aws.ToString(stopped.StoppedReason))
	}
	if c := containerOf(t, stopped, "web"); aws.ToInt32(c.ExitCode) != 137 {
		t.Errorf("killed container exit code %v, want 137", dump(c.ExitCode))
	}
	_, tasks = f.waitService(name, "a replacement RUNNING", 30*time.Second, func(s types.Service, ts []types.Task) bool {
		for _, task := range ts {
			if !before[aws.ToString(task.TaskArn)] && status(task) == "RUNNING" {
				return runningTasks(3)(s, ts)
			}
		}
		return false
	})
	t.Logf("killed task STOPPED after %v, replacement RUNNING after %v", stoppedAfter.Round(time.Millisecond), time.Since(killedAt).Round(time.Millisecond))
	if d := time.Since(killedAt); d > 15*time.Second {
		t.Errorf("replacement took %v", d)
	}

	// Scale in to 1, out to 4.
	f.updateDesired(name, 1)
	svc, _ = f.waitService(name, "1 RUNNING task", 30*time.Second, runningTasks(1))
	f.waitAppContainers(cli, name, 1)
	deployment := aws.ToString(svc.Deployments[0].Id)
	scaledIn := 0
	for _, task := range tasks {
		arn := aws.ToString(task.TaskArn)
		got, err := f.describeTask(arn)
		if err != nil || aws.ToString(got.DesiredStatus) != "STOPPED" {
			continue
		}
		scaledIn++
		got = f.waitStopped(arn, 30*time.Second)
		want := "Scaling activity initiated by (deployment " + deployment + ")"
		if got.StopCode != types.TaskStopCodeServiceSchedulerInitiated || aws.ToString(got.StoppedReason) != want {
			t.Errorf("scaled-in task: stopCode %s reason %q, want ServiceSchedulerInitiated / %q", got.StopCode, aws.ToString(got.StoppedReason), want)
		}
	}
	if scaledIn != 2 {
		t.Errorf("%d tasks scaled in, want 2\n%s", scaledIn, f.serviceState(name))
	}
	f.updateDesired(name, 4)
	f.waitService(name, "4 RUNNING tasks", 30*time.Second, runningTasks(4))
	f.waitAppContainers(cli, name, 4)

	// Delete: every task stops, the service becomes INACTIVE, nothing is
	// left in the engine.
	if _, err := f.ecs.DeleteService(f.ctx, &ecs.DeleteServiceInput{Cluster: aws.String(testCluster), Service: aws.String(name), Force: aws.Bool(true)}); err != nil {
		t.Fatalf("DeleteService: %v", err)
	}
	inactive := ecs.NewServicesInactiveWaiter(f.ecs, func(o *ecs.ServicesInactiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Second, time.Second
	})
	if err := inactive.Wait(f.ctx, &ecs.DescribeServicesInput{Cluster: aws.String(testCluster), Services: []string{name}}, time.Minute); err != nil {
		t.Fatalf("ServicesInactive: %v\n%s", err, f.serviceState(name))
	}
	if left := f.containers(cli, runtime.LabelServiceName+"="+name); len(left) != 0 {
		t.Fatalf("containers left after the service became INACTIVE: %v", containerNames(left))
	}
	stoppedTasks, _ := f.serviceTasks(name, types.DesiredStatusStopped)
	for _, task := range stoppedTasks {
		if status(task) != "STOPPED" {
			t.Errorf("task %s of the INACTIVE service is %s", taskID(aws.ToString(task.TaskArn)), status(task))
		}
	}
}

func (f *fixture) updateDesired(name string, n int32) {
	f.t.Helper()
	if _, err := f.ecs.UpdateService(f.ctx, &ecs.UpdateServiceInput{Cluster: aws.String(testCluster), Service: aws.String(name), DesiredCount: aws.Int32(n)}); err != nil {
		f.t.Fatalf("UpdateService %s desiredCount %d: %v", name, n, err)
	}
}

// A service task failing its container health checks is replaced, but not
// during the service's health check grace period.
func TestIntegrationServiceUnhealthyReplacement(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	web := f.app("web", "UNHEALTHY_AFTER=2s")
	web.HealthCheck = healthCheck(1)
	td := f.register("sick", web)

	const grace = 15
	f.createService("sick", td, 1)

	// Without a grace period: replaced once UNHEALTHY.
	_, tasks := f.waitService("sick", "a RUNNING task", 30*time.Second, runningTasks(1))
	first := aws.ToString(tasks[0].TaskArn)
	task := f.waitStopped(first, 45*time.Second)
	if task.StopCode != types.TaskStopCodeServiceSchedulerInitiated || aws.ToString(task.StoppedReason) != "Task failed container health checks" {
		t.Errorf("unhealthy task: stopCode %s reason %q, want ServiceSchedulerInitiated / Task failed container health checks", task.StopCode, aws.ToString(task.StoppedReason))
	}
	if task.HealthStatus != types.HealthStatusUnhealthy {
		t.Errorf("replaced task healthStatus %s, want UNHEALTHY", task.HealthStatus)
	}
	f.waitService("sick", "a replacement", 30*time.Second, func(_ types.Service, ts []types.Task) bool {
		return len(ts) == 1 && aws.ToString(ts[0].TaskArn) != first
	})
	svc, _ := f.describeService("sick")
	want := fmt.Sprintf("(service sick) (task %s) failed container health checks.", taskID(first))
	if !slices.Contains(eventMessages(svc), want) {
		t.Errorf("no event %q in %q", want, eventMessages(svc))
	}

	// With a grace period: kept while it lasts, replaced after. Created
	// only now, so that the wait above does not eat into its grace period.
	f.createService("patient", td, 1, func(in *ecs.CreateServiceInput) {
		in.HealthCheckGracePeriodSeconds = aws.Int32(grace)
	})
	_, tasks = f.waitService("patient", "a RUNNING task", 30*time.Second, runningTasks(1))
	patient := aws.ToString(tasks[0].TaskArn)
	task = f.waitTask(patient, "UNHEALTHY", 30*time.Second, func(t types.Task) bool { return t.HealthStatus == types.HealthStatusUnhealthy }, nil)
	graceEnd := task.StartedAt.Add(grace * time.Second)
	if time.Until(graceEnd) < 3*time.Second {
		t.Fatalf("the task took too long to turn UNHEALTHY to test the grace period (grace ends in %v)", time.Until(graceEnd))
	}
	for time.Until(graceEnd) > time.Second {
		if task, _ = f.describeTask(patient); aws.ToString(task.DesiredStatus) != "RUNNING" {
			t.Fatalf("task stopped %v before the end of its grace period:\n%s", time.Until(graceEnd), dump(task))
		}
		time.Sleep(500 * time.Millisecond)
	}
	task = f.waitStopped(patient, 30*time.Second)
	t.Logf("patient task replaced %v after its grace period ended", aws.ToTime(task.StoppingAt).Sub(graceEnd).Round(time.Millisecond))
	if aws.ToString(task.StoppedReason) != "Task failed container health checks" {
		t.Errorf("after the grace period: reason %q", aws.ToString(task.StoppedReason))
	}
}

// A new task definition rolls out within the deployment envelope: new
// tasks first (maximumPercent 200), old ones stopped once the new are
// healthy, and the old deployment disappears.
func TestIntegrationServiceRollingUpdate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cli := f.engine()
	v1 := f.register("roll", f.app("web", "NAME=v1"))
	name := f.createService("roll", v1, 2)
	svc, old := f.waitService(name, "2 RUNNING v1 tasks", 30*time.Second, func(s types.Service, ts []types.Task) bool {
		return runningTasks(2)(s, ts) && len(s.Deployments) == 1 && s.Deployments[0].RolloutState == types.DeploymentRolloutStateCompleted
	})
	firstDeployment := aws.ToString(svc.Deployments[0].Id)

	healthy := f.app("web", "NAME=v2")
	healthy.HealthCheck = healthCheck(1)
	v2 := f.register("roll", healthy)
	if _, err := f.ecs.UpdateService(f.ctx, &ecs.UpdateServiceInput{Cluster: aws.String(testCluster), Service: aws.String(name), TaskDefinition: aws.String(v2)}); err != nil {
		t.Fatalf("UpdateService: %v", err)
	}
	// The old tasks keep running until new ones are HEALTHY (minimumHealthyPercent 100).
	maxRunning := 0
	svc, _ = f.waitService(name, "2 RUNNING v2 tasks, one deployment", 60*time.Second, func(s types.Service, ts []types.Task) bool {
		running := 0
		v2Running := 0
		for _, task := range ts {
			if status(task) == "RUNNING" {
				running++
				if aws.ToString(task.TaskDefinitionArn) == v2 {
					v2Running++
				}
			}
		}
		maxRunning = max(maxRunning, f.appContainers(cli, name))
		oldAlive := 0
		for _, task := range old {
			if got, err := f.describeTask(aws.ToString(task.TaskArn)); err == nil && aws.ToString(got.DesiredStatus) == "RUNNING" {
				oldAlive++
			}
		}
		if oldAlive < 2 && v2Running+oldAlive < 2 {
			t.Errorf("healthy tasks fell to %d during the rollout (minimumHealthyPercent 100)", v2Running+oldAlive)
		}
		return v2Running == 2 && running == 2 && len(s.Deployments) == 1
	})
	if maxRunning > 4 {
		t.Errorf("%d containers ran at once, above maximumPercent 200", maxRunning)
	}
	d := svc.Deployments[0]
	if aws.ToString(d.TaskDefinition) != v2 || aws.ToString(d.Id) == firstDeployment || d.RolloutState != types.DeploymentRolloutStateCompleted {
		t.Errorf("deployment after the rollout:\n%s", dump(d))
	}
	want := "Scaling activity initiated by (deployment " + aws.ToString(d.Id) + ")"
	for _, task := range old {
		got := f.waitStopped(aws.ToString(task.TaskArn), 30*time.Second)
		if got.StopCode != types.TaskStopCodeServiceSchedulerInitiated || aws.ToString(got.StoppedReason) != want {
			t.Errorf("old task: stopCode %s reason %q, want ServiceSchedulerInitiated / %q", got.StopCode, aws.ToString(got.StoppedReason), want)
		}
	}
	f.waitAppContainers(cli, name, 2)
	msgs := eventMessages(svc)
	if !slices.Contains(msgs, "(service roll) ("+"deployment "+aws.ToString(d.Id)+") deployment completed.") {
		t.Errorf("no deployment completed event in %q", msgs)
	}
}

// A service whose tasks crash soon after reaching RUNNING is relaunched
// with a growing delay, not in a loop, and says so.
func TestIntegrationServiceCrashLoopBacksOff(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	td := f.register("crashy", f.app("web", "EXIT_AFTER=1s", "EXIT_CODE=1"))
	start := time.Now()
	name := f.createService("crashy", td, 1)
	f.waitService(name, "the unable-to-start event", 90*time.Second, func(s types.Service, _ []types.Task) bool {
		return slices.Contains(eventMessages(s), "(service crashy) is unable to consistently start tasks successfully.")
	})
	t.Logf("third failure after %v", time.Since(start).Round(time.Millisecond))
	// Failures 1 and 2 are relaunched at once, then 2 s, 4 s, 8 s later:
	// over 12 more seconds at most 3 more tasks (about 8 without backoff).
	time.Sleep(12 * time.Second)
	stopped, _ := f.serviceTasks(name, types.DesiredStatusStopped)
	running, _ := f.serviceTasks(name, types.DesiredStatusRunning)
	total := len(stopped) + len(running)
	t.Logf("%d tasks launched in %v", total, time.Since(start).Round(time.Millisecond))
	if total > 7 {
		t.Errorf("%d tasks launched: no backoff\n%s", total, f.serviceState(name))
	}
	for _, task := range stopped {
		if task.StopCode != types.TaskStopCodeEssentialContainerExited {
			t.Errorf("task %s: stopCode %s", taskID(aws.ToString(task.TaskArn)), task.StopCode)
		}
	}
	// Its tasks run for a second, never the settle time: the deployment
	// never completes and the service never reports a steady state.
	svc, _ := f.waitService(name, "a snapshot", time.Second, func(types.Service, []types.Task) bool { return true })
	for _, msg := range eventMessages(svc) {
		if strings.Contains(msg, "steady state") || strings.Contains(msg, "deployment completed") {
			t.Errorf("a crash loop reported %q\n%s", msg, f.serviceState(name))
		}
	}
	if d := svc.Deployments; len(d) != 1 || d[0].RolloutState != types.DeploymentRolloutStateInProgress {
		t.Errorf("deployments of a crash loop:\n%s", dump(d))
	}
}
