package ec2_test

import (
	"io"
	"log/slog"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/state"
)

// snapshot is everything Describe shows of a region.
type snapshot struct {
	Vpcs       []types.Vpc
	Subnets    []types.Subnet
	Groups     []types.SecurityGroup
	Rules      []types.SecurityGroupRule
	Tables     []types.RouteTable
	Gateways   []types.InternetGateway
	Nats       []types.NatGateway
	Addresses  []types.Address
	Interfaces []types.NetworkInterface
	Keys       []types.KeyPairInfo
	Endpoints  []types.VpcEndpoint
	Instances  []types.Reservation
	Tags       []types.TagDescription
	DNS        *types.AttributeBooleanValue
}

func (e *env) snapshot(t *testing.T, vpc string) snapshot {
	t.Helper()
	return snapshot{
		Vpcs:       must(e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs,
		Subnets:    must(e.c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{}))(t).Subnets,
		Groups:     must(e.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{}))(t).SecurityGroups,
		Rules:      must(e.c.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{}))(t).SecurityGroupRules,
		Tables:     must(e.c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{}))(t).RouteTables,
		Gateways:   must(e.c.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{}))(t).InternetGateways,
		Nats:       must(e.c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{}))(t).NatGateways,
		Addresses:  must(e.c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}))(t).Addresses,
		Interfaces: must(e.c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{}))(t).NetworkInterfaces,
		Keys:       must(e.c.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{}))(t).KeyPairs,
		Endpoints:  must(e.c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{}))(t).VpcEndpoints,
		Instances:  must(e.c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}))(t).Reservations,
		Tags:       must(e.c.DescribeTags(ctx, &ec2.DescribeTagsInput{}))(t).Tags,
		DNS: must(e.c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: &vpc,
			Attribute: types.VpcAttributeNameEnableDnsHostnames}))(t).EnableDnsHostnames,
	}
}

// restart closes e's state directory and serves a new API restored from
// it, at e's time.
func (e *env) restart(t *testing.T, dir string) *env {
	t.Helper()
	e.closeState(t)
	next := newEnvAt(t, dir, true)
	next.clock.Advance(e.clock.Now().Sub(next.clock.Now()))
	return next
}

// TestRestoreAfterRestart builds one of each resource, changes and deletes
// some, restarts on the same state directory and compares what Describe
// shows.
func TestRestoreAfterRestart(t *testing.T) {
	dir := t.TempDir()
	e := newEnvAt(t, dir, false)
	_, defaultSubnets, defaultGroup := defaultVPC()

	vpc := *must(e.c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tagSpec(types.ResourceTypeVpc, "Name", "app")}))(t).Vpc.VpcId
	must(e.c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: &vpc, EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
	public := e.newSubnet(t, vpc, "10.0.0.0/24", "us-east-1a")
	must(e.c.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: &public, MapPublicIpOnLaunch: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
	private := e.newSubnet(t, vpc, "10.0.1.0/24", "us-east-1b")
	sg := e.newGroup(t, vpc, "web")
	must(e.c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &sg, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("https")}},
	}}, TagSpecifications: tagSpec(types.ResourceTypeSecurityGroupRule, "rule", "https")}))(t)
	igw := *must(e.c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{}))(t).InternetGateway.InternetGatewayId
	must(e.c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc}))(t)
	table := *must(e.c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc}))(t).RouteTable.RouteTableId
	must(e.c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw}))(t)
	must(e.c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &table, SubnetId: &public}))(t)
	natIP := must(e.c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc}))(t)
	nat := *must(e.c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: &public, AllocationId: natIP.AllocationId}))(t).NatGateway.NatGatewayId
	e.clock.Advance(time.Second) // the NAT gateway becomes available
	eni := must(e.c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &private, Groups: []string{sg}}))(t).NetworkInterface
	eniIP := must(e.c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc, TagSpecifications: tagSpec(types.ResourceTypeElasticIp, "use", "eni")}))(t)
	must(e.c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: eniIP.AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId}))(t)
	must(e.c.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("ops")}))(t)
	must(e.c.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("gone")}))(t)
	must(e.c.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyName: aws.String("gone")}))(t)
	must(e.c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: &vpc, ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{table}}))(t)
	run := must(e.c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		KeyName: aws.String("ops"), SubnetId: &public, TagSpecifications: tagSpec(types.ResourceTypeInstance, "Name", "worker")}))(t)
	must(e.c.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*run.Instances[0].InstanceId}}))(t) // stopping at the restart
	must(e.c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{defaultGroup, nat}, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}))(t)
	gone := e.newVpc(t, "10.9.0.0/16")
	must(e.c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &gone}))(t)
	must(e.c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: &defaultSubnets[5]}))(t) // a default resource, deleted

	before := e.snapshot(t, vpc)
	e = e.restart(t, dir)
	if after := e.snapshot(t, vpc); !reflect.DeepEqual(after, before) {
		t.Fatalf("after restart:\n%+v\nbefore:\n%+v", after, before)
	}
	if slices.ContainsFunc(e.snapshot(t, vpc).Subnets, func(s types.Subnet) bool { return *s.SubnetId == defaultSubnets[5] }) {
		t.Fatal("the deleted default subnet is back")
	}

	// Time goes on from the stored transition times: the instance stops.
	e.clock.Advance(time.Second)
	res := must(e.c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}))(t).Reservations
	if st := res[0].Instances[0].State.Name; st != types.InstanceStateNameStopped {
		t.Fatalf("instance after restart = %s, want stopped", st)
	}
	// New public addresses follow the old ones.
	again := must(e.c.AllocateAddress(ctx, &ec2.AllocateAddressInput{}))(t)
	for _, a := range before.Addresses {
		if *a.PublicIp == *again.PublicIp {
			t.Fatalf("public address %s handed out again", *again.PublicIp)
		}
	}
	if *run.Instances[0].PublicIpAddress == *again.PublicIp {
		t.Fatalf("public address %s handed out again", *again.PublicIp)
	}
}

// TestRestoreRegions: the default VPC comes back once, and a region never
// used is seeded on its first use after a restart.
func TestRestoreRegions(t *testing.T) {
	dir := t.TempDir()
	e := newEnvAt(t, dir, false)
	before := must(e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs
	e = e.restart(t, dir)
	if after := must(e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs; !reflect.DeepEqual(after, before) || len(after) != 1 {
		t.Fatalf("default VPCs after restart = %+v, before %+v", after, before)
	}
	other, _ := e.api.Store("eu-west-1").DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if len(other.Vpcs) != 1 || !*other.Vpcs[0].IsDefault {
		t.Fatalf("eu-west-1 VPCs = %+v", other.Vpcs)
	}
}

func TestResetClearsState(t *testing.T) {
	dir := t.TempDir()
	e := newEnvAt(t, dir, false)
	e.newVpc(t, "10.0.0.0/16")
	e.api.Reset()
	n := 0
	if err := e.db.Bucket("ec2").Load(func(string, []byte) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("records after reset: %d, %v", n, err)
	}
	e = e.restart(t, dir)
	if vpcs := must(e.c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs; len(vpcs) != 1 {
		t.Fatalf("VPCs after reset and restart = %+v", vpcs)
	}
}

func TestRestoreRefusesDamagedRecord(t *testing.T) {
	db, err := state.Open(t.TempDir(), state.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := db.Bucket("ec2").Batch()
	b.PutRaw(account+"/us-east-1/vpc/vpc-0123456789abcdef0", []byte(`{"Vpc": 7}`))
	if err := b.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := ec2api.New(ec2api.Options{Account: account, State: db.Bucket("ec2")}).Restore(); err == nil {
		t.Fatal("Restore of an undecodable record succeeded")
	}
}

func TestNoStateDirectory(t *testing.T) {
	a := ec2api.New(ec2api.Options{Account: account})
	s := a.Store(region)
	if _, err := s.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}); err != nil {
		t.Fatal(err)
	}
	if err := a.Restore(); err != nil {
		t.Fatal(err)
	}
	// Restore without a state directory changes nothing.
	if out, _ := a.Store(region).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); len(out.Vpcs) != 2 {
		t.Fatalf("VPCs = %+v", out.Vpcs)
	}
}
