package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// networkTemplate is a hand-written VPC like the CDK's: two subnets in the
// region's first two zones, an internet gateway, a public route table, an
// Elastic IP and a NAT gateway routing the private subnet, a security
// group with an inline ingress rule and a standalone one.
const networkTemplate = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsHostnames: true
      Tags: [{Key: Name, Value: !Sub "${AWS::StackName}/Vpc"}]
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/18
      AvailabilityZone: !Select [0, !GetAZs ""]
      MapPublicIpOnLaunch: true
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 14]]
      AvailabilityZone: !Select [1, !GetAZs ""]
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  PublicTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  PublicAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {RouteTableId: !Ref PublicTable, SubnetId: !Ref PublicSubnet}
  PublicRoute:
    Type: AWS::EC2::Route
    DependsOn: IgwAttachment
    Properties: {RouteTableId: !Ref PublicTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  NatAddress:
    Type: AWS::EC2::EIP
    Properties: {Domain: vpc}
  Nat:
    Type: AWS::EC2::NatGateway
    DependsOn: [PublicRoute, PublicAssociation]
    Properties: {AllocationId: !GetAtt NatAddress.AllocationId, SubnetId: !Ref PublicSubnet}
  PrivateTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  PrivateAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {RouteTableId: !Ref PrivateTable, SubnetId: !Ref PrivateSubnet}
  PrivateRoute:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PrivateTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}]
  WorkerSg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: worker, VpcId: !Ref Vpc}
  WorkerFromWeb:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt WorkerSg.GroupId
      SourceSecurityGroupId: !GetAtt WebSg.GroupId
      IpProtocol: tcp
      FromPort: 8080
      ToPort: 8080
Outputs:
  DefaultSg: {Value: !GetAtt Vpc.DefaultSecurityGroup}
  NatIp: {Value: !Ref NatAddress}
`

// TestStackOfEC2Network creates the network through CloudFormation with
// the SDK, finds every physical ID in EC2 with the EC2 client, and deletes
// the stack without a DependencyViolation on the way.
func TestStackOfEC2Network(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := e.Config("us-east-1")
	stacks := cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(e.URL) })
	network := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(e.URL) })
	name := aws.String("net")

	if _, err := stacks.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: name, TemplateBody: aws.String(networkTemplate)}); err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	created := cloudformation.NewStackCreateCompleteWaiter(stacks, func(o *cloudformation.StackCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	})
	if err := created.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: name}, time.Minute); err != nil {
		t.Fatalf("stack-create-complete: %v; events: %s", err, failedEvents(ctx, stacks, name))
	}

	res, err := stacks.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: name})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range res.StackResources {
		ids[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	if len(ids) != 16 {
		t.Errorf("%d resources, want 16: %v", len(ids), ids)
	}
	vpc := ids["Vpc"]
	vpcs, err := network.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
	if err != nil || aws.ToString(vpcs.Vpcs[0].CidrBlock) != "10.0.0.0/16" {
		t.Errorf("VPC %s: %v %+v", vpc, err, vpcs)
	}
	subnets, err := network.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{ids["PublicSubnet"], ids["PrivateSubnet"]}})
	if err != nil {
		t.Fatalf("subnets: %v", err)
	}
	want := map[string]string{ids["PublicSubnet"]: "us-east-1a 10.0.0.0/18", ids["PrivateSubnet"]: "us-east-1b 10.0.64.0/18"}
	for _, sn := range subnets.Subnets {
		got := aws.ToString(sn.AvailabilityZone) + " " + aws.ToString(sn.CidrBlock)
		if w := want[aws.ToString(sn.SubnetId)]; got != w || aws.ToString(sn.VpcId) != vpc {
			t.Errorf("subnet %s: %s in %s, want %s in %s", aws.ToString(sn.SubnetId), got, aws.ToString(sn.VpcId), w, vpc)
		}
	}
	igws, err := network.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{ids["Igw"]}})
	if err != nil || len(igws.InternetGateways[0].Attachments) != 1 || aws.ToString(igws.InternetGateways[0].Attachments[0].VpcId) != vpc {
		t.Errorf("internet gateway: %v %+v", err, igws)
	}
	if ids["IgwAttachment"] != "IGW|"+vpc || ids["PublicRoute"] != ids["PublicTable"]+"|0.0.0.0/0" {
		t.Errorf("attachment %q, route %q", ids["IgwAttachment"], ids["PublicRoute"])
	}
	tables, err := network.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{
		{Name: aws.String("association.route-table-association-id"), Values: []string{ids["PublicAssociation"], ids["PrivateAssociation"]}}}})
	if err != nil || len(tables.RouteTables) != 2 {
		t.Fatalf("route tables by association: %v %+v", err, tables)
	}
	for _, tb := range tables.RouteTables {
		target := map[string]string{ids["PublicTable"]: ids["Igw"], ids["PrivateTable"]: ids["Nat"]}[aws.ToString(tb.RouteTableId)]
		found := false
		for _, r := range tb.Routes {
			if aws.ToString(r.DestinationCidrBlock) == "0.0.0.0/0" && (aws.ToString(r.GatewayId) == target || aws.ToString(r.NatGatewayId) == target) {
				found = true
			}
		}
		if target == "" || !found {
			t.Errorf("route table %s has no default route to %q: %+v", aws.ToString(tb.RouteTableId), target, tb.Routes)
		}
	}
	addrs, err := network.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{PublicIps: []string{ids["NatAddress"]}})
	if err != nil || len(addrs.Addresses) != 1 || addrs.Addresses[0].AssociationId == nil {
		t.Errorf("the NAT gateway's Elastic IP: %v %+v", err, addrs)
	}
	nats, err := network.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{ids["Nat"]}})
	if err != nil || nats.NatGateways[0].State != ec2types.NatGatewayStateAvailable {
		t.Errorf("NAT gateway: %v %+v", err, nats)
	}
	groups, err := network.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{ids["WebSg"], ids["WorkerSg"]}})
	if err != nil || len(groups.SecurityGroups) != 2 {
		t.Fatalf("security groups: %v %+v", err, groups)
	}
	rules, err := network.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{ids["WorkerFromWeb"]}})
	if err != nil || aws.ToString(rules.SecurityGroupRules[0].GroupId) != ids["WorkerSg"] ||
		aws.ToString(rules.SecurityGroupRules[0].ReferencedGroupInfo.GroupId) != ids["WebSg"] {
		t.Errorf("standalone ingress rule: %v %+v", err, rules)
	}
	out, _ := stacks.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: name})
	for _, o := range out.Stacks[0].Outputs {
		if aws.ToString(o.OutputKey) == "DefaultSg" && !strings.HasPrefix(aws.ToString(o.OutputValue), "sg-") ||
			aws.ToString(o.OutputKey) == "NatIp" && aws.ToString(o.OutputValue) != ids["NatAddress"] {
			t.Errorf("output %s = %s", aws.ToString(o.OutputKey), aws.ToString(o.OutputValue))
		}
	}

	if _, err := stacks.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: name}); err != nil {
		t.Fatal(err)
	}
	deleted := cloudformation.NewStackDeleteCompleteWaiter(stacks, func(o *cloudformation.StackDeleteCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	})
	if err := deleted.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: name}, time.Minute); err != nil {
		t.Fatalf("stack-delete-complete: %v; events: %s", err, failedEvents(ctx, stacks, name))
	}
	_, err = network.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidVpcID.NotFound" {
		t.Errorf("the VPC after the stack's delete: %v", err)
	}
	if _, err := network.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{PublicIps: []string{ids["NatAddress"]}}); err == nil {
		t.Error("the Elastic IP outlived the stack")
	}
}

// failedEvents lists the stack's failure events, for a test's message.
func failedEvents(ctx context.Context, stacks *cloudformation.Client, name *string) string {
	out, err := stacks.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: name})
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	for _, ev := range out.StackEvents {
		if strings.HasSuffix(string(ev.ResourceStatus), "FAILED") {
			b.WriteString(aws.ToString(ev.LogicalResourceId) + ": " + aws.ToString(ev.ResourceStatusReason) + "; ")
		}
	}
	return b.String()
}

// cdkVpcTemplate is the CDK's own synthesis of a stock ec2.Vpc (the
// tutorial stack with -c vpc=new), cut to its network: the VPC and what
// it holds, the security groups, and Custom::VpcRestrictDefaultSG with the
// Lambda function and role that back it on AWS.
func cdkVpcTemplate(t *testing.T) string {
	body, err := os.ReadFile(filepath.Join("..", "cloudformation", "testdata", "cdk", "tutorial-new-vpc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(body, &tmpl); err != nil {
		t.Fatal(err)
	}
	resources := tmpl["Resources"].(map[string]any)
	for id, r := range resources {
		typ := r.(map[string]any)["Type"].(string)
		if !strings.HasPrefix(typ, "AWS::EC2::") && !strings.HasPrefix(typ, "Custom::") && !strings.HasPrefix(id, "CustomVpcRestrictDefaultSG") {
			delete(resources, id)
		}
	}
	delete(tmpl, "Outputs")
	out, _ := json.Marshal(tmpl)
	return string(out)
}

// TestStackOfCDKVpc deploys what a CDK ec2.Vpc synthesizes: the default
// security group ends without rules while the stack lives, and the stack
// deletes cleanly. Another Lambda-backed custom resource fails the stack
// with a clear reason.
func TestStackOfCDKVpc(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := e.Config("us-east-1")
	stacks := cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(e.URL) })
	network := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(e.URL) })
	fast := func(o *cloudformation.StackCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	}
	name := aws.String("TutorialStack")

	// The handler's code, as cdk deploy publishes it before the stack.
	objects := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(e.URL); o.UsePathStyle = true })
	if _, err := objects.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cdk-hnb659fds-assets-000000000000-us-east-1"),
		Key: aws.String("f178182c7c3aac6ad18bdaae53a2d38f72b2cf690d17b9efa635c7ce37f77d71.zip"), Body: strings.NewReader("PK")}); err != nil {
		t.Fatalf("publishing the handler's asset: %v", err)
	}
	if _, err := stacks.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: name, TemplateBody: aws.String(cdkVpcTemplate(t)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}}); err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	if err := cloudformation.NewStackCreateCompleteWaiter(stacks, fast).Wait(ctx, &cloudformation.DescribeStacksInput{StackName: name}, time.Minute); err != nil {
		t.Fatalf("stack-create-complete: %v; events: %s", err, failedEvents(ctx, stacks, name))
	}
	vpc, err := stacks.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: name, LogicalResourceId: aws.String("Vpc8378EB38")})
	if err != nil {
		t.Fatal(err)
	}
	groups, err := network.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{aws.ToString(vpc.StackResourceDetail.PhysicalResourceId)}},
		{Name: aws.String("group-name"), Values: []string{"default"}}}})
	if err != nil || len(groups.SecurityGroups) != 1 {
		t.Fatalf("the VPC's default group: %v %+v", err, groups)
	}
	if g := groups.SecurityGroups[0]; len(g.IpPermissions) != 0 || len(g.IpPermissionsEgress) != 0 {
		t.Errorf("the default group keeps rules: in %+v out %+v", g.IpPermissions, g.IpPermissionsEgress)
	}

	other := `{"Resources": {"Thing": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:000000000000:function:f"}}}}`
	if _, err := stacks.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("custom"), TemplateBody: aws.String(other)}); err != nil {
		t.Fatal(err)
	}
	err = cloudformation.NewStackCreateCompleteWaiter(stacks, fast).Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("custom")}, time.Minute)
	if reason := failedEvents(ctx, stacks, aws.String("custom")); err == nil || !strings.Contains(reason, "Thing: Custom resource Custom::Thing backed by Lambda is not supported") {
		t.Errorf("a Lambda-backed custom resource: waiter %v, events %s", err, reason)
	}

	if _, err := stacks.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: name}); err != nil {
		t.Fatal(err)
	}
	deleted := cloudformation.NewStackDeleteCompleteWaiter(stacks, func(o *cloudformation.StackDeleteCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	})
	if err := deleted.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: name}, time.Minute); err != nil {
		t.Fatalf("stack-delete-complete: %v; events: %s", err, failedEvents(ctx, stacks, name))
	}
	vpcs, err := network.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err != nil || len(vpcs.Vpcs) != 1 {
		t.Errorf("VPCs after the delete: %v %d, want only the default one", err, len(vpcs.Vpcs))
	}
}
