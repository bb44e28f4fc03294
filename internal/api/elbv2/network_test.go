package elbv2_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	elbapi "github.com/localaws/ecsemu/internal/api/elbv2"
)

// fakeNetwork is an EC2 with two VPCs: vpc-a has subnets in two zones
// and one in a zone taken twice; vpc-b has one subnet.
type fakeNetwork struct{}

var fakeSubnets = map[string]elbapi.Subnet{
	"subnet-a1": {ID: "subnet-a1", VpcID: "vpc-a", Zone: "us-east-1a"},
	"subnet-a2": {ID: "subnet-a2", VpcID: "vpc-a", Zone: "us-east-1b"},
	"subnet-a3": {ID: "subnet-a3", VpcID: "vpc-a", Zone: "us-east-1a"},
	"subnet-b1": {ID: "subnet-b1", VpcID: "vpc-b", Zone: "us-east-1c"},
}

func (fakeNetwork) Subnets(_ string, ids []string) ([]elbapi.Subnet, error) {
	var out []elbapi.Subnet
	for _, id := range ids {
		sn, ok := fakeSubnets[id]
		if !ok {
			return nil, &smithy.GenericAPIError{Code: "InvalidSubnetID.NotFound", Message: "The subnet ID '" + id + "' does not exist"}
		}
		out = append(out, sn)
	}
	return out, nil
}

func (fakeNetwork) SecurityGroupVPCs(_ string, ids []string) (map[string]string, error) {
	groups := map[string]string{"sg-a": "vpc-a", "sg-b": "vpc-b"}
	out := map[string]string{}
	for _, id := range ids {
		vpc, ok := groups[id]
		if !ok {
			return nil, &smithy.GenericAPIError{Code: "InvalidGroup.NotFound", Message: "The security group '" + id + "' does not exist"}
		}
		out[id] = vpc
	}
	return out, nil
}

func (fakeNetwork) VPCExists(_, id string) bool               { return id == "vpc-a" || id == "vpc-b" }
func (fakeNetwork) DefaultSecurityGroup(_, vpc string) string { return "sg-default-of-" + vpc }

func TestReferencesAreCheckedAgainstEC2(t *testing.T) {
	e := newEnv(t, func(o *elbapi.Options) { o.Network = fakeNetwork{} })
	ctx := context.Background()
	create := func(name string, subnets []string, groups []string) (*elasticloadbalancingv2.CreateLoadBalancerOutput, error) {
		return e.c.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: subnets, SecurityGroups: groups})
	}
	out, err := create("good", []string{"subnet-a2", "subnet-a1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lb := out.LoadBalancers[0]
	if *lb.VpcId != "vpc-a" || *lb.AvailabilityZones[0].ZoneName != "us-east-1a" || *lb.AvailabilityZones[1].SubnetId != "subnet-a2" ||
		len(lb.SecurityGroups) != 1 || lb.SecurityGroups[0] != "sg-default-of-vpc-a" {
		t.Errorf("load balancer %+v", lb)
	}
	tests := []struct {
		name    string
		subnets []string
		groups  []string
		check   errCheck
	}{
		{"unknown subnet", []string{"subnet-a1", "subnet-zz"}, nil, errOf[*types.SubnetNotFoundException]("The subnet ID 'subnet-zz' does not exist")},
		{"two VPCs", []string{"subnet-a1", "subnet-b1"}, nil, errOf[*types.InvalidConfigurationRequestException]("Subnets must all be in the same VPC")},
		{"two subnets in one zone", []string{"subnet-a1", "subnet-a3"}, nil, errOf[*types.InvalidConfigurationRequestException]("multiple subnets in the same Availability Zone")},
		{"unknown security group", []string{"subnet-a1", "subnet-a2"}, []string{"sg-zz"}, errOf[*types.InvalidSecurityGroupException]("The security group 'sg-zz' does not exist")},
		{"security group of another VPC", []string{"subnet-a1", "subnet-a2"}, []string{"sg-b"}, errOf[*types.InvalidSecurityGroupException]("Security group 'sg-b' does not belong to VPC 'vpc-a'")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := create("bad", tc.subnets, tc.groups)
			tc.check(t, err)
		})
	}
	_, err = e.c.SetSubnets(ctx, &elasticloadbalancingv2.SetSubnetsInput{LoadBalancerArn: lb.LoadBalancerArn, Subnets: []string{"subnet-b1", "subnet-a2"}})
	errOf[*types.InvalidConfigurationRequestException]("Subnets must all be in the same VPC")(t, err)
	_, err = e.c.SetSecurityGroups(ctx, &elasticloadbalancingv2.SetSecurityGroupsInput{LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: []string{"sg-b"}})
	errOf[*types.InvalidSecurityGroupException]("does not belong to VPC 'vpc-a'")(t, err)
	if _, err := e.c.SetSecurityGroups(ctx, &elasticloadbalancingv2.SetSecurityGroupsInput{LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: []string{"sg-a"}}); err != nil {
		t.Error(err)
	}
	in := httpTG("tg")
	in.VpcId = aws.String("vpc-nope")
	_, err = e.c.CreateTargetGroup(ctx, in)
	validation("The VPC ID 'vpc-nope' is not found")(t, err)
	in.VpcId = aws.String("vpc-b")
	if _, err := e.c.CreateTargetGroup(ctx, in); err != nil {
		t.Error(err)
	}
}
