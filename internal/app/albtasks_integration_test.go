package app_test

import (
	"encoding/json"
	"strings"
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

// The tutorial's api calls worker through an internal ALB by its DNS name,
// from inside a task, while worker is redeployed (minimum 100 %, maximum
// 200 %): every request of the bounded loop is answered, by v1 and then
// v2. Tasks resolve the name to the load balancer's task-side address; the
// host keeps its loopback address.
func TestTaskCallsServiceThroughInternalALBDuringDeploy(t *testing.T) {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true, TaskDNS: true, TaskEndpoints: true})
	ctx := t.Context()
	c := e.ECS()
	lbc := elb.NewFromConfig(e.Config("us-east-1"), func(o *elb.Options) { o.BaseEndpoint = aws.String(e.URL) })
	lb, err := lbc.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("worker-alb"), Subnets: defaultSubnets[:2], Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, "CreateLoadBalancer", func() error { return err })
	lbARN, dnsName := aws.ToString(lb.LoadBalancers[0].LoadBalancerArn), aws.ToString(lb.LoadBalancers[0].DNSName)
	tg, err := lbc.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{
		Name: aws.String("worker-tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: aws.String(defaultVpc),
		TargetType: elbtypes.TargetTypeEnumIp, HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(5),
		HealthCheckTimeoutSeconds: aws.Int32(2), HealthyThresholdCount: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2),
	})
	must(t, "CreateTargetGroup", func() error { return err })
	tgARN := aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	_, err = lbc.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(tgARN),
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("2")}}})
	must(t, "ModifyTargetGroupAttributes", func() error { return err })
	_, err = lbc.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8000),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}}})
	must(t, "CreateListener", func() error { return err })
	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })

	workerDef := func(name string) string {
		return register(t, ctx, c, "worker", types.ContainerDefinition{
			Name: aws.String("worker"), Image: aws.String(image), Environment: env("NAME=" + name),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}}, StopTimeout: aws.Int32(5),
		})
	}
	must(t, "CreateService", func() error {
		_, err := c.CreateService(ctx, &ecs.CreateServiceInput{
			ServiceName: aws.String("worker"), TaskDefinition: aws.String(workerDef("v1")), DesiredCount: aws.Int32(2),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(), HealthCheckGracePeriodSeconds: aws.Int32(5),
			LoadBalancers: []types.LoadBalancer{{TargetGroupArn: aws.String(tgARN), ContainerName: aws.String("worker"), ContainerPort: aws.Int32(8080)}},
		})
		return err
	})
	waitTargetsHealthy(t, lbc, tgARN, 2)

	api := runServer(t, ctx, c, "api", "")
	id := containerID(t, e, api)
	cli := docker(t)
	taskAddr := e.App.TaskLoadBalancerAddress(lbARN)
	if taskAddr == "" || taskAddr == e.App.LoadBalancerAddress(lbARN) {
		t.Fatalf("task-side address %q (host side %q)", taskAddr, e.App.LoadBalancerAddress(lbARN))
	}
	if got := strings.TrimSpace(string(execIn(t, cli, id, "/testapp", "resolve", dnsName))); got != taskAddr {
		t.Errorf("inside a task %s resolves to %q, want %s", dnsName, got, taskAddr)
	}

	type summary struct {
		OK, Failed int
		Names      map[string]int
		Errors     []string
	}
	polled := make(chan summary, 1)
	go func() {
		var s summary
		out := execInAllowFailure(t, cli, id, "/testapp", "poll", "http://"+dnsName+":8000/", "600", "100ms")
		_ = json.Unmarshal(out, &s)
		polled <- s
	}()
	time.Sleep(2 * time.Second)
	v2 := workerDef("v2")
	must(t, "UpdateService", func() error {
		_, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Service: aws.String("worker"), TaskDefinition: aws.String(v2)})
		return err
	})
	waitRolledOut(t, c, "worker", v2, 2)
	s := <-polled
	t.Logf("through %s from a task during the deploy: %+v", dnsName, s)
	if s.Failed != 0 || s.OK != 600 {
		t.Errorf("%d of 600 requests failed (answered %d): %v", s.Failed, s.OK, s.Errors)
	}
	if s.Names["v1"] == 0 || s.Names["v2"] == 0 {
		t.Errorf("answers by version %v: the deploy did not happen while polling", s.Names)
	}
}

func waitTargetsHealthy(t *testing.T, lbc *elb.Client, tg string, n int) {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(300 * time.Millisecond) {
		out, err := lbc.DescribeTargetHealth(t.Context(), &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)})
		healthy := 0
		if err == nil {
			for _, d := range out.TargetHealthDescriptions {
				if d.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
					healthy++
				}
			}
		}
		if healthy == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d healthy targets, want %d (%v)", healthy, n, err)
		}
	}
}

func waitRolledOut(t *testing.T, c *ecs.Client, service, td string, running int32) {
	t.Helper()
	for deadline := time.Now().Add(150 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		out, err := c.DescribeServices(t.Context(), &ecs.DescribeServicesInput{Services: []string{service}})
		if err == nil && len(out.Services[0].Deployments) == 1 && aws.ToString(out.Services[0].Deployments[0].TaskDefinition) == td &&
			out.Services[0].Deployments[0].RolloutState == types.DeploymentRolloutStateCompleted && out.Services[0].RunningCount == running {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the rollout of %s did not complete", service)
		}
	}
}
