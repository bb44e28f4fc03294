package elbv2_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	elbapi "github.com/localaws/ecsemu/internal/api/elbv2"
)

func TestTargetHealthLifecycle(t *testing.T) {
	e := newEnv(t)
	lb := e.lbARN(t, "web")
	tg := e.tg(t, "web")
	e.register(t, tg, ipTarget("10.0.0.1", 8080), types.TargetDescription{Id: aws.String("10.0.0.2")})

	// No load balancer forwards to the group yet.
	if got, want := e.health(t, tg), map[string]string{"10.0.0.1:8080": "unused/Target.NotInUse", "10.0.0.2:80": "unused/Target.NotInUse"}; !reflect.DeepEqual(got, want) {
		t.Errorf("before the listener: %v", got)
	}
	listener := e.listener(t, lb, 80, forward(tg))
	if got, want := e.health(t, tg), map[string]string{"10.0.0.1:8080": "initial/Elb.RegistrationInProgress", "10.0.0.2:80": "initial/Elb.RegistrationInProgress"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the listener: %v", got)
	}

	// The data plane reports health.
	e.api.SetTargetHealth(tg, elbapi.TargetKey{ID: "10.0.0.1", Port: 8080}, elbapi.StateHealthy, "ignored", "ignored")
	e.api.SetTargetHealth(tg, elbapi.TargetKey{ID: "10.0.0.2", Port: 80}, elbapi.StateUnhealthy, elbapi.ReasonResponseCodeMismatch, "Health checks failed with these codes: [502]")
	out := must(e.c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)}))(t)
	want := []types.TargetHealthDescription{
		{Target: &types.TargetDescription{Id: aws.String("10.0.0.1"), Port: aws.Int32(8080)}, HealthCheckPort: aws.String("8080"),
			TargetHealth: &types.TargetHealth{State: types.TargetHealthStateEnumHealthy}},
		{Target: &types.TargetDescription{Id: aws.String("10.0.0.2"), Port: aws.Int32(80)}, HealthCheckPort: aws.String("80"),
			TargetHealth: &types.TargetHealth{State: types.TargetHealthStateEnumUnhealthy, Reason: types.TargetHealthReasonEnumResponseCodeMismatch,
				Description: aws.String("Health checks failed with these codes: [502]")}},
	}
	if !reflect.DeepEqual(out.TargetHealthDescriptions, want) {
		t.Errorf("health:\n got %+v\nwant %+v", out.TargetHealthDescriptions, want)
	}

	// Asking for a target that is not registered.
	if got := e.health(t, tg, ipTarget("10.0.0.9", 80)); got["10.0.0.9:80"] != "unused/Target.NotRegistered" {
		t.Errorf("unregistered target: %v", got)
	}
	// Without a port, every registration of the ID.
	if got := e.health(t, tg, types.TargetDescription{Id: aws.String("10.0.0.1")}); got["10.0.0.1:8080"] != "healthy/" || len(got) != 1 {
		t.Errorf("by ID only: %v", got)
	}

	// Deregistration drains for the delay, then the target is gone.
	must(e.c.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: []types.TargetDescription{ipTarget("10.0.0.1", 8080)}}))(t)
	if got := e.health(t, tg); got["10.0.0.1:8080"] != "draining/Target.DeregistrationInProgress" {
		t.Errorf("after deregistration: %v", got)
	}
	e.api.SetTargetHealth(tg, elbapi.TargetKey{ID: "10.0.0.1", Port: 8080}, elbapi.StateHealthy, "", "") // ignored while draining
	e.clock.Advance(299 * time.Second)
	if got := e.health(t, tg); got["10.0.0.1:8080"] != "draining/Target.DeregistrationInProgress" {
		t.Errorf("before the delay passed: %v", got)
	}
	e.clock.Advance(time.Second)
	if got := e.health(t, tg); len(got) != 1 || got["10.0.0.2:80"] == "" {
		t.Errorf("after the delay: %v", got)
	}
	if got := e.health(t, tg, ipTarget("10.0.0.1", 8080)); got["10.0.0.1:8080"] != "unused/Target.NotRegistered" {
		t.Errorf("asked for by name after the delay: %v", got)
	}

	// Deregistering what is not registered is fine.
	must(e.c.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: []types.TargetDescription{ipTarget("10.9.9.9", 80)}}))(t)

	// Registering a draining target again revives it; the other one keeps
	// draining for the whole delay, in flight requests or not.
	e.register(t, tg, ipTarget("10.0.0.3", 80), ipTarget("10.0.0.4", 80))
	must(e.c.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: []types.TargetDescription{ipTarget("10.0.0.3", 80), ipTarget("10.0.0.4", 80)}}))(t)
	e.register(t, tg, ipTarget("10.0.0.4", 80))
	got := e.health(t, tg)
	if got["10.0.0.3:80"] != "draining/Target.DeregistrationInProgress" || got["10.0.0.4:80"] != "initial/Elb.RegistrationInProgress" {
		t.Errorf("after re-registration: %v", got)
	}
	e.clock.Advance(300 * time.Second)
	if _, ok := e.health(t, tg)["10.0.0.3:80"]; ok {
		t.Errorf("10.0.0.3 still listed after the delay")
	}

	// When the listener goes, the targets are unused and forget their health.
	e.api.SetTargetHealth(tg, elbapi.TargetKey{ID: "10.0.0.2", Port: 80}, elbapi.StateHealthy, "", "")
	must(e.c.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: aws.String(listener)}))(t)
	if got := e.health(t, tg); got["10.0.0.2:80"] != "unused/Target.NotInUse" {
		t.Errorf("without listener: %v", got)
	}
	// Deregistering from an unused group removes at once.
	must(e.c.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: []types.TargetDescription{{Id: aws.String("10.0.0.2")}}}))(t)
	e.listener(t, lb, 80, forward(tg))
	if got := e.health(t, tg); got["10.0.0.4:80"] != "initial/Elb.RegistrationInProgress" || len(got) != 1 {
		t.Errorf("re-attached: %v", got)
	}
}

func TestDescribeTargetHealthExtras(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	must(e.c.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: aws.String(w.tg), HealthCheckPort: aws.String("9000")}))(t)
	e.register(t, w.tg, types.TargetDescription{Id: aws.String("10.0.0.1"), Port: aws.Int32(80), AvailabilityZone: aws.String("all")})
	out := must(e.c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{
		TargetGroupArn: aws.String(w.tg), Include: []types.DescribeTargetHealthInputIncludeEnum{types.DescribeTargetHealthInputIncludeEnumAll},
	}))(t).TargetHealthDescriptions[0]
	if aws.ToString(out.HealthCheckPort) != "9000" || aws.ToString(out.Target.AvailabilityZone) != "all" ||
		out.AnomalyDetection == nil || out.AdministrativeOverride == nil || out.AdministrativeOverride.State != types.TargetAdministrativeOverrideStateEnumNoOverride {
		t.Errorf("description = %+v", out)
	}
	_, err := e.c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(w.tg + "0")})
	errOf[*types.TargetGroupNotFoundException]("")(t, err)
	_, err = e.c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(w.tg), Targets: []types.TargetDescription{{Id: aws.String("host.local")}}})
	errOf[*types.InvalidTargetException]("host.local")(t, err)
	_, err = e.c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(w.tg), Include: []types.DescribeTargetHealthInputIncludeEnum{"Everything"}})
	validation("enum")(t, err)

	// Lambda target groups have health checks disabled and no ports.
	fn := aws.ToString(must(e.c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda}))(t).TargetGroups[0].TargetGroupArn)
	must(e.c.CreateRule(ctx, pathRule(w.listener, 1, "/fn", forward(fn))))(t)
	e.register(t, fn, types.TargetDescription{Id: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f")})
	d := must(e.c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(fn)}))(t).TargetHealthDescriptions[0]
	if d.TargetHealth.State != types.TargetHealthStateEnumUnavailable || d.TargetHealth.Reason != types.TargetHealthReasonEnumHealthCheckDisabled || d.Target.Port != nil || d.HealthCheckPort != nil {
		t.Errorf("lambda target = %+v", d)
	}
	_, err = e.c.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(fn), Targets: []types.TargetDescription{{Id: aws.String("arn:aws:lambda:us-east-1:000000000000:function:g")}}})
	errOf[*types.TooManyTargetsException]("one Lambda")(t, err)
}

func TestRegisterTargetsErrors(t *testing.T) {
	e := newEnv(t)
	ip := e.tg(t, "ip")
	inst := aws.ToString(must(e.c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("inst"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(vpc)}))(t).TargetGroups[0].TargetGroupArn)
	ip6 := aws.ToString(must(e.c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("ip6"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(vpc),
		TargetType: types.TargetTypeEnumIp, IpAddressType: types.TargetGroupIpAddressTypeEnumIpv6}))(t).TargetGroups[0].TargetGroupArn)
	fn := aws.ToString(must(e.c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda}))(t).TargetGroups[0].TargetGroupArn)

	tests := []struct {
		name   string
		tg     string
		target types.TargetDescription
		check  errCheck
	}{
		{"not an IP", ip, types.TargetDescription{Id: aws.String("web-1")}, errOf[*types.InvalidTargetException]("not a valid IP address")},
		{"public IP", ip, ipTarget("8.8.8.8", 80), errOf[*types.InvalidTargetException]("not within")},
		{"IPv6 in an ipv4 group", ip, ipTarget("fd00::1", 80), errOf[*types.InvalidTargetException]("ipv4")},
		{"IPv4 in an ipv6 group", ip6, ipTarget("10.0.0.1", 80), errOf[*types.InvalidTargetException]("ipv6")},
		{"port 0", ip, ipTarget("10.0.0.1", 0), validation("greater than or equal to 1")},
		{"bad instance ID", inst, types.TargetDescription{Id: aws.String("10.0.0.1")}, errOf[*types.InvalidTargetException]("not in a running state")},
		{"lambda with port", fn, types.TargetDescription{Id: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f"), Port: aws.Int32(80)}, validation("port cannot be specified")},
		{"not a lambda", fn, types.TargetDescription{Id: aws.String("f")}, errOf[*types.InvalidTargetException]("Lambda")},
		{"unknown group", ip + "0", ipTarget("10.0.0.1", 80), errOf[*types.TargetGroupNotFoundException]("")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(tc.tg), Targets: []types.TargetDescription{tc.target}})
			tc.check(t, err)
		})
	}
	t.Run("valid kinds", func(t *testing.T) {
		e.register(t, inst, types.TargetDescription{Id: aws.String("i-0123456789abcdef0")})
		e.register(t, ip6, ipTarget("fd00::1", 80))
		e.register(t, ip, ipTarget("100.64.0.1", 80), ipTarget("127.0.0.1", 8080), ipTarget("192.168.1.1", 80))
		if got := e.health(t, ip); len(got) != 3 {
			t.Errorf("registered %v", got)
		}
	})
	t.Run("no targets", func(t *testing.T) {
		_, err := e.nv.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(ip)})
		validation("targets")(t, err)
		_, err = e.nv.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(ip)})
		validation("targets")(t, err)
		_, err = e.c.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(ip + "0"), Targets: []types.TargetDescription{ipTarget("10.0.0.1", 80)}})
		errOf[*types.TargetGroupNotFoundException]("")(t, err)
	})
	t.Run("1000 targets per group", func(t *testing.T) {
		big := e.tg(t, "big")
		var targets []types.TargetDescription
		for i := range 1000 {
			targets = append(targets, ipTarget("10.1.0.1", int32(1000+i)))
		}
		e.register(t, big, targets...)
		_, err := e.c.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(big), Targets: []types.TargetDescription{ipTarget("10.1.0.2", 80)}})
		errOf[*types.TooManyTargetsException]("1000")(t, err)
	})
}

func TestTargetWaiters(t *testing.T) {
	e := newEnv(t, func(o *elbapi.Options) { o.Now = nil }) // real time for the SDK waiters
	w := e.wired(t, "web")
	must(e.c.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{
		TargetGroupArn: aws.String(w.tg), Attributes: []types.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("1")}},
	}))(t)
	target := ipTarget("10.0.0.1", 8080)
	key := elbapi.TargetKey{ID: "10.0.0.1", Port: 8080}
	e.register(t, w.tg, target)
	in := &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(w.tg), Targets: []types.TargetDescription{target}}

	t.Run("target-in-service waits for healthy", func(t *testing.T) {
		go func() {
			time.Sleep(150 * time.Millisecond)
			e.api.SetTargetHealth(w.tg, key, elbapi.StateHealthy, "", "")
		}()
		start := time.Now()
		err := elbv2.NewTargetInServiceWaiter(e.c, func(o *elbv2.TargetInServiceWaiterOptions) {
			o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
		}).Wait(ctx, in, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if time.Since(start) < 100*time.Millisecond {
			t.Errorf("in service after %v, before the health was set", time.Since(start))
		}
	})
	t.Run("target-in-service gives up on an unhealthy target", func(t *testing.T) {
		e.api.SetTargetHealth(w.tg, key, elbapi.StateUnhealthy, elbapi.ReasonTimeout, "Request timed out")
		err := elbv2.NewTargetInServiceWaiter(e.c, func(o *elbv2.TargetInServiceWaiterOptions) {
			o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
		}).Wait(ctx, in, 300*time.Millisecond)
		if err == nil {
			t.Fatal("waiter succeeded on an unhealthy target")
		}
	})
	t.Run("target-deregistered after the delay", func(t *testing.T) {
		must(e.c.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(w.tg), Targets: []types.TargetDescription{target}}))(t)
		start := time.Now()
		err := elbv2.NewTargetDeregisteredWaiter(e.c, func(o *elbv2.TargetDeregisteredWaiterOptions) {
			o.MinDelay, o.MaxDelay = 50*time.Millisecond, 100*time.Millisecond
		}).Wait(ctx, in, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if time.Since(start) < 900*time.Millisecond {
			t.Errorf("deregistered after %v, before the 1 s delay", time.Since(start))
		}
	})
}
