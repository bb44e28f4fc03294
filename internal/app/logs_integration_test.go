package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

func logsClient(e *emulatortest.Emulator) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(e.Config("us-east-1"), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = aws.String(e.URL) })
}

func awslogs(group string, extra ...string) *types.LogConfiguration {
	opts := map[string]string{"awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}
	for _, kv := range extra {
		k, v, _ := strings.Cut(kv, "=")
		opts[k] = v
	}
	return &types.LogConfiguration{LogDriver: types.LogDriverAwslogs, Options: opts}
}

func runTask(t *testing.T, ctx context.Context, c *ecs.Client, containers ...types.ContainerDefinition) string {
	t.Helper()
	def, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("logs"), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"),
		ExecutionRoleArn:     aws.String("arn:aws:iam::000000000000:role/ecsTaskExecutionRole"),
		ContainerDefinitions: containers,
	})
	if err != nil {
		t.Fatalf("RegisterTaskDefinition: %v", err)
	}
	out, err := c.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: def.TaskDefinition.TaskDefinitionArn, LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc()})
	if err != nil || len(out.Tasks) != 1 {
		t.Fatalf("RunTask: %v", err)
	}
	return aws.ToString(out.Tasks[0].TaskArn)
}

// waitEvent polls the stream until an event with the message shows up
// and returns it with when it was seen.
func waitEvent(t *testing.T, ctx context.Context, cwl *cloudwatchlogs.Client, group, stream, message string) (cwltypes.OutputLogEvent, time.Time) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		out, err := cwl.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
		if err == nil {
			for _, ev := range out.Events {
				if aws.ToString(ev.Message) == message {
					return ev, time.Now()
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q not in %s/%s after 30 s (last error %v)", message, group, stream, err)
		}
	}
}

func streamMessages(t *testing.T, ctx context.Context, cwl *cloudwatchlogs.Client, group, stream string) []string {
	t.Helper()
	out, err := cwl.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetLogEvents %s/%s: %v", group, stream, err)
	}
	var msgs []string
	last := int64(0)
	for _, ev := range out.Events {
		if ts := aws.ToInt64(ev.Timestamp); ts < last {
			t.Errorf("events out of time order: %d after %d", ts, last)
		} else {
			last = ts
		}
		msgs = append(msgs, aws.ToString(ev.Message))
	}
	return msgs
}

// A task whose app container uses awslogs: its stdout and stderr lines
// reach the stream ecs/app/<task id> within a second of being printed,
// the last one (printed without a newline just before the exit) too; a
// 40 KiB line (Docker splits it at 16 KiB) arrives whole; ERROR finds
// only the ERROR lines; the sidecar without awslogs ships nothing.
func TestAwslogsShipsContainerOutput(t *testing.T) {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true})
	ctx := t.Context()
	c, cwl := e.ECS(), logsClient(e)
	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	must(t, "CreateLogGroup", func() error {
		_, err := cwl.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/logs")})
		return err
	})
	long := "INFO " + strings.Repeat("L", 40<<10)
	arn := runTask(t, ctx, c,
		types.ContainerDefinition{
			Name: aws.String("app"), Image: aws.String(image), Essential: aws.Bool(true),
			Command:          []string{"print", "-every", "1500ms", "-partial", "INFO starting", "2>ERROR something failed", long, "ERROR last words"},
			LogConfiguration: awslogs("/ecs/logs"),
		},
		types.ContainerDefinition{
			Name: aws.String("sidecar"), Image: aws.String(image), Essential: aws.Bool(false),
			Command: []string{"print", "sidecar output"},
		},
	)
	stream := "ecs/app/" + taskIDOf(arn)

	for _, msg := range []string{"INFO starting", "ERROR something failed", long, "ERROR last words"} {
		ev, seen := waitEvent(t, ctx, cwl, "/ecs/logs", stream, msg)
		printed := time.UnixMilli(aws.ToInt64(ev.Timestamp))
		// The ingestion time is when the shipper stored the event; the
		// poll's own delay (a loaded machine) is only logged.
		lag := time.UnixMilli(aws.ToInt64(ev.IngestionTime)).Sub(printed)
		t.Logf("%.20q shipped %v after it was printed, seen after %v", msg, lag, seen.Sub(printed).Round(time.Millisecond))
		if lag > time.Second {
			t.Errorf("%.20q reached the stream %v after it was printed, want within 1 s", msg, lag)
		}
	}
	task := waitStopped(t, ctx, c, arn)
	if task.StopCode != types.TaskStopCodeEssentialContainerExited {
		t.Errorf("stop code %s (%q)", task.StopCode, aws.ToString(task.StoppedReason))
	}
	want := []string{"INFO starting", "ERROR something failed", long, "ERROR last words"}
	if got := streamMessages(t, ctx, cwl, "/ecs/logs", stream); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("stream holds %d events %.60q, want %d", len(got), got, len(want))
	}

	filtered, err := cwl.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/ecs/logs"), FilterPattern: aws.String("ERROR")})
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, ev := range filtered.Events {
		errs = append(errs, aws.ToString(ev.Message))
		if aws.ToString(ev.LogStreamName) != stream {
			t.Errorf("event from stream %s", aws.ToString(ev.LogStreamName))
		}
	}
	if strings.Join(errs, "|") != "ERROR something failed|ERROR last words" {
		t.Errorf("filter ERROR found %q", errs)
	}

	streams, err := cwl.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/logs")})
	if err != nil || len(streams.LogStreams) != 1 {
		t.Errorf("want only the app's stream, got %d streams (%v)", len(streams.LogStreams), err)
	}
	groups, err := cwl.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(groups.LogGroups) != 1 {
		t.Errorf("want only /ecs/logs, got %d groups (%v)", len(groups.LogGroups), err)
	}
}

// awslogs-create-group creates a missing group; without it the task
// fails as on Fargate, before its container runs.
func TestAwslogsGroupCreation(t *testing.T) {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true})
	ctx := t.Context()
	c, cwl := e.ECS(), logsClient(e)
	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })

	created := runTask(t, ctx, c, types.ContainerDefinition{
		Name: aws.String("app"), Image: aws.String(image), Command: []string{"print", "hello"},
		LogConfiguration: awslogs("/ecs/created", "awslogs-create-group=true"),
	})
	missing := runTask(t, ctx, c, types.ContainerDefinition{
		Name: aws.String("app"), Image: aws.String(image), Command: []string{"print", "hello"},
		LogConfiguration: awslogs("/ecs/missing"),
	})

	waitEvent(t, ctx, cwl, "/ecs/created", "ecs/app/"+taskIDOf(created), "hello")
	if task := waitStopped(t, ctx, c, created); aws.ToInt32(task.Containers[0].ExitCode) != 0 {
		t.Errorf("the task with awslogs-create-group: exit code %d, reason %q", aws.ToInt32(task.Containers[0].ExitCode), aws.ToString(task.StoppedReason))
	}

	task := waitStopped(t, ctx, c, missing)
	const reason = "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
	if task.StopCode != types.TaskStopCodeTaskFailedToStart || aws.ToString(task.StoppedReason) != reason {
		t.Errorf("missing group: stop code %s, reason %q; want TaskFailedToStart, %q", task.StopCode, aws.ToString(task.StoppedReason), reason)
	}
	if ct := task.Containers[0]; aws.ToString(ct.Reason) != reason || ct.ExitCode != nil || task.StartedAt != nil {
		t.Errorf("missing group: container reason %q, exit code %v, task started at %v; want the reason, no exit code, never started", aws.ToString(ct.Reason), ct.ExitCode, task.StartedAt)
	}
	if _, err := cwl.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/missing")}); err == nil {
		t.Error("the missing group was created")
	}
}

func taskIDOf(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// A task stopped with StopTask: what its server logs while shutting down
// on SIGTERM is in the stream by the time the task shows STOPPED.
func TestAwslogsLastLinesBeforeStopped(t *testing.T) {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true})
	ctx := t.Context()
	c, cwl := e.ECS(), logsClient(e)
	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	arn := runTask(t, ctx, c, types.ContainerDefinition{
		Name: aws.String("app"), Image: aws.String(image), Environment: env("NAME=web"),
		LogConfiguration: awslogs("/ecs/web", "awslogs-create-group=true"),
	})
	stream := "ecs/app/" + taskIDOf(arn)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if msgs := eventsOf(ctx, cwl, "/ecs/web", stream); strings.Contains(strings.Join(msgs, "\n"), "listening on") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server's start is not in the stream after 60 s")
		}
	}
	if _, err := c.StopTask(ctx, &ecs.StopTaskInput{Task: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	waitStopped(t, ctx, c, arn)
	got := strings.Join(eventsOf(ctx, cwl, "/ecs/web", stream), "\n")
	for _, want := range []string{"received SIGTERM: shutting down gracefully", "shutdown complete"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q not in the stream when the task was STOPPED; it holds:\n%s", want, got)
		}
	}
}

func eventsOf(ctx context.Context, cwl *cloudwatchlogs.Client, group, stream string) []string {
	out, err := cwl.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
	if err != nil {
		return nil
	}
	var msgs []string
	for _, ev := range out.Events {
		msgs = append(msgs, aws.ToString(ev.Message))
	}
	return msgs
}
