package elbv2_test

import (
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func pathRule(listener string, prio int32, path string, action types.Action) *elbv2.CreateRuleInput {
	return &elbv2.CreateRuleInput{
		ListenerArn: aws.String(listener), Priority: aws.Int32(prio),
		Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{path}}},
		Actions:    []types.Action{action},
	}
}

func TestCreateRule(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")

	conds := []types.RuleCondition{
		{Field: aws.String("path-pattern"), Values: []string{"/api/*"}},
		{Field: aws.String("host-header"), HostHeaderConfig: &types.HostHeaderConditionConfig{Values: []string{"*.example.com"}}},
		{Field: aws.String("http-header"), HttpHeaderConfig: &types.HttpHeaderConditionConfig{HttpHeaderName: aws.String("X-Env"), Values: []string{"blue"}}},
		{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &types.HttpRequestMethodConditionConfig{Values: []string{"GET"}}},
		{Field: aws.String("source-ip"), SourceIpConfig: &types.SourceIpConditionConfig{Values: []string{"10.0.0.0/8"}}},
	}
	r := must(e.c.CreateRule(ctx, &elbv2.CreateRuleInput{
		ListenerArn: aws.String(w.listener), Priority: aws.Int32(10), Conditions: conds,
		Actions: []types.Action{forward(w.tg)}, Tags: []types.Tag{tag("team", "api")},
	}))(t).Rules[0]
	if !regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$`).MatchString(aws.ToString(r.RuleArn)) {
		t.Errorf("ARN = %s", aws.ToString(r.RuleArn))
	}
	if aws.ToString(r.Priority) != "10" || aws.ToBool(r.IsDefault) || r.IsDefault == nil {
		t.Errorf("priority %s default %v", aws.ToString(r.Priority), r.IsDefault)
	}
	wantPath := types.RuleCondition{Field: aws.String("path-pattern"), Values: []string{"/api/*"}, PathPatternConfig: &types.PathPatternConditionConfig{Values: []string{"/api/*"}}}
	if !reflect.DeepEqual(r.Conditions[0], wantPath) {
		t.Errorf("legacy path-pattern echoed as %+v", r.Conditions[0])
	}
	if !reflect.DeepEqual(r.Conditions[1:], conds[1:]) {
		t.Errorf("conditions = %+v", r.Conditions[1:])
	}

	query := must(e.c.CreateRule(ctx, &elbv2.CreateRuleInput{
		ListenerArn: aws.String(w.listener), Priority: aws.Int32(5),
		Conditions: []types.RuleCondition{{Field: aws.String("query-string"), QueryStringConfig: &types.QueryStringConditionConfig{Values: []types.QueryStringKeyValuePair{
			{Key: aws.String("v"), Value: aws.String("2")}, {Value: aws.String("debug")},
		}}}},
		Actions: []types.Action{fixed("404")},
	}))(t).Rules[0]

	rules := must(e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(w.listener)}))(t).Rules
	var order []string
	for _, r := range rules {
		order = append(order, aws.ToString(r.Priority))
	}
	if !slices.Equal(order, []string{"5", "10", "default"}) {
		t.Errorf("evaluation order = %v", order)
	}
	def := rules[2]
	if !aws.ToBool(def.IsDefault) || def.Conditions == nil || len(def.Conditions) != 0 || aws.ToString(def.Actions[0].TargetGroupArn) != w.tg {
		t.Errorf("default rule = %+v", def)
	}
	byARN := must(e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(query.RuleArn)}}))(t).Rules
	if len(byARN) != 1 || aws.ToString(byARN[0].Priority) != "5" {
		t.Errorf("by ARN = %+v", byARN)
	}
	paged := must(e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(w.listener), PageSize: aws.Int32(2)}))(t)
	if len(paged.Rules) != 2 || paged.NextMarker == nil {
		t.Errorf("paged = %d rules, marker %v", len(paged.Rules), paged.NextMarker)
	}

	other := e.lbARN(t, "other")
	otherListener := e.listener(t, other, 80, fixed("200"))
	cond := func(c types.RuleCondition) []types.RuleCondition { return []types.RuleCondition{c} }
	tests := []struct {
		name  string
		in    *elbv2.CreateRuleInput
		check errCheck
	}{
		{"priority in use", pathRule(w.listener, 10, "/x", fixed("200")), errOf[*types.PriorityInUseException]("Priority '10' is currently in use")},
		{"priority 0", pathRule(w.listener, 0, "/x", fixed("200")), validation("greater than or equal to 1")},
		{"priority 50001", pathRule(w.listener, 50001, "/x", fixed("200")), validation("less than or equal to 50000")},
		{"unknown listener", pathRule(w.listener+"0", 1, "/x", fixed("200")), errOf[*types.ListenerNotFoundException]("")},
		{"unknown target group", pathRule(w.listener, 1, "/x", forward(w.tg+"0")), errOf[*types.TargetGroupNotFoundException]("not found")},
		{"target group of another load balancer", pathRule(otherListener, 1, "/x", forward(w.tg)), errOf[*types.TargetGroupAssociationLimitException]("")},
		{"no conditions", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: []types.RuleCondition{}, Actions: []types.Action{fixed("200")}}, validation("at least one condition")},
		{"unknown field", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{Field: aws.String("cookie"), Values: []string{"a"}}), Actions: []types.Action{fixed("200")}}, validation("must be one of")},
		{"two path conditions", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: []types.RuleCondition{
			{Field: aws.String("path-pattern"), Values: []string{"/a"}}, {Field: aws.String("path-pattern"), Values: []string{"/b"}},
		}, Actions: []types.Action{fixed("200")}}, validation("only one 'path-pattern'")},
		{"six values", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("path-pattern"), Values: []string{"/1", "/2", "/3", "/4", "/5", "/6"},
		}), Actions: []types.Action{fixed("200")}}, validation("'5' condition values")},
		{"six wildcards", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("path-pattern"), Values: []string{"/*/*/*", "/*/*/*"},
		}), Actions: []types.Action{fixed("200")}}, validation("wildcards")},
		{"legacy values on http-header", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("http-header"), Values: []string{"a"},
		}), Actions: []types.Action{fixed("200")}}, validation("only for 'host-header' and 'path-pattern'")},
		{"values and config", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("host-header"), Values: []string{"a"}, HostHeaderConfig: &types.HostHeaderConditionConfig{Values: []string{"b"}},
		}), Actions: []types.Action{fixed("200")}}, validation("both Values and a configuration")},
		{"config of another field", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("host-header"), PathPatternConfig: &types.PathPatternConditionConfig{Values: []string{"/b"}},
		}), Actions: []types.Action{fixed("200")}}, validation("cannot carry")},
		{"header without name", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("http-header"), HttpHeaderConfig: &types.HttpHeaderConditionConfig{Values: []string{"a"}},
		}), Actions: []types.Action{fixed("200")}}, validation("HttpHeaderName")},
		{"bad method", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("http-request-method"), HttpRequestMethodConfig: &types.HttpRequestMethodConditionConfig{Values: []string{"get"}},
		}), Actions: []types.Action{fixed("200")}}, validation("'get'")},
		{"bad CIDR", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("source-ip"), SourceIpConfig: &types.SourceIpConditionConfig{Values: []string{"10.0.0.1"}},
		}), Actions: []types.Action{fixed("200")}}, validation("CIDR")},
		{"query without value", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("query-string"), QueryStringConfig: &types.QueryStringConditionConfig{Values: []types.QueryStringKeyValuePair{{Key: aws.String("k")}}},
		}), Actions: []types.Action{fixed("200")}}, validation("needs a Value")},
		{"bad regex", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("path-pattern"), PathPatternConfig: &types.PathPatternConditionConfig{RegexValues: []string{"(["}},
		}), Actions: []types.Action{fixed("200")}}, validation("regular expression")},
		{"bad transform", &elbv2.CreateRuleInput{ListenerArn: aws.String(w.listener), Priority: aws.Int32(1), Conditions: cond(types.RuleCondition{
			Field: aws.String("path-pattern"), Values: []string{"/t"},
		}), Actions: []types.Action{fixed("200")}, Transforms: []types.RuleTransform{{Type: types.TransformTypeEnumUrlRewrite}}}, validation("UrlRewriteConfig")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.CreateRule(ctx, tc.in)
			tc.check(t, err)
		})
	}

	t.Run("transforms are kept", func(t *testing.T) {
		in := pathRule(w.listener, 20, "/old/*", fixed("200"))
		in.Transforms = []types.RuleTransform{{Type: types.TransformTypeEnumUrlRewrite, UrlRewriteConfig: &types.UrlRewriteConfig{
			Rewrites: []types.RewriteConfig{{Regex: aws.String("^/old/(.*)$"), Replace: aws.String("/new/$1")}},
		}}}
		r := must(e.c.CreateRule(ctx, in))(t).Rules[0]
		if !reflect.DeepEqual(r.Transforms, in.Transforms) {
			t.Errorf("Transforms = %+v", r.Transforms)
		}
		r = must(e.c.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: r.RuleArn, ResetTransforms: aws.Bool(true)}))(t).Rules[0]
		if r.Transforms != nil {
			t.Errorf("after reset: %+v", r.Transforms)
		}
	})
	t.Run("describe errors", func(t *testing.T) {
		_, err := e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{})
		validation("either listener ARN or rule ARNs")(t, err)
		_, err = e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(r.RuleArn) + "0"}})
		errOf[*types.RuleNotFoundException]("One or more rules not found")(t, err)
		_, err = e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(w.listener + "0")})
		errOf[*types.ListenerNotFoundException]("")(t, err)
	})
}

func TestTooManyRules(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	for i := int32(1); i <= 100; i++ {
		must(e.c.CreateRule(ctx, pathRule(w.listener, i, "/x", fixed("200"))))(t)
	}
	_, err := e.c.CreateRule(ctx, pathRule(w.listener, 101, "/x", fixed("200")))
	errOf[*types.TooManyRulesException]("100")(t, err)
}

func TestModifyAndDeleteRule(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	canary := e.tg(t, "canary")
	r := must(e.c.CreateRule(ctx, pathRule(w.listener, 1, "/a", fixed("200"))))(t).Rules[0]

	mod := must(e.c.ModifyRule(ctx, &elbv2.ModifyRuleInput{
		RuleArn:    r.RuleArn,
		Conditions: []types.RuleCondition{{Field: aws.String("host-header"), Values: []string{"b.example.com"}}},
		Actions:    []types.Action{forward(canary)},
	}))(t).Rules[0]
	if aws.ToString(mod.Conditions[0].Field) != "host-header" || aws.ToString(mod.Actions[0].TargetGroupArn) != canary || aws.ToString(mod.Priority) != "1" {
		t.Errorf("modified = %+v", mod)
	}
	tg := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{canary}}))(t).TargetGroups[0]
	if !slices.Equal(tg.LoadBalancerArns, []string{w.lb}) {
		t.Errorf("canary LoadBalancerArns = %v", tg.LoadBalancerArns)
	}

	rules := must(e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(w.listener)}))(t).Rules
	def := rules[len(rules)-1]
	_, err := e.c.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: def.RuleArn, Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/"}}}})
	errOf[*types.OperationNotPermittedException]("default rule")(t, err)
	// The default rule's actions are the listener's default actions.
	must(e.c.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: def.RuleArn, Actions: []types.Action{fixed("503")}}))(t)
	l := must(e.c.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{w.listener}}))(t).Listeners[0]
	if l.DefaultActions[0].Type != types.ActionTypeEnumFixedResponse {
		t.Errorf("listener default actions = %+v", l.DefaultActions)
	}
	tg = must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{w.tg}}))(t).TargetGroups[0]
	if len(tg.LoadBalancerArns) != 0 {
		t.Errorf("web target group still used by %v", tg.LoadBalancerArns)
	}

	_, err = e.c.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: aws.String(aws.ToString(r.RuleArn) + "0")})
	errOf[*types.RuleNotFoundException]("")(t, err)
	_, err = e.c.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: r.RuleArn, Actions: []types.Action{forward("arn:missing")}})
	errOf[*types.TargetGroupNotFoundException]("arn:missing")(t, err)
	_, err = e.c.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: r.RuleArn, ResetTransforms: aws.Bool(true), Transforms: []types.RuleTransform{}})
	validation("cannot be specified together")(t, err)

	_, err = e.c.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: def.RuleArn})
	errOf[*types.OperationNotPermittedException]("cannot be deleted")(t, err)
	must(e.c.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: r.RuleArn}))(t)
	_, err = e.c.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: r.RuleArn})
	errOf[*types.RuleNotFoundException]("")(t, err)
	tg = must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{canary}}))(t).TargetGroups[0]
	if len(tg.LoadBalancerArns) != 0 {
		t.Errorf("canary still used by %v after the rule was deleted", tg.LoadBalancerArns)
	}
}

func TestSetRulePriorities(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	a := must(e.c.CreateRule(ctx, pathRule(w.listener, 1, "/a", fixed("200"))))(t).Rules[0].RuleArn
	b := must(e.c.CreateRule(ctx, pathRule(w.listener, 2, "/b", fixed("200"))))(t).Rules[0].RuleArn
	c := must(e.c.CreateRule(ctx, pathRule(w.listener, 3, "/c", fixed("200"))))(t).Rules[0].RuleArn

	// Swapping two priorities is fine: the result is checked as a whole.
	out := must(e.c.SetRulePriorities(ctx, &elbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{
		{RuleArn: a, Priority: aws.Int32(2)}, {RuleArn: b, Priority: aws.Int32(1)},
	}}))(t)
	if len(out.Rules) != 2 || aws.ToString(out.Rules[0].Priority) != "2" || aws.ToString(out.Rules[1].Priority) != "1" {
		t.Errorf("SetRulePriorities = %+v", out.Rules)
	}
	rules := must(e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(w.listener)}))(t).Rules
	if aws.ToString(rules[0].RuleArn) != aws.ToString(b) || aws.ToString(rules[1].RuleArn) != aws.ToString(a) {
		t.Errorf("order after swap: %s, %s", aws.ToString(rules[0].RuleArn), aws.ToString(rules[1].RuleArn))
	}
	def := rules[len(rules)-1].RuleArn

	tests := []struct {
		name  string
		pairs []types.RulePriorityPair
		check errCheck
	}{
		{"conflict with an unchanged rule", []types.RulePriorityPair{{RuleArn: a, Priority: aws.Int32(3)}}, errOf[*types.PriorityInUseException]("Priority '3' is currently in use")},
		{"same priority twice", []types.RulePriorityPair{{RuleArn: a, Priority: aws.Int32(9)}, {RuleArn: c, Priority: aws.Int32(9)}}, validation("Priority '9' was provided multiple times")},
		{"same rule twice", []types.RulePriorityPair{{RuleArn: a, Priority: aws.Int32(8)}, {RuleArn: a, Priority: aws.Int32(9)}}, validation("provided multiple times")},
		{"default rule", []types.RulePriorityPair{{RuleArn: def, Priority: aws.Int32(9)}}, errOf[*types.OperationNotPermittedException]("default rule")},
		{"unknown rule", []types.RulePriorityPair{{RuleArn: aws.String(aws.ToString(a) + "0"), Priority: aws.Int32(9)}}, errOf[*types.RuleNotFoundException]("")},
		{"priority 0", []types.RulePriorityPair{{RuleArn: a, Priority: aws.Int32(0)}}, validation("greater than or equal to 1")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.SetRulePriorities(ctx, &elbv2.SetRulePrioritiesInput{RulePriorities: tc.pairs})
			tc.check(t, err)
		})
	}
	// Nothing changed by the failed calls.
	rules = must(e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(a), aws.ToString(c)}}))(t).Rules
	if aws.ToString(rules[0].Priority) != "2" || aws.ToString(rules[1].Priority) != "3" {
		t.Errorf("priorities after failures: %s, %s", aws.ToString(rules[0].Priority), aws.ToString(rules[1].Priority))
	}
}
