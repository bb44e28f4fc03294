package elbv2_test

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	elbapi "github.com/localaws/ecsemu/internal/api/elbv2"
)

func TestCreateLoadBalancerDefaults(t *testing.T) {
	e := newEnv(t)
	lb := e.lb(t, "web")

	arn := aws.ToString(lb.LoadBalancerArn)
	if !regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/[0-9a-f]{16}$`).MatchString(arn) {
		t.Errorf("ARN = %s", arn)
	}
	if dns := aws.ToString(lb.DNSName); !regexp.MustCompile(`^web-[0-9]{1,10}\.us-east-1\.elb\.amazonaws\.com$`).MatchString(dns) {
		t.Errorf("DNSName = %s", dns)
	}
	if lb.Type != types.LoadBalancerTypeEnumApplication || lb.Scheme != types.LoadBalancerSchemeEnumInternetFacing || lb.IpAddressType != types.IpAddressTypeIpv4 {
		t.Errorf("type/scheme/ip = %s/%s/%s", lb.Type, lb.Scheme, lb.IpAddressType)
	}
	if lb.State == nil || lb.State.Code != types.LoadBalancerStateEnumProvisioning {
		t.Errorf("State = %+v, want provisioning", lb.State)
	}
	if aws.ToString(lb.CanonicalHostedZoneId) != "Z35SXDOTRQ7X7K" {
		t.Errorf("CanonicalHostedZoneId = %s", aws.ToString(lb.CanonicalHostedZoneId))
	}
	if !strings.HasPrefix(aws.ToString(lb.VpcId), "vpc-") || len(lb.SecurityGroups) != 1 || !strings.HasPrefix(lb.SecurityGroups[0], "sg-") {
		t.Errorf("VpcId %s, SecurityGroups %v", aws.ToString(lb.VpcId), lb.SecurityGroups)
	}
	if lb.CreatedTime == nil || !lb.CreatedTime.Equal(e.clock.Now()) {
		t.Errorf("CreatedTime = %v", lb.CreatedTime)
	}
	var zones, subnets []string
	for _, az := range lb.AvailabilityZones {
		zones = append(zones, aws.ToString(az.ZoneName))
		subnets = append(subnets, aws.ToString(az.SubnetId))
		if az.LoadBalancerAddresses == nil {
			t.Error("LoadBalancerAddresses is nil, want []")
		}
	}
	if !slices.Equal(zones, []string{"us-east-1a", "us-east-1b"}) || !slices.Equal(subnets, []string{"subnet-aaaa1111", "subnet-bbbb2222"}) {
		t.Errorf("zones %v subnets %v", zones, subnets)
	}

	// A subnet keeps its zone in later load balancers.
	again := must(e.c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{
		Name: aws.String("other"), Subnets: []string{"subnet-cccc3333", "subnet-bbbb2222"},
	}))(t).LoadBalancers[0]
	got := map[string]string{}
	for _, az := range again.AvailabilityZones {
		got[aws.ToString(az.SubnetId)] = aws.ToString(az.ZoneName)
	}
	if got["subnet-bbbb2222"] != "us-east-1b" || got["subnet-cccc3333"] != "us-east-1a" {
		t.Errorf("zones = %v", got)
	}

	// Active once the provisioning delay has passed.
	e.clock.Advance(elbapi.DefaultProvisioningDelay)
	desc := must(e.c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{arn}}))(t)
	if desc.LoadBalancers[0].State.Code != types.LoadBalancerStateEnumActive {
		t.Errorf("State after delay = %s", desc.LoadBalancers[0].State.Code)
	}
}

func TestCreateLoadBalancerInternalAndIdempotent(t *testing.T) {
	e := newEnv(t)
	in := &elbv2.CreateLoadBalancerInput{
		Name: aws.String("api"), Scheme: types.LoadBalancerSchemeEnumInternal,
		SubnetMappings: []types.SubnetMapping{{SubnetId: aws.String("subnet-1")}, {SubnetId: aws.String("subnet-2")}},
		SecurityGroups: []string{"sg-12345678"}, IpAddressType: types.IpAddressTypeDualstack,
		Tags: []types.Tag{tag("env", "dev")},
	}
	first := must(e.c.CreateLoadBalancer(ctx, in))(t).LoadBalancers[0]
	if dns := aws.ToString(first.DNSName); !strings.HasPrefix(dns, "internal-api-") {
		t.Errorf("DNSName = %s, want internal- prefix", dns)
	}
	if !slices.Equal(first.SecurityGroups, []string{"sg-12345678"}) || first.IpAddressType != types.IpAddressTypeDualstack {
		t.Errorf("groups %v ip %s", first.SecurityGroups, first.IpAddressType)
	}
	attrs := attrMap(must(e.c.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: first.LoadBalancerArn}))(t).Attributes, lbAttr)
	if attrs["ipv6.deny_all_igw_traffic"] != "true" {
		t.Errorf("internal ipv6.deny_all_igw_traffic = %q", attrs["ipv6.deny_all_igw_traffic"])
	}

	second := must(e.c.CreateLoadBalancer(ctx, in))(t).LoadBalancers[0]
	if aws.ToString(second.LoadBalancerArn) != aws.ToString(first.LoadBalancerArn) {
		t.Errorf("identical create returned %s, want %s", aws.ToString(second.LoadBalancerArn), aws.ToString(first.LoadBalancerArn))
	}
	in.SecurityGroups = []string{"sg-87654321"}
	_, err := e.c.CreateLoadBalancer(ctx, in)
	errOf[*types.DuplicateLoadBalancerNameException]("exists, but with different settings")(t, err)
}

func TestCreateLoadBalancerErrors(t *testing.T) {
	e := newEnv(t)
	two := []string{"subnet-1", "subnet-2"}
	manyTags := make([]types.Tag, 51)
	for i := range manyTags {
		manyTags[i] = tag("k"+strings.Repeat("x", i), "v")
	}
	tests := []struct {
		name  string
		in    elbv2.CreateLoadBalancerInput
		check errCheck
	}{
		{"name too long", elbv2.CreateLoadBalancerInput{Name: aws.String(strings.Repeat("a", 33)), Subnets: two}, validation("cannot be longer than '32'")},
		{"bad characters", elbv2.CreateLoadBalancerInput{Name: aws.String("a_b"), Subnets: two}, validation("alphanumeric")},
		{"leading hyphen", elbv2.CreateLoadBalancerInput{Name: aws.String("-ab"), Subnets: two}, validation("cannot begin or end")},
		{"internal- prefix", elbv2.CreateLoadBalancerInput{Name: aws.String("internal-x"), Subnets: two}, validation("internal-")},
		{"no name", elbv2.CreateLoadBalancerInput{Subnets: two}, validation("null")},
		{"one subnet", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two[:1]}, validation("At least two subnets")},
		{"no subnet", elbv2.CreateLoadBalancerInput{Name: aws.String("a")}, validation("At least two subnets")},
		{"subnets and mappings", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, SubnetMappings: []types.SubnetMapping{{SubnetId: aws.String("subnet-3")}}}, validation("not both")},
		{"elastic IP", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), SubnetMappings: []types.SubnetMapping{{SubnetId: aws.String("subnet-3"), AllocationId: aws.String("eipalloc-1")}, {SubnetId: aws.String("subnet-4")}}}, errOf[*types.InvalidConfigurationRequestException]("Network Load Balancers")},
		{"bad subnet", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: []string{"subnet-1", "net-2"}}, errOf[*types.SubnetNotFoundException]("net-2")},
		{"duplicate subnet", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: []string{"subnet-1", "subnet-1"}}, validation("more than once")},
		{"bad security group", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, SecurityGroups: []string{"group"}}, errOf[*types.InvalidSecurityGroupException]("group")},
		{"network type", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, Type: types.LoadBalancerTypeEnumNetwork}, errOf[*types.InvalidConfigurationRequestException]("Application Load Balancers only")},
		{"bad type", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, Type: "classic"}, validation("enum value set")},
		{"bad scheme", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, Scheme: "public"}, errOf[*types.InvalidSchemeException]("public")},
		{"internal without public ipv4", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, Scheme: types.LoadBalancerSchemeEnumInternal, IpAddressType: types.IpAddressTypeDualstackWithoutPublicIpv4}, errOf[*types.InvalidConfigurationRequestException]("dualstack-without-public-ipv4")},
		{"bad ip type", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, IpAddressType: "ipv5"}, validation("enum value set")},
		{"duplicate tag keys", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, Tags: []types.Tag{tag("k", "1"), tag("k", "2")}}, errOf[*types.DuplicateTagKeysException]("'k'")},
		{"too many tags", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, Tags: manyTags}, errOf[*types.TooManyTagsException]("50")},
		{"ipam pools", elbv2.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: two, IpamPools: &types.IpamPools{Ipv4IpamPoolId: aws.String("p")}}, errOf[*types.InvalidConfigurationRequestException]("IPAM")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.nv.CreateLoadBalancer(ctx, &tc.in)
			tc.check(t, err)
		})
	}

	t.Run("two subnets of one zone", func(t *testing.T) {
		e := newEnv(t)
		e.lb(t, "a") // subnet-aaaa1111 → a, subnet-bbbb2222 → b
		must(e.c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("b"), Subnets: []string{"subnet-x", "subnet-y"}}))(t)
		// subnet-x → a: now two known subnets share zone a.
		_, err := e.c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("c"), Subnets: []string{"subnet-aaaa1111", "subnet-x"}})
		errOf[*types.InvalidConfigurationRequestException]("same Availability Zone")(t, err)
	})

	t.Run("limit", func(t *testing.T) {
		e := newEnv(t)
		for i := range 50 {
			e.lb(t, fmt.Sprintf("lb-%d", i))
		}
		_, err := e.c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("one-more"), Subnets: two})
		errOf[*types.TooManyLoadBalancersException]("50")(t, err)
	})
}

func TestDescribeLoadBalancers(t *testing.T) {
	e := newEnv(t)
	names := []string{"a", "b", "c", "d", "e"}
	var arns []string
	for _, n := range names {
		arns = append(arns, e.lbARN(t, n))
	}

	t.Run("all, paged by the SDK paginator", func(t *testing.T) {
		p := elbv2.NewDescribeLoadBalancersPaginator(e.c, &elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(2)})
		var got []string
		pages := 0
		for p.HasMorePages() {
			out := must(p.NextPage(ctx))(t)
			pages++
			for _, lb := range out.LoadBalancers {
				got = append(got, aws.ToString(lb.LoadBalancerName))
			}
		}
		if pages != 3 || !slices.Equal(got, names) {
			t.Errorf("%d pages %v, want 3 pages %v", pages, got, names)
		}
	})
	t.Run("by name and by ARN", func(t *testing.T) {
		byName := must(e.c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"c", "a"}}))(t)
		if len(byName.LoadBalancers) != 2 || aws.ToString(byName.LoadBalancers[0].LoadBalancerName) != "c" {
			t.Errorf("by name: %d load balancers", len(byName.LoadBalancers))
		}
		byARN := must(e.c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: arns[3:]}))(t)
		if len(byARN.LoadBalancers) != 2 || aws.ToString(byARN.LoadBalancers[1].LoadBalancerArn) != arns[4] {
			t.Errorf("by ARN: %+v", byARN.LoadBalancers)
		}
	})
	tests := []struct {
		name  string
		in    elbv2.DescribeLoadBalancersInput
		check errCheck
	}{
		{"unknown name", elbv2.DescribeLoadBalancersInput{Names: []string{"a", "zz"}}, errOf[*types.LoadBalancerNotFoundException]("not found")},
		{"unknown ARN", elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{arns[0] + "0"}}, errOf[*types.LoadBalancerNotFoundException]("not found")},
		{"names and ARNs", elbv2.DescribeLoadBalancersInput{Names: []string{"a"}, LoadBalancerArns: arns[:1]}, validation("same time")},
		{"page size 0", elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(0)}, validation("between 1 and 400")},
		{"page size 401", elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(401)}, validation("between 1 and 400")},
		{"bad marker", elbv2.DescribeLoadBalancersInput{Marker: aws.String("nope")}, validation("marker")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.DescribeLoadBalancers(ctx, &tc.in)
			tc.check(t, err)
		})
	}
}

func TestLoadBalancerAvailableWaiter(t *testing.T) {
	e := newEnv(t, func(o *elbapi.Options) { o.Now = nil }) // real time: 200 ms provisioning
	// Timed from before the create: under load the create and the first
	// describe can take a good part of the 200 ms themselves.
	start := time.Now()
	arn := e.lbARN(t, "web")
	first := must(e.c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{arn}}))(t)
	if first.LoadBalancers[0].State.Code != types.LoadBalancerStateEnumProvisioning {
		t.Fatalf("state right after create = %s", first.LoadBalancers[0].State.Code)
	}
	w := elbv2.NewLoadBalancerAvailableWaiter(e.c, func(o *elbv2.LoadBalancerAvailableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
	})
	out, err := w.WaitForOutput(ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"web"}}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if out.LoadBalancers[0].State.Code != types.LoadBalancerStateEnumActive || time.Since(start) < 200*time.Millisecond {
		t.Errorf("state %s after %v", out.LoadBalancers[0].State.Code, time.Since(start))
	}

	// LoadBalancerExists and LoadBalancersDeleted work on the same errors.
	must(e.c.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(arn)}))(t)
	deleted := elbv2.NewLoadBalancersDeletedWaiter(e.c, func(o *elbv2.LoadBalancersDeletedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
	})
	if err := deleted.Wait(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{arn}}, 2*time.Second); err != nil {
		t.Errorf("LoadBalancersDeleted: %v", err)
	}
}

func TestDeleteLoadBalancer(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	rule := must(e.c.CreateRule(ctx, &elbv2.CreateRuleInput{
		ListenerArn: aws.String(w.listener), Priority: aws.Int32(1),
		Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/a"}}},
		Actions:    []types.Action{fixed("404")},
	}))(t).Rules[0]

	t.Run("deletion protection", func(t *testing.T) {
		must(e.c.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{
			LoadBalancerArn: aws.String(w.lb), Attributes: []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("true")}},
		}))(t)
		_, err := e.c.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(w.lb)})
		errOf[*types.OperationNotPermittedException]("deletion protection")(t, err)
		must(e.c.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{
			LoadBalancerArn: aws.String(w.lb), Attributes: []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("false")}},
		}))(t)
	})

	must(e.c.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(w.lb)}))(t)
	_, err := e.c.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{w.listener}})
	errOf[*types.ListenerNotFoundException]("not found")(t, err)
	_, err = e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(rule.RuleArn)}})
	errOf[*types.RuleNotFoundException]("not found")(t, err)
	tg := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{w.tg}}))(t).TargetGroups[0]
	if len(tg.LoadBalancerArns) != 0 {
		t.Errorf("target group still names %v", tg.LoadBalancerArns)
	}
	// Deleting again, or something that never existed, succeeds.
	must(e.c.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(w.lb)}))(t)
	_, err = e.nv.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{})
	validation("loadBalancerArn")(t, err)
}

func TestLoadBalancerAttributes(t *testing.T) {
	e := newEnv(t)
	arn := e.lbARN(t, "web")
	got := attrMap(must(e.c.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(arn)}))(t).Attributes, lbAttr)
	want := map[string]string{
		"deletion_protection.enabled": "false", "load_balancing.cross_zone.enabled": "true",
		"access_logs.s3.enabled": "false", "access_logs.s3.bucket": "", "access_logs.s3.prefix": "",
		"ipv6.deny_all_igw_traffic": "false", "zonal_shift.config.enabled": "false",
		"idle_timeout.timeout_seconds": "60", "client_keep_alive.seconds": "3600",
		"connection_logs.s3.enabled": "false", "connection_logs.s3.bucket": "", "connection_logs.s3.prefix": "",
		"health_check_logs.s3.enabled": "false", "health_check_logs.s3.bucket": "", "health_check_logs.s3.prefix": "",
		"routing.http.desync_mitigation_mode": "defensive", "routing.http.drop_invalid_header_fields.enabled": "false",
		"routing.http.preserve_host_header.enabled": "false", "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
		"routing.http.xff_client_port.enabled": "false", "routing.http.xff_header_processing.mode": "append",
		"routing.http2.enabled": "true", "waf.fail_open.enabled": "false",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults:\n got %v\nwant %v", got, want)
	}

	modified := must(e.c.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{
		LoadBalancerArn: aws.String(arn),
		Attributes: []types.LoadBalancerAttribute{
			{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("120")},
			{Key: aws.String("access_logs.s3.enabled"), Value: aws.String("true")},
			{Key: aws.String("access_logs.s3.bucket"), Value: aws.String("logs")},
		},
	}))(t)
	m := attrMap(modified.Attributes, lbAttr)
	if len(m) != len(want) || m["idle_timeout.timeout_seconds"] != "120" || m["access_logs.s3.bucket"] != "logs" {
		t.Errorf("after modify: %v", m)
	}

	attr := func(k, v string) []types.LoadBalancerAttribute {
		return []types.LoadBalancerAttribute{{Key: aws.String(k), Value: aws.String(v)}}
	}
	tests := []struct {
		name  string
		arn   string
		attrs []types.LoadBalancerAttribute
		check errCheck
	}{
		{"unknown key", arn, attr("bogus.key", "1"), validation("not recognized")},
		{"bad key syntax", arn, attr("bad key", "1"), validation("regular expression")},
		{"NLB key", arn, attr("dns_record.client_routing_policy", "any_availability_zone"), errOf[*types.InvalidConfigurationRequestException]("not supported")},
		{"idle timeout out of range", arn, attr("idle_timeout.timeout_seconds", "4001"), validation("1-4000")},
		{"bad boolean", arn, attr("routing.http2.enabled", "yes"), validation("'true' or 'false'")},
		{"bad enum", arn, attr("routing.http.desync_mitigation_mode", "lax"), validation("monitor")},
		{"cross zone off", arn, attr("load_balancing.cross_zone.enabled", "false"), errOf[*types.InvalidConfigurationRequestException]("Cross-zone")},
		{"logs without bucket", arn, attr("connection_logs.s3.enabled", "true"), errOf[*types.InvalidConfigurationRequestException]("connection_logs.s3.bucket")},
		{"no attributes", arn, nil, validation("attributes")},
		{"unknown load balancer", arn + "0", attr("idle_timeout.timeout_seconds", "30"), errOf[*types.LoadBalancerNotFoundException]("not found")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.nv.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(tc.arn), Attributes: tc.attrs})
			tc.check(t, err)
		})
	}
	_, err := e.c.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(arn + "0")})
	errOf[*types.LoadBalancerNotFoundException]("not found")(t, err)
}

func TestSetSubnetsSecurityGroupsIPType(t *testing.T) {
	e := newEnv(t)
	arn := e.lbARN(t, "web")

	sub := must(e.c.SetSubnets(ctx, &elbv2.SetSubnetsInput{LoadBalancerArn: aws.String(arn), Subnets: []string{"subnet-aaaa1111", "subnet-new1", "subnet-new2"}}))(t)
	if len(sub.AvailabilityZones) != 3 || sub.IpAddressType != types.IpAddressTypeIpv4 {
		t.Errorf("SetSubnets = %+v", sub)
	}
	_, err := e.c.SetSubnets(ctx, &elbv2.SetSubnetsInput{LoadBalancerArn: aws.String(arn), Subnets: []string{"subnet-1"}})
	validation("At least two subnets")(t, err)
	_, err = e.c.SetSubnets(ctx, &elbv2.SetSubnetsInput{LoadBalancerArn: aws.String(arn + "0"), Subnets: []string{"subnet-1", "subnet-2"}})
	errOf[*types.LoadBalancerNotFoundException]("")(t, err)

	sg := must(e.c.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: aws.String(arn), SecurityGroups: []string{"sg-1", "sg-2", "sg-1"}}))(t)
	if !slices.Equal(sg.SecurityGroupIds, []string{"sg-1", "sg-2"}) {
		t.Errorf("SecurityGroupIds = %v", sg.SecurityGroupIds)
	}
	_, err = e.c.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: aws.String(arn), SecurityGroups: []string{"x"}})
	errOf[*types.InvalidSecurityGroupException]("x")(t, err)
	_, err = e.c.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: aws.String(arn), SecurityGroups: []string{}})
	errOf[*types.InvalidConfigurationRequestException]("at least one")(t, err)

	ip := must(e.c.SetIpAddressType(ctx, &elbv2.SetIpAddressTypeInput{LoadBalancerArn: aws.String(arn), IpAddressType: types.IpAddressTypeDualstack}))(t)
	if ip.IpAddressType != types.IpAddressTypeDualstack {
		t.Errorf("IpAddressType = %s", ip.IpAddressType)
	}
	_, err = e.c.SetIpAddressType(ctx, &elbv2.SetIpAddressTypeInput{LoadBalancerArn: aws.String(arn), IpAddressType: "ipv9"})
	validation("enum")(t, err)

	lb := must(e.c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{arn}}))(t).LoadBalancers[0]
	if len(lb.AvailabilityZones) != 3 || !slices.Equal(lb.SecurityGroups, []string{"sg-1", "sg-2"}) || lb.IpAddressType != types.IpAddressTypeDualstack {
		t.Errorf("described %+v", lb)
	}
}

func TestCapacityReservation(t *testing.T) {
	e := newEnv(t)
	arn := e.lbARN(t, "web")
	desc := must(e.c.DescribeCapacityReservation(ctx, &elbv2.DescribeCapacityReservationInput{LoadBalancerArn: aws.String(arn)}))(t)
	if aws.ToInt32(desc.DecreaseRequestsRemaining) != 3 || desc.MinimumLoadBalancerCapacity != nil || len(desc.CapacityReservationState) != 0 {
		t.Errorf("initial = %+v", desc)
	}
	set := must(e.c.ModifyCapacityReservation(ctx, &elbv2.ModifyCapacityReservationInput{
		LoadBalancerArn: aws.String(arn), MinimumLoadBalancerCapacity: &types.MinimumLoadBalancerCapacity{CapacityUnits: aws.Int32(100)},
	}))(t)
	if aws.ToInt32(set.MinimumLoadBalancerCapacity.CapacityUnits) != 100 || len(set.CapacityReservationState) != 2 ||
		aws.ToFloat64(set.CapacityReservationState[0].EffectiveCapacityUnits) != 50 || set.LastModifiedTime == nil {
		t.Errorf("after set = %+v", set)
	}
	for range 3 {
		must(e.c.ModifyCapacityReservation(ctx, &elbv2.ModifyCapacityReservationInput{LoadBalancerArn: aws.String(arn), ResetCapacityReservation: aws.Bool(true)}))(t)
		must(e.c.ModifyCapacityReservation(ctx, &elbv2.ModifyCapacityReservationInput{
			LoadBalancerArn: aws.String(arn), MinimumLoadBalancerCapacity: &types.MinimumLoadBalancerCapacity{CapacityUnits: aws.Int32(100)},
		}))(t)
	}
	_, err := e.c.ModifyCapacityReservation(ctx, &elbv2.ModifyCapacityReservationInput{LoadBalancerArn: aws.String(arn), ResetCapacityReservation: aws.Bool(true)})
	errOf[*types.CapacityDecreaseRequestsLimitExceededException]("limit")(t, err)
	_, err = e.c.ModifyCapacityReservation(ctx, &elbv2.ModifyCapacityReservationInput{LoadBalancerArn: aws.String(arn)})
	validation("either")(t, err)
	_, err = e.c.DescribeCapacityReservation(ctx, &elbv2.DescribeCapacityReservationInput{LoadBalancerArn: aws.String(arn + "0")})
	errOf[*types.LoadBalancerNotFoundException]("")(t, err)
}
