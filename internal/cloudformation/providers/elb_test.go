package providers

import (
	"context"
	"strings"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

func TestLoadBalancerTargetGroupListenerRule(t *testing.T) {
	e := newEnv(t)
	lbReq, lb := e.create(t, "AWS::ElasticLoadBalancingV2::LoadBalancer", "ALBAEE750D2", map[string]any{
		"Scheme": "internet-facing", "Type": "application",
		"Subnets": []any{"subnet-1", "subnet-2"}, "SecurityGroups": []any{"sg-1"},
		"LoadBalancerAttributes": []any{map[string]any{"Key": "deletion_protection.enabled", "Value": "false"}},
	})
	name := lb.Attributes["LoadBalancerName"].(string)
	if len(name) > 32 || !strings.HasPrefix(name, "Tutor") {
		t.Errorf("generated name %q", name)
	}
	for _, k := range []string{"DNSName", "CanonicalHostedZoneID", "LoadBalancerFullName", "LoadBalancerArn"} {
		if s, _ := lb.Attributes[k].(string); s == "" {
			t.Errorf("GetAtt %s empty", k)
		}
	}
	if !strings.HasPrefix(lb.Attributes["LoadBalancerFullName"].(string), "app/"+name+"/") {
		t.Errorf("LoadBalancerFullName = %v", lb.Attributes["LoadBalancerFullName"])
	}
	if sg := lb.Attributes["SecurityGroups"].([]any); len(sg) != 1 || sg[0] != "sg-1" {
		t.Errorf("SecurityGroups = %v", sg)
	}

	tgProps := map[string]any{"Port": 80, "Protocol": "HTTP", "TargetType": "ip", "VpcId": "vpc-1",
		"HealthCheckPath": "/", "HealthyThresholdCount": "2",
		"TargetGroupAttributes": []any{map[string]any{"Key": "deregistration_delay.timeout_seconds", "Value": "10"}},
		"Targets":               []any{map[string]any{"Id": "10.0.0.5", "Port": 80}}}
	tgReq, tg := e.create(t, "AWS::ElasticLoadBalancingV2::TargetGroup", "ALBHttpListenerApiTGGroup0E2F03FA", tgProps)
	if n := tg.Attributes["TargetGroupName"].(string); len(n) > 32 ||
		!strings.HasPrefix(tg.Attributes["TargetGroupFullName"].(string), "targetgroup/"+n+"/") {
		t.Errorf("target group names %+v", tg.Attributes)
	}
	s := e.apis.ELB.Store(testRegion)
	health, err := s.DescribeTargetHealth(context.Background(), &elb.DescribeTargetHealthInput{TargetGroupArn: &tg.PhysicalID})
	if err != nil || len(health.TargetHealthDescriptions) != 1 {
		t.Errorf("targets after create: %v %+v", err, health)
	}

	lReq, l := e.create(t, "AWS::ElasticLoadBalancingV2::Listener", "ALBHttpListener04CE8CD0", map[string]any{
		"LoadBalancerArn": lb.PhysicalID, "Port": 80, "Protocol": "HTTP",
		"DefaultActions": []any{map[string]any{"Type": "forward", "TargetGroupArn": tg.PhysicalID}},
	})
	if l.Attributes["ListenerArn"] != l.PhysicalID || !strings.Contains(l.PhysicalID, ":listener/app/") {
		t.Errorf("listener = %+v", l)
	}
	upd := e.update(t, tgReq, map[string]any{"Port": 80, "Protocol": "HTTP", "TargetType": "ip", "VpcId": "vpc-1", "HealthCheckPath": "/health"})
	if arns := upd.Attributes["LoadBalancerArns"].([]any); len(arns) != 1 || arns[0] != lb.PhysicalID {
		t.Errorf("LoadBalancerArns = %v", arns)
	}
	got, _ := s.DescribeTargetGroups(context.Background(), &elb.DescribeTargetGroupsInput{TargetGroupArns: []string{tg.PhysicalID}})
	if deref(got.TargetGroups[0].HealthCheckPath) != "/health" {
		t.Errorf("health check path = %s", deref(got.TargetGroups[0].HealthCheckPath))
	}
	health, _ = s.DescribeTargetHealth(context.Background(), &elb.DescribeTargetHealthInput{TargetGroupArn: &tg.PhysicalID})
	for _, h := range health.TargetHealthDescriptions {
		if h.TargetHealth.State != "draining" {
			t.Errorf("a target dropped from Targets is %s, want draining", h.TargetHealth.State)
		}
	}

	rReq, r := e.create(t, "AWS::ElasticLoadBalancingV2::ListenerRule", "Rule", map[string]any{
		"ListenerArn": l.PhysicalID, "Priority": 10,
		"Conditions": []any{map[string]any{"Field": "path-pattern", "Values": []any{"/api/*"}}},
		"Actions":    []any{map[string]any{"Type": "forward", "TargetGroupArn": tg.PhysicalID}},
	})
	if r.Attributes["RuleArn"] != r.PhysicalID || r.Attributes["IsDefault"] != false {
		t.Errorf("rule = %+v", r)
	}
	e.update(t, rReq, map[string]any{
		"ListenerArn": l.PhysicalID, "Priority": 20,
		"Conditions": []any{map[string]any{"Field": "path-pattern", "Values": []any{"/v2/*"}}},
		"Actions":    []any{map[string]any{"Type": "forward", "TargetGroupArn": tg.PhysicalID}},
	})
	rules, _ := s.DescribeRules(context.Background(), &elb.DescribeRulesInput{RuleArns: []string{r.PhysicalID}})
	if rr := rules.Rules[0]; deref(rr.Priority) != "20" || rr.Conditions[0].Values[0] != "/v2/*" {
		t.Errorf("rule after update = %s %v", deref(rr.Priority), rr.Conditions[0].Values)
	}

	for _, tc := range []struct {
		typ      string
		old, new map[string]any
		want     bool
	}{
		{"AWS::ElasticLoadBalancingV2::LoadBalancer", map[string]any{"Scheme": "internal"}, map[string]any{"Scheme": "internet-facing"}, true},
		{"AWS::ElasticLoadBalancingV2::LoadBalancer", map[string]any{"Subnets": []any{"a"}}, map[string]any{"Subnets": []any{"b"}}, false},
		{"AWS::ElasticLoadBalancingV2::TargetGroup", map[string]any{"Port": 80}, map[string]any{"Port": 81}, true},
		{"AWS::ElasticLoadBalancingV2::TargetGroup", map[string]any{"HealthCheckPath": "/"}, map[string]any{"HealthCheckPath": "/x"}, false},
		{"AWS::ElasticLoadBalancingV2::Listener", map[string]any{"Port": 80}, map[string]any{"Port": 81}, false},
		{"AWS::ElasticLoadBalancingV2::Listener", map[string]any{"LoadBalancerArn": "a"}, map[string]any{"LoadBalancerArn": "b"}, true},
		{"AWS::ElasticLoadBalancingV2::ListenerRule", map[string]any{"Priority": 1}, map[string]any{"Priority": 2}, false},
		{"AWS::ElasticLoadBalancingV2::ListenerCertificate", map[string]any{"Certificates": []any{}}, map[string]any{"Certificates": []any{"x"}}, true},
	} {
		if got := e.reg[tc.typ].Replaces(tc.old, tc.new); got != tc.want {
			t.Errorf("%s Replaces(%v → %v) = %v", tc.typ, tc.old, tc.new, got)
		}
	}

	for _, req := range []*requestRef{{rReq.Type, rReq}, {lReq.Type, lReq}, {tgReq.Type, tgReq}, {lbReq.Type, lbReq}} {
		e.deleteTwice(t, req.req)
	}
}
