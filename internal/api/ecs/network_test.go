package ecs_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// fakeEC2 knows one subnet and one security group, as EC2 would answer.
func fakeEC2(region string, subnets, groups []string) error {
	for _, id := range subnets {
		if id != "subnet-0123456789abcdef0" {
			return &ecsapi.NetworkError{Kind: "subnet", IDs: subnets,
				Err: &smithy.GenericAPIError{Code: "InvalidSubnetID.NotFound", Message: "The subnet ID '" + id + "' does not exist"}}
		}
	}
	if i := slices.IndexFunc(groups, func(g string) bool { return g != "sg-0123456789abcdef0" }); i >= 0 {
		return &ecsapi.NetworkError{Kind: "security group", IDs: groups,
			Err: &smithy.GenericAPIError{Code: "InvalidGroup.NotFound", Message: "The security group '" + groups[i] + "' does not exist"}}
	}
	return nil
}

func TestAwsvpcIDsAreCheckedAgainstEC2(t *testing.T) {
	api := ecsapi.New(ecsapi.Options{Account: account, Logger: quietLogger(), Network: fakeEC2})
	srv := httptest.NewServer(server.New(server.Options{Services: []server.Service{{Spec: ecsapi.Spec, JSON: api}}, Region: region, AccountID: account, Logger: quietLogger()}).Handler())
	t.Cleanup(srv.Close)
	c := (&emulatortest.Emulator{URL: srv.URL}).ECS()
	ctx := context.Background()
	must(c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("net")}))(t)
	td := register(t, c, fargateTD("net"))
	network := func(subnet, group string) *types.NetworkConfiguration {
		cfg := &types.AwsVpcConfiguration{Subnets: []string{subnet}}
		if group != "" {
			cfg.SecurityGroups = []string{group}
		}
		return &types.NetworkConfiguration{AwsvpcConfiguration: cfg}
	}
	tests := []struct {
		name, subnet, group string
		check               errCheck
	}{
		{"unknown subnet", "subnet-12345678", "", errOf[*types.InvalidParameterException](
			"Error retrieving subnet information for [subnet-12345678]: The subnet ID 'subnet-12345678' does not exist (ErrorCode: InvalidSubnetID.NotFound)")},
		{"unknown security group", "subnet-0123456789abcdef0", "sg-12345678", errOf[*types.InvalidParameterException](
			"Error retrieving security group information for [sg-12345678]: The security group 'sg-12345678' does not exist (ErrorCode: InvalidGroup.NotFound)")},
	}
	for _, tc := range tests {
		t.Run("RunTask/"+tc.name, func(t *testing.T) {
			_, err := c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("net"), TaskDefinition: td.TaskDefinitionArn,
				LaunchType: types.LaunchTypeFargate, NetworkConfiguration: network(tc.subnet, tc.group)})
			tc.check(t, err)
		})
		t.Run("CreateService/"+tc.name, func(t *testing.T) {
			in := fargateService("net", "svc", *td.TaskDefinitionArn, 1)
			in.NetworkConfiguration = network(tc.subnet, tc.group)
			_, err := c.CreateService(ctx, in)
			tc.check(t, err)
		})
	}
	in := fargateService("net", "good", *td.TaskDefinitionArn, 0)
	in.NetworkConfiguration = network("subnet-0123456789abcdef0", "sg-0123456789abcdef0")
	must(c.CreateService(ctx, in))(t)
	_, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("net"), Service: aws.String("good"),
		NetworkConfiguration: network("subnet-0123456789abcdef0", "sg-87654321")})
	errLike[*types.InvalidParameterException]("The security group 'sg-87654321' does not exist (ErrorCode: InvalidGroup.NotFound)")(t, err)
}

// Tasks of one group spread over the configured subnets, each in its
// subnet's zone; without a zone lookup they stay in the region's zone a.
func TestTasksSpreadOverSubnets(t *testing.T) {
	zones := map[string]string{"subnet-0aaaaaaaaaaaaaaa1": "us-east-1a", "subnet-0bbbbbbbbbbbbbbb2": "us-east-1c"}
	for name, lookup := range map[string]func(string, string) string{
		"with EC2":    func(_, id string) string { return zones[id] },
		"without EC2": nil,
	} {
		t.Run(name, func(t *testing.T) {
			api := ecsapi.New(ecsapi.Options{Account: account, Logger: quietLogger(), SubnetZone: lookup})
			srv := httptest.NewServer(server.New(server.Options{Services: []server.Service{{Spec: ecsapi.Spec, JSON: api}}, Region: region, AccountID: account, Logger: quietLogger()}).Handler())
			t.Cleanup(srv.Close)
			c := (&emulatortest.Emulator{URL: srv.URL}).ECS()
			ctx := context.Background()
			must(c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("net")}))(t)
			td := register(t, c, fargateTD("net"))
			out := must(c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("net"), TaskDefinition: td.TaskDefinitionArn, Count: aws.Int32(3),
				LaunchType: types.LaunchTypeFargate, NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
					Subnets: []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"}}}}))(t)
			var got []string
			for _, task := range out.Tasks {
				subnet := ""
				for _, d := range task.Attachments[0].Details {
					if aws.ToString(d.Name) == "subnetId" {
						subnet = aws.ToString(d.Value)
					}
				}
				got = append(got, subnet+" "+aws.ToString(task.AvailabilityZone))
			}
			want := []string{"subnet-0aaaaaaaaaaaaaaa1 us-east-1a", "subnet-0bbbbbbbbbbbbbbb2 us-east-1c", "subnet-0aaaaaaaaaaaaaaa1 us-east-1a"}
			if lookup == nil {
				want[1] = "subnet-0bbbbbbbbbbbbbbb2 us-east-1a"
			}
			if !slices.Equal(got, want) {
				t.Errorf("tasks placed %v, want %v", got, want)
			}
		})
	}
}
