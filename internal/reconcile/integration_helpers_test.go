package reconcile_test

// Helpers of the integration tests: they run the whole emulator in-process
// on the real Docker engine (emulatortest, Docker: true) and drive it only
// through the AWS SDK, like a user. Every wait polls DescribeTasks or
// DescribeServices with a deadline and, on timeout, fails showing the last
// answer. The tests skip without an engine and fail without one under
// EMULATOR_REQUIRE_DOCKER=1.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/runtime/docker"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// TestMain raises the default -parallel: the integration tests spend their
// time waiting for containers and health checks, not computing, so the
// GOMAXPROCS default (2 on a small machine) would serialise them for no
// gain. An explicit -test.parallel on the command line wins.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		_ = flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
}

const (
	testCluster = "itest"
	appPort     = 8080
)

// fixture is one emulator on the real engine plus what a test needs to
// drive it.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	e     *emulatortest.Emulator
	ecs   *ecs.Client
	image string
}

// newFixture starts an emulator with Docker and a cluster, after building
// the test app image.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true})
	f := &fixture{t: t, ctx: t.Context(), e: e, ecs: e.ECS(), image: image}
	f.createCluster()
	return f
}

func (f *fixture) createCluster() {
	f.t.Helper()
	if _, err := f.ecs.CreateCluster(f.ctx, &ecs.CreateClusterInput{ClusterName: aws.String(testCluster)}); err != nil {
		f.t.Fatalf("CreateCluster: %v", err)
	}
}

// app is a container definition running the test app server with env.
func (f *fixture) app(name string, env ...string) types.ContainerDefinition {
	cd := types.ContainerDefinition{
		Name:        aws.String(name),
		Image:       aws.String(f.image),
		Essential:   aws.Bool(true),
		StopTimeout: aws.Int32(2), // the app stops at once on SIGTERM anyway
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		cd.Environment = append(cd.Environment, types.KeyValuePair{Name: aws.String(k), Value: aws.String(v)})
	}
	return cd
}

// healthCheck is the test app's own check, at ECS's minimum interval.
func healthCheck(retries int32) *types.HealthCheck {
	return &types.HealthCheck{
		Command:  []string{"CMD", "/testapp", "healthcheck"},
		Interval: aws.Int32(5),
		Timeout:  aws.Int32(2),
		Retries:  aws.Int32(retries),
	}
}

// register registers a Fargate (awsvpc) task definition and returns its ARN.
func (f *fixture) register(family string, containers ...types.ContainerDefinition) string {
	f.t.Helper()
	out, err := f.ecs.RegisterTaskDefinition(f.ctx, &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String(family),
		NetworkMode:             types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"),
		Memory:                  aws.String("512"),
		ContainerDefinitions:    containers,
	})
	if err != nil {
		f.t.Fatalf("RegisterTaskDefinition %s: %v", family, err)
	}
	return *out.TaskDefinition.TaskDefinitionArn
}

// defaultSubnets and defaultGroup are us-east-1's default VPC, which EC2
// has in every new emulator.
var _, defaultSubnets, defaultGroup = ec2api.DefaultVPCIDs("000000000000", "us-east-1")

func awsvpc() *types.NetworkConfiguration {
	return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
		Subnets: defaultSubnets[:1], SecurityGroups: []string{defaultGroup},
	}}
}

// runTask starts one Fargate task and returns it as RunTask answered.
func (f *fixture) runTask(taskDef string) types.Task {
	f.t.Helper()
	out, err := f.ecs.RunTask(f.ctx, &ecs.RunTaskInput{
		Cluster:              aws.String(testCluster),
		TaskDefinition:       aws.String(taskDef),
		LaunchType:           types.LaunchTypeFargate,
		NetworkConfiguration: awsvpc(),
	})
	if err != nil {
		f.t.Fatalf("RunTask %s: %v", taskDef, err)
	}
	if len(out.Tasks) != 1 {
		f.t.Fatalf("RunTask %s: tasks %d, failures %s", taskDef, len(out.Tasks), dump(out.Failures))
	}
	return out.Tasks[0]
}

func (f *fixture) describeTask(arn string) (types.Task, error) {
	out, err := f.ecs.DescribeTasks(f.ctx, &ecs.DescribeTasksInput{Cluster: aws.String(testCluster), Tasks: []string{arn}})
	if err != nil {
		return types.Task{}, err
	}
	if len(out.Tasks) != 1 {
		return types.Task{}, fmt.Errorf("DescribeTasks %s: failures %s", arn, dump(out.Failures))
	}
	return out.Tasks[0], nil
}

// pollInterval is short enough to see the brief lifecycle states.
const pollInterval = 100 * time.Millisecond

// waitTask polls the task until cond holds and returns it; on timeout it
// fails with the last answer. seen, if not nil, collects every lastStatus
// observed, in order, without repeats.
func (f *fixture) waitTask(arn, what string, timeout time.Duration, cond func(types.Task) bool, seen *[]string) types.Task {
	f.t.Helper()
	deadline := time.Now().Add(timeout)
	var last types.Task
	var lastErr error
	for {
		last, lastErr = f.describeTask(arn)
		if lastErr == nil {
			if seen != nil && (len(*seen) == 0 || (*seen)[len(*seen)-1] != aws.ToString(last.LastStatus)) {
				*seen = append(*seen, aws.ToString(last.LastStatus))
			}
			if cond(last) {
				return last
			}
		}
		if time.Now().After(deadline) || f.ctx.Err() != nil {
			f.t.Fatalf("task %s: %s not reached within %v (last error %v); last DescribeTasks:\n%s", taskID(arn), what, timeout, lastErr, dump(last))
		}
		time.Sleep(pollInterval)
	}
}

func (f *fixture) waitRunning(arn string, timeout time.Duration) types.Task {
	f.t.Helper()
	return f.waitTask(arn, "lastStatus RUNNING", timeout, func(t types.Task) bool { return status(t) == "RUNNING" }, nil)
}

func (f *fixture) waitStopped(arn string, timeout time.Duration) types.Task {
	f.t.Helper()
	return f.waitTask(arn, "lastStatus STOPPED", timeout, func(t types.Task) bool { return status(t) == "STOPPED" }, nil)
}

func status(t types.Task) string { return aws.ToString(t.LastStatus) }

// containerOf returns the named container of a task.
func containerOf(t *testing.T, task types.Task, name string) types.Container {
	t.Helper()
	for _, c := range task.Containers {
		if aws.ToString(c.Name) == name {
			return c
		}
	}
	t.Fatalf("task %s has no container %s:\n%s", taskID(aws.ToString(task.TaskArn)), name, dump(task))
	return types.Container{}
}

// taskIP is the task's private address from its ENI attachment.
func taskIP(task types.Task) string {
	for _, a := range task.Attachments {
		for _, d := range a.Details {
			if aws.ToString(d.Name) == "privateIPv4Address" {
				return aws.ToString(d.Value)
			}
		}
	}
	return ""
}

func taskID(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// dump renders an SDK value for failure messages.
func dump(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return string(b)
}

// engine returns a client of the engine the emulator uses.
func (f *fixture) engine() *client.Client { return dockertest.NewClient(f.t) }

// containers lists the engine's containers of this emulator (its scope
// label) that also carry every label given as key=value, running or not.
func (f *fixture) containers(cli *client.Client, labels ...string) []container.Summary {
	f.t.Helper()
	return scopeContainers(f.t, cli, f.e.Network, labels...)
}

// taskContainers are a task's engine containers: those labelled with its
// ARN and its sandbox, which carries no task labels when it was started
// ahead of the task (a spare, see docker.LabelPooled); the sandbox name
// ends in the task ID either way.
func (f *fixture) taskContainers(cli *client.Client, arn string) []container.Summary {
	f.t.Helper()
	list := f.containers(cli, runtime.LabelTaskARN+"="+arn)
	for _, sb := range f.sandboxOf(cli, arn) {
		if !slices.ContainsFunc(list, func(c container.Summary) bool { return c.ID == sb.ID }) {
			list = append(list, sb)
		}
	}
	return list
}

// sandboxOf lists the sandbox of a task, found by its name.
func (f *fixture) sandboxOf(cli *client.Client, arn string) []container.Summary {
	f.t.Helper()
	suffix := "-sandbox-" + taskID(arn)
	return slices.DeleteFunc(f.containers(cli, runtime.LabelRole+"="+runtime.RoleSandbox), func(c container.Summary) bool {
		return !strings.HasSuffix(c.Names[0], suffix)
	})
}

// withoutSpares drops the sandboxes started ahead of need that no task
// took yet (they keep their spare name until one does).
func withoutSpares(list []container.Summary) []container.Summary {
	return slices.DeleteFunc(slices.Clone(list), func(c container.Summary) bool {
		return c.Labels[docker.LabelPooled] == "true" && strings.Contains(c.Names[0], "-spare-")
	})
}

func scopeContainers(t testing.TB, cli *client.Client, scope string, labels ...string) []container.Summary {
	t.Helper()
	filters := make(client.Filters).Add("label", runtime.LabelScope+"="+scope)
	for _, l := range labels {
		filters = filters.Add("label", l)
	}
	res, err := cli.ContainerList(context.Background(), client.ContainerListOptions{All: true, Filters: filters})
	if err != nil {
		t.Fatalf("listing containers of %s: %v", scope, err)
	}
	return res.Items
}

// containerNames are the names of listed containers, sorted.
func containerNames(list []container.Summary) []string {
	var names []string
	for _, c := range list {
		names = append(names, strings.TrimPrefix(c.Names[0], "/"))
	}
	slices.Sort(names)
	return names
}

// waitFor polls cond until it holds, failing with describe() on timeout.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool, describe func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s not reached within %v; last state:\n%s", what, timeout, describe())
		}
		time.Sleep(pollInterval)
	}
}

// httpGet fetches url from the test process.
func httpGet(url string) (int, string, error) {
	c := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{Proxy: nil}}
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}
