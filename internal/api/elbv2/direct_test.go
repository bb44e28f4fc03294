package elbv2_test

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	elbapi "github.com/localaws/ecsemu/internal/api/elbv2"
)

func TestDirectTargets(t *testing.T) {
	e := newEnv(t)
	tg := e.tg(t, "web")
	key := elbapi.TargetKey{ID: "203.0.113.7", Port: 8080} // public: fine for ECS

	if e.api.HasLoadBalancer(tg) {
		t.Error("HasLoadBalancer before any listener")
	}
	if err := e.api.RegisterTargetDirect(ctx, tg, key); err != nil {
		t.Fatal(err)
	}
	if err := e.api.RegisterTargetDirect(ctx, tg, elbapi.TargetKey{ID: "10.0.0.5"}); err != nil { // port 0: the group's
		t.Fatal(err)
	}
	st, err := e.api.TargetStatus(tg, elbapi.TargetKey{ID: "10.0.0.5"})
	if err != nil || !st.Registered || st.State != elbapi.StateUnused || st.Reason != elbapi.ReasonNotInUse {
		t.Errorf("status on port 0 = %+v, %v", st, err)
	}

	lb := e.lbARN(t, "web")
	e.listener(t, lb, 80, forward(tg))
	if !e.api.HasLoadBalancer(tg) {
		t.Error("HasLoadBalancer after the listener")
	}
	info, err := e.api.TargetGroupInfo(tg)
	want := elbapi.TargetGroupInfo{ARN: tg, Name: "web", TargetType: "ip", Protocol: "HTTP", Port: 80, LoadBalancerARNs: []string{lb}, DeregistrationDelay: 300 * time.Second}
	if err != nil || !reflect.DeepEqual(info, want) {
		t.Errorf("TargetGroupInfo = %+v, %v", info, err)
	}

	st, _ = e.api.TargetStatus(tg, key)
	if st.State != elbapi.StateInitial || st.Reason != elbapi.ReasonRegistrationInProgress {
		t.Errorf("status = %+v", st)
	}
	e.api.SetTargetHealth(tg, key, elbapi.StateHealthy, "", "")
	if st, _ = e.api.TargetStatus(tg, key); st.State != elbapi.StateHealthy || st.Reason != "" {
		t.Errorf("status after SetTargetHealth = %+v", st)
	}
	if got := e.health(t, tg, ipTarget("203.0.113.7", 8080)); got["203.0.113.7:8080"] != "healthy/" {
		t.Errorf("DescribeTargetHealth = %v", got)
	}

	if err := e.api.DeregisterTargetDirect(ctx, tg, key); err != nil {
		t.Fatal(err)
	}
	st, _ = e.api.TargetStatus(tg, key)
	if !st.Draining || st.State != elbapi.StateDraining || !st.DrainDeadline.Equal(e.clock.Now().Add(300*time.Second)) || e.api.DeregistrationComplete(tg, key) {
		t.Errorf("draining status = %+v", st)
	}
	e.clock.Advance(300 * time.Second)
	if !e.api.DeregistrationComplete(tg, key) {
		t.Error("deregistration not complete after the delay")
	}
	if st, _ = e.api.TargetStatus(tg, key); st.Registered || st.State != elbapi.StateUnused || st.Reason != elbapi.ReasonNotRegistered {
		t.Errorf("status after the delay = %+v", st)
	}
	// Deregistering what is gone is no error.
	if err := e.api.DeregisterTargetDirect(ctx, tg, key); err != nil {
		t.Errorf("second deregistration: %v", err)
	}

	for name, err := range map[string]error{
		"register in unknown group":   e.api.RegisterTargetDirect(ctx, tg+"0", key),
		"deregister in unknown group": e.api.DeregisterTargetDirect(ctx, tg+"0", key),
		"unknown region":              e.api.RegisterTargetDirect(ctx, "arn:aws:elasticloadbalancing:eu-west-9:000000000000:targetgroup/x/1", key),
		"not an ARN":                  e.api.RegisterTargetDirect(ctx, "web", key),
	} {
		var nf *types.TargetGroupNotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("%s: %v, want TargetGroupNotFound", name, err)
		}
	}
	var invalid *types.InvalidTargetException
	if err := e.api.RegisterTargetDirect(ctx, tg, elbapi.TargetKey{ID: "task-1", Port: 80}); !errors.As(err, &invalid) {
		t.Errorf("non-IP target: %v", err)
	}
	if _, err := e.api.TargetStatus(tg+"0", key); err == nil {
		t.Error("TargetStatus of an unknown group succeeded")
	}
	if !e.api.DeregistrationComplete(tg+"0", key) || e.api.HasLoadBalancer(tg+"0") {
		t.Error("unknown group: DeregistrationComplete false or HasLoadBalancer true")
	}
	// Health reports for unknown targets and groups are ignored.
	e.api.SetTargetHealth(tg, elbapi.TargetKey{ID: "10.9.9.9", Port: 1}, elbapi.StateHealthy, "", "")
	e.api.SetTargetHealth(tg+"0", key, elbapi.StateHealthy, "", "")
	e.api.SetTargetHealth("nope", key, elbapi.StateHealthy, "", "")
}

func TestOnChange(t *testing.T) {
	e := newEnv(t)
	step := func(what string, wantChange bool, fn func()) {
		t.Helper()
		before := e.changes.Load()
		fn()
		if changed := e.changes.Load() != before; changed != wantChange {
			t.Errorf("%s: OnChange fired = %v, want %v", what, changed, wantChange)
		}
	}
	var w wired
	step("create wiring", true, func() { w = e.wired(t, "web") })
	key := elbapi.TargetKey{ID: "10.0.0.1", Port: 80}
	step("register", true, func() { e.register(t, w.tg, ipTarget("10.0.0.1", 80)) })
	step("describe", false, func() { e.health(t, w.tg) })
	step("healthy", true, func() { e.api.SetTargetHealth(w.tg, key, elbapi.StateHealthy, "", "") })
	step("healthy again", false, func() { e.api.SetTargetHealth(w.tg, key, elbapi.StateHealthy, "", "") })
	step("bad state", false, func() { e.api.SetTargetHealth(w.tg, key, "draining", "", "") })
	step("tags", false, func() {
		must(e.c.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{w.tg}, Tags: []types.Tag{tag("a", "b")}}))(t)
	})
	step("attributes", true, func() {
		must(e.c.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(w.tg),
			Attributes: []types.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("10")}}}))(t)
	})
	step("deregister", true, func() { must(e.api.DeregisterTargetDirect(ctx, w.tg, key), nil) })
	step("nothing happens", false, func() { e.health(t, w.tg) })
	e.clock.Advance(10 * time.Second)
	step("the expiry is noticed by a read", true, func() { e.health(t, w.tg) })
	step("failed call", false, func() {
		_, _ = e.c.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(w.tg)})
	})
}

// TestOnChangeMayReadTheSnapshot checks that OnChange runs outside the
// store lock.
func TestOnChangeMayReadTheSnapshot(t *testing.T) {
	var api *elbapi.API
	var mu sync.Mutex
	var versions []uint64
	e := newEnv(t, func(o *elbapi.Options) {
		o.OnChange = func() {
			s := api.Snapshot()
			mu.Lock()
			versions = append(versions, s.Version)
			mu.Unlock()
		}
	})
	api = e.api
	e.wired(t, "web")
	mu.Lock()
	defer mu.Unlock()
	if len(versions) < 3 {
		t.Fatalf("versions = %v", versions)
	}
	for i := 1; i < len(versions); i++ {
		if versions[i] <= versions[i-1] {
			t.Errorf("versions not increasing: %v", versions)
		}
	}
}

func TestSnapshot(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	canary := e.tg(t, "canary")
	idle := e.tg(t, "idle")
	must(e.c.CreateRule(ctx, &elbv2.CreateRuleInput{
		ListenerArn: aws.String(w.listener), Priority: aws.Int32(20),
		Conditions: []types.RuleCondition{
			{Field: aws.String("host-header"), Values: []string{"*.example.com"}},
			{Field: aws.String("query-string"), QueryStringConfig: &types.QueryStringConditionConfig{Values: []types.QueryStringKeyValuePair{{Key: aws.String("v"), Value: aws.String("2")}, {Value: aws.String("x")}}}},
		},
		Actions: []types.Action{{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
			TargetGroups:                []types.TargetGroupTuple{{TargetGroupArn: aws.String(w.tg), Weight: aws.Int32(9)}, {TargetGroupArn: aws.String(canary), Weight: aws.Int32(1)}},
			TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true), DurationSeconds: aws.Int32(30)},
		}}},
	}))(t)
	must(e.c.CreateRule(ctx, &elbv2.CreateRuleInput{
		ListenerArn: aws.String(w.listener), Priority: aws.Int32(10),
		Conditions: []types.RuleCondition{
			{Field: aws.String("path-pattern"), PathPatternConfig: &types.PathPatternConditionConfig{Values: []string{"/old/*"}}},
			{Field: aws.String("http-header"), HttpHeaderConfig: &types.HttpHeaderConditionConfig{HttpHeaderName: aws.String("X-A"), Values: []string{"1"}}},
			{Field: aws.String("source-ip"), SourceIpConfig: &types.SourceIpConditionConfig{Values: []string{"10.0.0.0/8"}}},
			{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &types.HttpRequestMethodConditionConfig{Values: []string{"GET"}}},
		},
		Actions: []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{Path: aws.String("/new/#{path}"), StatusCode: types.RedirectActionStatusCodeEnumHttp302}}},
	}))(t)
	e.listener(t, w.lb, 81, types.Action{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{
		StatusCode: aws.String("503"), ContentType: aws.String("text/plain"), MessageBody: aws.String("down"),
	}})
	e.register(t, w.tg, ipTarget("10.0.0.1", 8080), ipTarget("10.0.0.2", 8080))
	e.api.SetTargetHealth(w.tg, elbapi.TargetKey{ID: "10.0.0.1", Port: 8080}, elbapi.StateHealthy, "", "")
	must(e.c.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(w.tg), Targets: []types.TargetDescription{ipTarget("10.0.0.2", 8080)}}))(t)
	drainStart := e.clock.Now()
	e.clock.Advance(elbapi.DefaultProvisioningDelay)

	snap := e.api.Snapshot()
	if snap.Version == 0 || !snap.Taken.Equal(e.clock.Now()) || len(snap.Regions) != 1 {
		t.Fatalf("snapshot header = %d %v %d regions", snap.Version, snap.Taken, len(snap.Regions))
	}
	rs := snap.Region(region)
	if rs == nil || snap.Region("eu-west-1") != nil || len(rs.LoadBalancers) != 1 || len(rs.TargetGroups) != 3 {
		t.Fatalf("region = %+v", rs)
	}
	lb := rs.LoadBalancers[0]
	if lb.ARN != w.lb || lb.State != "active" || lb.Attributes["idle_timeout.timeout_seconds"] != "60" || len(lb.Listeners) != 2 || lb.Listeners[1].Port != 81 {
		t.Errorf("load balancer = %+v", lb)
	}
	l := lb.Listeners[0]
	if l.Port != 80 || l.Protocol != "HTTP" || len(l.Rules) != 3 {
		t.Fatalf("listener = %+v", l)
	}
	want := []elbapi.Rule{
		{ARN: l.Rules[0].ARN, Priority: 10, Conditions: []elbapi.Condition{
			{Field: "path-pattern", Values: []string{"/old/*"}},
			{Field: "http-header", HeaderName: "X-A", Values: []string{"1"}},
			{Field: "source-ip", Values: []string{"10.0.0.0/8"}},
			{Field: "http-request-method", Values: []string{"GET"}},
		}, Actions: []elbapi.Action{{Type: "redirect", Redirect: &elbapi.Redirect{Protocol: "#{protocol}", Port: "#{port}", Host: "#{host}", Path: "/new/#{path}", Query: "#{query}", StatusCode: 302}}}},
		{ARN: l.Rules[1].ARN, Priority: 20, Conditions: []elbapi.Condition{
			{Field: "host-header", Values: []string{"*.example.com"}},
			{Field: "query-string", Query: []elbapi.QueryPair{{Key: "v", Value: "2"}, {Value: "x"}}},
		}, Actions: []elbapi.Action{{Type: "forward", Forward: &elbapi.Forward{
			TargetGroups: []elbapi.WeightedTargetGroup{{ARN: w.tg, Weight: 9}, {ARN: canary, Weight: 1}}, Stickiness: true, StickinessDuration: 30 * time.Second,
		}}}},
		{ARN: l.Rules[2].ARN, IsDefault: true, Actions: []elbapi.Action{{Type: "forward", Forward: &elbapi.Forward{TargetGroups: []elbapi.WeightedTargetGroup{{ARN: w.tg, Weight: 1}}}}}},
	}
	if !reflect.DeepEqual(l.Rules, want) {
		t.Errorf("rules:\n got %+v\nwant %+v", l.Rules, want)
	}
	if fr := lb.Listeners[1].Rules[0].Actions[0].FixedResponse; fr == nil || *fr != (elbapi.FixedResponse{StatusCode: 503, ContentType: "text/plain", MessageBody: "down"}) {
		t.Errorf("fixed response = %+v", fr)
	}

	tg := rs.TargetGroups[w.tg]
	wantHC := elbapi.HealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/", Interval: 30 * time.Second, Timeout: 5 * time.Second,
		HealthyThreshold: 5, UnhealthyThreshold: 2, HTTPCodes: "200"}
	if tg.HealthCheck != wantHC || tg.DeregistrationDelay != 300*time.Second || tg.Attributes["stickiness.type"] != "lb_cookie" ||
		tg.Protocol != "HTTP" || tg.ProtocolVersion != "HTTP1" || tg.TargetType != "ip" || tg.Port != 80 || !reflect.DeepEqual(tg.LoadBalancerARNs, []string{w.lb}) {
		t.Errorf("target group = %+v", tg)
	}
	wantTargets := []elbapi.Target{
		{TargetKey: elbapi.TargetKey{ID: "10.0.0.1", Port: 8080}, HealthCheckPort: 8080, State: "healthy"},
		{TargetKey: elbapi.TargetKey{ID: "10.0.0.2", Port: 8080}, HealthCheckPort: 8080, State: "draining", Reason: "Target.DeregistrationInProgress",
			Description: "Target deregistration is in progress", DrainingSince: drainStart, DrainDeadline: drainStart.Add(300 * time.Second)},
	}
	if !reflect.DeepEqual(tg.Targets, wantTargets) {
		t.Errorf("targets:\n got %+v\nwant %+v", tg.Targets, wantTargets)
	}
	if u := rs.TargetGroups[idle]; len(u.LoadBalancerARNs) != 0 || len(u.Targets) != 0 {
		t.Errorf("idle group = %+v", u)
	}

	// The snapshot shares nothing with the store.
	tg.Attributes["stickiness.type"] = "changed"
	tg.Targets[0].State = "changed"
	lb.Listeners[0].Rules[0].Conditions[0].Values[0] = "changed"
	again := e.api.Snapshot().Region(region)
	if again.TargetGroups[w.tg].Attributes["stickiness.type"] != "lb_cookie" || again.TargetGroups[w.tg].Targets[0].State != "healthy" ||
		again.LoadBalancers[0].Listeners[0].Rules[0].Conditions[0].Values[0] != "/old/*" {
		t.Error("modifying a snapshot changed the next one")
	}
	if e.api.Snapshot().Version != snap.Version {
		t.Error("version changed without a change")
	}
}

// TestConcurrentUse exercises the API from several goroutines under the
// race detector: wire calls, health reports and snapshots.
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	// No deregistration delay: deregistered targets are gone at once.
	must(e.c.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(w.tg),
		Attributes: []types.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("0")}}}))(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				key := elbapi.TargetKey{ID: fmt.Sprintf("10.0.%d.%d", g, i), Port: 80}
				if err := e.api.RegisterTargetDirect(ctx, w.tg, key); err != nil {
					t.Error(err)
					return
				}
				e.api.SetTargetHealth(w.tg, key, elbapi.StateHealthy, "", "")
				_ = e.api.Snapshot()
				if _, err := e.c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(w.tg)}); err != nil {
					t.Error(err)
					return
				}
				_ = e.api.DeregisterTargetDirect(ctx, w.tg, key)
			}
		}()
	}
	wg.Wait()
	if n := len(e.api.Snapshot().Region(region).TargetGroups[w.tg].Targets); n != 0 {
		t.Errorf("%d targets left", n)
	}
}
