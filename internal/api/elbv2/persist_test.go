package elbv2_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go/middleware"

	elbapi "github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/state"
)

const otherRegion = "eu-west-1"

// openState opens a state directory, closed when the test ends (closing
// twice is harmless).
func openState(t *testing.T, dir string) *state.DB {
	t.Helper()
	db, err := state.Open(dir, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// stateEnv is an env keeping its state in db, on clock c (nil: a new one).
func stateEnv(t *testing.T, db *state.DB, c *clock) *env {
	t.Helper()
	e := newEnv(t, func(o *elbapi.Options) {
		o.State = db.Bucket(elbapi.Spec.Name)
		if c != nil {
			o.Now = c.Now
		}
	})
	if c != nil {
		e.clock = c
	}
	return e
}

// restarted closes db, opens dir again and returns a new env restored
// from it, on the clock of before.
func restarted(t *testing.T, db *state.DB, dir string, before *env) (*env, *state.DB) {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openState(t, dir)
	e := stateEnv(t, db, before.clock)
	if err := e.api.Restore(); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	return e, db
}

func (e *env) in(region string) *elbv2.Client {
	return elbv2.New(e.c.Options(), func(o *elbv2.Options) { o.Region = region })
}

// bare zeroes an SDK output's ResultMetadata (request IDs differ).
func bare[T any](out *T, err error) func(testing.TB) any {
	return func(t testing.TB) any {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		reflect.ValueOf(out).Elem().FieldByName("ResultMetadata").Set(reflect.ValueOf(middleware.Metadata{}))
		return out
	}
}

// dump is everything the API answers about the regions given, found from
// the Describe calls, plus the data plane's snapshot.
func dump(t *testing.T, e *env, regions ...string) []any {
	t.Helper()
	var out []any
	for _, r := range regions {
		c := e.in(r)
		var arns []string
		lbs := must(c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{}))(t)
		out = append(out, bare(lbs, nil)(t))
		for _, lb := range lbs.LoadBalancers {
			arns = append(arns, *lb.LoadBalancerArn)
			out = append(out,
				bare(c.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn}))(t),
				bare(c.DescribeCapacityReservation(ctx, &elbv2.DescribeCapacityReservationInput{LoadBalancerArn: lb.LoadBalancerArn}))(t),
				bare(c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{LoadBalancerArn: lb.LoadBalancerArn}))(t))
			ls := must(c.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn}))(t)
			out = append(out, bare(ls, nil)(t))
			for _, l := range ls.Listeners {
				arns = append(arns, *l.ListenerArn)
				out = append(out,
					bare(c.DescribeListenerAttributes(ctx, &elbv2.DescribeListenerAttributesInput{ListenerArn: l.ListenerArn}))(t),
					bare(c.DescribeListenerCertificates(ctx, &elbv2.DescribeListenerCertificatesInput{ListenerArn: l.ListenerArn}))(t))
				rules := must(c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: l.ListenerArn}))(t)
				out = append(out, bare(rules, nil)(t))
				for _, rl := range rules.Rules {
					arns = append(arns, *rl.RuleArn)
				}
			}
		}
		tgs := must(c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{}))(t)
		out = append(out, bare(tgs, nil)(t))
		for _, tg := range tgs.TargetGroups {
			arns = append(arns, *tg.TargetGroupArn)
			out = append(out,
				bare(c.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn}))(t),
				bare(c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn, Include: []types.DescribeTargetHealthInputIncludeEnum{types.DescribeTargetHealthInputIncludeEnumAll}}))(t))
			health := must(c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn}))(t)
			for _, d := range health.TargetHealthDescriptions {
				st, err := e.api.TargetStatus(*tg.TargetGroupArn, elbapi.TargetKey{ID: *d.Target.Id, Port: aws.ToInt32(d.Target.Port)})
				if err != nil {
					t.Fatal(err)
				}
				st.DrainDeadline = st.DrainDeadline.UTC()
				out = append(out, st)
			}
		}
		for len(arns) > 0 {
			n := min(len(arns), 20)
			out = append(out, bare(c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns[:n]}))(t))
			arns = arns[n:]
		}
	}
	snap := e.api.Snapshot()
	snap.Version, snap.Taken = 0, time.Time{}
	return append(out, snap)
}

func checkSame(t *testing.T, what string, got, want []any) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d answers, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			g, _ := json.Marshal(got[i])
			w, _ := json.Marshal(want[i])
			t.Errorf("%s, answer %d:\n got %s\nwant %s", what, i, g, w)
		}
	}
}

// Every kind of resource, with everything changed after creation, answers
// the same after a restart; deleted ones stay deleted; draining goes on
// until its deadline rather than starting over.
func TestStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)

	w := e.wired(t, "web")
	must(e.c.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{w.lb, w.tg, w.listener}, Tags: []types.Tag{tag("team", "a"), tag("env", "dev")}}))(t)
	must(e.c.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: []string{w.lb}, TagKeys: []string{"env"}}))(t)
	must(e.c.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(w.lb), Attributes: []types.LoadBalancerAttribute{
		{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("120")},
	}}))(t)
	must(e.c.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: aws.String(w.lb), SecurityGroups: []string{"sg-12345678"}}))(t)
	must(e.c.SetSubnets(ctx, &elbv2.SetSubnetsInput{LoadBalancerArn: aws.String(w.lb), Subnets: []string{"subnet-aaaa1111", "subnet-bbbb2222", "subnet-cccc3333"}}))(t)
	must(e.c.ModifyCapacityReservation(ctx, &elbv2.ModifyCapacityReservationInput{LoadBalancerArn: aws.String(w.lb), MinimumLoadBalancerCapacity: &types.MinimumLoadBalancerCapacity{CapacityUnits: aws.Int32(300)}}))(t)
	must(e.c.ModifyCapacityReservation(ctx, &elbv2.ModifyCapacityReservationInput{LoadBalancerArn: aws.String(w.lb), MinimumLoadBalancerCapacity: &types.MinimumLoadBalancerCapacity{CapacityUnits: aws.Int32(200)}}))(t)
	e.api.SetLoadBalancerAddress(w.lb, "127.1.2.3")

	// An HTTPS listener with added certificates and changed attributes.
	https := must(e.c.CreateListener(ctx, &elbv2.CreateListenerInput{
		LoadBalancerArn: aws.String(w.lb), Port: aws.Int32(443), Protocol: types.ProtocolEnumHttps,
		Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}, DefaultActions: []types.Action{fixed("404")},
		Tags: []types.Tag{tag("tls", "yes")}, MutualAuthentication: &types.MutualAuthenticationAttributes{Mode: aws.String("passthrough")},
	}))(t).Listeners[0].ListenerArn
	must(e.c.AddListenerCertificates(ctx, &elbv2.AddListenerCertificatesInput{ListenerArn: https, Certificates: []types.Certificate{
		{CertificateArn: aws.String(strings.Replace(certARN, "1111", "9999", 1))},
		{CertificateArn: aws.String(strings.Replace(certARN, "1111", "8888", 1))},
	}}))(t)
	must(e.c.RemoveListenerCertificates(ctx, &elbv2.RemoveListenerCertificatesInput{ListenerArn: https, Certificates: []types.Certificate{
		{CertificateArn: aws.String(strings.Replace(certARN, "1111", "8888", 1))},
	}}))(t)
	must(e.c.ModifyListenerAttributes(ctx, &elbv2.ModifyListenerAttributesInput{ListenerArn: https, Attributes: []types.ListenerAttribute{
		{Key: aws.String("routing.http.response.server.enabled"), Value: aws.String("false")},
	}}))(t)
	gone := e.listener(t, w.lb, 8080, fixed("200"))
	must(e.c.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: aws.String(gone)}))(t)

	// Rules: priorities swapped, one with transforms, one deleted; the
	// default rule changed through ModifyListener.
	api := e.tg(t, "api")
	in := pathRule(w.listener, 10, "/api/*", forward(api))
	in.Tags = []types.Tag{tag("rule", "api")}
	r1 := must(e.c.CreateRule(ctx, in))(t).Rules[0].RuleArn
	in = pathRule(w.listener, 20, "/old/*", fixed("200"))
	in.Transforms = []types.RuleTransform{{Type: types.TransformTypeEnumUrlRewrite, UrlRewriteConfig: &types.UrlRewriteConfig{
		Rewrites: []types.RewriteConfig{{Regex: aws.String("^/old/(.*)$"), Replace: aws.String("/new/$1")}},
	}}}
	r2 := must(e.c.CreateRule(ctx, in))(t).Rules[0].RuleArn
	must(e.c.SetRulePriorities(ctx, &elbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{
		{RuleArn: r1, Priority: aws.Int32(30)}, {RuleArn: r2, Priority: aws.Int32(5)},
	}}))(t)
	r3 := must(e.c.CreateRule(ctx, pathRule(w.listener, 40, "/gone", fixed("410"))))(t).Rules[0].RuleArn
	must(e.c.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: r3}))(t)
	must(e.c.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(w.listener), DefaultActions: []types.Action{{
		Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
			TargetGroups:                []types.TargetGroupTuple{{TargetGroupArn: aws.String(w.tg), Weight: aws.Int32(3)}, {TargetGroupArn: aws.String(api), Weight: aws.Int32(1)}},
			TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true), DurationSeconds: aws.Int32(60)},
		},
	}}}))(t)

	// Target groups: health check and attributes changed, one deleted.
	must(e.c.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: aws.String(w.tg), HealthCheckPath: aws.String("/healthz"), Matcher: &types.Matcher{HttpCode: aws.String("200-299")}}))(t)
	must(e.c.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(w.tg), Attributes: []types.TargetGroupAttribute{
		{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("60")},
	}}))(t)
	dropped := e.tg(t, "dropped")
	e.register(t, dropped, ipTarget("10.0.9.9", 80))
	must(e.c.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(dropped)}))(t)

	// Targets: healthy, unhealthy with a reason, draining, initial, and one
	// gone (deregistered from a group no load balancer uses).
	e.register(t, w.tg, ipTarget("10.0.0.1", 8080), ipTarget("10.0.0.2", 8080), ipTarget("10.0.0.3", 8080),
		types.TargetDescription{Id: aws.String("10.0.0.4"), AvailabilityZone: aws.String("all")})
	e.api.SetTargetHealth(w.tg, elbapi.TargetKey{ID: "10.0.0.1", Port: 8080}, elbapi.StateHealthy, "", "")
	e.api.SetTargetHealth(w.tg, elbapi.TargetKey{ID: "10.0.0.2", Port: 8080}, elbapi.StateUnhealthy, elbapi.ReasonResponseCodeMismatch, "Health checks failed with these codes: [502]")
	must(e.c.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(w.tg), Targets: []types.TargetDescription{ipTarget("10.0.0.3", 8080)}}))(t)
	lonely := e.tg(t, "lonely")
	e.register(t, lonely, ipTarget("10.0.1.1", 80), ipTarget("10.0.1.2", 80))
	must(e.c.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(lonely), Targets: []types.TargetDescription{ipTarget("10.0.1.2", 80)}}))(t)

	// A Lambda target (an ARN, no port).
	fn := must(e.c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda}))(t).TargetGroups[0].TargetGroupArn
	e.register(t, *fn, types.TargetDescription{Id: aws.String("arn:aws:lambda:us-east-1:000000000000:function:fn")})

	// A deleted load balancer, and one in another region.
	doomed := e.wired(t, "doomed")
	must(e.c.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(doomed.lb)}))(t)
	must(e.in(otherRegion).CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{
		Name: aws.String("far"), Subnets: []string{"subnet-dddd4444", "subnet-eeee5555"}, Scheme: types.LoadBalancerSchemeEnumInternal,
	}))(t)

	e.clock.Advance(20 * time.Second)
	before := dump(t, e, region, otherRegion)
	drain := must(e.api.TargetStatus(w.tg, elbapi.TargetKey{ID: "10.0.0.3", Port: 8080}))(t)
	if !drain.Draining {
		t.Fatalf("10.0.0.3 is not draining: %+v", drain)
	}

	e2, db2 := restarted(t, db, dir, e)
	checkSame(t, "after a restart", dump(t, e2, region, otherRegion), before)
	if _, err := e2.c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{doomed.lb}}); err == nil {
		t.Error("the deleted load balancer is back")
	}
	if _, err := e2.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{dropped}}); err == nil {
		t.Error("the deleted target group is back")
	}
	if got := e2.api.Snapshot().Region(region).LoadBalancers[0].Address; got != "127.1.2.3" {
		t.Errorf("address after a restart = %q", got)
	}

	// The drain deadline is the one set before the restart.
	e2.clock.Advance(39 * time.Second)
	if st := must(e2.api.TargetStatus(w.tg, elbapi.TargetKey{ID: "10.0.0.3", Port: 8080}))(t); !st.Draining || !st.DrainDeadline.Equal(drain.DrainDeadline) {
		t.Errorf("1s before the deadline: %+v, deadline before the restart %v", st, drain.DrainDeadline)
	}
	e2.clock.Advance(time.Second)
	if st := must(e2.api.TargetStatus(w.tg, elbapi.TargetKey{ID: "10.0.0.3", Port: 8080}))(t); st.Registered {
		t.Errorf("at the deadline: %+v", st)
	}

	// Creation order goes on after the restored resources; the target
	// that finished draining stays gone.
	late := e2.tg(t, "late")
	e3, _ := restarted(t, db2, dir, e2)
	tgs := must(e3.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{}))(t).TargetGroups
	if last := tgs[len(tgs)-1].TargetGroupArn; *last != late {
		t.Errorf("the group created after the restart is not listed last: %v", *last)
	}
	if st := must(e3.api.TargetStatus(w.tg, elbapi.TargetKey{ID: "10.0.0.3", Port: 8080}))(t); st.Registered {
		t.Errorf("drained target after a second restart: %+v", st)
	}
}

// A subnet placed in an invented zone stays there after a restart.
func TestStateKeepsSubnetZones(t *testing.T) {
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	zones := func(e *env, name string, subnets ...string) map[string]string {
		lb := must(e.c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: subnets}))(t).LoadBalancers[0]
		m := map[string]string{}
		for _, az := range lb.AvailabilityZones {
			m[*az.SubnetId] = *az.ZoneName
		}
		return m
	}
	first := zones(e, "one", "subnet-aaaa1111", "subnet-bbbb2222")
	e2, _ := restarted(t, db, dir, e)
	if got := zones(e2, "two", "subnet-bbbb2222", "subnet-aaaa1111"); !reflect.DeepEqual(got, first) {
		t.Errorf("zones after a restart %v, before %v", got, first)
	}
}

// Reset empties the state directory: nothing comes back.
func TestStateReset(t *testing.T) {
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	w := e.wired(t, "web")
	e.register(t, w.tg, ipTarget("10.0.0.1", 80))
	e.api.Reset()
	n := 0
	if err := db.Bucket(elbapi.Spec.Name).Load(func(string, []byte) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("after Reset: %d records (%v)", n, err)
	}
	e2, _ := restarted(t, db, dir, e)
	if got := must(e2.c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{}))(t).LoadBalancers; len(got) != 0 {
		t.Errorf("load balancers after Reset and a restart: %v", got)
	}
}

// A record Restore cannot read stops it.
func TestStateUndecodableRecord(t *testing.T) {
	for name, rec := range map[string][2]string{
		"bad JSON":     {account + "/" + region + "/loadbalancer/arn:x", "{"},
		"bad target":   {account + "/" + region + "/target/arn:x 80 10.0.0.1", `{"Port":"eighty"}`},
		"unknown kind": {account + "/" + region + "/truststore/arn:x", "{}"},
		"short key":    {"garbage", "{}"},
	} {
		t.Run(name, func(t *testing.T) {
			db := openState(t, t.TempDir())
			b := db.Bucket(elbapi.Spec.Name).Batch()
			b.PutRaw(rec[0], []byte(rec[1]))
			if err := b.Commit().Wait(); err != nil {
				t.Fatal(err)
			}
			if err := elbapi.New(elbapi.Options{State: db.Bucket(elbapi.Spec.Name)}).Restore(); err == nil {
				t.Fatal("Restore read an undecodable record")
			}
		})
	}
}

// Without a state directory Restore finds nothing and writes cost nothing.
func TestStateWithoutDirectory(t *testing.T) {
	e := newEnv(t)
	if err := e.api.Restore(); err != nil {
		t.Fatal(err)
	}
	w := e.wired(t, "web")
	e.register(t, w.tg, ipTarget("10.0.0.1", 80))
	e.api.Reset()
	if got := must(e.c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{}))(t).LoadBalancers; len(got) != 0 {
		t.Errorf("load balancers after Reset: %v", got)
	}
}
