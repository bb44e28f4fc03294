package ecs_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

const asgARN = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1:autoScalingGroupName/asg"

// A custom capacity provider is a stored resource: created with tags,
// described, named by a cluster and a strategy, updated, refused deletion
// while a cluster names it, then INACTIVE.
func TestCustomCapacityProviderLifecycle(t *testing.T) {
	c := startStatic(t)
	ctx := context.Background()
	out := must(c.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{
		Name:                     aws.String("cp1"),
		AutoScalingGroupProvider: &types.AutoScalingGroupProvider{AutoScalingGroupArn: aws.String(asgARN)},
		Tags:                     []types.Tag{tag("team", "a")},
	}))(t)
	cp := out.CapacityProvider
	if aws.ToString(cp.CapacityProviderArn) != arnOf("capacity-provider/cp1") || cp.Status != types.CapacityProviderStatusActive ||
		cp.AutoScalingGroupProvider.ManagedScaling.Status != types.ManagedScalingStatusDisabled || tagsOf(cp.Tags)["team"] != "a" {
		t.Errorf("created: %+v", cp)
	}
	_, err := c.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("cp1"),
		AutoScalingGroupProvider: &types.AutoScalingGroupProvider{AutoScalingGroupArn: aws.String(asgARN)}})
	errLike[*types.ClientException]("already exists")(t, err)
	_, err = c.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("fargate-mine"),
		AutoScalingGroupProvider: &types.AutoScalingGroupProvider{AutoScalingGroupArn: aws.String(asgARN)}})
	errLike[*types.InvalidParameterException]("cannot be prefixed")(t, err)

	desc := must(c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{Include: []types.CapacityProviderField{types.CapacityProviderFieldTags}}))(t)
	var names []string
	for _, p := range desc.CapacityProviders {
		names = append(names, aws.ToString(p.Name))
	}
	equalStrings(t, "capacity providers", names, []string{"FARGATE", "FARGATE_SPOT", "cp1"})
	if tagsOf(desc.CapacityProviders[2].Tags)["team"] != "a" {
		t.Errorf("tags not described: %+v", desc.CapacityProviders[2])
	}
	tagged := must(c.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: cp.CapacityProviderArn}))(t)
	if tagsOf(tagged.Tags)["team"] != "a" {
		t.Errorf("ListTagsForResource: %v", tagged.Tags)
	}

	createCluster(t, c, "cpc")
	must(c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("cpc"),
		CapacityProviders: []string{"cp1", "FARGATE"}, DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("cp1"), Weight: 1}}}))(t)
	td := register(t, c, ec2TD("cp"))
	run := must(c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("cpc"), TaskDefinition: td.TaskDefinitionArn,
		CapacityProviderStrategy: []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("cp1"), Weight: 1}}}))(t)
	if len(run.Tasks) != 1 || aws.ToString(run.Tasks[0].CapacityProviderName) != "cp1" || run.Tasks[0].LaunchType != types.LaunchTypeEc2 {
		t.Errorf("a task on cp1: %+v", run.Tasks)
	}

	upd := must(c.UpdateCapacityProvider(ctx, &ecs.UpdateCapacityProviderInput{Name: aws.String("cp1"),
		AutoScalingGroupProvider: &types.AutoScalingGroupProviderUpdate{ManagedScaling: &types.ManagedScaling{Status: types.ManagedScalingStatusEnabled, TargetCapacity: aws.Int32(80)}}}))(t)
	if ms := upd.CapacityProvider.AutoScalingGroupProvider.ManagedScaling; ms.Status != types.ManagedScalingStatusEnabled || aws.ToInt32(ms.TargetCapacity) != 80 || upd.CapacityProvider.UpdateStatus != types.CapacityProviderUpdateStatusUpdateComplete {
		t.Errorf("updated: %+v", upd.CapacityProvider)
	}

	_, err = c.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderInput{CapacityProvider: aws.String("cp1")})
	errLike[*types.InvalidParameterException]("in use")(t, err)
	must(c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("cpc"),
		CapacityProviders: []string{"FARGATE"}, DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{}}))(t)
	del := must(c.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderInput{CapacityProvider: cp.CapacityProviderArn}))(t)
	if del.CapacityProvider.Status != types.CapacityProviderStatusInactive {
		t.Errorf("deleted: %+v", del.CapacityProvider)
	}
	_, err = c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("cpc"),
		CapacityProviders: []string{"cp1"}, DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{}})
	errLike[*types.InvalidParameterException]("not in an ACTIVE state")(t, err)
	_, err = c.UpdateCapacityProvider(ctx, &ecs.UpdateCapacityProviderInput{Name: aws.String("cp1"), AutoScalingGroupProvider: &types.AutoScalingGroupProviderUpdate{}})
	errLike[*types.InvalidParameterException]("does not exist")(t, err)
}

// ListAccountSettings refuses a setting name ECS does not have.
func TestListAccountSettingsUnknownName(t *testing.T) {
	c := startStatic(t)
	_, err := c.ListAccountSettings(context.Background(), &ecs.ListAccountSettingsInput{Name: "noSuchSetting"})
	errLike[*types.InvalidParameterException]("at 'name' failed to satisfy constraint")(t, err)
	must(c.ListAccountSettings(context.Background(), &ecs.ListAccountSettingsInput{Name: types.SettingNameAwsvpcTrunking}))(t)
}

// Attributes belong to container instances, of which there are none.
func TestAttributesWithoutContainerInstances(t *testing.T) {
	c := startStatic(t)
	ctx := context.Background()
	createCluster(t, c, "attr")
	attr := []types.Attribute{{Name: aws.String("stack"), Value: aws.String("prod"), TargetId: aws.String("abcd1234")}}
	_, err := c.PutAttributes(ctx, &ecs.PutAttributesInput{Cluster: aws.String("attr"), Attributes: attr})
	errOf[*types.TargetNotFoundException]("Could not find the specified target: abcd1234.")(t, err)
	_, err = c.DeleteAttributes(ctx, &ecs.DeleteAttributesInput{Cluster: aws.String("attr"), Attributes: attr})
	errOf[*types.TargetNotFoundException]("Could not find the specified target: abcd1234.")(t, err)
	_, err = c.PutAttributes(ctx, &ecs.PutAttributesInput{Cluster: aws.String("nope"), Attributes: attr})
	requireErr[*types.ClusterNotFoundException](t, err, "")
	_, err = c.PutAttributes(ctx, &ecs.PutAttributesInput{Cluster: aws.String("attr"), Attributes: []types.Attribute{{Name: aws.String("-bad")}}})
	errLike[*types.InvalidParameterException]("is invalid")(t, err)
	list := must(c.ListAttributes(ctx, &ecs.ListAttributesInput{Cluster: aws.String("attr"), TargetType: types.TargetTypeContainerInstance}))(t)
	if len(list.Attributes) != 0 {
		t.Errorf("attributes: %v", list.Attributes)
	}
	_, err = c.ListAttributes(ctx, &ecs.ListAttributesInput{Cluster: aws.String("attr"), TargetType: "nope"})
	errLike[*types.InvalidParameterException]("targetType")(t, err)
}

// DiscoverPollEndpoint answers ECS's endpoints for the region.
func TestDiscoverPollEndpoint(t *testing.T) {
	c := startStatic(t)
	out := must(c.DiscoverPollEndpoint(context.Background(), &ecs.DiscoverPollEndpointInput{}))(t)
	if aws.ToString(out.Endpoint) != "https://ecs-a-1.us-east-1.amazonaws.com/" || aws.ToString(out.TelemetryEndpoint) != "https://ecs-t-1.us-east-1.amazonaws.com/" {
		t.Errorf("endpoints: %s %s", aws.ToString(out.Endpoint), aws.ToString(out.TelemetryEndpoint))
	}
	_, err := c.DiscoverPollEndpoint(context.Background(), &ecs.DiscoverPollEndpointInput{Cluster: aws.String("nope")})
	requireErr[*types.ClusterNotFoundException](t, err, "")
}
