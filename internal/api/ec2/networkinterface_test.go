package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestNetworkInterfaces(t *testing.T) {
	e := newEnv(t)
	vpc := e.newVpc(t, "10.0.0.0/16")
	sn := e.newSubnet(t, vpc, "10.0.1.0/24", "us-east-1b")
	sg := e.newGroup(t, vpc, "svc")
	eni := must(e.c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &sn, Groups: []string{sg}, Description: aws.String("mine"),
		TagSpecifications: tagSpec(types.ResourceTypeNetworkInterface, "Name", "x")}))(t).NetworkInterface
	if *eni.PrivateIpAddress != "10.0.1.4" || *eni.PrivateDnsName != "ip-10-0-1-4.ec2.internal" || len(*eni.MacAddress) != 17 || (*eni.MacAddress)[:3] != "02:" ||
		eni.InterfaceType != types.NetworkInterfaceTypeInterface || *eni.AvailabilityZone != "us-east-1b" || len(eni.TagSet) != 1 {
		t.Fatalf("CreateNetworkInterface = %+v", eni)
	}
	fixed := must(e.c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &sn, PrivateIpAddress: aws.String("10.0.1.50")}))(t).NetworkInterface
	_, err := e.c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &sn, PrivateIpAddress: aws.String("10.0.1.50")})
	wantErr(t, err, "InvalidIPAddress.InUse", "10.0.1.50")
	_, err = e.c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &sn, PrivateIpAddress: aws.String("10.0.2.50")})
	wantErr(t, err, "InvalidParameterValue", "does not fall within the subnet's address range")
	_, _, defaultSG := defaultVPC()
	_, err = e.c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &sn, Groups: []string{defaultSG}})
	wantErr(t, err, "InvalidParameter", "belong to different networks")
	for name, c := range map[string]struct {
		f    []types.Filter
		want int
	}{
		"subnet":    {[]types.Filter{filter("subnet-id", sn)}, 2},
		"address":   {[]types.Filter{filter("addresses.private-ip-address", "10.0.1.50")}, 1},
		"group":     {[]types.Filter{filter("group-id", sg)}, 1},
		"wildcards": {[]types.Filter{filter("private-dns-name", "ip-10-0-1-?.ec2.internal")}, 1},
		"status":    {[]types.Filter{filter("status", "available"), filter("vpc-id", vpc)}, 2},
	} {
		got := must(e.c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: c.f}))(t).NetworkInterfaces
		if len(got) != c.want {
			t.Errorf("%s: %d interfaces, want %d", name, len(got), c.want)
		}
	}
	sub := must(e.c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{sn}}))(t).Subnets[0]
	if *sub.AvailableIpAddressCount != 249 {
		t.Fatalf("available addresses = %d, want 249", *sub.AvailableIpAddressCount)
	}
	must(e.c.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: fixed.NetworkInterfaceId}))(t)
	_, err = e.c.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: fixed.NetworkInterfaceId})
	wantErr(t, err, "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '"+*fixed.NetworkInterfaceId+"' does not exist")
	_, err = e.c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: &sg})
	wantErr(t, err, "DependencyViolation", sg)
}

// TestTaskInterfaces is what ECS does for an awsvpc task: check its
// configuration, give it an interface, take it away when it stops.
func TestTaskInterfaces(t *testing.T) {
	e := newEnv(t)
	vpc := e.newVpc(t, "10.0.0.0/16")
	a := e.newSubnet(t, vpc, "10.0.1.0/24", "us-east-1a")
	sg := e.newGroup(t, vpc, "task")
	_, defaults, defaultSG := defaultVPC()

	if kind, err := e.api.CheckAwsvpc(region, []string{a}, []string{sg}); err != nil {
		t.Fatalf("CheckAwsvpc = %s %v", kind, err)
	}
	kind, err := e.api.CheckAwsvpc(region, []string{"subnet-00000000000000000"}, nil)
	if kind != "subnet" {
		t.Fatalf("kind = %q", kind)
	}
	wantErr(t, err, "InvalidSubnetID.NotFound", "The subnet ID 'subnet-00000000000000000' does not exist")
	kind, err = e.api.CheckAwsvpc(region, []string{a}, []string{"sg-00000000000000000"})
	if kind != "security group" {
		t.Fatalf("kind = %q", kind)
	}
	wantErr(t, err, "InvalidGroup.NotFound", "sg-00000000000000000")
	_, err = e.api.CheckAwsvpc(region, []string{a, defaults[0]}, nil)
	wantErr(t, err, "InvalidParameterValue", "belong to different networks")
	_, err = e.api.CheckAwsvpc(region, []string{a}, []string{defaultSG})
	wantErr(t, err, "InvalidParameterValue", "belong to different networks")

	desc := "arn:aws:ecs:us-east-1:000000000000:attachment/0f0e"
	eni, err := e.api.CreateTaskInterface(region, a, []string{sg}, "", "", desc)
	if err != nil {
		t.Fatal(err)
	}
	if !*eni.RequesterManaged || eni.Status != types.NetworkInterfaceStatusInUse || *eni.Description != desc || *eni.PrivateIpAddress != "10.0.1.4" {
		t.Fatalf("task interface = %+v", eni)
	}
	got := must(e.c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{filter("private-ip-address", "10.0.1.4"), filter("requester-managed", "true")}}))(t).NetworkInterfaces
	if len(got) != 1 || *got[0].NetworkInterfaceId != *eni.NetworkInterfaceId || *got[0].Groups[0].GroupId != sg {
		t.Fatalf("DescribeNetworkInterfaces = %+v", got)
	}
	// A task's interface shows the task's real address and MAC (its
	// container network's) and still uses one address of the subnet.
	docker, err := e.api.CreateTaskInterface(region, a, nil, "172.18.0.5", "02:42:ac:12:00:05", desc)
	if err != nil {
		t.Fatal(err)
	}
	if *docker.PrivateIpAddress != "172.18.0.5" || *docker.MacAddress != "02:42:ac:12:00:05" || *docker.PrivateDnsName != "ip-172-18-0-5.ec2.internal" ||
		*docker.PrivateIpAddresses[0].PrivateIpAddress != "172.18.0.5" || *docker.Groups[0].GroupName != "default" {
		t.Fatalf("task interface with its Docker address = %+v", docker)
	}
	count := func() int32 {
		return *must(e.c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{a}}))(t).Subnets[0].AvailableIpAddressCount
	}
	if n := count(); n != 249 {
		t.Fatalf("available addresses with two task interfaces = %d, want 249", n)
	}
	if err := e.api.DeleteInterface(region, *docker.NetworkInterfaceId); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 250 {
		t.Fatalf("available addresses after deleting one = %d, want 250", n)
	}
	_, err = e.api.CreateTaskInterface(region, a, nil, "not-an-ip", "", desc)
	wantErr(t, err, "InvalidParameterValue", "not-an-ip")
	_, err = e.c.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: eni.NetworkInterfaceId})
	wantErr(t, err, "InvalidNetworkInterface.InUse", *eni.NetworkInterfaceId)
	if err := e.api.DeleteInterface(region, *eni.NetworkInterfaceId); err != nil {
		t.Fatal(err)
	}
	err = e.api.DeleteInterface(region, *eni.NetworkInterfaceId)
	wantErr(t, err, "InvalidNetworkInterfaceID.NotFound", *eni.NetworkInterfaceId)

	// The other lookups.
	if v, err := e.api.Vpc(region, vpc); err != nil || *v.CidrBlock != "10.0.0.0/16" {
		t.Fatalf("Vpc = %+v, %v", v, err)
	}
	if s, err := e.api.Subnet(region, a); err != nil || *s.VpcId != vpc {
		t.Fatalf("Subnet = %+v, %v", s, err)
	}
	if g, err := e.api.SecurityGroup(region, sg); err != nil || *g.GroupName != "task" {
		t.Fatalf("SecurityGroup = %+v, %v", g, err)
	}
	if vpcs, err := e.api.SecurityGroupVPCs(region, []string{sg}); err != nil || vpcs[sg] != vpc {
		t.Fatalf("SecurityGroupVPCs = %v, %v", vpcs, err)
	}
	if e.api.DefaultSecurityGroup(region, "vpc-0") != "" || e.api.DefaultSecurityGroup(region, vpc) == "" || e.api.VPCExists(region, "vpc-0") {
		t.Fatal("DefaultSecurityGroup/VPCExists answered wrong")
	}
	// Typed operations are callable in process (CloudFormation's providers).
	if _, err := e.api.Store(region).CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.2.0/24")}); err != nil {
		t.Fatal(err)
	}
}
