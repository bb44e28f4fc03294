package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestSubnetCIDRChecks(t *testing.T) {
	e := newEnv(t)
	vpc := e.newVpc(t, "10.0.0.0/16")
	e.newSubnet(t, vpc, "10.0.1.0/24", "us-east-1a")
	cases := []struct {
		cidr, zone string
		code, part string
	}{
		{"10.1.0.0/24", "us-east-1a", "InvalidSubnet.Range", "The CIDR '10.1.0.0/24' is invalid."},
		{"10.0.0.0/15", "us-east-1a", "InvalidSubnet.Range", "is invalid"},
		{"10.0.2.0/29", "us-east-1a", "InvalidSubnet.Range", "is invalid"},
		{"not-a-cidr", "us-east-1a", "InvalidSubnet.Range", "is invalid"},
		{"10.0.1.128/25", "us-east-1b", "InvalidSubnet.Conflict", "The CIDR '10.0.1.128/25' conflicts with another subnet"},
		{"10.0.0.0/20", "us-east-1b", "InvalidSubnet.Conflict", "conflicts with another subnet"},
		{"10.0.2.0/24", "us-east-1z", "InvalidParameterValue", "us-east-1a, us-east-1b"},
	}
	for _, c := range cases {
		t.Run(c.cidr, func(t *testing.T) {
			_, err := e.c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String(c.cidr), AvailabilityZone: aws.String(c.zone)})
			wantErr(t, err, c.code, c.part)
		})
	}
	_, err := e.c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String("vpc-00000000000000000"), CidrBlock: aws.String("10.0.9.0/24")})
	wantErr(t, err, "InvalidVpcID.NotFound", "vpc-00000000000000000")
}

func TestSubnetLifecycle(t *testing.T) {
	e := newEnv(t)
	vpc := e.newVpc(t, "10.0.0.0/16")
	out := must(e.c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZoneId: aws.String("use1-az2"),
		TagSpecifications: tagSpec(types.ResourceTypeSubnet, "Name", "private-1")}))(t)
	sn := out.Subnet
	if *sn.AvailabilityZone != "us-east-1b" || *sn.AvailableIpAddressCount != 251 || *sn.DefaultForAz || *sn.MapPublicIpOnLaunch || len(sn.Tags) != 1 {
		t.Fatalf("CreateSubnet = %+v", sn)
	}
	must(e.c.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: sn.SubnetId, MapPublicIpOnLaunch: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
	cases := []struct {
		name    string
		filters []types.Filter
		want    int
	}{
		{"vpc", []types.Filter{filter("vpc-id", vpc)}, 1},
		{"public", []types.Filter{filter("vpc-id", vpc), filter("map-public-ip-on-launch", "true")}, 1},
		{"zone wildcard", []types.Filter{filter("availability-zone", "us-east-1?")}, 7},
		{"cidr", []types.Filter{filter("cidr-block", "10.0.*")}, 1},
		{"tag key", []types.Filter{filter("tag-key", "Name")}, 1},
		{"tag value miss", []types.Filter{filter("tag:Name", "public-*")}, 0},
		{"default for az", []types.Filter{filter("default-for-az", "true")}, 6},
		{"state", []types.Filter{filter("state", "available"), filter("subnet-id", *sn.SubnetId)}, 1},
		{"ip count", []types.Filter{filter("available-ip-address-count", "251")}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := must(e.c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: c.filters}))(t).Subnets
			if len(got) != c.want {
				t.Fatalf("%d subnets, want %d", len(got), c.want)
			}
		})
	}
	eni := must(e.c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sn.SubnetId}))(t).NetworkInterface
	_, err := e.c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: sn.SubnetId})
	wantErr(t, err, "DependencyViolation", "The subnet '"+*sn.SubnetId+"' has dependencies and cannot be deleted.")
	must(e.c.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: eni.NetworkInterfaceId}))(t)
	must(e.c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: sn.SubnetId}))(t)
	_, err = e.c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{*sn.SubnetId}})
	wantErr(t, err, "InvalidSubnetID.NotFound", "The subnet ID '"+*sn.SubnetId+"' does not exist")
	_, err = e.c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String("sg-1")})
	wantErr(t, err, "InvalidSubnetID.Malformed", `"sg-1"`)
}

func TestZonesAndRegions(t *testing.T) {
	e := newEnv(t)
	zones := must(e.c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}))(t).AvailabilityZones
	if len(zones) != 6 || *zones[0].ZoneName != "us-east-1a" || *zones[0].ZoneId != "use1-az1" || zones[0].State != types.AvailabilityZoneStateAvailable {
		t.Fatalf("zones = %+v", zones)
	}
	one := must(e.c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{Filters: []types.Filter{filter("zone-id", "use1-az3")}}))(t).AvailabilityZones
	if len(one) != 1 || *one[0].ZoneName != "us-east-1c" {
		t.Fatalf("zone by ID = %+v", one)
	}
	_, err := e.c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"us-east-1z"}})
	wantErr(t, err, "InvalidParameterValue", "us-east-1z")
	eu := ec2.New(e.c.Options(), func(o *ec2.Options) { o.Region = "ap-southeast-2" })
	euZones := must(eu.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}))(t).AvailabilityZones
	if len(euZones) != 3 || *euZones[1].ZoneId != "apse2-az2" {
		t.Fatalf("ap-southeast-2 zones = %+v", euZones)
	}
	regions := must(e.c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{RegionNames: []string{"eu-west-1"}}))(t).Regions
	if len(regions) != 1 || *regions[0].Endpoint != "ec2.eu-west-1.amazonaws.com" {
		t.Fatalf("regions = %+v", regions)
	}
	_, err = e.c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{RegionNames: []string{"mars-1"}})
	wantErr(t, err, "InvalidParameterValue", "mars-1")
}
