package elbv2_test

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func TestCreateTargetGroupDefaults(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		in   *elbv2.CreateTargetGroupInput
		want types.TargetGroup
	}{
		{
			"HTTP ip", httpTG("web"),
			types.TargetGroup{
				TargetGroupName: aws.String("web"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(vpc),
				TargetType: types.TargetTypeEnumIp, ProtocolVersion: aws.String("HTTP1"), IpAddressType: types.TargetGroupIpAddressTypeEnumIpv4,
				HealthCheckEnabled: aws.Bool(true), HealthCheckProtocol: types.ProtocolEnumHttp, HealthCheckPort: aws.String("traffic-port"),
				HealthCheckPath: aws.String("/"), HealthCheckIntervalSeconds: aws.Int32(30), HealthCheckTimeoutSeconds: aws.Int32(5),
				HealthyThresholdCount: aws.Int32(5), UnhealthyThresholdCount: aws.Int32(2), Matcher: &types.Matcher{HttpCode: aws.String("200")},
				LoadBalancerArns: []string{},
			},
		},
		{
			"HTTPS instance (default target type)",
			&elbv2.CreateTargetGroupInput{Name: aws.String("secure"), Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443), VpcId: aws.String(vpc)},
			types.TargetGroup{
				TargetGroupName: aws.String("secure"), Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443), VpcId: aws.String(vpc),
				TargetType: types.TargetTypeEnumInstance, ProtocolVersion: aws.String("HTTP1"), IpAddressType: types.TargetGroupIpAddressTypeEnumIpv4,
				HealthCheckEnabled: aws.Bool(true), HealthCheckProtocol: types.ProtocolEnumHttps, HealthCheckPort: aws.String("traffic-port"),
				HealthCheckPath: aws.String("/"), HealthCheckIntervalSeconds: aws.Int32(30), HealthCheckTimeoutSeconds: aws.Int32(5),
				HealthyThresholdCount: aws.Int32(5), UnhealthyThresholdCount: aws.Int32(2), Matcher: &types.Matcher{HttpCode: aws.String("200")},
				LoadBalancerArns: []string{},
			},
		},
		{
			"GRPC",
			&elbv2.CreateTargetGroupInput{Name: aws.String("grpc"), Protocol: types.ProtocolEnumHttps, Port: aws.Int32(50051), VpcId: aws.String(vpc), TargetType: types.TargetTypeEnumIp, ProtocolVersion: aws.String("GRPC")},
			types.TargetGroup{
				TargetGroupName: aws.String("grpc"), Protocol: types.ProtocolEnumHttps, Port: aws.Int32(50051), VpcId: aws.String(vpc),
				TargetType: types.TargetTypeEnumIp, ProtocolVersion: aws.String("GRPC"), IpAddressType: types.TargetGroupIpAddressTypeEnumIpv4,
				HealthCheckEnabled: aws.Bool(true), HealthCheckProtocol: types.ProtocolEnumHttps, HealthCheckPort: aws.String("traffic-port"),
				HealthCheckPath: aws.String("/AWS.ALB/healthcheck"), HealthCheckIntervalSeconds: aws.Int32(30), HealthCheckTimeoutSeconds: aws.Int32(5),
				HealthyThresholdCount: aws.Int32(5), UnhealthyThresholdCount: aws.Int32(2), Matcher: &types.Matcher{GrpcCode: aws.String("12")},
				LoadBalancerArns: []string{},
			},
		},
		{
			"lambda",
			&elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda},
			types.TargetGroup{
				TargetGroupName: aws.String("fn"), TargetType: types.TargetTypeEnumLambda,
				HealthCheckEnabled: aws.Bool(false), HealthCheckPath: aws.String("/"), HealthCheckIntervalSeconds: aws.Int32(35),
				HealthCheckTimeoutSeconds: aws.Int32(30), HealthyThresholdCount: aws.Int32(5), UnhealthyThresholdCount: aws.Int32(5),
				Matcher: &types.Matcher{HttpCode: aws.String("200")}, LoadBalancerArns: []string{},
			},
		},
		{
			"custom health check",
			&elbv2.CreateTargetGroupInput{
				Name: aws.String("custom"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: aws.String(vpc), TargetType: types.TargetTypeEnumIp,
				HealthCheckPath: aws.String("/healthz"), HealthCheckPort: aws.String("9000"), HealthCheckIntervalSeconds: aws.Int32(10),
				HealthCheckTimeoutSeconds: aws.Int32(3), HealthyThresholdCount: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(3),
				Matcher: &types.Matcher{HttpCode: aws.String("200-299,302")}, ProtocolVersion: aws.String("http2"), IpAddressType: types.TargetGroupIpAddressTypeEnumIpv6,
			},
			types.TargetGroup{
				TargetGroupName: aws.String("custom"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: aws.String(vpc),
				TargetType: types.TargetTypeEnumIp, ProtocolVersion: aws.String("HTTP2"), IpAddressType: types.TargetGroupIpAddressTypeEnumIpv6,
				HealthCheckEnabled: aws.Bool(true), HealthCheckProtocol: types.ProtocolEnumHttp, HealthCheckPort: aws.String("9000"),
				HealthCheckPath: aws.String("/healthz"), HealthCheckIntervalSeconds: aws.Int32(10), HealthCheckTimeoutSeconds: aws.Int32(3),
				HealthyThresholdCount: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(3), Matcher: &types.Matcher{HttpCode: aws.String("200-299,302")},
				LoadBalancerArns: []string{},
			},
		},
	}
	arnPattern := regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/[a-z]+/[0-9a-f]{16}$`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := must(e.c.CreateTargetGroup(ctx, tc.in))(t).TargetGroups[0]
			if !arnPattern.MatchString(aws.ToString(got.TargetGroupArn)) {
				t.Errorf("ARN = %s", aws.ToString(got.TargetGroupArn))
			}
			got.TargetGroupArn = nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestCreateTargetGroupIdempotent(t *testing.T) {
	e := newEnv(t)
	first := must(e.c.CreateTargetGroup(ctx, httpTG("web")))(t).TargetGroups[0]
	// The same settings, defaults spelled out, return the same group.
	explicit := httpTG("web")
	explicit.HealthCheckPath, explicit.HealthCheckIntervalSeconds = aws.String("/"), aws.Int32(30)
	second := must(e.c.CreateTargetGroup(ctx, explicit))(t).TargetGroups[0]
	if aws.ToString(second.TargetGroupArn) != aws.ToString(first.TargetGroupArn) {
		t.Errorf("identical create gave %s, want %s", aws.ToString(second.TargetGroupArn), aws.ToString(first.TargetGroupArn))
	}
	different := httpTG("web")
	different.Port = aws.Int32(81)
	_, err := e.c.CreateTargetGroup(ctx, different)
	errOf[*types.DuplicateTargetGroupNameException]("A target group with the same name 'web' exists, but with different settings")(t, err)
}

func TestCreateTargetGroupErrors(t *testing.T) {
	e := newEnv(t)
	with := func(fn func(*elbv2.CreateTargetGroupInput)) *elbv2.CreateTargetGroupInput {
		in := httpTG("ok")
		fn(in)
		return in
	}
	tests := []struct {
		name  string
		in    *elbv2.CreateTargetGroupInput
		check errCheck
	}{
		{"name too long", with(func(in *elbv2.CreateTargetGroupInput) { in.Name = aws.String(strings.Repeat("t", 33)) }), validation("cannot be longer than '32' characters")},
		{"name with --", with(func(in *elbv2.CreateTargetGroupInput) { in.Name = aws.String("a--b") }), validation("'--'")},
		{"name trailing -", with(func(in *elbv2.CreateTargetGroupInput) { in.Name = aws.String("ab-") }), validation("cannot begin or end with '-'")},
		{"name with dot", with(func(in *elbv2.CreateTargetGroupInput) { in.Name = aws.String("a.b") }), validation("alphanumeric")},
		{"no protocol", with(func(in *elbv2.CreateTargetGroupInput) { in.Protocol = "" }), validation("A protocol must be specified")},
		{"no port", with(func(in *elbv2.CreateTargetGroupInput) { in.Port = nil }), validation("A port must be specified")},
		{"no VPC", with(func(in *elbv2.CreateTargetGroupInput) { in.VpcId = nil }), validation("A VPC ID must be specified")},
		{"port 0", with(func(in *elbv2.CreateTargetGroupInput) { in.Port = aws.Int32(0) }), validation("greater than or equal to 1")},
		{"TCP", with(func(in *elbv2.CreateTargetGroupInput) { in.Protocol = types.ProtocolEnumTcp }), errOf[*types.InvalidConfigurationRequestException]("Network")},
		{"bad protocol", with(func(in *elbv2.CreateTargetGroupInput) { in.Protocol = "FTP" }), validation("enum value set")},
		{"alb target type", with(func(in *elbv2.CreateTargetGroupInput) { in.TargetType = types.TargetTypeEnumAlb }), errOf[*types.InvalidConfigurationRequestException]("alb")},
		{"bad target type", with(func(in *elbv2.CreateTargetGroupInput) { in.TargetType = "pod" }), validation("enum value set")},
		{"lambda with port", &elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda, Port: aws.Int32(80)}, validation("lambda")},
		{"bad protocol version", with(func(in *elbv2.CreateTargetGroupInput) { in.ProtocolVersion = aws.String("HTTP3") }), validation("HTTP1, HTTP2, GRPC")},
		{"ipv6 instance", with(func(in *elbv2.CreateTargetGroupInput) {
			in.TargetType, in.IpAddressType = types.TargetTypeEnumInstance, types.TargetGroupIpAddressTypeEnumIpv6
		}), validation("ipv6")},
		{"interval too short", with(func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckIntervalSeconds = aws.Int32(4) }), validation("healthCheckIntervalSeconds")},
		{"timeout too long", with(func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckTimeoutSeconds = aws.Int32(121) }), validation("healthCheckTimeoutSeconds")},
		{"timeout not below interval", with(func(in *elbv2.CreateTargetGroupInput) {
			in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds = aws.Int32(10), aws.Int32(10)
		}), validation("Health check timeout '10' must be smaller than the interval '10'")},
		{"healthy threshold 1", with(func(in *elbv2.CreateTargetGroupInput) { in.HealthyThresholdCount = aws.Int32(1) }), validation("healthyThresholdCount")},
		{"unhealthy threshold 11", with(func(in *elbv2.CreateTargetGroupInput) { in.UnhealthyThresholdCount = aws.Int32(11) }), validation("unhealthyThresholdCount")},
		{"path without slash", with(func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckPath = aws.String("health") }), validation("must start with '/'")},
		{"bad health check port", with(func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckPort = aws.String("70000") }), validation("traffic-port")},
		{"TCP health check", with(func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckProtocol = types.ProtocolEnumTcp }), validation("Health check protocol 'TCP'")},
		{"matcher 600", with(func(in *elbv2.CreateTargetGroupInput) { in.Matcher = &types.Matcher{HttpCode: aws.String("600")} }), validation("HttpCode must be like")},
		{"matcher reversed range", with(func(in *elbv2.CreateTargetGroupInput) { in.Matcher = &types.Matcher{HttpCode: aws.String("299-200")} }), validation("HttpCode")},
		{"grpc code on HTTP1", with(func(in *elbv2.CreateTargetGroupInput) { in.Matcher = &types.Matcher{GrpcCode: aws.String("0")} }), validation("GrpcCode")},
		{"disable health checks on ip", with(func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckEnabled = aws.Bool(false) }), errOf[*types.InvalidConfigurationRequestException]("cannot be disabled")},
		{"duplicate tags", with(func(in *elbv2.CreateTargetGroupInput) { in.Tags = []types.Tag{tag("a", "1"), tag("a", "2")} }), errOf[*types.DuplicateTagKeysException]("'a'")},
		{"aws: tag", with(func(in *elbv2.CreateTargetGroupInput) { in.Tags = []types.Tag{tag("aws:x", "1")} }), validation("reserved")},
		{"bad tag characters", with(func(in *elbv2.CreateTargetGroupInput) { in.Tags = []types.Tag{tag("a", "<b>")} }), validation("regular expression")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.nv.CreateTargetGroup(ctx, tc.in)
			tc.check(t, err)
		})
	}
}

func TestDescribeTargetGroups(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	other := e.tg(t, "other")
	lambda := aws.ToString(must(e.c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda}))(t).TargetGroups[0].TargetGroupArn)

	names := func(tgs []types.TargetGroup) []string {
		var out []string
		for _, tg := range tgs {
			out = append(out, aws.ToString(tg.TargetGroupName))
		}
		return out
	}
	all := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{}))(t)
	if got := names(all.TargetGroups); !slices.Equal(got, []string{"web", "other", "fn"}) {
		t.Errorf("all = %v", got)
	}
	if !slices.Equal(all.TargetGroups[0].LoadBalancerArns, []string{w.lb}) || len(all.TargetGroups[1].LoadBalancerArns) != 0 {
		t.Errorf("LoadBalancerArns = %v / %v", all.TargetGroups[0].LoadBalancerArns, all.TargetGroups[1].LoadBalancerArns)
	}
	byLB := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(w.lb)}))(t)
	if got := names(byLB.TargetGroups); !slices.Equal(got, []string{"web"}) {
		t.Errorf("by load balancer = %v", got)
	}
	byARN := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{lambda, other}}))(t)
	if got := names(byARN.TargetGroups); !slices.Equal(got, []string{"fn", "other"}) {
		t.Errorf("by ARN = %v", got)
	}
	byName := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{"other"}}))(t)
	if got := names(byName.TargetGroups); !slices.Equal(got, []string{"other"}) {
		t.Errorf("by name = %v", got)
	}
	paged := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{PageSize: aws.Int32(2)}))(t)
	rest := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{PageSize: aws.Int32(2), Marker: paged.NextMarker}))(t)
	if len(paged.TargetGroups) != 2 || paged.NextMarker == nil || len(rest.TargetGroups) != 1 || rest.NextMarker != nil {
		t.Errorf("paging: %d then %d", len(paged.TargetGroups), len(rest.TargetGroups))
	}

	tests := []struct {
		name  string
		in    elbv2.DescribeTargetGroupsInput
		check errCheck
	}{
		{"unknown name", elbv2.DescribeTargetGroupsInput{Names: []string{"nope"}}, errOf[*types.TargetGroupNotFoundException]("One or more target groups not found")},
		{"unknown ARN", elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{other + "0"}}, errOf[*types.TargetGroupNotFoundException]("not found")},
		{"unknown load balancer", elbv2.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(w.lb + "0")}, errOf[*types.LoadBalancerNotFoundException]("not found")},
		{"two filters", elbv2.DescribeTargetGroupsInput{Names: []string{"web"}, TargetGroupArns: []string{other}}, validation("cannot be combined")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.DescribeTargetGroups(ctx, &tc.in)
			tc.check(t, err)
		})
	}
}

func TestModifyTargetGroup(t *testing.T) {
	e := newEnv(t)
	arn := e.tg(t, "web")
	got := must(e.c.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{
		TargetGroupArn: aws.String(arn), HealthCheckPath: aws.String("/ready"), HealthCheckIntervalSeconds: aws.Int32(6),
		HealthCheckTimeoutSeconds: aws.Int32(2), Matcher: &types.Matcher{HttpCode: aws.String("204")},
	}))(t).TargetGroups[0]
	if aws.ToString(got.HealthCheckPath) != "/ready" || aws.ToInt32(got.HealthCheckIntervalSeconds) != 6 ||
		aws.ToString(got.Matcher.HttpCode) != "204" || aws.ToInt32(got.HealthyThresholdCount) != 5 {
		t.Errorf("modified = %+v", got)
	}
	_, err := e.c.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: aws.String(arn), HealthCheckTimeoutSeconds: aws.Int32(6)})
	validation("smaller than the interval")(t, err)
	_, err = e.c.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: aws.String(arn + "0")})
	errOf[*types.TargetGroupNotFoundException]("")(t, err)
	// The failed change left the group alone.
	again := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{arn}}))(t).TargetGroups[0]
	if aws.ToInt32(again.HealthCheckTimeoutSeconds) != 2 {
		t.Errorf("timeout = %d after a rejected change", aws.ToInt32(again.HealthCheckTimeoutSeconds))
	}
}

func TestTargetGroupAttributes(t *testing.T) {
	e := newEnv(t)
	arn := e.tg(t, "web")
	got := attrMap(must(e.c.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(arn)}))(t).Attributes, tgAttr)
	want := map[string]string{
		"deregistration_delay.timeout_seconds": "300", "stickiness.enabled": "false", "stickiness.type": "lb_cookie",
		"stickiness.lb_cookie.duration_seconds": "86400", "stickiness.app_cookie.cookie_name": "", "stickiness.app_cookie.duration_seconds": "86400",
		"slow_start.duration_seconds": "0", "load_balancing.algorithm.type": "round_robin", "load_balancing.algorithm.anomaly_mitigation": "off",
		"load_balancing.cross_zone.enabled":                                              "use_load_balancer_configuration",
		"target_group_health.dns_failover.minimum_healthy_targets.count":                 "1",
		"target_group_health.dns_failover.minimum_healthy_targets.percentage":            "off",
		"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":      "1",
		"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults:\n got %v\nwant %v", got, want)
	}

	out := must(e.c.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{
		TargetGroupArn: aws.String(arn),
		Attributes: []types.TargetGroupAttribute{
			{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")},
			{Key: aws.String("stickiness.enabled"), Value: aws.String("true")},
			{Key: aws.String("stickiness.type"), Value: aws.String("app_cookie")},
			{Key: aws.String("stickiness.app_cookie.cookie_name"), Value: aws.String("session")},
		},
	}))(t)
	if m := attrMap(out.Attributes, tgAttr); len(m) != len(want) || m["deregistration_delay.timeout_seconds"] != "30" || m["stickiness.type"] != "app_cookie" {
		t.Errorf("after modify: %v", m)
	}

	lambda := aws.ToString(must(e.c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda}))(t).TargetGroups[0].TargetGroupArn)
	lattrs := attrMap(must(e.c.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(lambda)}))(t).Attributes, tgAttr)
	if _, ok := lattrs["lambda.multi_value_headers.enabled"]; !ok || lattrs["deregistration_delay.timeout_seconds"] != "" {
		t.Errorf("lambda attributes = %v", lattrs)
	}

	attr := func(kv ...string) []types.TargetGroupAttribute {
		var out []types.TargetGroupAttribute
		for i := 0; i < len(kv); i += 2 {
			out = append(out, types.TargetGroupAttribute{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		return out
	}
	tests := []struct {
		name  string
		arn   string
		attrs []types.TargetGroupAttribute
		check errCheck
	}{
		{"delay out of range", arn, attr("deregistration_delay.timeout_seconds", "3601"), validation("'deregistration_delay.timeout_seconds' value '3601' must be between '0-3600' inclusive")},
		{"unknown key", arn, attr("nope", "1"), validation("not recognized")},
		{"NLB key", arn, attr("proxy_protocol_v2.enabled", "true"), errOf[*types.InvalidConfigurationRequestException]("not supported")},
		{"delay on lambda", lambda, attr("deregistration_delay.timeout_seconds", "10"), errOf[*types.InvalidConfigurationRequestException]("not supported")},
		{"source_ip stickiness", arn, attr("stickiness.type", "source_ip"), errOf[*types.InvalidConfigurationRequestException]("not supported for target groups with the HTTP protocol")},
		{"app cookie without name", arn, attr("stickiness.app_cookie.cookie_name", ""), errOf[*types.InvalidConfigurationRequestException]("application cookie name")},
		{"reserved cookie name", arn, attr("stickiness.app_cookie.cookie_name", "AWSALBX"), errOf[*types.InvalidConfigurationRequestException]("AWSALB")},
		{"slow start 10", arn, attr("slow_start.duration_seconds", "10"), validation("30-900")},
		{"anomaly mitigation with round robin", arn, attr("load_balancing.algorithm.anomaly_mitigation", "on"), errOf[*types.InvalidConfigurationRequestException]("weighted_random")},
		{"percentage", arn, attr("target_group_health.dns_failover.minimum_healthy_targets.percentage", "101"), validation("'off' or between")},
		{"unknown group", arn + "0", attr("stickiness.enabled", "true"), errOf[*types.TargetGroupNotFoundException]("")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(tc.arn), Attributes: tc.attrs})
			tc.check(t, err)
		})
	}
	_, err := e.c.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(arn + "0")})
	errOf[*types.TargetGroupNotFoundException]("")(t, err)
}

func TestDeleteTargetGroup(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	_, err := e.c.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(w.tg)})
	errOf[*types.ResourceInUseException]("is currently in use by a listener or a rule")(t, err)

	// Used by a rule only.
	ruleTG := e.tg(t, "rule")
	must(e.c.CreateRule(ctx, &elbv2.CreateRuleInput{
		ListenerArn: aws.String(w.listener), Priority: aws.Int32(5),
		Conditions: []types.RuleCondition{{Field: aws.String("host-header"), Values: []string{"a.example.com"}}},
		Actions:    []types.Action{forward(ruleTG)},
	}))(t)
	_, err = e.c.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(ruleTG)})
	errOf[*types.ResourceInUseException]("in use")(t, err)

	must(e.c.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: aws.String(w.listener)}))(t)
	must(e.c.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(w.tg)}))(t)
	must(e.c.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(w.tg)}))(t) // already gone: fine
	_, err = e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{w.tg}})
	errOf[*types.TargetGroupNotFoundException]("")(t, err)
	_, err = e.c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{w.tg}})
	errOf[*types.TargetGroupNotFoundException]("")(t, err)
}
