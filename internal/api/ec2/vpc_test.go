package ec2_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
)

func TestDefaultVPC(t *testing.T) {
	e := newEnv(t)
	vpcID, subnets, sg := ec2api.DefaultVPCIDs(account, region)
	if len(subnets) != 6 {
		t.Fatalf("%d default subnets in us-east-1, want 6", len(subnets))
	}
	vpcs := must(e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("is-default", "true")}}))(t).Vpcs
	if len(vpcs) != 1 || *vpcs[0].VpcId != vpcID || *vpcs[0].CidrBlock != "172.31.0.0/16" || !*vpcs[0].IsDefault {
		t.Fatalf("default VPC = %+v, want %s 172.31.0.0/16", vpcs, vpcID)
	}
	got := must(e.c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("vpc-id", vpcID), filter("default-for-az", "true")}}))(t).Subnets
	if len(got) != 6 {
		t.Fatalf("%d default subnets, want 6", len(got))
	}
	for i, sn := range got {
		wantCIDR := []string{"172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20", "172.31.48.0/20", "172.31.64.0/20", "172.31.80.0/20"}[i]
		if *sn.SubnetId != subnets[i] || *sn.CidrBlock != wantCIDR || !*sn.MapPublicIpOnLaunch || *sn.AvailabilityZone != "us-east-1"+string(rune('a'+i)) ||
			*sn.AvailabilityZoneId != "use1-az"+string(rune('1'+i)) || *sn.AvailableIpAddressCount != 4091 {
			t.Errorf("subnet %d = %s %s %s %s %d", i, *sn.SubnetId, *sn.CidrBlock, *sn.AvailabilityZone, *sn.AvailabilityZoneId, *sn.AvailableIpAddressCount)
		}
	}
	groups := must(e.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"default"}}))(t).SecurityGroups
	if len(groups) != 1 || *groups[0].GroupId != sg || len(groups[0].IpPermissionsEgress) != 1 || len(groups[0].IpPermissions) != 1 {
		t.Fatalf("default group = %+v", groups)
	}
	igws := must(e.c.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{filter("attachment.vpc-id", vpcID)}}))(t).InternetGateways
	if len(igws) != 1 {
		t.Fatalf("%d gateways attached to the default VPC", len(igws))
	}
	tables := must(e.c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("vpc-id", vpcID), filter("association.main", "true")}}))(t).RouteTables
	if len(tables) != 1 || len(tables[0].Routes) != 2 || *tables[0].Routes[1].GatewayId != *igws[0].InternetGatewayId {
		t.Fatalf("main table = %+v", tables)
	}
	// Stable across restarts: a new API derives the same IDs.
	again, _, _ := ec2api.DefaultVPCIDs(account, region)
	if again != vpcID || ec2api.New(ec2api.Options{Account: account}).VPCExists(region, vpcID) != true {
		t.Fatal("default VPC ID is not stable")
	}
	other, _, _ := ec2api.DefaultVPCIDs(account, "eu-west-1")
	if other == vpcID {
		t.Fatal("two regions share a default VPC ID")
	}
	attrs := must(e.c.DescribeAccountAttributes(ctx, &ec2.DescribeAccountAttributesInput{AttributeNames: []types.AccountAttributeName{types.AccountAttributeNameDefaultVpc}}))(t)
	if len(attrs.AccountAttributes) != 1 || *attrs.AccountAttributes[0].AttributeValues[0].AttributeValue != vpcID {
		t.Fatalf("default-vpc attribute = %+v", attrs.AccountAttributes)
	}
}

func TestVpcLifecycle(t *testing.T) {
	e := newEnv(t)
	out := must(e.c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true),
		TagSpecifications: tagSpec(types.ResourceTypeVpc, "Name", "main")}))(t)
	v := out.Vpc
	if len(*v.VpcId) != len("vpc-")+17 || v.State != types.VpcStatePending || *v.IsDefault || len(v.Ipv6CidrBlockAssociationSet) != 1 ||
		len(v.Tags) != 1 || *v.CidrBlockAssociationSet[0].CidrBlock != "10.0.0.0/16" || v.DhcpOptionsId == nil {
		t.Fatalf("CreateVpc = %+v", v)
	}
	got := must(e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("tag:Name", "ma*")}}))(t).Vpcs
	if len(got) != 1 || got[0].State != types.VpcStateAvailable {
		t.Fatalf("DescribeVpcs by tag = %+v", got)
	}
	attr := func(a types.VpcAttributeName) bool {
		o := must(e.c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: v.VpcId, Attribute: a}))(t)
		if a == types.VpcAttributeNameEnableDnsSupport {
			return *o.EnableDnsSupport.Value
		}
		return *o.EnableDnsHostnames.Value
	}
	if !attr(types.VpcAttributeNameEnableDnsSupport) || attr(types.VpcAttributeNameEnableDnsHostnames) {
		t.Fatal("new VPC: want DNS support on, hostnames off")
	}
	must(e.c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: v.VpcId, EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
	if !attr(types.VpcAttributeNameEnableDnsHostnames) {
		t.Fatal("ModifyVpcAttribute did not enable hostnames")
	}
	_, err := e.c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: v.VpcId})
	wantErr(t, err, "InvalidParameterCombination", "one attribute")

	sn := e.newSubnet(t, *v.VpcId, "10.0.1.0/24", "us-east-1a")
	_, err = e.c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: v.VpcId})
	wantErr(t, err, "DependencyViolation", "The vpc '"+*v.VpcId+"' has dependencies and cannot be deleted.")
	must(e.c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: &sn}))(t)
	must(e.c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: v.VpcId}))(t)
	_, err = e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{*v.VpcId}})
	wantErr(t, err, "InvalidVpcID.NotFound", "The vpc ID '"+*v.VpcId+"' does not exist")
	// The VPC's default group went with it.
	groups := must(e.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", *v.VpcId)}}))(t)
	if len(groups.SecurityGroups) != 0 {
		t.Fatalf("groups left after DeleteVpc: %+v", groups.SecurityGroups)
	}
}

func TestVpcErrors(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name       string
		call       func() error
		code, part string
	}{
		{"block too large", func() error {
			_, err := e.c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/8")})
			return err
		}, "InvalidVpc.Range", "The CIDR '10.0.0.0/8' is invalid."},
		{"block too small", func() error {
			_, err := e.c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/29")})
			return err
		}, "InvalidVpc.Range", "is invalid"},
		{"missing block", func() error {
			_, err := e.nv.CreateVpc(ctx, &ec2.CreateVpcInput{})
			return err
		}, "MissingParameter", "cidrBlock"},
		{"not found", func() error {
			_, err := e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-123"}})
			return err
		}, "InvalidVpcID.NotFound", "The vpc ID 'vpc-123' does not exist"},
		{"two not found", func() error {
			_, err := e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-1", "vpc-2"}})
			return err
		}, "InvalidVpcID.NotFound", "The vpc IDs 'vpc-1, vpc-2' do not exist"},
		{"malformed", func() error {
			_, err := e.c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String("subnet-1")})
			return err
		}, "InvalidVpcID.Malformed", `Invalid id: "subnet-1"`},
		{"unknown filter", func() error {
			_, err := e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("nope", "x")}})
			return err
		}, "InvalidParameterValue", "The filter 'nope' is invalid"},
		{"bad max results", func() error {
			_, err := e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(2)})
			return err
		}, "InvalidParameterValue", "maxResults"},
		{"bad attribute", func() error {
			_, err := e.c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String("vpc-1"), Attribute: "enableDnsSupport"})
			return err
		}, "InvalidVpcID.NotFound", "vpc-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.call(), c.code, c.part) })
	}
}

func TestDryRun(t *testing.T) {
	e := newEnv(t)
	_, err := e.c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), DryRun: aws.Bool(true)})
	wantErr(t, err, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
	if httpStatus(err) != http.StatusPreconditionFailed {
		t.Fatalf("DryRun status = %d, want 412", httpStatus(err))
	}
	vpcs := must(e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs
	if len(vpcs) != 1 {
		t.Fatalf("a dry run created a VPC: %d VPCs", len(vpcs))
	}
}

func TestPaging(t *testing.T) {
	e := newEnv(t)
	for _, c := range []string{"10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16", "10.5.0.0/16", "10.6.0.0/16"} {
		e.newVpc(t, c)
	}
	var seen []string
	var token *string
	for {
		out := must(e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(5), NextToken: token}))(t)
		for _, v := range out.Vpcs {
			seen = append(seen, *v.VpcId)
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if len(seen) != 7 {
		t.Fatalf("paged %d VPCs, want 7", len(seen))
	}
	_, err := e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(5), NextToken: aws.String("garbage")})
	wantErr(t, err, "InvalidPaginationToken", "garbage")
}
