package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"

	"github.com/localaws/ecsemu/internal/runtime/simulated"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// With --runtime simulated and no Docker, 20 services of 2 tasks with an
// image that exists nowhere reach RUNNING with addresses of the simulated
// subnet, their targets turn healthy without a probe, a Cloud Map service
// gets its instances, and a new deployment of every service completes,
// stopping the old tasks with exit code 0.
func TestSimulatedRuntimeRunsServices(t *testing.T) {
	const services, perService = 20, 2
	e := emulatortest.Start(t, emulatortest.Options{Simulated: true})
	ctx := t.Context()
	c := e.ECS()
	elbc := elb.NewFromConfig(e.Config("us-east-1"), func(o *elb.Options) { o.BaseEndpoint = aws.String(e.URL) })
	tg := simulatedTargetGroup(t, elbc)
	registry := createWorkerRegistry(t, ctx, e.CloudMap())
	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	td := func(version string) string {
		return register(t, ctx, c, "app", types.ContainerDefinition{
			Name: aws.String("app"), Image: aws.String("no.such.registry/app:" + version),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}},
			HealthCheck:  &types.HealthCheck{Command: []string{"CMD", "/app", "health"}},
		})
	}
	first := td("1")
	for i := range services {
		in := &ecs.CreateServiceInput{
			ServiceName: aws.String(fmt.Sprintf("svc-%02d", i)), TaskDefinition: aws.String(first), DesiredCount: aws.Int32(perService),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(),
			LoadBalancers: []types.LoadBalancer{{TargetGroupArn: aws.String(tg), ContainerName: aws.String("app"), ContainerPort: aws.Int32(8080)}},
		}
		if i == 0 {
			in.ServiceRegistries = []types.ServiceRegistry{{RegistryArn: registry}}
		}
		must(t, "CreateService", func() error { _, err := c.CreateService(ctx, in); return err })
	}
	names := make([]string, services)
	for i := range names {
		names[i] = fmt.Sprintf("svc-%02d", i)
	}
	waitCompleted(t, c, names, first, 60*time.Second)

	sim := e.Runtime.(*simulated.Runtime)
	running := runningTasks(t, c, names)
	if len(running) != services*perService {
		t.Fatalf("%d RUNNING tasks, want %d", len(running), services*perService)
	}
	for _, task := range running {
		if ip := privateIP(task); !sim.Owns(ip) || task.HealthStatus != types.HealthStatusHealthy {
			t.Fatalf("task %s: address %q (want one in %s), health %s (want HEALTHY)", aws.ToString(task.TaskArn), ip, sim.Subnet(), task.HealthStatus)
		}
	}
	waitTargets(t, elbc, tg, services*perService)
	instances, err := e.CloudMap().ListInstances(ctx, &servicediscovery.ListInstancesInput{ServiceId: aws.String(lastPart(aws.ToString(registry)))})
	if err != nil || len(instances.Instances) != perService {
		t.Fatalf("Cloud Map instances %v (%v), want %d", instances, err, perService)
	}

	second := td("2")
	for _, name := range names {
		must(t, "UpdateService", func() error {
			_, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Service: aws.String(name), TaskDefinition: aws.String(second)})
			return err
		})
	}
	waitCompleted(t, c, names, second, 60*time.Second)
	waitTargets(t, elbc, tg, services*perService)
	stopped := stoppedTasks(t, c, running)
	for _, task := range stopped {
		if task.StopCode != types.TaskStopCodeServiceSchedulerInitiated || aws.ToInt32(task.Containers[0].ExitCode) != 0 {
			t.Fatalf("old task %s: stop code %s, exit code %v; want ServiceSchedulerInitiated and 0", aws.ToString(task.TaskArn), task.StopCode, task.Containers[0].ExitCode)
		}
	}
	checkSimulatedHealth(t, e.URL)
}

// simulatedTargetGroup is an ip target group behind a listener, without a
// deregistration delay so that a deployment does not wait for draining.
func simulatedTargetGroup(t *testing.T, c *elb.Client) string {
	ctx := t.Context()
	lb, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("sim-alb"), Subnets: defaultSubnets[:2]})
	must(t, "CreateLoadBalancer", func() error { return err })
	tg, err := c.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{
		Name: aws.String("sim-tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: aws.String(defaultVpc),
		TargetType: elbtypes.TargetTypeEnumIp, HealthCheckPath: aws.String("/health"),
	})
	must(t, "CreateTargetGroup", func() error { return err })
	arn := tg.TargetGroups[0].TargetGroupArn
	_, err = c.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: arn,
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("0")}}})
	must(t, "ModifyTargetGroupAttributes", func() error { return err })
	_, err = c.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: arn}}})
	must(t, "CreateListener", func() error { return err })
	return aws.ToString(arn)
}

// waitCompleted waits until every service has one deployment, of td,
// COMPLETED with all its tasks running, and has said so in its events.
func waitCompleted(t *testing.T, c *ecs.Client, names []string, td string, timeout time.Duration) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(timeout); ; time.Sleep(200 * time.Millisecond) {
		if last = notCompleted(t, c, names, td); last == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("deployments did not complete: %s", last)
		}
	}
}

// notCompleted says what a service still lacks, or "".
func notCompleted(t *testing.T, c *ecs.Client, names []string, td string) string {
	for start := 0; start < len(names); start += 10 {
		out, err := c.DescribeServices(t.Context(), &ecs.DescribeServicesInput{Services: names[start:min(start+10, len(names))]})
		if err != nil {
			return err.Error()
		}
		for _, s := range out.Services {
			if len(s.Deployments) != 1 || aws.ToString(s.Deployments[0].TaskDefinition) != td || s.Deployments[0].RolloutState != types.DeploymentRolloutStateCompleted || s.RunningCount != s.DesiredCount {
				return fmt.Sprintf("%s: %d deployments, running %d of %d", aws.ToString(s.ServiceName), len(s.Deployments), s.RunningCount, s.DesiredCount)
			}
			if !hasEvent(s.Events, "deployment completed.") || !hasEvent(s.Events, "has reached a steady state.") {
				return aws.ToString(s.ServiceName) + ": no completion and steady-state events yet"
			}
		}
	}
	return ""
}

func hasEvent(events []types.ServiceEvent, suffix string) bool {
	for _, ev := range events {
		if strings.HasSuffix(aws.ToString(ev.Message), suffix) {
			return true
		}
	}
	return false
}

func runningTasks(t *testing.T, c *ecs.Client, names []string) []types.Task {
	t.Helper()
	var tasks []types.Task
	for _, name := range names {
		list, err := c.ListTasks(t.Context(), &ecs.ListTasksInput{ServiceName: aws.String(name)})
		must(t, "ListTasks", func() error { return err })
		out, err := c.DescribeTasks(t.Context(), &ecs.DescribeTasksInput{Tasks: list.TaskArns})
		must(t, "DescribeTasks", func() error { return err })
		for _, task := range out.Tasks {
			if aws.ToString(task.LastStatus) == "RUNNING" {
				tasks = append(tasks, task)
			}
		}
	}
	return tasks
}

// stoppedTasks waits for every task of old to be STOPPED and returns them.
func stoppedTasks(t *testing.T, c *ecs.Client, old []types.Task) []types.Task {
	t.Helper()
	var out []types.Task
	for _, task := range old {
		out = append(out, waitStopped(t, t.Context(), c, aws.ToString(task.TaskArn)))
	}
	return out
}

// waitTargets waits for exactly n targets, all healthy.
func waitTargets(t *testing.T, c *elb.Client, tg string, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		out, err := c.DescribeTargetHealth(t.Context(), &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)})
		healthy := 0
		if err == nil {
			for _, d := range out.TargetHealthDescriptions {
				if d.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
					healthy++
				}
			}
			if healthy == n && len(out.TargetHealthDescriptions) == n {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d healthy targets, want exactly %d (%v)", healthy, n, err)
		}
	}
}

// checkSimulatedHealth: the health report names the simulated runtime.
func checkSimulatedHealth(t *testing.T, url string) {
	resp, err := http.Get(url + "/_emulator/health")
	must(t, "GET /_emulator/health", func() error { return err })
	defer resp.Body.Close()
	var doc struct {
		Docker struct {
			Reachable bool
			Endpoint  string
		}
	}
	must(t, "decoding the health report", func() error { return json.NewDecoder(resp.Body).Decode(&doc) })
	if !doc.Docker.Reachable || doc.Docker.Endpoint != "simulated" {
		t.Fatalf("health report docker %+v, want reachable and endpoint simulated", doc.Docker)
	}
}

func lastPart(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }
