package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

const taskRoleARN = "arn:aws:iam::000000000000:role/app-role"

// A task with a role, as an application in it sees its environment: the
// metadata endpoint (v4 and v3: container, task, stats) names the task and
// its address; the Go SDK's default chain, with nothing set by hand, gets
// the task role's credentials and reaches the emulator through
// AWS_ENDPOINT_URL (STS, and Cloud Map's DiscoverInstances with its
// "data-" host prefix). A task without a role gets no credentials, and a
// definition's own AWS_ENDPOINT_URL is kept.
func TestTaskSeesMetadataCredentialsAndEndpoint(t *testing.T) {
	dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true, TaskEndpoints: true})
	ctx := t.Context()
	c, cm := e.ECS(), e.CloudMap()
	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	registry := createWorkerRegistry(t, ctx, cm)
	_, err := cm.RegisterInstance(ctx, &servicediscovery.RegisterInstanceInput{
		ServiceId: aws.String((*registry)[strings.LastIndex(*registry, "/")+1:]), InstanceId: aws.String("i-1"),
		Attributes: map[string]string{"AWS_INSTANCE_IPV4": "10.1.2.3"},
	})
	if err != nil {
		t.Fatalf("RegisterInstance: %v", err)
	}

	withRole := runServer(t, ctx, c, "app", taskRoleARN, "ECHO_ENV=AWS_*")
	noRole := runServer(t, ctx, c, "norole", "", "ECHO_ENV=AWS_*", "AWS_ENDPOINT_URL=http://own.example:1234")
	docker := dockertest.NewClient(t)
	id := containerID(t, e, withRole)

	t.Run("task metadata v4", func(t *testing.T) {
		var doc struct {
			Cluster, TaskARN, Family, Revision, KnownStatus, LaunchType, AvailabilityZone string
			Limits                                                                        struct {
				CPU    float64
				Memory int64
			}
			PullStartedAt *time.Time
			Containers    []struct {
				DockerID string `json:"DockerId"`
				Name     string
				Networks []struct {
					NetworkMode, IPv4SubnetCIDRBlock, MACAddress, PrivateDNSName, SubnetGatewayIpv4Address string
					IPv4Addresses                                                                          []string
				}
			}
		}
		execJSON(t, docker, id, &doc, "get-env", "ECS_CONTAINER_METADATA_URI_V4", "/task")
		ip := privateIP(withRole)
		if doc.TaskARN != *withRole.TaskArn || doc.Cluster != *withRole.ClusterArn || doc.Family != "app" || doc.Revision != "1" ||
			doc.KnownStatus != "RUNNING" || doc.LaunchType != "FARGATE" || doc.Limits.CPU != 0.25 || doc.Limits.Memory != 512 || doc.PullStartedAt == nil {
			t.Errorf("task document %+v", doc)
		}
		if len(doc.Containers) != 1 || doc.Containers[0].DockerID != id || len(doc.Containers[0].Networks) != 1 {
			t.Fatalf("containers %+v", doc.Containers)
		}
		n := doc.Containers[0].Networks[0]
		if n.NetworkMode != "awsvpc" || len(n.IPv4Addresses) != 1 || n.IPv4Addresses[0] != ip || n.IPv4SubnetCIDRBlock == "" ||
			n.MACAddress == "" || !strings.HasPrefix(n.PrivateDNSName, "ip-") || !strings.Contains(n.SubnetGatewayIpv4Address, "/") {
			t.Errorf("network %+v, want the task's address %s", n, ip)
		}
	})
	t.Run("container metadata and stats", func(t *testing.T) {
		var ctr struct {
			DockerID, Name, Image, ImageID, KnownStatus, Type string
			Labels                                            map[string]string
		}
		execJSON(t, docker, id, &ctr, "get-env", "ECS_CONTAINER_METADATA_URI_V4")
		if ctr.Name != "app" || ctr.KnownStatus != "RUNNING" || ctr.Type != "NORMAL" || !strings.HasPrefix(ctr.ImageID, "sha256:") ||
			ctr.Labels["com.amazonaws.ecs.task-arn"] != *withRole.TaskArn {
			t.Errorf("container document %+v", ctr)
		}
		var stats struct {
			CPUStats    map[string]any `json:"cpu_stats"`
			PreCPUStats map[string]any `json:"precpu_stats"`
			Memory      map[string]any `json:"memory_stats"`
		}
		execJSON(t, docker, id, &stats, "get-env", "ECS_CONTAINER_METADATA_URI_V4", "/stats")
		if len(stats.CPUStats) == 0 || len(stats.PreCPUStats) == 0 || len(stats.Memory) == 0 {
			t.Errorf("stats %+v", stats)
		}
		var taskStats map[string]json.RawMessage
		execJSON(t, docker, id, &taskStats, "get-env", "ECS_CONTAINER_METADATA_URI_V4", "/task/stats")
		if _, ok := taskStats[id]; !ok || len(taskStats) != 1 {
			t.Errorf("task stats keyed by %v, want %s", keys(taskStats), id)
		}
	})
	t.Run("task metadata v3", func(t *testing.T) {
		var doc map[string]any
		execJSON(t, docker, id, &doc, "get-env", "ECS_CONTAINER_METADATA_URI", "/task")
		if doc["TaskARN"] != *withRole.TaskArn || doc["LaunchType"] != nil {
			t.Errorf("v3 task document %v", doc)
		}
	})
	t.Run("task role credentials through the default chain", func(t *testing.T) {
		var out struct {
			Result      struct{ Arn, Account string }
			AccessKeyID string `json:"accessKeyId"`
		}
		execJSON(t, docker, id, &out, "aws", "whoami")
		want := "arn:aws:sts::000000000000:assumed-role/app-role/" + ecsapi.TaskID(*withRole.TaskArn)
		if out.Result.Arn != want || !strings.HasPrefix(out.AccessKeyID, "ASIA") {
			t.Errorf("inside the task the SDK is %+v, want %s with ASIA… keys", out, want)
		}
	})
	t.Run("Cloud Map through AWS_ENDPOINT_URL", func(t *testing.T) {
		var out struct {
			Result struct {
				Instances []struct{ InstanceId string }
			}
		}
		execJSON(t, docker, id, &out, "aws", "discover", "internal.svc", "worker")
		if len(out.Result.Instances) != 1 || out.Result.Instances[0].InstanceId != "i-1" {
			t.Errorf("DiscoverInstances from the task: %+v", out.Result)
		}
	})
	t.Run("environment", func(t *testing.T) {
		got := taskEnv(t, withRole)
		t.Logf("a task's environment: %v", got)
		for _, k := range []string{"AWS_ENDPOINT_URL", "ECS_CONTAINER_METADATA_URI_V4", "ECS_CONTAINER_METADATA_URI"} {
			if got[k] == "" {
				t.Errorf("%s not set in a task: %v", k, got)
			}
		}
		if got["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] == "" && got["AWS_CONTAINER_CREDENTIALS_FULL_URI"] == "" {
			t.Errorf("a task with a role has no credentials URI: %v", got)
		}
		other := taskEnv(t, noRole)
		if other["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] != "" || other["AWS_CONTAINER_CREDENTIALS_FULL_URI"] != "" || other["AWS_CONTAINER_AUTHORIZATION_TOKEN"] != "" {
			t.Errorf("a task without a role got credentials: %v", other)
		}
		if other["AWS_ENDPOINT_URL"] != "http://own.example:1234" || other["ECS_CONTAINER_METADATA_URI_V4"] == "" {
			t.Errorf("the definition's AWS_ENDPOINT_URL was not kept: %v", other)
		}
	})
}

// runServer runs the test app's server as a task and waits until it runs.
func runServer(t *testing.T, ctx context.Context, c *ecs.Client, family, role string, vars ...string) types.Task {
	t.Helper()
	out, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"), TaskRoleArn: nilIfEmpty(role),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String(family), Image: aws.String(dockertest.TestAppTag), Environment: env(vars...),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}},
		}},
	})
	if err != nil {
		t.Fatalf("RegisterTaskDefinition: %v", err)
	}
	run, err := c.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: out.TaskDefinition.TaskDefinitionArn, LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc()})
	if err != nil || len(run.Tasks) != 1 {
		t.Fatalf("RunTask: %v", err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		d, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Tasks: []string{*run.Tasks[0].TaskArn}})
		if err == nil && len(d.Tasks) == 1 && aws.ToString(d.Tasks[0].LastStatus) == "RUNNING" {
			return d.Tasks[0]
		}
		if err == nil && len(d.Tasks) == 1 && aws.ToString(d.Tasks[0].LastStatus) == "STOPPED" {
			t.Fatalf("task stopped: %s", aws.ToString(d.Tasks[0].StoppedReason))
		}
		if time.Now().After(deadline) {
			t.Fatalf("task did not run: %v", err)
		}
	}
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// containerID is the engine ID of the task's only container.
func containerID(t *testing.T, e *emulatortest.Emulator, task types.Task) string {
	t.Helper()
	st, ok := e.API.Store("us-east-1").TaskSnapshot(*task.TaskArn)
	if !ok || len(st.ContainerIDs) != 1 {
		t.Fatalf("task %s has containers %v", *task.TaskArn, st.ContainerIDs)
	}
	for _, id := range st.ContainerIDs {
		return id
	}
	return ""
}

// execJSON runs the test app in the container (what `docker exec` does)
// and decodes what it prints.
func execJSON(t *testing.T, cli *client.Client, id string, v any, args ...string) {
	t.Helper()
	out := execIn(t, cli, id, append([]string{"/testapp"}, args...)...)
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("%v printed %q: %v", args, out, err)
	}
}

func execIn(t *testing.T, cli *client.Client, id string, cmd ...string) []byte {
	t.Helper()
	out, errOut, code, err := execRun(cli, id, cmd...)
	if err != nil || code != 0 {
		t.Fatalf("exec %v: exit %d (%v): %s%s", cmd, code, err, out, errOut)
	}
	return out
}

// execInAllowFailure is execIn for a command whose output tells what went
// wrong; it may run in another goroutine (it never calls t.Fatal).
func execInAllowFailure(t *testing.T, cli *client.Client, id string, cmd ...string) []byte {
	out, _, code, err := execRun(cli, id, cmd...)
	if err != nil {
		t.Errorf("exec %v: exit %d: %v", cmd, code, err)
	}
	return out
}

// docker is a client of the engine for the test.
func docker(t *testing.T) *client.Client { return dockertest.NewClient(t) }

// execRun runs cmd in the container, as `docker exec` does.
func execRun(cli *client.Client, id string, cmd ...string) (stdout, stderr []byte, code int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ex, err := cli.ExecCreate(ctx, id, client.ExecCreateOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return nil, nil, -1, err
	}
	att, err := cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{})
	if err != nil {
		return nil, nil, -1, err
	}
	defer att.Close()
	var out, errOut bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &errOut, att.Reader); err != nil {
		return nil, nil, -1, err
	}
	res, err := cli.ExecInspect(ctx, ex.ID, client.ExecInspectOptions{})
	if err != nil {
		return nil, nil, -1, err
	}
	return out.Bytes(), errOut.Bytes(), res.ExitCode, nil
}

// taskEnv is the environment the test app's server shows in GET /.
func taskEnv(t *testing.T, task types.Task) map[string]string {
	t.Helper()
	resp, err := http.Get("http://" + privateIP(task) + ":8080/")
	if err != nil {
		t.Fatalf("GET /: %v", err)
	}
	defer resp.Body.Close()
	var doc struct{ Env map[string]string }
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatalf("GET /: %v", err)
	}
	return doc.Env
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Two emulators on one engine share the link-local network. At most one
// of them serves at ECS's port 80; the other takes another port of
// 169.254.170.2 and gives its tasks a full credentials URI with a token,
// which the SDK inside the task accepts just the same.
func TestSecondEmulatorServesCredentialsAtAFullURI(t *testing.T) {
	dockertest.TestAppImage(t)
	emulatortest.Start(t, emulatortest.Options{Docker: true, TaskEndpoints: true})
	second := emulatortest.Start(t, emulatortest.Options{Docker: true, TaskEndpoints: true})
	ctx, c := t.Context(), second.ECS()
	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	task := runServer(t, ctx, c, "app", taskRoleARN, "ECHO_ENV=AWS_*")
	got := taskEnv(t, task)
	full := got["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
	if !strings.HasPrefix(full, "http://169.254.170.2:") || got["AWS_CONTAINER_AUTHORIZATION_TOKEN"] == "" || got["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] != "" {
		t.Fatalf("the second emulator's task environment: %v", got)
	}
	var out struct{ Result struct{ Arn string } }
	execJSON(t, docker(t), containerID(t, second, task), &out, "aws", "whoami")
	if want := "arn:aws:sts::000000000000:assumed-role/app-role/" + ecsapi.TaskID(*task.TaskArn); out.Result.Arn != want {
		t.Errorf("inside the task the SDK is %q, want %s", out.Result.Arn, want)
	}
}
