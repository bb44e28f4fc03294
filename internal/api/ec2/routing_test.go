package ec2_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestPublicPrivateVpc builds the VPC the CDK builds: a public subnet
// routed to an internet gateway, a private one routed to a NAT gateway.
func TestPublicPrivateVpc(t *testing.T) {
	e := newEnv(t)
	vpc := e.newVpc(t, "10.0.0.0/16")
	public := e.newSubnet(t, vpc, "10.0.0.0/24", "us-east-1a")
	private := e.newSubnet(t, vpc, "10.0.1.0/24", "us-east-1a")

	igw := *must(e.c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tagSpec(types.ResourceTypeInternetGateway, "Name", "igw")}))(t).InternetGateway.InternetGatewayId
	_, err := e.c.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String("igw-1")})
	wantErr(t, err, "InvalidInternetGatewayID.NotFound", "The internetGateway ID 'igw-1' does not exist")
	_, err = e.c.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc})
	wantErr(t, err, "Gateway.NotAttached", "resource "+igw+" is not attached to network "+vpc)
	pubTable := *must(e.c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc}))(t).RouteTable.RouteTableId
	_, err = e.c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &pubTable, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
	wantErr(t, err, "InvalidParameterValue", "belong to different networks")
	must(e.c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc}))(t)
	_, err = e.c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc})
	wantErr(t, err, "Resource.AlreadyAssociated", "resource "+igw+" is already attached to network "+vpc)
	_, err = e.c.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: &igw})
	wantErr(t, err, "DependencyViolation", "The internetGateway '"+igw+"' has dependencies and cannot be deleted.")

	must(e.c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &pubTable, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw}))(t)
	_, err = e.c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &pubTable, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
	wantErr(t, err, "RouteAlreadyExists", "The route identified by 0.0.0.0/0 already exists.")
	assoc := must(e.c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &pubTable, SubnetId: &public}))(t)
	if len(*assoc.AssociationId) != len("rtbassoc-")+17 {
		t.Fatalf("association ID %s", *assoc.AssociationId)
	}
	_, err = e.c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &pubTable, SubnetId: &public})
	wantErr(t, err, "Resource.AlreadyAssociated", "conflicts with an existing association")

	eip := must(e.c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc}))(t)
	nat := must(e.c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: &public, AllocationId: eip.AllocationId}))(t).NatGateway
	if nat.State != types.NatGatewayStatePending || len(*nat.NatGatewayId) != len("nat-")+17 || *nat.NatGatewayAddresses[0].PublicIp != *eip.PublicIp {
		t.Fatalf("CreateNatGateway = %+v", nat)
	}
	e.clock.Advance(time.Second)
	nats := must(e.c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{filter("subnet-id", public)}}))(t).NatGateways
	if len(nats) != 1 || nats[0].State != types.NatGatewayStateAvailable {
		t.Fatalf("NAT after a second = %+v", nats)
	}
	privTable := *must(e.c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc}))(t).RouteTable.RouteTableId
	must(e.c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &privTable, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: nat.NatGatewayId}))(t)
	privAssoc := *must(e.c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &privTable, SubnetId: &private}))(t).AssociationId

	// How Vpc.fromLookup tells the subnets apart: by their tables' routes.
	byRoute := func(name, value string) []types.RouteTable {
		return must(e.c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("vpc-id", vpc), filter(name, value)}}))(t).RouteTables
	}
	if got := byRoute("route.gateway-id", igw); len(got) != 1 || *got[0].Associations[0].SubnetId != public {
		t.Fatalf("tables routing to the IGW = %+v", got)
	}
	if got := byRoute("association.subnet-id", private); len(got) != 1 || *got[0].Routes[1].NatGatewayId != *nat.NatGatewayId {
		t.Fatalf("private subnet's table = %+v", got)
	}
	if got := byRoute("association.main", "true"); len(got) != 1 || len(got[0].Routes) != 1 {
		t.Fatalf("main table = %+v", got)
	}

	// Replace and delete routes; move associations.
	must(e.c.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: &privTable, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw}))(t)
	_, err = e.c.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: &privTable, DestinationCidrBlock: aws.String("1.0.0.0/8"), GatewayId: &igw})
	wantErr(t, err, "InvalidParameterValue", "Use CreateRoute instead")
	must(e.c.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: &privTable, DestinationCidrBlock: aws.String("0.0.0.0/0")}))(t)
	_, err = e.c.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: &privTable, DestinationCidrBlock: aws.String("0.0.0.0/0")})
	wantErr(t, err, "InvalidRoute.NotFound", "no route with destination-cidr-block 0.0.0.0/0 in route table "+privTable)
	_, err = e.c.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: &privTable, DestinationCidrBlock: aws.String("10.0.0.0/16")})
	wantErr(t, err, "InvalidParameterValue", "cannot remove local route")
	moved := must(e.c.ReplaceRouteTableAssociation(ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: &privAssoc, RouteTableId: &pubTable}))(t)
	_, err = e.c.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: &pubTable})
	wantErr(t, err, "DependencyViolation", "The routeTable '"+pubTable+"' has dependencies and cannot be deleted.")
	must(e.c.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: moved.NewAssociationId}))(t)
	_, err = e.c.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: moved.NewAssociationId})
	wantErr(t, err, "InvalidAssociationID.NotFound", *moved.NewAssociationId)
	must(e.c.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: &privTable}))(t)
	_, err = e.c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{privTable}})
	wantErr(t, err, "InvalidRouteTableID.NotFound", "The routeTable ID '"+privTable+"' does not exist")

	// The NAT gateway's address cannot be released while it is in use;
	// deleting the NAT gateway frees it and the subnet.
	_, err = e.c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: eip.AllocationId})
	wantErr(t, err, "InvalidIPAddress.InUse", *eip.PublicIp)
	_, err = e.c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: &public})
	wantErr(t, err, "DependencyViolation", public)
	must(e.c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: nat.NatGatewayId}))(t)
	e.clock.Advance(time.Second)
	deleted := must(e.c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{*nat.NatGatewayId}}))(t).NatGateways
	if deleted[0].State != types.NatGatewayStateDeleted {
		t.Fatalf("NAT state after delete = %s", deleted[0].State)
	}
	_, err = e.c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{"nat-00000000000000000"}})
	wantErr(t, err, "NatGatewayNotFound", "NAT gateway nat-00000000000000000 was not found")
	must(e.c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: eip.AllocationId}))(t)
	_, err = e.c.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc})
	if err != nil {
		t.Fatal(err)
	}
	must(e.c.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: &igw}))(t)
}

func TestElasticIPs(t *testing.T) {
	e := newEnv(t)
	_, subnets, _ := defaultVPC()
	eni := must(e.c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &subnets[0]}))(t).NetworkInterface
	a := must(e.c.AllocateAddress(ctx, &ec2.AllocateAddressInput{TagSpecifications: tagSpec(types.ResourceTypeElasticIp, "Name", "web")}))(t)
	if len(*a.AllocationId) != len("eipalloc-")+17 {
		t.Fatalf("allocation ID %s", *a.AllocationId)
	}
	assoc := must(e.c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: a.AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId}))(t)
	_, err := e.c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: a.AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId})
	wantErr(t, err, "Resource.AlreadyAssociated", "is already associated with associate-id "+*assoc.AssociationId)
	got := must(e.c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: []types.Filter{filter("network-interface-id", *eni.NetworkInterfaceId)}}))(t).Addresses
	if len(got) != 1 || *got[0].PrivateIpAddress != *eni.PrivateIpAddress || *got[0].AssociationId != *assoc.AssociationId || len(got[0].Tags) != 1 {
		t.Fatalf("addresses = %+v", got)
	}
	ifaces := must(e.c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{filter("association.public-ip", *a.PublicIp)}}))(t).NetworkInterfaces
	if len(ifaces) != 1 {
		t.Fatalf("interfaces with the public IP = %d", len(ifaces))
	}
	must(e.c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: assoc.AssociationId}))(t)
	_, err = e.c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: assoc.AssociationId})
	wantErr(t, err, "InvalidAssociationID.NotFound", "The association ID '"+*assoc.AssociationId+"' does not exist")
	must(e.c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId}))(t)
	_, err = e.c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId})
	wantErr(t, err, "InvalidAllocationID.NotFound", "The allocation ID '"+*a.AllocationId+"' does not exist")
}

func TestVpcEndpoints(t *testing.T) {
	e := newEnv(t)
	vpc := e.newVpc(t, "10.0.0.0/16")
	sn := e.newSubnet(t, vpc, "10.0.1.0/24", "us-east-1a")
	table := *must(e.c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc}))(t).RouteTable.RouteTableId
	gw := must(e.c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: &vpc, ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{table}}))(t).VpcEndpoint
	if gw.VpcEndpointType != types.VpcEndpointTypeGateway || len(*gw.VpcEndpointId) != len("vpce-")+17 {
		t.Fatalf("gateway endpoint = %+v", gw)
	}
	routes := must(e.c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{table}}))(t).RouteTables[0].Routes
	if len(routes) != 2 || *routes[1].DestinationPrefixListId != "pl-63a5400a" || *routes[1].GatewayId != *gw.VpcEndpointId {
		t.Fatalf("routes = %+v", routes)
	}
	ifc := must(e.c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: &vpc, ServiceName: aws.String("com.amazonaws.us-east-1.ecr.api"),
		VpcEndpointType: types.VpcEndpointTypeInterface, SubnetIds: []string{sn}}))(t).VpcEndpoint
	if len(ifc.NetworkInterfaceIds) != 1 {
		t.Fatalf("interface endpoint = %+v", ifc)
	}
	must(e.c.ModifyVpcEndpoint(ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: gw.VpcEndpointId, RemoveRouteTableIds: []string{table}}))(t)
	got := must(e.c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{filter("vpc-endpoint-type", "Gateway")}}))(t).VpcEndpoints
	if len(got) != 1 || len(got[0].RouteTableIds) != 0 {
		t.Fatalf("after ModifyVpcEndpoint = %+v", got)
	}
	_, err := e.c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: &vpc, ServiceName: aws.String("example.com")})
	wantErr(t, err, "InvalidServiceName", "example.com")
	del := must(e.c.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{*gw.VpcEndpointId, *ifc.VpcEndpointId, "vpce-00000000000000000"}}))(t)
	if len(del.Unsuccessful) != 1 || *del.Unsuccessful[0].Error.Code != "InvalidVpcEndpointId.NotFound" {
		t.Fatalf("unsuccessful = %+v", del.Unsuccessful)
	}
	must(e.c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: &sn}))(t)
	_, err = e.c.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{*gw.VpcEndpointId}})
	wantErr(t, err, "InvalidVpcEndpointId.NotFound", *gw.VpcEndpointId)
}
