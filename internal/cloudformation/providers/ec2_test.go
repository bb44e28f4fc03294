package providers

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
)

func ec2TagMap(tags []types.Tag) map[string]string {
	out := map[string]string{}
	for _, t := range tags {
		out[deref(t.Key)] = deref(t.Value)
	}
	return out
}

// TestVPCNetwork builds what a CDK ec2.Vpc is, one resource at a time, as
// the engine would, and takes it down again in reverse order.
func TestVPCNetwork(t *testing.T) {
	e := newEnv(t)
	api := e.apis.EC2
	s := api.Store(testRegion)
	ctx := context.Background()

	vpcReq, vpc := e.create(t, "AWS::EC2::VPC", "Vpc8378EB38", map[string]any{
		"CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": true, "EnableDnsSupport": true, "InstanceTenancy": "default",
		"Tags": []any{map[string]any{"Key": "Name", "Value": "TutorialStack/Vpc"}},
	})
	vpcID := vpc.PhysicalID
	got, err := api.Vpc(testRegion, vpcID)
	if err != nil {
		t.Fatal(err)
	}
	if tags := ec2TagMap(got.Tags); tags["Name"] != "TutorialStack/Vpc" || tags["team"] != "blue" || len(tags) != 2 {
		t.Errorf("VPC tags = %v, want Name and the stack's team tag", tags)
	}
	if vpc.Attributes["VpcId"] != vpcID || vpc.Attributes["CidrBlock"] != "10.0.0.0/16" ||
		vpc.Attributes["DefaultSecurityGroup"] != api.DefaultSecurityGroup(testRegion, vpcID) ||
		!strings.HasPrefix(vpc.Attributes["DefaultNetworkAcl"].(string), "acl-") {
		t.Errorf("VPC attributes = %v", vpc.Attributes)
	}
	if a := vpc.Attributes["CidrBlockAssociations"].([]any); len(a) != 1 || a[0] != deref(got.CidrBlockAssociationSet[0].AssociationId) {
		t.Errorf("CidrBlockAssociations = %v", a)
	}
	hostnames := func() bool {
		out, err := s.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: &vpcID, Attribute: types.VpcAttributeNameEnableDnsHostnames})
		if err != nil {
			t.Fatal(err)
		}
		return deref(out.EnableDnsHostnames.Value)
	}
	if !hostnames() {
		t.Error("EnableDnsHostnames was not set")
	}
	e.update(t, vpcReq, map[string]any{"CidrBlock": "10.0.0.0/16", "Tags": []any{map[string]any{"Key": "Name", "Value": "renamed"}}})
	if hostnames() {
		t.Error("EnableDnsHostnames left on after the property went")
	}
	got, _ = api.Vpc(testRegion, vpcID)
	if tags := ec2TagMap(got.Tags); tags["Name"] != "renamed" {
		t.Errorf("VPC tags after update = %v", tags)
	}

	var subnets []*requestRefRes
	for i, z := range []string{"us-east-1a", "us-east-1b"} {
		req, res := e.create(t, "AWS::EC2::Subnet", "PublicSubnet"+string(rune('1'+i)), map[string]any{
			"VpcId": vpcID, "AvailabilityZone": z, "CidrBlock": []string{"10.0.0.0/18", "10.0.64.0/18"}[i], "MapPublicIpOnLaunch": true,
		})
		subnets = append(subnets, &requestRefRes{req, res})
		if res.Attributes["AvailabilityZone"] != z || res.Attributes["VpcId"] != vpcID || res.Attributes["SubnetId"] != res.PhysicalID ||
			!strings.HasPrefix(res.Attributes["NetworkAclAssociationId"].(string), "aclassoc-") {
			t.Errorf("subnet attributes = %v", res.Attributes)
		}
		sn, _ := api.Subnet(testRegion, res.PhysicalID)
		if !deref(sn.MapPublicIpOnLaunch) {
			t.Errorf("subnet %s does not map public IPs", res.PhysicalID)
		}
	}
	first := subnets[0]
	e.update(t, first.req, map[string]any{"VpcId": vpcID, "AvailabilityZone": "us-east-1a", "CidrBlock": "10.0.0.0/18"})
	if sn, _ := api.Subnet(testRegion, first.res.PhysicalID); deref(sn.MapPublicIpOnLaunch) {
		t.Error("MapPublicIpOnLaunch still on after the update")
	}

	igwReq, igw := e.create(t, "AWS::EC2::InternetGateway", "VpcIGW", map[string]any{})
	attReq, att := e.create(t, "AWS::EC2::VPCGatewayAttachment", "VpcVPCGW", map[string]any{"VpcId": vpcID, "InternetGatewayId": igw.PhysicalID})
	if att.PhysicalID != "IGW|"+vpcID {
		t.Errorf("attachment physical ID = %s", att.PhysicalID)
	}
	pubReq, pub := e.create(t, "AWS::EC2::RouteTable", "PublicRT", map[string]any{"VpcId": vpcID})
	assocReq, assoc := e.create(t, "AWS::EC2::SubnetRouteTableAssociation", "PublicRTA",
		map[string]any{"RouteTableId": pub.PhysicalID, "SubnetId": first.res.PhysicalID})
	if !strings.HasPrefix(assoc.PhysicalID, "rtbassoc-") || assoc.Attributes["Id"] != assoc.PhysicalID {
		t.Errorf("association = %+v", assoc)
	}
	routeReq, route := e.create(t, "AWS::EC2::Route", "PublicDefaultRoute",
		map[string]any{"RouteTableId": pub.PhysicalID, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw.PhysicalID})
	if route.PhysicalID != pub.PhysicalID+"|0.0.0.0/0" || route.Attributes["CidrBlock"] != "0.0.0.0/0" {
		t.Errorf("route = %+v", route)
	}

	eipReq, eip := e.create(t, "AWS::EC2::EIP", "PublicEIP", map[string]any{"Domain": "vpc"})
	alloc := eip.Attributes["AllocationId"].(string)
	if eip.Attributes["PublicIp"] != eip.PhysicalID || !strings.HasPrefix(alloc, "eipalloc-") {
		t.Errorf("EIP = %+v", eip)
	}
	natReq, nat := e.create(t, "AWS::EC2::NatGateway", "PublicNAT", map[string]any{"AllocationId": alloc, "SubnetId": first.res.PhysicalID})
	nats, err := s.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{nat.PhysicalID}})
	if err != nil || nats.NatGateways[0].State != types.NatGatewayStateAvailable {
		t.Fatalf("NAT gateway after Create: %v %+v", err, nats)
	}
	privReq, priv := e.create(t, "AWS::EC2::RouteTable", "PrivateRT", map[string]any{"VpcId": vpcID})
	privAssocReq, _ := e.create(t, "AWS::EC2::SubnetRouteTableAssociation", "PrivateRTA",
		map[string]any{"RouteTableId": priv.PhysicalID, "SubnetId": subnets[1].res.PhysicalID})
	natRouteReq, _ := e.create(t, "AWS::EC2::Route", "PrivateDefaultRoute",
		map[string]any{"RouteTableId": priv.PhysicalID, "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat.PhysicalID})
	routeTarget := func() types.Route {
		out, err := s.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{priv.PhysicalID}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.RouteTables[0].Routes {
			if deref(r.DestinationCidrBlock) == "0.0.0.0/0" {
				return r
			}
		}
		t.Fatal("no default route")
		return types.Route{}
	}
	if r := routeTarget(); deref(r.NatGatewayId) != nat.PhysicalID {
		t.Errorf("private default route = %+v", r)
	}
	e.update(t, natRouteReq, map[string]any{"RouteTableId": priv.PhysicalID, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw.PhysicalID})
	if r := routeTarget(); deref(r.GatewayId) != igw.PhysicalID || r.NatGatewayId != nil {
		t.Errorf("private default route after update = %+v", r)
	}

	// The replacement of an association with a new table: made first, the
	// old one deleted after.
	moved := *privAssocReq
	moved.Properties = map[string]any{"RouteTableId": pub.PhysicalID, "SubnetId": subnets[1].res.PhysicalID}
	res, err := e.reg[moved.Type].Create(testCtx(t), &moved)
	if err != nil {
		t.Fatalf("replacing association: %v", err)
	}
	e.deleteTwice(t, privAssocReq)
	moved.PhysicalID = res.PhysicalID
	out, _ := s.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{pub.PhysicalID}})
	if n := len(out.RouteTables[0].Associations); n != 2 {
		t.Errorf("public table has %d associations after the move, want 2", n)
	}

	for _, r := range []requestRef{
		{natRouteReq.Type, natRouteReq}, {moved.Type, &moved}, {privReq.Type, privReq}, {natReq.Type, natReq}, {eipReq.Type, eipReq},
		{routeReq.Type, routeReq}, {assocReq.Type, assocReq}, {pubReq.Type, pubReq}, {attReq.Type, attReq}, {igwReq.Type, igwReq},
		{subnets[1].req.Type, subnets[1].req}, {first.req.Type, first.req}, {vpcReq.Type, vpcReq},
	} {
		e.deleteTwice(t, r.req)
	}
	if api.VPCExists(testRegion, vpcID) {
		t.Error("the VPC outlived its stack")
	}
	if _, err := s.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{alloc}}); !isCode(err, "InvalidAllocationID.NotFound") {
		t.Errorf("the Elastic IP outlived its stack: %v", err)
	}
}

type requestRefRes struct {
	req *engine.Request
	res *engine.Result
}

// TestSecurityGroups covers inline rules (the CDK's allow-all egress in
// place of EC2's own), Ref by VPC or name, standalone rules between two
// groups and the wait for a group still referenced.
func TestSecurityGroups(t *testing.T) {
	e := newEnv(t)
	api := e.apis.EC2
	s := api.Store(testRegion)
	ctx := context.Background()
	vpc, _, _ := ec2api.DefaultVPCIDs(testAccount, testRegion)

	allOut := map[string]any{"CidrIp": "0.0.0.0/0", "Description": "Allow all outbound traffic by default", "IpProtocol": "-1"}
	http := map[string]any{"CidrIp": "0.0.0.0/0", "Description": "Allow from anyone on port 80", "FromPort": 80, "IpProtocol": "tcp", "ToPort": 80}
	albReq, alb := e.create(t, "AWS::EC2::SecurityGroup", "ALBSecurityGroup", map[string]any{
		"GroupDescription": "ALB", "VpcId": vpc, "SecurityGroupIngress": []any{http}, "SecurityGroupEgress": []any{allOut},
	})
	if alb.Ref != "" || alb.Attributes["GroupId"] != alb.PhysicalID || alb.Attributes["VpcId"] != vpc {
		t.Errorf("group with VpcId: Ref %q, attributes %v", alb.Ref, alb.Attributes)
	}
	g, _ := api.SecurityGroup(testRegion, alb.PhysicalID)
	if !strings.HasPrefix(deref(g.GroupName), "TutorialStack-ALBSecurityGroup-") {
		t.Errorf("generated group name %q", deref(g.GroupName))
	}
	if len(g.IpPermissionsEgress) != 1 || deref(g.IpPermissionsEgress[0].IpRanges[0].Description) != "Allow all outbound traffic by default" {
		t.Errorf("egress = %+v, want only the listed allow-all rule", g.IpPermissionsEgress)
	}
	if len(g.IpPermissions) != 1 || deref(g.IpPermissions[0].FromPort) != 80 {
		t.Errorf("ingress = %+v", g.IpPermissions)
	}

	https := map[string]any{"CidrIp": "0.0.0.0/0", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443}
	e.update(t, albReq, map[string]any{"GroupDescription": "ALB", "VpcId": vpc, "SecurityGroupIngress": []any{https}, "SecurityGroupEgress": []any{allOut}})
	g, _ = api.SecurityGroup(testRegion, alb.PhysicalID)
	if len(g.IpPermissions) != 1 || deref(g.IpPermissions[0].FromPort) != 443 || len(g.IpPermissionsEgress) != 1 {
		t.Errorf("after update: ingress %+v egress %+v", g.IpPermissions, g.IpPermissionsEgress)
	}

	// Without its listed egress rules the group has none: EC2's default
	// rule does not come back (CloudFormation's documented behaviour).
	albReq.Properties = map[string]any{"GroupDescription": "ALB", "VpcId": vpc, "SecurityGroupIngress": []any{https}, "SecurityGroupEgress": []any{allOut}}
	e.update(t, albReq, map[string]any{"GroupDescription": "ALB", "VpcId": vpc, "SecurityGroupIngress": []any{https}})
	if g, _ = api.SecurityGroup(testRegion, alb.PhysicalID); len(g.IpPermissionsEgress) != 0 || len(g.IpPermissions) != 1 {
		t.Errorf("after the egress rules went: ingress %+v egress %+v", g.IpPermissions, g.IpPermissionsEgress)
	}

	apiReq, apiSG := e.create(t, "AWS::EC2::SecurityGroup", "ApiSg", map[string]any{"GroupDescription": "api", "GroupName": "api-sg"})
	if apiSG.Ref != "api-sg" {
		t.Errorf("group without VpcId: Ref %q, want its name", apiSG.Ref)
	}
	g, _ = api.SecurityGroup(testRegion, apiSG.PhysicalID)
	if len(g.IpPermissionsEgress) != 1 || deref(g.IpPermissionsEgress[0].IpProtocol) != "-1" {
		t.Errorf("a group without egress rules lacks EC2's default one: %+v", g.IpPermissionsEgress)
	}

	inReq, in := e.create(t, "AWS::EC2::SecurityGroupIngress", "ApiSgfromALB", map[string]any{
		"Description": "Load balancer to target", "FromPort": 8080, "ToPort": 8080, "IpProtocol": "tcp",
		"GroupId": apiSG.PhysicalID, "SourceSecurityGroupId": alb.PhysicalID,
	})
	outReq, out := e.create(t, "AWS::EC2::SecurityGroupEgress", "ALBtoApi", map[string]any{
		"Description": "Load balancer to target", "FromPort": 8080, "ToPort": 8080, "IpProtocol": "tcp",
		"GroupId": alb.PhysicalID, "DestinationSecurityGroupId": apiSG.PhysicalID,
	})
	for _, r := range []string{in.PhysicalID, out.PhysicalID} {
		if !strings.HasPrefix(r, "sgr-") {
			t.Errorf("rule ID %q", r)
		}
	}
	if in.Attributes["Id"] != in.PhysicalID {
		t.Errorf("ingress attributes %v", in.Attributes)
	}
	upd := *inReq
	upd.PreviousProperties, upd.Properties = inReq.Properties, map[string]any{"Description": "renamed", "FromPort": 8080, "ToPort": 8080,
		"IpProtocol": "tcp", "GroupId": apiSG.PhysicalID, "SourceSecurityGroupId": alb.PhysicalID}
	if _, err := e.reg[upd.Type].Update(testCtx(t), &upd); err != nil {
		t.Fatal(err)
	}
	rules, err := s.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{in.PhysicalID}})
	if err != nil || deref(rules.SecurityGroupRules[0].Description) != "renamed" {
		t.Errorf("rule after the description update: %v %+v", err, rules)
	}

	// The ALB group is referenced by the api group's rule: its delete
	// waits, then gives EC2's DependencyViolation.
	if err := e.reg[albReq.Type].Delete(testCtx(t), albReq); !isCode(err, "DependencyViolation") {
		t.Errorf("deleting a referenced group: %v, want DependencyViolation", err)
	}

	for _, tc := range []struct {
		name string
		p    map[string]any
		want string
	}{
		{"two peers", map[string]any{"GroupId": apiSG.PhysicalID, "IpProtocol": "-1", "CidrIp": "10.0.0.0/8", "SourceSecurityGroupId": alb.PhysicalID}, "exactly one"},
		{"no group", map[string]any{"IpProtocol": "-1", "CidrIp": "10.0.0.0/8"}, "required key [GroupId]"},
		{"unknown property", map[string]any{"GroupId": apiSG.PhysicalID, "IpProtocol": "-1", "CidrIp": "10.0.0.0/8", "Port": 1}, "unsupported property Port"},
		{"unknown group", map[string]any{"GroupId": "sg-0000000000000000f", "IpProtocol": "-1", "CidrIp": "10.0.0.0/8"}, "does not exist"},
		{"duplicate", map[string]any{"GroupId": apiSG.PhysicalID, "FromPort": 8080, "ToPort": 8080, "IpProtocol": "tcp", "SourceSecurityGroupId": alb.PhysicalID}, "already exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.reg["AWS::EC2::SecurityGroupIngress"].Create(testCtx(t), request("AWS::EC2::SecurityGroupIngress", "Bad", tc.p))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Create = %v, want an error with %q", err, tc.want)
			}
		})
	}

	for _, r := range []requestRef{{outReq.Type, outReq}, {inReq.Type, inReq}, {albReq.Type, albReq}, {apiReq.Type, apiReq}} {
		e.deleteTwice(t, r.req)
	}
	if _, err := api.SecurityGroup(testRegion, alb.PhysicalID); !isCode(err, "InvalidGroup.NotFound") {
		t.Errorf("group after delete: %v", err)
	}
}

// TestRestrictDefaultSG: the default group loses its two rules for as long
// as the custom resource lives, and an update moves the restriction.
func TestRestrictDefaultSG(t *testing.T) {
	e := newEnv(t)
	api := e.apis.EC2
	_, vpc := e.create(t, "AWS::EC2::VPC", "Vpc", map[string]any{"CidrBlock": "10.1.0.0/16"})
	sg := vpc.Attributes["DefaultSecurityGroup"].(string)
	rules := func(id string) (int, int) {
		g, err := api.SecurityGroup(testRegion, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(g.IpPermissions), len(g.IpPermissionsEgress)
	}
	if in, out := rules(sg); in != 1 || out != 1 {
		t.Fatalf("a new default group has %d/%d rules", in, out)
	}
	props := map[string]any{"ServiceToken": "arn:aws:lambda:us-east-1:000000000000:function:handler", "DefaultSecurityGroupId": sg, "Account": testAccount}
	req, res := e.create(t, "Custom::VpcRestrictDefaultSG", "VpcRestrictDefaultSecurityGroupCustomResource", props)
	if res.PhysicalID == "" {
		t.Error("no physical ID")
	}
	if in, out := rules(sg); in != 0 || out != 0 {
		t.Errorf("restricted default group has %d/%d rules, want none", in, out)
	}

	_, vpc2 := e.create(t, "AWS::EC2::VPC", "Vpc2", map[string]any{"CidrBlock": "10.2.0.0/16"})
	sg2 := vpc2.Attributes["DefaultSecurityGroup"].(string)
	moved := map[string]any{"ServiceToken": props["ServiceToken"], "DefaultSecurityGroupId": sg2, "Account": testAccount}
	e.update(t, req, moved)
	if in, out := rules(sg); in != 1 || out != 1 {
		t.Errorf("the first group has %d/%d rules after the move, want its two back", in, out)
	}
	if in, out := rules(sg2); in != 0 || out != 0 {
		t.Errorf("the second group has %d/%d rules after the move, want none", in, out)
	}
	req.Properties = moved
	e.deleteTwice(t, req)
	g, _ := api.SecurityGroup(testRegion, sg2)
	if len(g.IpPermissions) != 1 || deref(g.IpPermissions[0].UserIdGroupPairs[0].GroupId) != sg2 || len(g.IpPermissionsEgress) != 1 {
		t.Errorf("rules restored on delete: in %+v out %+v", g.IpPermissions, g.IpPermissionsEgress)
	}

	bad := map[string]any{"ServiceToken": "x", "DefaultSecurityGroupId": "sg-0000000000000000f", "Account": testAccount}
	if _, err := e.reg["Custom::VpcRestrictDefaultSG"].Create(testCtx(t), request("Custom::VpcRestrictDefaultSG", "Bad", bad)); !isCode(err, "InvalidGroup.NotFound") {
		t.Errorf("restricting an unknown group: %v", err)
	}
}

func TestEC2Replaces(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		typ      string
		old, new map[string]any
		want     bool
	}{
		{"AWS::EC2::VPC", map[string]any{"CidrBlock": "10.0.0.0/16"}, map[string]any{"CidrBlock": "10.1.0.0/16"}, true},
		{"AWS::EC2::VPC", map[string]any{"EnableDnsHostnames": true}, map[string]any{"EnableDnsHostnames": false}, false},
		{"AWS::EC2::Subnet", map[string]any{"CidrBlock": "10.0.0.0/24"}, map[string]any{"CidrBlock": "10.0.1.0/24"}, true},
		{"AWS::EC2::Subnet", map[string]any{"MapPublicIpOnLaunch": true}, map[string]any{"MapPublicIpOnLaunch": false}, false},
		{"AWS::EC2::SecurityGroup", map[string]any{"GroupDescription": "a"}, map[string]any{"GroupDescription": "b"}, true},
		{"AWS::EC2::SecurityGroup", map[string]any{"SecurityGroupIngress": []any{}}, map[string]any{"SecurityGroupIngress": []any{"x"}}, false},
		{"AWS::EC2::SecurityGroupIngress", map[string]any{"FromPort": 1}, map[string]any{"FromPort": 2}, true},
		{"AWS::EC2::SecurityGroupEgress", map[string]any{"Description": "a"}, map[string]any{"Description": "b"}, false},
		{"AWS::EC2::InternetGateway", map[string]any{}, map[string]any{"Tags": []any{}}, false},
		{"AWS::EC2::VPCGatewayAttachment", map[string]any{"VpcId": "a"}, map[string]any{"VpcId": "b"}, true},
		{"AWS::EC2::VPCGatewayAttachment", map[string]any{"InternetGatewayId": "a"}, map[string]any{"InternetGatewayId": "b"}, false},
		{"AWS::EC2::RouteTable", map[string]any{"VpcId": "a"}, map[string]any{"VpcId": "b"}, true},
		{"AWS::EC2::Route", map[string]any{"GatewayId": "a"}, map[string]any{"NatGatewayId": "b"}, false},
		{"AWS::EC2::Route", map[string]any{"DestinationCidrBlock": "0.0.0.0/0"}, map[string]any{"DestinationCidrBlock": "10.0.0.0/8"}, true},
		{"AWS::EC2::SubnetRouteTableAssociation", map[string]any{"RouteTableId": "a"}, map[string]any{"RouteTableId": "b"}, true},
		{"AWS::EC2::EIP", map[string]any{"InstanceId": "a"}, map[string]any{"InstanceId": "b"}, false},
		{"AWS::EC2::EIP", map[string]any{"Domain": "vpc"}, map[string]any{"Domain": "standard"}, true},
		{"AWS::EC2::NatGateway", map[string]any{"SubnetId": "a"}, map[string]any{"SubnetId": "b"}, true},
		{"AWS::EC2::NatGateway", map[string]any{"Tags": []any{}}, map[string]any{"Tags": []any{"x"}}, false},
		{"Custom::VpcRestrictDefaultSG", map[string]any{"DefaultSecurityGroupId": "a"}, map[string]any{"DefaultSecurityGroupId": "b"}, false},
	} {
		if got := e.reg[tc.typ].Replaces(tc.old, tc.new); got != tc.want {
			t.Errorf("%s Replaces(%v → %v) = %v", tc.typ, tc.old, tc.new, got)
		}
	}
}

// TestEC2Unsupported: properties of features the emulated EC2 lacks fail
// the resource instead of being dropped.
func TestEC2Unsupported(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		typ   string
		props map[string]any
		want  string
	}{
		{"AWS::EC2::VPC", map[string]any{"Ipv4IpamPoolId": "ipam-pool-1"}, "Property Ipv4IpamPoolId of AWS::EC2::VPC is not supported by this emulator"},
		{"AWS::EC2::Subnet", map[string]any{"VpcId": "vpc-1", "Ipv6CidrBlock": "2600::/64"}, "Property Ipv6CidrBlock of AWS::EC2::Subnet is not supported"},
		{"AWS::EC2::VPCGatewayAttachment", map[string]any{"VpcId": "vpc-1", "VpnGatewayId": "vgw-1"}, "Property VpnGatewayId"},
		{"AWS::EC2::EIP", map[string]any{"TransferAddress": "1.2.3.4"}, "Property TransferAddress"},
		{"AWS::EC2::VPC", map[string]any{"CidrBlock": "10.0.0.0/16", "Color": "blue"}, "Encountered unsupported property Color"},
	} {
		if _, err := e.reg[tc.typ].Create(testCtx(t), request(tc.typ, "X", tc.props)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: %v, want %q", tc.typ, tc.props, err, tc.want)
		}
	}
}

// TestVPCEndpointAndInstance: a gateway endpoint routes its tables to the
// service's prefix list and follows their list on update; an instance
// record runs in its subnet, holds its security group and terminates.
func TestVPCEndpointAndInstance(t *testing.T) {
	e := newEnv(t)
	api := e.apis.EC2
	s := api.Store(testRegion)
	ctx := context.Background()
	vpcReq, vpc := e.create(t, "AWS::EC2::VPC", "Vpc", map[string]any{"CidrBlock": "10.3.0.0/16"})
	subnetReq, subnet := e.create(t, "AWS::EC2::Subnet", "Subnet", map[string]any{"VpcId": vpc.PhysicalID, "CidrBlock": "10.3.0.0/24", "AvailabilityZone": "us-east-1b"})
	rtReq, rt := e.create(t, "AWS::EC2::RouteTable", "Table", map[string]any{"VpcId": vpc.PhysicalID})
	prefixRoutes := func() int {
		out, err := s.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{rt.PhysicalID}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range out.RouteTables[0].Routes {
			if r.DestinationPrefixListId != nil {
				n++
			}
		}
		return n
	}
	epProps := map[string]any{"ServiceName": "com.amazonaws.us-east-1.s3", "VpcEndpointType": "Gateway", "VpcId": vpc.PhysicalID,
		"RouteTableIds": []any{rt.PhysicalID}, "PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{}}}
	epReq, ep := e.create(t, "AWS::EC2::VPCEndpoint", "S3Endpoint", epProps)
	if !strings.HasPrefix(ep.PhysicalID, "vpce-") || ep.Attributes["Id"] != ep.PhysicalID || ep.Attributes["CreationTimestamp"] == "" {
		t.Errorf("endpoint = %+v", ep)
	}
	if n := prefixRoutes(); n != 1 {
		t.Errorf("%d prefix-list routes after create, want 1", n)
	}
	got, _ := s.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{ep.PhysicalID}})
	if doc := deref(got.VpcEndpoints[0].PolicyDocument); doc != `{"Statement":[],"Version":"2012-10-17"}` {
		t.Errorf("policy = %s", doc)
	}
	e.update(t, epReq, map[string]any{"ServiceName": "com.amazonaws.us-east-1.s3", "VpcEndpointType": "Gateway", "VpcId": vpc.PhysicalID})
	if n := prefixRoutes(); n != 0 {
		t.Errorf("%d prefix-list routes after the table left the list, want 0", n)
	}
	if _, err := e.reg["AWS::EC2::VPCEndpoint"].Create(testCtx(t), request("AWS::EC2::VPCEndpoint", "Bad",
		map[string]any{"ServiceName": "com.amazonaws.us-east-1.s3", "VpcId": vpc.PhysicalID, "IpAddressType": "dualstack"})); err == nil ||
		!strings.Contains(err.Error(), "IPv4 only") {
		t.Errorf("a dualstack endpoint: %v", err)
	}

	sgReq, sg := e.create(t, "AWS::EC2::SecurityGroup", "InstanceSg", map[string]any{"GroupDescription": "i", "VpcId": vpc.PhysicalID})
	iReq, inst := e.create(t, "AWS::EC2::Instance", "Bastion", map[string]any{
		"ImageId": "ami-0123456789abcdef0", "InstanceType": "t3.micro", "SubnetId": subnet.PhysicalID,
		"SecurityGroupIds": []any{sg.PhysicalID}, "UserData": "IyEvYmluL3NoCg==", "IamInstanceProfile": "profile",
		"Tags": []any{map[string]any{"Key": "Name", "Value": "bastion"}},
	})
	if inst.Attributes["AvailabilityZone"] != "us-east-1b" || inst.Attributes["VpcId"] != vpc.PhysicalID ||
		!strings.HasPrefix(inst.Attributes["PrivateIp"].(string), "10.3.0.") || inst.Attributes["PrivateDnsName"] == "" {
		t.Errorf("instance attributes = %v", inst.Attributes)
	}
	out, _ := s.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{inst.PhysicalID}})
	if i := out.Reservations[0].Instances[0]; i.State.Name != types.InstanceStateNameRunning || i.InstanceType != "t3.micro" ||
		ec2TagMap(i.Tags)["Name"] != "bastion" {
		t.Errorf("instance = %s %s %v", i.State.Name, i.InstanceType, i.Tags)
	}
	if e.reg["AWS::EC2::Instance"].Replaces(map[string]any{"UserData": "a"}, map[string]any{"UserData": "b"}) ||
		!e.reg["AWS::EC2::Instance"].Replaces(map[string]any{"ImageId": "ami-1"}, map[string]any{"ImageId": "ami-2"}) {
		t.Error("instance Replaces: UserData is kept in the stack, ImageId replaces")
	}
	if err := e.reg[sgReq.Type].Delete(testCtx(t), sgReq); !isCode(err, "DependencyViolation") {
		t.Errorf("deleting the group of a running instance: %v", err)
	}
	for _, r := range []requestRef{{iReq.Type, iReq}, {sgReq.Type, sgReq}, {epReq.Type, epReq}, {rtReq.Type, rtReq}, {subnetReq.Type, subnetReq}, {vpcReq.Type, vpcReq}} {
		e.deleteTwice(t, r.req)
	}
	out, err := s.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{inst.PhysicalID}})
	if err == nil && out.Reservations[0].Instances[0].State.Name != types.InstanceStateNameTerminated {
		t.Errorf("instance after delete: %s", out.Reservations[0].Instances[0].State.Name)
	}
}
