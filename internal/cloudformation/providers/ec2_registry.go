package providers

import (
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
)

// registerEC2 adds the EC2 resource types: those of a CDK ec2.Vpc and of
// the security groups around it, endpoints and instances (records), and
// the custom resource that restricts the VPC's default security group.
func registerEC2(r engine.Registry, api *ec2api.API) {
	r["AWS::EC2::VPC"] = NewVPC(api)
	r["AWS::EC2::Subnet"] = NewSubnet(api)
	r["AWS::EC2::SecurityGroup"] = NewSecurityGroup(api)
	r["AWS::EC2::SecurityGroupIngress"] = NewSecurityGroupIngress(api)
	r["AWS::EC2::SecurityGroupEgress"] = NewSecurityGroupEgress(api)
	r["AWS::EC2::InternetGateway"] = NewInternetGateway(api)
	r["AWS::EC2::VPCGatewayAttachment"] = NewGatewayAttachment(api)
	r["AWS::EC2::RouteTable"] = NewRouteTable(api)
	r["AWS::EC2::Route"] = NewRoute(api)
	r["AWS::EC2::SubnetRouteTableAssociation"] = NewSubnetRouteTableAssociation(api)
	r["AWS::EC2::EIP"] = NewEIP(api)
	r["AWS::EC2::NatGateway"] = NewNatGateway(api)
	r["AWS::EC2::VPCEndpoint"] = NewVPCEndpoint(api)
	r["AWS::EC2::Instance"] = NewEC2Instance(api)
	r["Custom::VpcRestrictDefaultSG"] = NewRestrictDefaultSG(api)
}
