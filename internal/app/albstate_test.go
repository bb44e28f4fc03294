package app_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

func elbClient(e *emulatortest.Emulator) *elb.Client {
	return elb.NewFromConfig(e.Config("us-east-1"), func(o *elb.Options) { o.BaseEndpoint = aws.String(e.URL) })
}

// A load balancer with a listener, a rule, a target group and a target
// survives a crash: the same Describe answers, and its listener serves
// again at the address it had (not the first of the range, which a
// deleted load balancer had), while a new load balancer gets a new one.
func TestLoadBalancersSurviveACrash(t *testing.T) {
	ctx := t.Context()
	e := emulatortest.Start(t, emulatortest.Options{StateDir: t.TempDir()})
	c := elbClient(e)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	t.Cleanup(backend.Close)
	bu, _ := url.Parse(backend.URL)
	host, port, _ := net.SplitHostPort(bu.Host)

	createLB := func(c *elb.Client, name string) string {
		out, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String(name), Subnets: defaultSubnets[:2]})
		must(t, "CreateLoadBalancer", func() error { return err })
		return *out.LoadBalancers[0].LoadBalancerArn
	}
	first := createLB(c, "first")
	waitAddress(t, e, first)
	lbARN := createLB(c, "kept")
	must(t, "DeleteLoadBalancer", func() error {
		_, err := c.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(first)})
		return err
	})
	tg, err := c.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{
		Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(defaultVpc),
		TargetType: elbtypes.TargetTypeEnumIp, HealthCheckPath: aws.String("/"), HealthCheckIntervalSeconds: aws.Int32(5),
		HealthCheckTimeoutSeconds: aws.Int32(2), HealthyThresholdCount: aws.Int32(2),
	})
	must(t, "CreateTargetGroup", func() error { return err })
	tgARN := tg.TargetGroups[0].TargetGroupArn
	ls, err := c.CreateListener(ctx, &elb.CreateListenerInput{
		LoadBalancerArn: aws.String(lbARN), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("404")}}},
	})
	must(t, "CreateListener", func() error { return err })
	listenerARN := ls.Listeners[0].ListenerArn
	must(t, "CreateRule", func() error {
		_, err := c.CreateRule(ctx, &elb.CreateRuleInput{
			ListenerArn: listenerARN, Priority: aws.Int32(10),
			Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/app/*"}}},
			Actions:    []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tgARN}},
		})
		return err
	})
	must(t, "RegisterTargets", func() error {
		p, _ := net.LookupPort("tcp", port)
		_, err := c.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: tgARN, Targets: []elbtypes.TargetDescription{{Id: aws.String(host), Port: aws.Int32(int32(p))}}})
		return err
	})
	addr := waitAddress(t, e, lbARN)
	waitHealthy(t, c, tgARN)
	// A second target drains when the process dies.
	drainer := elbtypes.TargetDescription{Id: aws.String("10.0.0.9"), Port: aws.Int32(80)}
	must(t, "ModifyTargetGroupAttributes", func() error {
		_, err := c.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: tgARN, Attributes: []elbtypes.TargetGroupAttribute{
			{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("3")},
		}})
		return err
	})
	must(t, "RegisterTargets", func() error {
		_, err := c.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: tgARN, Targets: []elbtypes.TargetDescription{drainer}})
		return err
	})
	must(t, "DeregisterTargets", func() error {
		_, err := c.DeregisterTargets(ctx, &elb.DeregisterTargetsInput{TargetGroupArn: tgARN, Targets: []elbtypes.TargetDescription{drainer}})
		return err
	})
	drainKey := elbv2.TargetKey{ID: "10.0.0.9", Port: 80}
	drain, err := e.App.ELB.TargetStatus(*tgARN, drainKey)
	if err != nil || !drain.Draining {
		t.Fatalf("the deregistered target does not drain: %+v, %v", drain, err)
	}
	// Active first: provisioning ends with time, across a crash too.
	available := elb.NewLoadBalancerAvailableWaiter(c, func(o *elb.LoadBalancerAvailableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, time.Second
	})
	must(t, "wait for the load balancer to be active", func() error {
		return available.Wait(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{lbARN}}, 30*time.Second)
	})
	before := describeALB(t, c, lbARN, listenerARN, tgARN)

	e.Crash()
	e2 := e.Restart(t)
	c2 := elbClient(e2)
	if got := describeALB(t, c2, lbARN, listenerARN, tgARN); !reflect.DeepEqual(got, before) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(before)
		t.Errorf("after a crash:\n got %s\nwant %s", g, w)
	}
	h, err := c2.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tgARN})
	must(t, "DescribeTargetHealth", func() error { return err })
	if len(h.TargetHealthDescriptions) != 2 {
		t.Fatalf("targets after a crash: %+v", h.TargetHealthDescriptions)
	}
	if st, err := e2.App.ELB.TargetStatus(*tgARN, drainKey); err != nil || !st.Draining || !st.DrainDeadline.Equal(drain.DrainDeadline) {
		t.Errorf("draining target after a crash: %+v (%v), before %+v", st, err, drain)
	}
	if th := h.TargetHealthDescriptions[0].TargetHealth; th.State != elbtypes.TargetHealthStateEnumHealthy && th.Reason != elbtypes.TargetHealthReasonEnumInitialHealthChecking {
		t.Errorf("target health after a crash: %s/%s", th.State, th.Reason)
	}
	waitHealthy(t, c2, tgARN)
	if got := waitAddress(t, e2, lbARN); got != addr {
		t.Errorf("address after a crash %s, before %s", got, addr)
	}
	// The listener accepts connections and routes as before.
	client := &http.Client{Timeout: 5 * time.Second}
	var resp *http.Response
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err = client.Get("http://" + net.JoinHostPort(addr, "8080") + "/app/x")
		if err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("the listener does not serve after a crash: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /app/x after a crash: %s", resp.Status)
	}
	if got := waitAddress(t, e2, createLB(c2, "new")); got == addr || got == e.App.LoadBalancerAddress(first) {
		t.Errorf("a new load balancer got an address in use before the crash: %s", got)
	}
	// Draining ends at the deadline set before the crash.
	time.Sleep(time.Until(drain.DrainDeadline))
	if st, err := e2.App.ELB.TargetStatus(*tgARN, drainKey); err != nil || st.Registered {
		t.Errorf("draining target after its deadline: %+v (%v)", st, err)
	}
}

// describeALB is what the API answers about one load balancer, its
// listener and its target group, without request IDs. Target health is
// left out: the restarted data plane probes the targets again, which the
// test checks on its own.
func describeALB(t *testing.T, c *elb.Client, lbARN string, listenerARN, tgARN *string) []any {
	t.Helper()
	ctx := t.Context()
	var out []any
	add := answers(t, &out)
	add(c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{}))
	add(c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lbARN)}))
	add(c.DescribeListeners(ctx, &elb.DescribeListenersInput{LoadBalancerArn: aws.String(lbARN)}))
	add(c.DescribeListenerAttributes(ctx, &elb.DescribeListenerAttributesInput{ListenerArn: listenerARN}))
	add(c.DescribeRules(ctx, &elb.DescribeRulesInput{ListenerArn: listenerARN}))
	add(c.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{}))
	add(c.DescribeTargetGroupAttributes(ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: tgARN}))
	add(c.DescribeTags(ctx, &elb.DescribeTagsInput{ResourceArns: []string{lbARN, *listenerARN, *tgARN}}))
	return out
}

// waitAddress waits for the data plane to give a load balancer its address.
func waitAddress(t *testing.T, e *emulatortest.Emulator, arn string) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if a := e.App.LoadBalancerAddress(arn); a != "" {
			return a
		}
	}
	t.Fatalf("load balancer %s got no address", arn)
	return ""
}

// waitHealthy waits for the target group's targets to be healthy (and so
// for the load balancer to be active).
func waitHealthy(t *testing.T, c *elb.Client, tgARN *string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for {
		out, err := c.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tgARN})
		if err != nil {
			t.Fatalf("waiting for healthy targets: %v", err)
		}
		if len(out.TargetHealthDescriptions) > 0 && out.TargetHealthDescriptions[0].TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// answers returns add, which keeps an SDK output in out without its
// request metadata (request IDs differ between runs), failing t on an error.
func answers(t *testing.T, out *[]any) func(v any, err error) {
	return func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		reflect.ValueOf(v).Elem().FieldByName("ResultMetadata").Set(reflect.ValueOf(middleware.Metadata{}))
		*out = append(*out, v)
	}
}
