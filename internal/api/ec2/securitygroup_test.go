package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
)

func tcp(port int32, cidr string) types.IpPermission {
	return types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port), IpRanges: []types.IpRange{{CidrIp: aws.String(cidr)}}}
}

func TestSecurityGroups(t *testing.T) {
	e := newEnv(t)
	vpc := e.newVpc(t, "10.0.0.0/16")
	web := must(e.c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: aws.String("web"), Description: aws.String("web tier"),
		TagSpecifications: tagSpec(types.ResourceTypeSecurityGroup, "tier", "web")}))(t)
	if len(*web.GroupId) != len("sg-")+17 || web.SecurityGroupArn == nil || len(web.Tags) != 1 {
		t.Fatalf("CreateSecurityGroup = %+v", web)
	}
	_, err := e.c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: aws.String("web"), Description: aws.String("again")})
	wantErr(t, err, "InvalidGroup.Duplicate", "The security group 'web' already exists for VPC '"+vpc+"'")
	db := e.newGroup(t, vpc, "db")

	// Ingress: a CIDR, an IPv6 range, a prefix list and a group pair.
	auth := must(e.c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: web.GroupId, IpPermissions: []types.IpPermission{
		tcp(443, "0.0.0.0/0"),
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}},
		{IpProtocol: aws.String("6"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-63a5400a")}}},
	}}))(t)
	if !*auth.Return || len(auth.SecurityGroupRules) != 3 || len(*auth.SecurityGroupRules[0].SecurityGroupRuleId) != len("sgr-")+17 || *auth.SecurityGroupRules[2].IpProtocol != "tcp" {
		t.Fatalf("Authorize = %+v", auth)
	}
	must(e.c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &db, IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: web.GroupId, Description: aws.String("from web")}}},
	}}))(t)
	_, err = e.c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: web.GroupId, IpPermissions: []types.IpPermission{tcp(443, "0.0.0.0/0")}})
	wantErr(t, err, "InvalidPermission.Duplicate", `the specified rule "peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW" already exists`)
	must(e.c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: web.GroupId, IpPermissions: []types.IpPermission{tcp(5432, "10.0.0.0/16")}}))(t)

	g := must(e.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{*web.GroupId}}))(t).SecurityGroups[0]
	if len(g.IpPermissions) != 2 || len(g.IpPermissions[0].IpRanges) != 1 || len(g.IpPermissions[0].Ipv6Ranges) != 1 || len(g.IpPermissionsEgress) != 2 {
		t.Fatalf("web permissions = %+v / %+v", g.IpPermissions, g.IpPermissionsEgress)
	}
	if g.IpPermissionsEgress[0].FromPort != nil || *g.IpPermissionsEgress[0].IpProtocol != "-1" {
		t.Fatalf("default egress rule = %+v", g.IpPermissionsEgress[0])
	}
	for name, c := range map[string]struct {
		f    []types.Filter
		want int
	}{
		"by name":       {[]types.Filter{filter("group-name", "web", "db")}, 2},
		"by vpc":        {[]types.Filter{filter("vpc-id", vpc)}, 3},
		"by port":       {[]types.Filter{filter("ip-permission.from-port", "5432")}, 1},
		"by peer group": {[]types.Filter{filter("ip-permission.group-id", *web.GroupId)}, 1},
		"by egress":     {[]types.Filter{filter("egress.ip-permission.cidr", "10.0.0.0/16")}, 1},
		"by tag":        {[]types.Filter{filter("tag:tier", "w*")}, 1},
	} {
		got := must(e.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: c.f}))(t).SecurityGroups
		if len(got) != c.want {
			t.Errorf("%s: %d groups, want %d", name, len(got), c.want)
		}
	}

	rules := must(e.c.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{filter("group-id", *web.GroupId)}}))(t).SecurityGroupRules
	if len(rules) != 5 {
		t.Fatalf("%d rules of web, want 5", len(rules))
	}
	first := *auth.SecurityGroupRules[0].SecurityGroupRuleId
	must(e.c.ModifySecurityGroupRules(ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: web.GroupId, SecurityGroupRules: []types.SecurityGroupRuleUpdate{{
		SecurityGroupRuleId: &first, SecurityGroupRule: &types.SecurityGroupRuleRequest{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(8443), ToPort: aws.Int32(8443), CidrIpv4: aws.String("10.0.0.0/8")},
	}}}))(t)
	must(e.c.UpdateSecurityGroupRuleDescriptionsIngress(ctx, &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: web.GroupId,
		SecurityGroupRuleDescriptions: []types.SecurityGroupRuleDescription{{SecurityGroupRuleId: &first, Description: aws.String("tls")}}}))(t)
	must(e.c.UpdateSecurityGroupRuleDescriptionsEgress(ctx, &ec2.UpdateSecurityGroupRuleDescriptionsEgressInput{GroupId: web.GroupId,
		IpPermissions: []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/16"), Description: aws.String("db")}}}}}))(t)
	r := must(e.c.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{first}}))(t).SecurityGroupRules[0]
	if *r.FromPort != 8443 || *r.CidrIpv4 != "10.0.0.0/8" || *r.Description != "tls" {
		t.Fatalf("modified rule = %+v", r)
	}

	// Revoke by permission and by rule ID.
	_, err = e.c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: web.GroupId, IpPermissions: []types.IpPermission{tcp(22, "0.0.0.0/0")}})
	wantErr(t, err, "InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
	rev := must(e.c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: web.GroupId, SecurityGroupRuleIds: []string{first}}))(t)
	if len(rev.RevokedSecurityGroupRules) != 1 {
		t.Fatalf("revoked = %+v", rev.RevokedSecurityGroupRules)
	}
	must(e.c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: web.GroupId, IpPermissions: []types.IpPermission{tcp(5432, "10.0.0.0/16")}}))(t)

	// web is referenced by db's rule; the default group cannot go.
	_, err = e.c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: web.GroupId})
	wantErr(t, err, "DependencyViolation", "resource "+*web.GroupId+" has a dependent object")
	must(e.c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: &db}))(t)
	must(e.c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: web.GroupId}))(t)
	_, _, defaultSG := ec2api.DefaultVPCIDs(account, region)
	_, err = e.c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: &defaultSG})
	wantErr(t, err, "CannotDelete", `name: "default" cannot be deleted by a user`)
}

func TestSecurityGroupErrors(t *testing.T) {
	e := newEnv(t)
	vpc := e.newVpc(t, "10.0.0.0/16")
	sg := e.newGroup(t, vpc, "app")
	cases := []struct {
		name       string
		call       func() error
		code, part string
	}{
		{"reserved name", func() error {
			_, err := e.c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: aws.String("default"), Description: aws.String("x")})
			return err
		}, "InvalidGroup.Reserved", "default"},
		{"missing description", func() error {
			_, err := e.nv.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("x")})
			return err
		}, "MissingParameter", "groupDescription"},
		{"unknown group", func() error {
			_, err := e.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-1"}})
			return err
		}, "InvalidGroup.NotFound", "The security group 'sg-1' does not exist"},
		{"unknown name in default VPC", func() error {
			_, err := e.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"nope"}})
			return err
		}, "InvalidGroup.NotFound", "does not exist in default VPC"},
		{"malformed", func() error {
			_, err := e.c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String("vpc-1")})
			return err
		}, "InvalidGroupId.Malformed", "vpc-1"},
		{"tcp without ports", func() error {
			_, err := e.c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &sg, IpPermissions: []types.IpPermission{{IpProtocol: aws.String("tcp"), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}})
			return err
		}, "InvalidParameterValue", "portRange"},
		{"bad cidr", func() error {
			_, err := e.c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &sg, IpPermissions: []types.IpPermission{tcp(22, "300.0.0.0/0")}})
			return err
		}, "InvalidParameterValue", "300.0.0.0/0"},
		{"unknown peer group", func() error {
			_, err := e.c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &sg, IpPermissions: []types.IpPermission{{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String("sg-0000000000000000a")}}}}})
			return err
		}, "InvalidGroup.NotFound", "sg-0000000000000000a"},
		{"unknown prefix list", func() error {
			_, err := e.c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: &sg, IpPermissions: []types.IpPermission{{IpProtocol: aws.String("-1"), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-1")}}}}})
			return err
		}, "InvalidPrefixListID.NotFound", "pl-1"},
		{"unknown rule", func() error {
			_, err := e.c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: &sg, SecurityGroupRuleIds: []string{"sgr-1"}})
			return err
		}, "InvalidSecurityGroupRuleId.NotFound", "sgr-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.call(), c.code, c.part) })
	}
	// The flat parameters of older clients still work.
	must(e.c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &sg, IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("10.0.0.0/8")}))(t)
}
