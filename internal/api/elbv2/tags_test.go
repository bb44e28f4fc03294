package elbv2_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func TestTags(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	rule := aws.ToString(must(e.c.CreateRule(ctx, pathRule(w.listener, 1, "/a", fixed("200"))))(t).Rules[0].RuleArn)
	all := []string{w.lb, w.tg, w.listener, rule}

	must(e.c.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: all, Tags: []types.Tag{tag("env", "dev"), tag("team", "")}}))(t)
	must(e.c.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: all[:1], Tags: []types.Tag{tag("env", "prod")}}))(t)
	must(e.c.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: all[1:2], TagKeys: []string{"team", "absent"}}))(t)

	out := must(e.c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: all}))(t)
	want := []types.TagDescription{
		{ResourceArn: aws.String(w.lb), Tags: []types.Tag{tag("env", "prod"), tag("team", "")}},
		{ResourceArn: aws.String(w.tg), Tags: []types.Tag{tag("env", "dev")}},
		{ResourceArn: aws.String(w.listener), Tags: []types.Tag{tag("env", "dev"), tag("team", "")}},
		{ResourceArn: aws.String(rule), Tags: []types.Tag{tag("env", "dev"), tag("team", "")}},
	}
	if !reflect.DeepEqual(out.TagDescriptions, want) {
		t.Errorf("tags:\n got %+v\nwant %+v", out.TagDescriptions, want)
	}

	fifty := make([]types.Tag, 49)
	for i := range fifty {
		fifty[i] = tag(fmt.Sprintf("k%d", i), "v")
	}
	tests := []struct {
		name  string
		call  func() error
		check errCheck
	}{
		{"duplicate keys", func() error {
			_, err := e.c.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: all[:1], Tags: []types.Tag{tag("a", "1"), tag("a", "2")}})
			return err
		}, errOf[*types.DuplicateTagKeysException]("'a'")},
		{"too many", func() error {
			_, err := e.c.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: all[:1], Tags: fifty})
			return err
		}, errOf[*types.TooManyTagsException]("50")},
		{"unknown load balancer", func() error {
			_, err := e.c.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{w.lb + "0"}, Tags: []types.Tag{tag("a", "1")}})
			return err
		}, errOf[*types.LoadBalancerNotFoundException]("")},
		{"unknown target group", func() error {
			_, err := e.c.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: []string{w.tg + "0"}, TagKeys: []string{"a"}})
			return err
		}, errOf[*types.TargetGroupNotFoundException]("")},
		{"unknown listener", func() error {
			_, err := e.c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{w.listener + "0"}})
			return err
		}, errOf[*types.ListenerNotFoundException]("")},
		{"unknown rule", func() error {
			_, err := e.c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{rule + "0"}})
			return err
		}, errOf[*types.RuleNotFoundException]("")},
		{"trust store", func() error {
			_, err := e.c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{"arn:aws:elasticloadbalancing:us-east-1:000000000000:truststore/ts/1"}})
			return err
		}, errOf[*types.TrustStoreNotFoundException]("")},
		{"not an ELB ARN", func() error {
			_, err := e.c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{"arn:aws:s3:::bucket"}})
			return err
		}, validation("not a valid")},
		{"reserved prefix", func() error {
			_, err := e.c.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: all[:1], Tags: []types.Tag{tag("aws:cloudformation:stack-name", "x")}})
			return err
		}, validation("reserved")},
		{"empty key", func() error {
			_, err := e.c.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: all[:1], Tags: []types.Tag{tag("", "x")}})
			return err
		}, validation("length")},
		{"no tags", func() error {
			_, err := e.nv.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: all[:1]})
			return err
		}, validation("tags")},
		{"no keys", func() error {
			_, err := e.nv.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: all[:1]})
			return err
		}, validation("tagKeys")},
		{"no resources", func() error {
			_, err := e.nv.DescribeTags(ctx, &elbv2.DescribeTagsInput{})
			return err
		}, validation("resourceArns")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, tc.call()) })
	}
	// A failed AddTags changed nothing anywhere.
	if got := must(e.c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: all[:1]}))(t).TagDescriptions[0].Tags; len(got) != 2 {
		t.Errorf("tags after failures = %+v", got)
	}
}

func TestAccountLimitsAndSSLPolicies(t *testing.T) {
	e := newEnv(t)
	p := elbv2.NewDescribeAccountLimitsPaginator(e.c, &elbv2.DescribeAccountLimitsInput{PageSize: aws.Int32(5)})
	limits := map[string]string{}
	for p.HasMorePages() {
		for _, l := range must(p.NextPage(ctx))(t).Limits {
			limits[aws.ToString(l.Name)] = aws.ToString(l.Max)
		}
	}
	if limits["application-load-balancers"] != "50" || limits["targets-per-target-group"] != "1000" || limits["rules-per-application-load-balancer"] != "100" {
		t.Errorf("limits = %v", limits)
	}

	all := must(e.c.DescribeSSLPolicies(ctx, &elbv2.DescribeSSLPoliciesInput{}))(t).SslPolicies
	if len(all) < 2 || aws.ToString(all[0].Name) != "ELBSecurityPolicy-2016-08" || len(all[0].Ciphers) == 0 || aws.ToInt32(all[0].Ciphers[0].Priority) != 1 {
		t.Errorf("policies = %+v", all)
	}
	one := must(e.c.DescribeSSLPolicies(ctx, &elbv2.DescribeSSLPoliciesInput{Names: []string{"ELBSecurityPolicy-TLS13-1-2-2021-06"}, LoadBalancerType: types.LoadBalancerTypeEnumApplication}))(t).SslPolicies
	if len(one) != 1 || !reflect.DeepEqual(one[0].SslProtocols, []string{"TLSv1.2", "TLSv1.3"}) {
		t.Errorf("TLS 1.3 policy = %+v", one)
	}
	_, err := e.c.DescribeSSLPolicies(ctx, &elbv2.DescribeSSLPoliciesInput{Names: []string{"Custom"}})
	errOf[*types.SSLPolicyNotFoundException]("Custom")(t, err)
}
