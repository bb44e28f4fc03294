package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// albFixture is an emulator with an ALB, a listener and an ip target group
// with a fast /health check, and a service of the test app behind it.
type albFixture struct {
	t      *testing.T
	ctx    context.Context
	ecs    *ecs.Client
	elb    *elb.Client
	image  string
	tg     string
	url    string // the listener, http://<load balancer address>:<port>/
	client *http.Client
}

func newALBFixture(t *testing.T, deregistrationDelay int) *albFixture {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true})
	f := &albFixture{t: t, ctx: t.Context(), ecs: e.ECS(), elb: elb.NewFromConfig(e.Config("us-east-1"), func(o *elb.Options) { o.BaseEndpoint = aws.String(e.URL) }), image: image}
	lb, err := f.elb.CreateLoadBalancer(f.ctx, &elb.CreateLoadBalancerInput{Name: aws.String("api-alb"), Subnets: defaultSubnets[:2]})
	must(t, "CreateLoadBalancer", func() error { return err })
	tg, err := f.elb.CreateTargetGroup(f.ctx, &elb.CreateTargetGroupInput{
		Name: aws.String("api-tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: aws.String(defaultVpc),
		TargetType: elbtypes.TargetTypeEnumIp, HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(5),
		HealthCheckTimeoutSeconds: aws.Int32(2), HealthyThresholdCount: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2),
	})
	must(t, "CreateTargetGroup", func() error { return err })
	f.tg = aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	_, err = f.elb.ModifyTargetGroupAttributes(f.ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(f.tg),
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String(fmt.Sprint(deregistrationDelay))}}})
	must(t, "ModifyTargetGroupAttributes", func() error { return err })
	_, err = f.elb.CreateListener(f.ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(f.tg)}}})
	must(t, "CreateListener", func() error { return err })
	f.url = "http://" + e.App.LoadBalancerAddress(aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)) + ":80/"
	f.client = &http.Client{Timeout: 10 * time.Second}
	must(t, "CreateCluster", func() error { _, err := f.ecs.CreateCluster(f.ctx, &ecs.CreateClusterInput{}); return err })
	return f
}

func (f *albFixture) taskDef(name string) string {
	return register(f.t, f.ctx, f.ecs, "api", types.ContainerDefinition{
		Name: aws.String("api"), Image: aws.String(f.image), Environment: env("NAME=" + name),
		PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}}, StopTimeout: aws.Int32(5),
	})
}

func (f *albFixture) createService(td string, desired int32, grace int32) {
	must(f.t, "CreateService", func() error {
		_, err := f.ecs.CreateService(f.ctx, &ecs.CreateServiceInput{
			ServiceName: aws.String("api"), TaskDefinition: aws.String(td), DesiredCount: aws.Int32(desired),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(), HealthCheckGracePeriodSeconds: aws.Int32(grace),
			LoadBalancers: []types.LoadBalancer{{TargetGroupArn: aws.String(f.tg), ContainerName: aws.String("api"), ContainerPort: aws.Int32(8080)}},
		})
		return err
	})
}

// waitHealthy waits for n healthy targets in the target group.
func (f *albFixture) waitHealthy(n int, timeout time.Duration) {
	f.t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(200 * time.Millisecond) {
		out, err := f.elb.DescribeTargetHealth(f.ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(f.tg)})
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
			f.t.Fatalf("%d healthy targets, want %d (%v)", healthy, n, err)
		}
	}
}

// get sends one request through the load balancer; it returns the status
// and the app's name and hostname.
func (f *albFixture) get(path string) (int, string, error) {
	resp, err := f.client.Get(f.url + strings.TrimPrefix(path, "/"))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var doc struct{ Name, Hostname string }
	_ = json.Unmarshal(body, &doc)
	return resp.StatusCode, doc.Name + "/" + doc.Hostname, nil
}

// Three tasks behind a listener get the requests in turn; a task whose
// /health turns 500 leaves the rotation and is replaced with ECS's reason.
func TestALBRoutesToTasksAndReplacesUnhealthy(t *testing.T) {
	f := newALBFixture(t, 2)
	f.createService(f.taskDef("v1"), 3, 5)
	f.waitHealthy(3, 60*time.Second)
	seen := map[string]int{}
	for range 30 {
		code, who, err := f.get("/")
		if err != nil || code != 200 {
			t.Fatalf("GET through the ALB: %d %v", code, err)
		}
		seen[who]++
	}
	if len(seen) != 3 {
		t.Errorf("requests reached %d tasks, want 3: %v", len(seen), seen)
	}

	tasks, err := f.ecs.ListTasks(f.ctx, &ecs.ListTasksInput{ServiceName: aws.String("api")})
	must(t, "ListTasks", func() error { return err })
	desc, err := f.ecs.DescribeTasks(f.ctx, &ecs.DescribeTasksInput{Tasks: tasks.TaskArns[:1]})
	must(t, "DescribeTasks", func() error { return err })
	sick := desc.Tasks[0]
	resp, err := http.Get("http://" + privateIP(sick) + ":8080/health/set?code=500")
	must(t, "breaking /health", func() error { return err })
	resp.Body.Close()
	stopped := waitStopped(t, f.ctx, f.ecs, aws.ToString(sick.TaskArn))
	want := "Task failed ELB health checks in (target-group " + f.tg + ")"
	if aws.ToString(stopped.StoppedReason) != want || stopped.StopCode != types.TaskStopCodeServiceSchedulerInitiated {
		t.Errorf("stopped task: %s %q, want ServiceSchedulerInitiated %q", stopped.StopCode, aws.ToString(stopped.StoppedReason), want)
	}
	f.waitHealthy(3, 60*time.Second)
}

// A rolling deploy (minimum 100 %, maximum 200 %) under a steady load of
// requests through the ALB drops none of them: new tasks take traffic only
// once healthy, old ones drain before they stop.
func TestALBRollingDeployUnderLoadDropsNothing(t *testing.T) {
	f := newALBFixture(t, 2)
	f.createService(f.taskDef("v1"), 3, 5)
	f.waitHealthy(3, 60*time.Second)

	var sent, failed atomic.Int64
	var firstFailure atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 { // four clients, each at most 20,000 requests or 3 minutes
		wg.Add(1)
		go func() {
			defer wg.Done()
			deadline := time.Now().Add(3 * time.Minute)
			for i := 0; i < 20000 && time.Now().Before(deadline); i++ {
				select {
				case <-stop:
					return
				default:
				}
				code, _, err := f.get("/")
				sent.Add(1)
				if err != nil || code != 200 {
					failed.Add(1)
					firstFailure.CompareAndSwap(nil, fmt.Sprintf("%d %v", code, err))
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	start := time.Now()
	v2 := f.taskDef("v2")
	must(t, "UpdateService", func() error {
		_, err := f.ecs.UpdateService(f.ctx, &ecs.UpdateServiceInput{Service: aws.String("api"), TaskDefinition: aws.String(v2)})
		return err
	})
	for deadline := time.Now().Add(150 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		out, err := f.ecs.DescribeServices(f.ctx, &ecs.DescribeServicesInput{Services: []string{"api"}})
		if err == nil && len(out.Services[0].Deployments) == 1 && aws.ToString(out.Services[0].Deployments[0].TaskDefinition) == v2 &&
			out.Services[0].Deployments[0].RolloutState == types.DeploymentRolloutStateCompleted && out.Services[0].RunningCount == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the rollout did not complete")
		}
	}
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	t.Logf("rolling deploy under load: %d requests in %s, %d failed", sent.Load(), time.Since(start).Round(time.Second), failed.Load())
	if failed.Load() != 0 {
		t.Errorf("%d of %d requests failed during the deploy (first: %v)", failed.Load(), sent.Load(), firstFailure.Load())
	}
	for range 6 {
		if _, who, _ := f.get("/"); !strings.HasPrefix(who, "v2/") {
			t.Errorf("after the deploy a request reached %q, want v2", who)
		}
	}
}

// Draining as ECS users see it: a task stopped while a slow request is in
// flight stays DEACTIVATING, its target listed as draining, for the whole
// deregistration delay, even after the request completed (which it does);
// only then does the task stop and the target disappear.
func TestALBDrainingLastsTheDeregistrationDelay(t *testing.T) {
	const delay = 8 * time.Second
	f := newALBFixture(t, int(delay/time.Second))
	f.createService(f.taskDef("v1"), 1, 5)
	f.waitHealthy(1, 60*time.Second)
	tasks, err := f.ecs.ListTasks(f.ctx, &ecs.ListTasksInput{ServiceName: aws.String("api")})
	must(t, "ListTasks", func() error { return err })
	victim := tasks.TaskArns[0]

	done := make(chan error, 1)
	go func() {
		code, _, err := f.get("/sleep?d=3s")
		if err == nil && code != 200 {
			err = fmt.Errorf("status %d", code)
		}
		done <- err
	}()
	time.Sleep(time.Second) // the request is in flight
	must(t, "StopTask", func() error {
		_, err := f.ecs.StopTask(f.ctx, &ecs.StopTaskInput{Task: aws.String(victim)})
		return err
	})
	if err := <-done; err != nil {
		t.Errorf("the in-flight request failed: %v", err)
	}
	// Nothing is in flight any more; draining goes on.
	time.Sleep(2 * time.Second)
	desc, err := f.ecs.DescribeTasks(f.ctx, &ecs.DescribeTasksInput{Tasks: []string{victim}})
	must(t, "DescribeTasks", func() error { return err })
	if st := aws.ToString(desc.Tasks[0].LastStatus); st != "DEACTIVATING" {
		t.Errorf("within the deregistration delay the task is %s, want DEACTIVATING", st)
	}
	ip := privateIP(desc.Tasks[0])
	if got := f.targetHealth(ip); got != "draining/Target.DeregistrationInProgress" {
		t.Errorf("within the deregistration delay the old task's target (%s) is %q, want draining/Target.DeregistrationInProgress", ip, got)
	}
	stopped := waitStopped(t, f.ctx, f.ecs, victim)
	drained := stopped.StoppedAt.Sub(*stopped.StoppingAt)
	t.Logf("stopping to stopped: %s (deregistration delay %s)", drained.Round(100*time.Millisecond), delay)
	if drained < delay-time.Second {
		t.Errorf("the task stopped %s after StopTask, before the %s deregistration delay", drained, delay)
	}
	if got := f.targetHealth(ip); got != "" {
		t.Errorf("after the task stopped its target is still listed: %s", got)
	}
}

// targetHealth is "state/reason" of the target with the IP, "" if it is
// not listed.
func (f *albFixture) targetHealth(ip string) string {
	f.t.Helper()
	out, err := f.elb.DescribeTargetHealth(f.ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(f.tg)})
	must(f.t, "DescribeTargetHealth", func() error { return err })
	for _, d := range out.TargetHealthDescriptions {
		if aws.ToString(d.Target.Id) == ip {
			return string(d.TargetHealth.State) + "/" + string(d.TargetHealth.Reason)
		}
	}
	return ""
}
