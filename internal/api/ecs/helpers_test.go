package ecs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = "000000000000"
	region  = "us-east-1"
)

// arnOf builds an ECS ARN in the test account and region.
func arnOf(resource string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:%s", region, account, resource)
}

// recorded wraps an SDK client so its calls are recorded.
func recorded(c *ecs.Client) *ecs.Client {
	return ecs.New(c.Options(), func(o *ecs.Options) { o.APIOptions = append(o.APIOptions, opcoverage.Record) })
}

// start runs the whole emulator (API, reconciler, no Docker) and returns
// it with a us-east-1 client. Tasks it launches fail to start, quickly.
func start(t testing.TB) (*emulatortest.Emulator, *ecs.Client) {
	t.Helper()
	e := emulatortest.Start(t, emulatortest.Options{})
	return e, recorded(e.ECS())
}

// startStatic serves the ECS API alone, without a reconciler: tasks stay
// in the state RunTask left them in and deployments never complete. Tests
// use it where the reconciler would race with what they check (a task
// that is still running, a stop code set by StopTask, a deployment that
// is still IN_PROGRESS).
func startStatic(t testing.TB) *ecs.Client {
	t.Helper()
	return startStaticWith(t, ecsapi.Options{})
}

// startStaticWith is startStatic with options (quotas, lookups) set.
func startStaticWith(t testing.TB, opts ecsapi.Options) *ecs.Client {
	t.Helper()
	opts.Account, opts.Logger = account, quietLogger()
	api := ecsapi.New(opts)
	srv := httptest.NewServer(server.New(server.Options{Services: []server.Service{{Spec: ecsapi.Spec, JSON: api}}, Region: region, AccountID: account, Version: "test", Logger: quietLogger()}).Handler())
	t.Cleanup(srv.Close)
	return recorded((&emulatortest.Emulator{URL: srv.URL}).ECS())
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestMain fails a complete run that never called one of the operations.
func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, ecsapi.New(ecsapi.Options{}).Operations()))
}

// errCheck asserts something about an error.
type errCheck func(t *testing.T, err error)

// errOf checks that err is an E and, unless msg is "", that its message is
// exactly msg.
func errOf[E error](msg string) errCheck {
	return func(t *testing.T, err error) {
		t.Helper()
		requireErr[E](t, err, msg)
	}
}

// errLike checks that err is an E whose message contains part.
func errLike[E error](part string) errCheck {
	return func(t *testing.T, err error) {
		t.Helper()
		e := requireErr[E](t, err, "")
		if msg := apiMessage(e); !strings.Contains(msg, part) {
			t.Errorf("message = %q, want it to contain %q", msg, part)
		}
	}
}

// requireErr fails unless err is an E (found with errors.As) with message
// msg (when msg is not "").
func requireErr[E error](t *testing.T, err error, msg string) E {
	t.Helper()
	var target E
	if err == nil {
		t.Fatalf("no error, want %T", target)
	}
	if !errors.As(err, &target) {
		t.Fatalf("error = %v (%T), want %T", err, err, target)
	}
	if msg != "" && apiMessage(target) != msg {
		t.Errorf("message = %q, want %q", apiMessage(target), msg)
	}
	return target
}

func apiMessage(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorMessage()
	}
	return err.Error()
}

// must(c.Op(ctx, in))(t) returns Op's output, failing t on an error.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func createCluster(t testing.TB, c *ecs.Client, name string) types.Cluster {
	t.Helper()
	out := must(c.CreateCluster(context.Background(), &ecs.CreateClusterInput{ClusterName: aws.String(name)}))(t)
	return *out.Cluster
}

// fargateTD is a valid Fargate task definition input with one container
// "app" listening on 80.
func fargateTD(family string) *ecs.RegisterTaskDefinitionInput {
	return &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String(family),
		NetworkMode:             types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"),
		Memory:                  aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name:         aws.String("app"),
			Image:        aws.String("nginx:alpine"),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(80)}},
		}},
	}
}

// ec2TD is a valid bridge-mode (EC2) task definition input with one
// container "app" of 128 MiB listening on 80.
func ec2TD(family string) *ecs.RegisterTaskDefinitionInput {
	return &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name:         aws.String("app"),
			Image:        aws.String("nginx:alpine"),
			Memory:       aws.Int32(128),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(80)}},
		}},
	}
}

func register(t testing.TB, c *ecs.Client, in *ecs.RegisterTaskDefinitionInput) types.TaskDefinition {
	t.Helper()
	out := must(c.RegisterTaskDefinition(context.Background(), in))(t)
	return *out.TaskDefinition
}

// awsvpc is a network configuration with one subnet: the first default
// subnet of us-east-1, which EC2 has in every new emulator.
func awsvpc() *types.NetworkConfiguration { return awsvpcIn(region) }

// awsvpcIn is awsvpc in another region's default VPC.
func awsvpcIn(reg string) *types.NetworkConfiguration {
	_, subnets, _ := ec2api.DefaultVPCIDs(account, reg)
	return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: subnets[:1]}}
}

// fargateService is a CreateService input for a Fargate service.
func fargateService(cluster, name, td string, desired int32) *ecs.CreateServiceInput {
	return &ecs.CreateServiceInput{
		Cluster:              aws.String(cluster),
		ServiceName:          aws.String(name),
		TaskDefinition:       aws.String(td),
		DesiredCount:         aws.Int32(desired),
		LaunchType:           types.LaunchTypeFargate,
		NetworkConfiguration: awsvpc(),
	}
}

func createService(t testing.TB, c *ecs.Client, in *ecs.CreateServiceInput) types.Service {
	t.Helper()
	out := must(c.CreateService(context.Background(), in))(t)
	return *out.Service
}

// runFargate runs count tasks of td in cluster.
func runFargate(t testing.TB, c *ecs.Client, cluster, td string, count int32) []types.Task {
	t.Helper()
	out := must(c.RunTask(context.Background(), &ecs.RunTaskInput{
		Cluster: aws.String(cluster), TaskDefinition: aws.String(td), Count: aws.Int32(count),
		LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpcIn(c.Options().Region),
	}))(t)
	if len(out.Failures) > 0 || len(out.Tasks) != int(count) {
		t.Fatalf("RunTask: %d tasks, failures %v", len(out.Tasks), out.Failures)
	}
	return out.Tasks
}

func tagsOf(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

// failureReasons renders failures as "arn reason" lines, sorted.
func failureReasons(fs []types.Failure) []string {
	var out []string
	for _, f := range fs {
		out = append(out, aws.ToString(f.Arn)+" "+aws.ToString(f.Reason))
	}
	slices.Sort(out)
	return out
}

func equalStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}
