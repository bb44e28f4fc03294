package ecs_test

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

var taskARN = regexp.MustCompile(`^arn:aws:ecs:us-east-1:000000000000:task/dev/[0-9a-f]{32}$`)

func TestRunTask(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	td := register(t, c, fargateTD("web"))

	t.Run("fargate task", func(t *testing.T) {
		out := must(c.RunTask(ctx, &ecs.RunTaskInput{
			Cluster: aws.String("dev"), TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate,
			NetworkConfiguration: awsvpc(), StartedBy: aws.String("ci/job_1-a"), Tags: []types.Tag{tag("run", "1")},
		}))(t)
		if len(out.Tasks) != 1 || len(out.Failures) != 0 {
			t.Fatalf("tasks %d failures %v", len(out.Tasks), out.Failures)
		}
		task := out.Tasks[0]
		checks := []struct {
			what      string
			got, want any
		}{
			{"arn format", taskARN.MatchString(aws.ToString(task.TaskArn)), true},
			{"clusterArn", aws.ToString(task.ClusterArn), arnOf("cluster/dev")},
			{"taskDefinitionArn", aws.ToString(task.TaskDefinitionArn), aws.ToString(td.TaskDefinitionArn)},
			{"lastStatus", aws.ToString(task.LastStatus), "PROVISIONING"},
			{"desiredStatus", aws.ToString(task.DesiredStatus), "RUNNING"},
			{"group", aws.ToString(task.Group), "family:web"},
			{"startedBy", aws.ToString(task.StartedBy), "ci/job_1-a"},
			{"launchType", task.LaunchType, types.LaunchTypeFargate},
			{"platformVersion", aws.ToString(task.PlatformVersion), "1.4.0"},
			{"cpu/memory", aws.ToString(task.Cpu) + "/" + aws.ToString(task.Memory), "256/512"},
			{"containers", len(task.Containers), 1},
			{"tags", tagsOf(task.Tags)["run"], "1"},
			{"attachments", len(task.Attachments), 1},
		}
		for _, ck := range checks {
			if ck.got != ck.want {
				t.Errorf("%s = %v, want %v", ck.what, ck.got, ck.want)
			}
		}
		if len(task.Attachments) == 1 {
			a := task.Attachments[0]
			subnet := ""
			for _, d := range a.Details {
				if aws.ToString(d.Name) == "subnetId" {
					subnet = aws.ToString(d.Value)
				}
			}
			if aws.ToString(a.Type) != "ElasticNetworkInterface" || subnet != awsvpc().AwsvpcConfiguration.Subnets[0] {
				t.Errorf("attachment = %s with subnet %q", aws.ToString(a.Type), subnet)
			}
		}
		if len(task.Containers) == 1 {
			ct := task.Containers[0]
			if aws.ToString(ct.Name) != "app" || aws.ToString(ct.TaskArn) != aws.ToString(task.TaskArn) || len(ct.NetworkInterfaces) != 1 {
				t.Errorf("container = %s of %s, %d network interfaces", aws.ToString(ct.Name), aws.ToString(ct.TaskArn), len(ct.NetworkInterfaces))
			}
		}
	})

	t.Run("count and group", func(t *testing.T) {
		out := must(c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("dev"), TaskDefinition: td.TaskDefinitionArn, Count: aws.Int32(10),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(), Group: aws.String("batch")}))(t)
		seen := map[string]bool{}
		for _, task := range out.Tasks {
			seen[aws.ToString(task.TaskArn)] = true
			if aws.ToString(task.Group) != "batch" {
				t.Errorf("group = %s", aws.ToString(task.Group))
			}
		}
		if len(seen) != 10 {
			t.Errorf("%d distinct tasks, want 10", len(seen))
		}
	})

	t.Run("overrides", func(t *testing.T) {
		out := must(c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("dev"), TaskDefinition: td.TaskDefinitionArn,
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(),
			Overrides: &types.TaskOverride{Cpu: aws.String("512"), Memory: aws.String("1024"), ContainerOverrides: []types.ContainerOverride{
				{Name: aws.String("app"), Command: []string{"echo", "hi"}},
			}},
		}))(t)
		task := out.Tasks[0]
		if aws.ToString(task.Cpu) != "512" || aws.ToString(task.Memory) != "1024" || len(task.Overrides.ContainerOverrides) != 1 {
			t.Errorf("cpu %s memory %s overrides %+v", aws.ToString(task.Cpu), aws.ToString(task.Memory), task.Overrides)
		}
	})

	register(t, c, fargateTD("old"))
	must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("old:1")}))(t)
	register(t, c, ec2TD("bridge"))
	edit := func(f func(*ecs.RunTaskInput)) *ecs.RunTaskInput {
		in := &ecs.RunTaskInput{Cluster: aws.String("dev"), TaskDefinition: aws.String("web"), LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc()}
		f(in)
		return in
	}
	tests := []struct {
		name  string
		in    *ecs.RunTaskInput
		check errCheck
	}{
		{"count 0", edit(func(in *ecs.RunTaskInput) { in.Count = aws.Int32(0) }), errOf[*types.InvalidParameterException]("")},
		{"count 11", edit(func(in *ecs.RunTaskInput) { in.Count = aws.Int32(11) }), errOf[*types.InvalidParameterException]("")},
		{"startedBy with a space", edit(func(in *ecs.RunTaskInput) { in.StartedBy = aws.String("me and you") }), errOf[*types.InvalidParameterException]("")},
		{"startedBy of 129 characters", edit(func(in *ecs.RunTaskInput) { in.StartedBy = aws.String(strings.Repeat("a", 129)) }), errOf[*types.InvalidParameterException]("")},
		{"unknown cluster", edit(func(in *ecs.RunTaskInput) { in.Cluster = aws.String("nope") }), errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"unknown task definition", edit(func(in *ecs.RunTaskInput) { in.TaskDefinition = aws.String("nope") }), errOf[*types.ClientException]("TaskDefinition not found.")},
		{"INACTIVE task definition", edit(func(in *ecs.RunTaskInput) { in.TaskDefinition = aws.String("old:1") }), errOf[*types.ClientException]("TaskDefinition is inactive")},
		{"awsvpc without network configuration", edit(func(in *ecs.RunTaskInput) { in.NetworkConfiguration = nil }),
			errOf[*types.InvalidParameterException]("Network Configuration must be provided when networkMode 'awsvpc' is specified.")},
		{"launch type and capacity provider strategy", edit(func(in *ecs.RunTaskInput) {
			in.CapacityProviderStrategy = []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Weight: 1}}
		}), errOf[*types.InvalidParameterException]("Specify either Launch Type or Capacity Provider Strategy, but not both.")},
		{"override of an unknown container", edit(func(in *ecs.RunTaskInput) {
			in.Overrides = &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{{Name: aws.String("db")}}}
		}), errOf[*types.InvalidParameterException]("Override for container named db is not a container in the TaskDefinition.")},
		{"FARGATE with a bridge task definition", edit(func(in *ecs.RunTaskInput) { in.TaskDefinition, in.NetworkConfiguration = aws.String("bridge"), nil }),
			errOf[*types.InvalidParameterException]("")},
		{"network configuration for bridge", edit(func(in *ecs.RunTaskInput) {
			in.TaskDefinition, in.LaunchType = aws.String("bridge"), types.LaunchTypeEc2
		}),
			errOf[*types.InvalidParameterException]("")},
		{"aws: tag", edit(func(in *ecs.RunTaskInput) { in.Tags = []types.Tag{tag("aws:a", "b")} }), errOf[*types.InvalidParameterException]("")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.RunTask(ctx, tc.in)
			tc.check(t, err)
		})
	}

	t.Run("clientToken", func(t *testing.T) {
		in := edit(func(in *ecs.RunTaskInput) { in.ClientToken, in.Count = aws.String("run-once"), aws.Int32(2) })
		first := must(c.RunTask(ctx, in))(t)
		again := must(c.RunTask(ctx, in))(t)
		arns := func(ts []types.Task) []string {
			var out []string
			for _, task := range ts {
				out = append(out, aws.ToString(task.TaskArn))
			}
			slices.Sort(out)
			return out
		}
		equalStrings(t, "replayed tasks", arns(again.Tasks), arns(first.Tasks))
		// The same request naming the cluster by ARN is still the same request.
		byARN := *in
		byARN.Cluster = aws.String(arnOf("cluster/dev"))
		equalStrings(t, "replayed by cluster ARN", arns(must(c.RunTask(ctx, &byARN))(t).Tasks), arns(first.Tasks))
		byARN.Group = aws.String("other")
		_, err := c.RunTask(ctx, &byARN)
		requireErr[*types.ConflictException](t, err, "")

		in.Count = aws.Int32(3)
		_, err = c.RunTask(ctx, in)
		conflict := requireErr[*types.ConflictException](t, err, "")
		slices.Sort(conflict.ResourceIds)
		equalStrings(t, "resourceIds", conflict.ResourceIds, arns(first.Tasks))
	})
}

// TestTaskLifecycleWithoutDocker follows a task through the reconciler:
// with no container engine it fails to start, and the waiters see that.
func TestTaskLifecycleWithoutDocker(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	td := register(t, c, fargateTD("web"))
	tasks := runFargate(t, c, "dev", *td.TaskDefinitionArn, 2)
	arns := []string{*tasks[0].TaskArn, *tasks[1].TaskArn}

	stopped := ecs.NewTasksStoppedWaiter(c, func(o *ecs.TasksStoppedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
	})
	out, err := stopped.WaitForOutput(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("dev"), Tasks: arns}, 15*time.Second)
	if err != nil {
		t.Fatalf("tasks-stopped: %v", err)
	}
	for _, task := range out.Tasks {
		if task.StopCode != types.TaskStopCodeTaskFailedToStart || !strings.HasPrefix(aws.ToString(task.StoppedReason), "ResourceInitializationError") {
			t.Errorf("stopCode %s reason %q", task.StopCode, aws.ToString(task.StoppedReason))
		}
		if aws.ToString(task.DesiredStatus) != "STOPPED" || task.StoppedAt == nil {
			t.Errorf("desiredStatus %s stoppedAt %v", aws.ToString(task.DesiredStatus), task.StoppedAt)
		}
	}
	// Stopping a stopped task keeps its first stop code and reason.
	st := must(c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("dev"), Task: aws.String(arns[0]), Reason: aws.String("late")}))(t)
	if st.Task.StopCode != types.TaskStopCodeTaskFailedToStart {
		t.Errorf("stopCode after StopTask = %s", st.Task.StopCode)
	}
	// tasks-running fails at once on a stopped task.
	running := ecs.NewTasksRunningWaiter(c, func(o *ecs.TasksRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
	})
	if err := running.Wait(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("dev"), Tasks: arns}, 5*time.Second); err == nil || !strings.Contains(err.Error(), "transitioned to Failure") {
		t.Errorf("tasks-running on stopped tasks: %v, want a failure state", err)
	}
}

func TestStopTask(t *testing.T) {
	t.Parallel()
	c := startStatic(t) // the stop code must be StopTask's, not a start failure's
	ctx := t.Context()
	createCluster(t, c, "dev")
	td := register(t, c, fargateTD("web"))
	tasks := runFargate(t, c, "dev", *td.TaskDefinitionArn, 3)

	tests := []struct {
		name, ref  string
		reason     *string
		wantReason string
	}{
		{"by ARN with a reason", *tasks[0].TaskArn, aws.String("testing stop task."), "testing stop task."},
		{"by ID without a reason", (*tasks[1].TaskArn)[strings.LastIndex(*tasks[1].TaskArn, "/")+1:], nil, "Task stopped by user"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := must(c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("dev"), Task: aws.String(tc.ref), Reason: tc.reason}))(t)
			task := out.Task
			if aws.ToString(task.DesiredStatus) != "STOPPED" || task.StopCode != types.TaskStopCodeUserInitiated || aws.ToString(task.StoppedReason) != tc.wantReason {
				t.Errorf("desired %s stopCode %s reason %q; want STOPPED UserInitiated %q", aws.ToString(task.DesiredStatus), task.StopCode, aws.ToString(task.StoppedReason), tc.wantReason)
			}
			if aws.ToString(task.LastStatus) != "PROVISIONING" {
				t.Errorf("lastStatus = %s, want the unchanged PROVISIONING", aws.ToString(task.LastStatus))
			}
		})
	}

	t.Run("first reason wins", func(t *testing.T) {
		out := must(c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("dev"), Task: tasks[0].TaskArn, Reason: aws.String("again")}))(t)
		if aws.ToString(out.Task.StoppedReason) != "testing stop task." {
			t.Errorf("reason = %q", aws.ToString(out.Task.StoppedReason))
		}
	})

	for _, tc := range []struct {
		name  string
		in    ecs.StopTaskInput
		check errCheck
	}{
		{"unknown task", ecs.StopTaskInput{Cluster: aws.String("dev"), Task: aws.String("0123456789abcdef0123456789abcdef")}, errOf[*types.InvalidParameterException]("The referenced task was not found.")},
		{"task of another cluster", ecs.StopTaskInput{Task: tasks[2].TaskArn}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"unknown cluster", ecs.StopTaskInput{Cluster: aws.String("nope"), Task: tasks[2].TaskArn}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"empty task", ecs.StopTaskInput{Cluster: aws.String("dev"), Task: aws.String("")}, errOf[*types.InvalidParameterException]("")},
		{"reason too long", ecs.StopTaskInput{Cluster: aws.String("dev"), Task: tasks[2].TaskArn, Reason: aws.String(strings.Repeat("r", 1025))}, errOf[*types.InvalidParameterException]("")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.StopTask(ctx, &tc.in)
			tc.check(t, err)
		})
	}
}

func TestDescribeTasks(t *testing.T) {
	t.Parallel()
	c := startStatic(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	td := register(t, c, fargateTD("web"))
	out := must(c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("dev"), TaskDefinition: td.TaskDefinitionArn,
		LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(), Tags: []types.Tag{tag("k", "v")}}))(t)
	arn := *out.Tasks[0].TaskArn
	id := arn[strings.LastIndex(arn, "/")+1:]
	missingID := "0123456789abcdef0123456789abcdef"

	t.Run("by ID and ARN, missing as failures", func(t *testing.T) {
		desc := must(c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("dev"), Tasks: []string{id, arn, missingID}}))(t)
		if len(desc.Tasks) != 2 || aws.ToString(desc.Tasks[0].TaskArn) != arn {
			t.Errorf("tasks = %d", len(desc.Tasks))
		}
		if desc.Tasks[0].Tags != nil {
			t.Errorf("tags = %v without include TAGS", desc.Tasks[0].Tags)
		}
		// The failure carries the full task ARN: the tasks-* waiters key off reason MISSING.
		equalStrings(t, "failures", failureReasons(desc.Failures), []string{arnOf("task/dev/"+missingID) + " MISSING"})
	})

	t.Run("include TAGS", func(t *testing.T) {
		desc := must(c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("dev"), Tasks: []string{arn}, Include: []types.TaskField{types.TaskFieldTags}}))(t)
		if got := tagsOf(desc.Tasks[0].Tags); got["k"] != "v" {
			t.Errorf("tags = %v", got)
		}
	})

	t.Run("tasks-running fails on MISSING", func(t *testing.T) {
		w := ecs.NewTasksRunningWaiter(c, func(o *ecs.TasksRunningWaiterOptions) {
			o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
		})
		err := w.Wait(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("dev"), Tasks: []string{missingID}}, 5*time.Second)
		if err == nil || !strings.Contains(err.Error(), "transitioned to Failure") {
			t.Errorf("err = %v, want the waiter's failure state", err)
		}
	})

	hundredAndOne := make([]string, 101)
	for i := range hundredAndOne {
		hundredAndOne[i] = fmt.Sprintf("%032x", i)
	}
	for _, tc := range []struct {
		name  string
		in    ecs.DescribeTasksInput
		check errCheck
	}{
		{"empty", ecs.DescribeTasksInput{Cluster: aws.String("dev"), Tasks: []string{}}, errOf[*types.InvalidParameterException]("")},
		{"more than 100", ecs.DescribeTasksInput{Cluster: aws.String("dev"), Tasks: hundredAndOne}, errOf[*types.InvalidParameterException]("")},
		{"unknown cluster", ecs.DescribeTasksInput{Cluster: aws.String("nope"), Tasks: []string{id}}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.DescribeTasks(ctx, &tc.in)
			tc.check(t, err)
		})
	}
}

func TestListTasks(t *testing.T) {
	t.Parallel()
	c := startStatic(t) // tasks keep desiredStatus RUNNING until stopped
	ctx := t.Context()
	createCluster(t, c, "dev")
	web := register(t, c, fargateTD("web"))
	api := register(t, c, fargateTD("api"))
	createService(t, c, fargateService("dev", "svc", "web", 0))
	run := func(td types.TaskDefinition, startedBy string, n int32) []string {
		in := &ecs.RunTaskInput{Cluster: aws.String("dev"), TaskDefinition: td.TaskDefinitionArn, Count: aws.Int32(n),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc()}
		if startedBy != "" {
			in.StartedBy = aws.String(startedBy)
		}
		var arns []string
		for _, task := range must(c.RunTask(ctx, in))(t).Tasks {
			arns = append(arns, *task.TaskArn)
		}
		return arns
	}
	webTasks := run(web, "alice", 3)
	apiTasks := run(api, "", 2)
	must(c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("dev"), Task: aws.String(webTasks[0])}))(t)
	sorted := func(arns ...string) []string { return slices.Sorted(slices.Values(arns)) }

	tests := []struct {
		name string
		in   ecs.ListTasksInput
		want []string
	}{
		{"desiredStatus defaults to RUNNING", ecs.ListTasksInput{}, sorted(webTasks[1], webTasks[2], apiTasks[0], apiTasks[1])},
		{"STOPPED", ecs.ListTasksInput{DesiredStatus: types.DesiredStatusStopped}, []string{webTasks[0]}},
		{"family", ecs.ListTasksInput{Family: aws.String("web")}, sorted(webTasks[1], webTasks[2])},
		{"startedBy", ecs.ListTasksInput{StartedBy: aws.String("alice")}, sorted(webTasks[1], webTasks[2])},
		{"startedBy nobody", ecs.ListTasksInput{StartedBy: aws.String("bob")}, []string{}},
		{"serviceName without tasks", ecs.ListTasksInput{ServiceName: aws.String("svc")}, []string{}},
		{"launchType EC2", ecs.ListTasksInput{LaunchType: types.LaunchTypeEc2}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Cluster = aws.String("dev")
			out := must(c.ListTasks(ctx, &in))(t)
			equalStrings(t, "taskArns", out.TaskArns, tc.want)
		})
	}

	t.Run("paginator", func(t *testing.T) {
		more := run(api, "", 10)
		want := sorted(append(append([]string{webTasks[1], webTasks[2]}, apiTasks...), more...)...)
		p := ecs.NewListTasksPaginator(c, &ecs.ListTasksInput{Cluster: aws.String("dev"), MaxResults: aws.Int32(4)})
		var got []string
		pages := 0
		for p.HasMorePages() {
			got = append(got, must(p.NextPage(ctx))(t).TaskArns...)
			pages++
		}
		equalStrings(t, "all pages", got, want)
		if pages != 4 {
			t.Errorf("pages = %d, want 4 for 14 tasks by 4", pages)
		}
	})

	for _, tc := range []struct {
		name  string
		in    ecs.ListTasksInput
		check errCheck
	}{
		{"unknown service", ecs.ListTasksInput{Cluster: aws.String("dev"), ServiceName: aws.String("nope")}, errOf[*types.ServiceNotFoundException]("Service not found.")},
		{"unknown cluster", ecs.ListTasksInput{Cluster: aws.String("nope")}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"maxResults 101", ecs.ListTasksInput{Cluster: aws.String("dev"), MaxResults: aws.Int32(101)}, errOf[*types.InvalidParameterException]("")},
		{"bad desiredStatus", ecs.ListTasksInput{Cluster: aws.String("dev"), DesiredStatus: "DONE"}, errOf[*types.InvalidParameterException]("")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.ListTasks(ctx, &tc.in)
			tc.check(t, err)
		})
	}
}

// Service tasks: the scheduler launches them with the service's group and
// the deployment as startedBy, and ListTasks finds them by serviceName.
func TestListTasksOfService(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))
	svc := createService(t, c, fargateService("dev", "svc", "web", 1))
	deployment := aws.ToString(svc.Deployments[0].Id)

	var arns []string
	eventually(t, "the service launched a task", func() bool {
		for _, status := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
			out := must(c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("dev"), ServiceName: aws.String("svc"), DesiredStatus: status}))(t)
			arns = append(arns, out.TaskArns...)
		}
		return len(arns) > 0
	})
	desc := must(c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("dev"), Tasks: arns[:1]}))(t)
	task := desc.Tasks[0]
	if aws.ToString(task.Group) != "service:svc" || aws.ToString(task.StartedBy) != deployment {
		t.Errorf("group %s startedBy %s, want service:svc and %s", aws.ToString(task.Group), aws.ToString(task.StartedBy), deployment)
	}
	byDeployment := must(c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("dev"), StartedBy: aws.String(deployment), DesiredStatus: types.DesiredStatusStopped}))(t)
	byDeployment2 := must(c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("dev"), StartedBy: aws.String(deployment)}))(t)
	if len(byDeployment.TaskArns)+len(byDeployment2.TaskArns) == 0 {
		t.Error("startedBy the deployment lists no task")
	}
	must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"), Force: aws.Bool(true)}))(t)
	inactive := ecs.NewServicesInactiveWaiter(c, func(o *ecs.ServicesInactiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
	})
	if err := inactive.Wait(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("dev"), Services: []string{"svc"}}, 15*time.Second); err != nil {
		t.Errorf("services-inactive: %v", err)
	}
}

// The services-* waiters: stable once the one deployment has all its
// tasks, failed at once on a MISSING service.
func TestServiceWaiters(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))
	createService(t, c, fargateService("dev", "svc", "web", 0))
	must(c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"), ForceNewDeployment: true}))(t)

	stable := ecs.NewServicesStableWaiter(c, func(o *ecs.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
	})
	out, err := stable.WaitForOutput(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("dev"), Services: []string{"svc"}}, 15*time.Second)
	if err != nil {
		t.Fatalf("services-stable: %v", err)
	}
	if d := out.Services[0].Deployments; len(d) != 1 || d[0].RolloutState != types.DeploymentRolloutStateCompleted {
		t.Errorf("deployments = %+v, want one COMPLETED", d)
	}

	err = stable.Wait(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("dev"), Services: []string{"svc", "nope"}}, 5*time.Second)
	if err == nil || !strings.Contains(err.Error(), "transitioned to Failure") {
		t.Errorf("services-stable with a MISSING service: %v, want a failure state", err)
	}
	var apiErr interface{ ErrorCode() string }
	if errors.As(err, &apiErr) {
		t.Errorf("waiter failed on an API error %s, want on failures[].reason", apiErr.ErrorCode())
	}
}
