package app_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/miekg/dns"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// The tutorial's api → worker example: a worker service of 2 tasks
// registered in the private namespace internal.svc with TTL 10. The host
// resolves worker.internal.svc to both task IPs; a task container calls
// http://worker.internal.svc:8080 by that name; scaling to 3 shows 3
// records; a stopping task leaves DNS before its container stops.
func TestCloudMapWorkerResolvesFromHostAndTasks(t *testing.T) {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true, TaskDNS: true})
	ctx := t.Context()
	c, cm := e.ECS(), e.CloudMap()
	registry := createWorkerRegistry(t, ctx, cm)

	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	worker := register(t, ctx, c, "worker", types.ContainerDefinition{
		Name: aws.String("worker"), Image: aws.String(image), Environment: env("NAME=worker", "IGNORE_SIGTERM=1"),
		PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}}, StopTimeout: aws.Int32(10),
	})
	must(t, "CreateService", func() error {
		_, err := c.CreateService(ctx, &ecs.CreateServiceInput{
			ServiceName: aws.String("worker"), TaskDefinition: aws.String(worker), DesiredCount: aws.Int32(2),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(),
			ServiceRegistries: []types.ServiceRegistry{{RegistryArn: registry}},
		})
		return err
	})
	ips := waitRecords(t, e.DNSAddr, 2, 60*time.Second)
	t.Logf("worker.internal.svc → %v", ips)

	// From inside a task container, by name, through the task's resolver.
	api := register(t, ctx, c, "api", types.ContainerDefinition{
		Name: aws.String("api"), Image: aws.String(image),
		Command: []string{"get", "http://worker.internal.svc:8080/"},
	})
	out, err := c.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: aws.String(api), LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc()})
	if err != nil || len(out.Tasks) != 1 {
		t.Fatalf("RunTask: %v", err)
	}
	task := waitStopped(t, ctx, c, aws.ToString(out.Tasks[0].TaskArn))
	if code := aws.ToInt32(task.Containers[0].ExitCode); code != 0 {
		t.Errorf("the api container could not call http://worker.internal.svc:8080/ (exit code %d, reason %q)", code, aws.ToString(task.StoppedReason))
	}

	// Scaling shows up in DNS as soon as the new task runs.
	scaled := time.Now()
	must(t, "UpdateService", func() error {
		_, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Service: aws.String("worker"), DesiredCount: aws.Int32(3)})
		return err
	})
	ips = waitRecords(t, e.DNSAddr, 3, 30*time.Second)
	t.Logf("3 records %s after UpdateService (the new task's start included): %v", time.Since(scaled).Round(10*time.Millisecond), ips)

	// A stopping task is removed from DNS before its container stops (it
	// ignores SIGTERM and has a 10 s stop timeout).
	list, err := c.ListTasks(ctx, &ecs.ListTasksInput{ServiceName: aws.String("worker")})
	if err != nil || len(list.TaskArns) == 0 {
		t.Fatalf("ListTasks: %v", err)
	}
	victim := list.TaskArns[0]
	described, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Tasks: []string{victim}})
	if err != nil {
		t.Fatal(err)
	}
	victimIP := privateIP(described.Tasks[0])
	if _, err := c.StopTask(ctx, &ecs.StopTaskInput{Task: aws.String(victim), Reason: aws.String("dns test")}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for slices.Contains(lookupA(t, e.DNSAddr), victimIP) {
		if time.Now().After(deadline) {
			t.Fatalf("%s still in DNS 5 s after StopTask", victimIP)
		}
		time.Sleep(50 * time.Millisecond)
	}
	got, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Tasks: []string{victim}})
	if err != nil || aws.ToString(got.Tasks[0].LastStatus) == "STOPPED" {
		t.Errorf("the task was already STOPPED when its record left DNS (want: deregistered while its container still runs)")
	}
}

func createWorkerRegistry(t *testing.T, ctx context.Context, cm *servicediscovery.Client) *string {
	t.Helper()
	op, err := cm.CreatePrivateDnsNamespace(ctx, &servicediscovery.CreatePrivateDnsNamespaceInput{Name: aws.String("internal.svc"), Vpc: aws.String(defaultVpc)})
	if err != nil {
		t.Fatalf("CreatePrivateDnsNamespace: %v", err)
	}
	var nsID string
	for deadline := time.Now().Add(5 * time.Second); nsID == ""; time.Sleep(100 * time.Millisecond) {
		got, err := cm.GetOperation(ctx, &servicediscovery.GetOperationInput{OperationId: op.OperationId})
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("GetOperation: %v", err)
		}
		if got.Operation.Status == sdtypes.OperationStatusSuccess {
			nsID = got.Operation.Targets[string(sdtypes.OperationTargetTypeNamespace)]
		}
	}
	svc, err := cm.CreateService(ctx, &servicediscovery.CreateServiceInput{
		Name: aws.String("worker"), NamespaceId: aws.String(nsID),
		DnsConfig: &sdtypes.DnsConfig{RoutingPolicy: sdtypes.RoutingPolicyMultivalue, DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}},
	})
	if err != nil {
		t.Fatalf("CreateService (Cloud Map): %v", err)
	}
	return svc.Service.Arn
}

// waitRecords waits until worker.internal.svc has n A records with TTL 10.
func waitRecords(t *testing.T, addr string, n int, timeout time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ips := lookupA(t, addr)
		if len(ips) == n {
			return ips
		}
		if time.Now().After(deadline) {
			t.Fatalf("worker.internal.svc has %d A records (%v), want %d", len(ips), ips, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func lookupA(t *testing.T, addr string) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion("worker.internal.svc.", dns.TypeA)
	r, _, err := new(dns.Client).Exchange(m, addr)
	if err != nil {
		t.Fatalf("DNS query to %s: %v", addr, err)
	}
	var ips []string
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			if a.Hdr.Ttl != 10 {
				t.Errorf("TTL %d, want 10", a.Hdr.Ttl)
			}
			ips = append(ips, a.A.String())
		}
	}
	sort.Strings(ips)
	return ips
}

func register(t *testing.T, ctx context.Context, c *ecs.Client, family string, cd types.ContainerDefinition) string {
	t.Helper()
	out, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{cd},
	})
	if err != nil {
		t.Fatalf("RegisterTaskDefinition: %v", err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

func waitStopped(t *testing.T, ctx context.Context, c *ecs.Client, arn string) types.Task {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		out, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Tasks: []string{arn}})
		if err == nil && len(out.Tasks) == 1 && aws.ToString(out.Tasks[0].LastStatus) == "STOPPED" {
			return out.Tasks[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s did not stop: %v", arn, err)
		}
	}
}

func privateIP(task types.Task) string {
	for _, a := range task.Attachments {
		for _, d := range a.Details {
			if aws.ToString(d.Name) == "privateIPv4Address" {
				return aws.ToString(d.Value)
			}
		}
	}
	return ""
}

func env(kvs ...string) []types.KeyValuePair {
	var out []types.KeyValuePair
	for _, kv := range kvs {
		k, v, _ := strings.Cut(kv, "=")
		out = append(out, types.KeyValuePair{Name: aws.String(k), Value: aws.String(v)})
	}
	return out
}

// defaultVpc and defaultSubnets are us-east-1's default VPC of the test
// account, as EC2 has it in every new emulator.
var defaultVpc, defaultSubnets, defaultGroup = ec2api.DefaultVPCIDs("000000000000", "us-east-1")

func awsvpc() *types.NetworkConfiguration {
	return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: defaultSubnets[:1]}}
}

func must(t *testing.T, what string, fn func() error) {
	t.Helper()
	if err := fn(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
