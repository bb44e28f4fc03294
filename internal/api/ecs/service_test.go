package ecs_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
)

var deploymentID = regexp.MustCompile(`^ecs-svc/\d{19}$`)

func TestCreateServiceDefaults(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	createCluster(t, c, "dev")
	td := register(t, c, fargateTD("web"))

	in := fargateService("dev", "web", "web", 2) // the family resolves to web:1
	in.Tags = []types.Tag{tag("team", "a")}
	svc := createService(t, c, in)

	checks := []struct {
		what      string
		got, want any
	}{
		{"serviceArn", aws.ToString(svc.ServiceArn), arnOf("service/dev/web")},
		{"clusterArn", aws.ToString(svc.ClusterArn), arnOf("cluster/dev")},
		{"status", aws.ToString(svc.Status), "ACTIVE"},
		{"taskDefinition", aws.ToString(svc.TaskDefinition), aws.ToString(td.TaskDefinitionArn)},
		{"desiredCount", svc.DesiredCount, int32(2)},
		{"runningCount", svc.RunningCount, int32(0)},
		{"launchType", svc.LaunchType, types.LaunchTypeFargate},
		{"platformVersion", aws.ToString(svc.PlatformVersion), "LATEST"},
		{"schedulingStrategy", svc.SchedulingStrategy, types.SchedulingStrategyReplica},
		{"deploymentController", svc.DeploymentController.Type, types.DeploymentControllerTypeEcs},
		{"propagateTags", svc.PropagateTags, types.PropagateTagsNone},
		{"enableECSManagedTags", svc.EnableECSManagedTags, false},
		{"maximumPercent", aws.ToInt32(svc.DeploymentConfiguration.MaximumPercent), int32(200)},
		{"minimumHealthyPercent", aws.ToInt32(svc.DeploymentConfiguration.MinimumHealthyPercent), int32(100)},
		{"circuit breaker", fmt.Sprintf("%+v", svc.DeploymentConfiguration.DeploymentCircuitBreaker), fmt.Sprintf("%+v", &types.DeploymentCircuitBreaker{})},
		{"strategy", svc.DeploymentConfiguration.Strategy, types.DeploymentStrategyRolling},
		{"loadBalancers", fmt.Sprint(svc.LoadBalancers == nil, len(svc.LoadBalancers)), "false 0"},
		{"serviceRegistries", fmt.Sprint(svc.ServiceRegistries == nil, len(svc.ServiceRegistries)), "false 0"},
		{"tags", tagsOf(svc.Tags)["team"], "a"},
		{"deployments", len(svc.Deployments), 1},
		{"assignPublicIp", svc.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, types.AssignPublicIpDisabled},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %v, want %v", ck.what, ck.got, ck.want)
		}
	}
	if len(svc.Deployments) == 1 {
		d := svc.Deployments[0]
		if aws.ToString(d.Status) != "PRIMARY" || d.RolloutState != types.DeploymentRolloutStateInProgress || !deploymentID.MatchString(aws.ToString(d.Id)) {
			t.Errorf("deployment = %s %s %s, want PRIMARY IN_PROGRESS ecs-svc/<19 digits>", aws.ToString(d.Status), d.RolloutState, aws.ToString(d.Id))
		}
		if aws.ToString(d.TaskDefinition) != aws.ToString(td.TaskDefinitionArn) || d.DesiredCount != 2 || d.NetworkConfiguration == nil {
			t.Errorf("deployment = %s desired %d network %v", aws.ToString(d.TaskDefinition), d.DesiredCount, d.NetworkConfiguration)
		}
	}

	t.Run("EC2 when nothing says otherwise", func(t *testing.T) {
		ec2 := register(t, c, ec2TD("plain"))
		svc := createService(t, c, &ecs.CreateServiceInput{Cluster: aws.String("dev"), ServiceName: aws.String("plain"), TaskDefinition: ec2.TaskDefinitionArn, DesiredCount: aws.Int32(0)})
		if svc.LaunchType != types.LaunchTypeEc2 || svc.PlatformVersion != nil || svc.NetworkConfiguration != nil {
			t.Errorf("launchType %s platformVersion %v network %v; want EC2 and neither", svc.LaunchType, svc.PlatformVersion, svc.NetworkConfiguration)
		}
	})

	t.Run("given deployment configuration is kept", func(t *testing.T) {
		in := fargateService("dev", "custom", "web", 0)
		in.DeploymentConfiguration = &types.DeploymentConfiguration{
			MaximumPercent: aws.Int32(150), MinimumHealthyPercent: aws.Int32(50),
			DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true},
		}
		dc := createService(t, c, in).DeploymentConfiguration
		if aws.ToInt32(dc.MaximumPercent) != 150 || aws.ToInt32(dc.MinimumHealthyPercent) != 50 || !dc.DeploymentCircuitBreaker.Enable || !dc.DeploymentCircuitBreaker.Rollback {
			t.Errorf("deploymentConfiguration = %+v", dc)
		}
	})

	t.Run("capacity provider strategy", func(t *testing.T) {
		in := fargateService("dev", "spot", "web", 0)
		in.LaunchType = ""
		in.CapacityProviderStrategy = []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 1}}
		svc := createService(t, c, in)
		if svc.LaunchType != "" || len(svc.CapacityProviderStrategy) != 1 {
			t.Errorf("launchType %q strategy %v; want no launch type and the strategy", svc.LaunchType, svc.CapacityProviderStrategy)
		}
	})
}

func TestCreateServiceIdempotency(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))

	in := fargateService("dev", "svc", "web", 0)
	in.ClientToken = aws.String("token-1")
	first := createService(t, c, in)
	again := createService(t, c, in)
	if aws.ToString(first.ServiceArn) != aws.ToString(again.ServiceArn) || aws.ToString(first.Deployments[0].Id) != aws.ToString(again.Deployments[0].Id) {
		t.Errorf("retry with the same clientToken made a new service or deployment")
	}

	for _, token := range []*string{aws.String("token-2"), nil} {
		in := fargateService("dev", "svc", "web", 0)
		in.ClientToken = token
		_, err := c.CreateService(ctx, in)
		requireErr[*types.InvalidParameterException](t, err, "Creation of service was not idempotent.")
	}

	// The name of an INACTIVE service can be reused.
	must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc")}))(t)
	waitServiceStatus(t, c, "dev", "svc", "INACTIVE")
	svc := createService(t, c, fargateService("dev", "svc", "web", 0))
	if aws.ToString(svc.Status) != "ACTIVE" || aws.ToString(svc.Deployments[0].Id) == aws.ToString(first.Deployments[0].Id) {
		t.Errorf("recreated service = %s deployment %s", aws.ToString(svc.Status), aws.ToString(svc.Deployments[0].Id))
	}
}

// A DRAINING service still holds its name.
func TestCreateServiceWhileDraining(t *testing.T) {
	t.Parallel()
	c := startStatic(t) // without a reconciler the service stays DRAINING
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))
	createService(t, c, fargateService("dev", "svc", "web", 0))
	must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc")}))(t)
	_, err := c.CreateService(ctx, fargateService("dev", "svc", "web", 0))
	requireErr[*types.InvalidParameterException](t, err, "Creation of service was not idempotent.")
	// And it cannot be updated.
	_, err = c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"), DesiredCount: aws.Int32(1)})
	requireErr[*types.ServiceNotActiveException](t, err, "Service was not ACTIVE.")
	// Deleting it again is not an error.
	out := must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc")}))(t)
	if aws.ToString(out.Service.Status) != "DRAINING" {
		t.Errorf("status = %s, want DRAINING", aws.ToString(out.Service.Status))
	}
}

// waitServiceStatus polls DescribeServices until the service has status.
func waitServiceStatus(t *testing.T, c *ecs.Client, cluster, name, status string) {
	t.Helper()
	eventually(t, name+" is "+status, func() bool {
		out := must(c.DescribeServices(t.Context(), &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{name}}))(t)
		return len(out.Services) == 1 && aws.ToString(out.Services[0].Status) == status
	})
}

func TestCreateServiceValidation(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))
	register(t, c, ec2TD("bridge"))
	register(t, c, fargateTD("old"))
	must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("old:1")}))(t)

	edit := func(f func(*ecs.CreateServiceInput)) *ecs.CreateServiceInput {
		in := fargateService("dev", "svc", "web", 1)
		f(in)
		return in
	}
	tests := []struct {
		name  string
		in    *ecs.CreateServiceInput
		check errCheck
	}{
		{"unknown cluster", edit(func(in *ecs.CreateServiceInput) { in.Cluster = aws.String("nope") }), errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"bad name", edit(func(in *ecs.CreateServiceInput) { in.ServiceName = aws.String("a/b") }), errOf[*types.InvalidParameterException]("")},
		{"awsvpc without network configuration", edit(func(in *ecs.CreateServiceInput) { in.NetworkConfiguration = nil }),
			errOf[*types.InvalidParameterException]("Network Configuration must be provided when networkMode 'awsvpc' is specified.")},
		{"awsvpc without subnets", edit(func(in *ecs.CreateServiceInput) {
			in.NetworkConfiguration = &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{}}}
		}), errOf[*types.InvalidParameterException]("subnets can not be empty.")},
		{"launch type and capacity provider strategy", edit(func(in *ecs.CreateServiceInput) {
			in.CapacityProviderStrategy = []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE"), Weight: 1}}
		}), errOf[*types.InvalidParameterException]("Specify either Launch Type or Capacity Provider Strategy, but not both.")},
		{"unknown task definition", edit(func(in *ecs.CreateServiceInput) { in.TaskDefinition = aws.String("nope:1") }), errOf[*types.ClientException]("TaskDefinition not found.")},
		{"INACTIVE task definition", edit(func(in *ecs.CreateServiceInput) { in.TaskDefinition = aws.String("old:1") }), errOf[*types.ClientException]("TaskDefinition is inactive")},
		{"FARGATE with a bridge task definition", edit(func(in *ecs.CreateServiceInput) {
			in.TaskDefinition, in.NetworkConfiguration = aws.String("bridge"), nil
		}),
			errOf[*types.InvalidParameterException]("")},
		{"load balancer names an unknown container", edit(func(in *ecs.CreateServiceInput) {
			in.LoadBalancers = []types.LoadBalancer{{TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123456789abcdef"), ContainerName: aws.String("db"), ContainerPort: aws.Int32(80)}}
		}), errOf[*types.InvalidParameterException]("The container db did not have a container port 80 defined.")},
		{"load balancer names an unknown port", edit(func(in *ecs.CreateServiceInput) {
			in.LoadBalancers = []types.LoadBalancer{{TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123456789abcdef"), ContainerName: aws.String("app"), ContainerPort: aws.Int32(8080)}}
		}), errOf[*types.InvalidParameterException]("The container app did not have a container port 8080 defined.")},
		{"load balancer without container", edit(func(in *ecs.CreateServiceInput) {
			in.LoadBalancers = []types.LoadBalancer{{TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123456789abcdef")}}
		}), errOf[*types.InvalidParameterException]("")},
		{"no desiredCount for REPLICA", edit(func(in *ecs.CreateServiceInput) { in.DesiredCount = nil }), errOf[*types.InvalidParameterException]("")},
		{"negative desiredCount", edit(func(in *ecs.CreateServiceInput) { in.DesiredCount = aws.Int32(-1) }), errOf[*types.InvalidParameterException]("")},
		{"minimumHealthyPercent above maximumPercent", edit(func(in *ecs.CreateServiceInput) {
			in.DeploymentConfiguration = &types.DeploymentConfiguration{MaximumPercent: aws.Int32(50), MinimumHealthyPercent: aws.Int32(100)}
		}), errOf[*types.InvalidParameterException]("")},
		{"clientToken longer than 36", edit(func(in *ecs.CreateServiceInput) { in.ClientToken = aws.String(strings.Repeat("x", 37)) }), errOf[*types.InvalidParameterException]("")},
		{"negative grace period", edit(func(in *ecs.CreateServiceInput) { in.HealthCheckGracePeriodSeconds = aws.Int32(-1) }), errOf[*types.InvalidParameterException]("")},
		{"DAEMON on FARGATE", edit(func(in *ecs.CreateServiceInput) {
			in.SchedulingStrategy, in.DesiredCount = types.SchedulingStrategyDaemon, nil
		}), errOf[*types.InvalidParameterException]("")},
		{"aws: tag", edit(func(in *ecs.CreateServiceInput) { in.Tags = []types.Tag{tag("aws:x", "y")} }), errOf[*types.InvalidParameterException]("")},
		{"CODE_DEPLOY controller", edit(func(in *ecs.CreateServiceInput) {
			in.DeploymentController = &types.DeploymentController{Type: types.DeploymentControllerTypeCodeDeploy}
		}), errOf[*types.UnsupportedFeatureException]("")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateService(ctx, tc.in)
			tc.check(t, err)
		})
	}
	list := must(c.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("dev")}))(t)
	if len(list.ServiceArns) != 0 {
		t.Errorf("failed creations left services behind: %v", list.ServiceArns)
	}
}

func TestUpdateService(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	v1 := register(t, c, fargateTD("web"))
	v2 := register(t, c, fargateTD("web"))
	register(t, c, fargateTD("old"))
	must(c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("old:1")}))(t)
	created := createService(t, c, fargateService("dev", "svc", *v1.TaskDefinitionArn, 0))
	firstID := aws.ToString(created.Deployments[0].Id)

	update := func(in *ecs.UpdateServiceInput) *types.Service {
		t.Helper()
		in.Cluster, in.Service = aws.String("dev"), aws.String("svc")
		return must(c.UpdateService(ctx, in))(t).Service
	}

	t.Run("desiredCount alone starts no deployment", func(t *testing.T) {
		svc := update(&ecs.UpdateServiceInput{DesiredCount: aws.Int32(3)})
		if svc.DesiredCount != 3 || len(svc.Deployments) != 1 || aws.ToString(svc.Deployments[0].Id) != firstID {
			t.Errorf("desired %d, deployments %d (first %s); want 3 and the one deployment %s", svc.DesiredCount, len(svc.Deployments), aws.ToString(svc.Deployments[0].Id), firstID)
		}
		if svc.Deployments[0].DesiredCount != 3 {
			t.Errorf("primary deployment desiredCount = %d, want 3", svc.Deployments[0].DesiredCount)
		}
		update(&ecs.UpdateServiceInput{DesiredCount: aws.Int32(0)})
	})

	t.Run("same task definition starts no deployment", func(t *testing.T) {
		svc := update(&ecs.UpdateServiceInput{TaskDefinition: v1.TaskDefinitionArn})
		if len(svc.Deployments) != 1 {
			t.Errorf("deployments = %d, want 1", len(svc.Deployments))
		}
	})

	var secondID string
	t.Run("new task definition starts a PRIMARY deployment", func(t *testing.T) {
		svc := update(&ecs.UpdateServiceInput{TaskDefinition: v2.TaskDefinitionArn})
		if aws.ToString(svc.TaskDefinition) != aws.ToString(v2.TaskDefinitionArn) {
			t.Errorf("taskDefinition = %s", aws.ToString(svc.TaskDefinition))
		}
		if len(svc.Deployments) != 2 {
			t.Fatalf("deployments = %d, want 2", len(svc.Deployments))
		}
		d0, d1 := svc.Deployments[0], svc.Deployments[1]
		secondID = aws.ToString(d0.Id)
		if aws.ToString(d0.Status) != "PRIMARY" || aws.ToString(d0.TaskDefinition) != aws.ToString(v2.TaskDefinitionArn) ||
			d0.RolloutState != types.DeploymentRolloutStateInProgress || !deploymentID.MatchString(secondID) || secondID == firstID {
			t.Errorf("new deployment = %s %s %s %s", aws.ToString(d0.Id), aws.ToString(d0.Status), aws.ToString(d0.TaskDefinition), d0.RolloutState)
		}
		if aws.ToString(d1.Status) != "ACTIVE" || aws.ToString(d1.Id) != firstID {
			t.Errorf("old deployment = %s %s, want %s ACTIVE", aws.ToString(d1.Id), aws.ToString(d1.Status), firstID)
		}
	})

	t.Run("forceNewDeployment", func(t *testing.T) {
		svc := update(&ecs.UpdateServiceInput{ForceNewDeployment: true})
		d0 := svc.Deployments[0]
		if aws.ToString(d0.Status) != "PRIMARY" || aws.ToString(d0.Id) == secondID || aws.ToString(d0.TaskDefinition) != aws.ToString(v2.TaskDefinitionArn) {
			t.Errorf("forced deployment = %s %s %s", aws.ToString(d0.Id), aws.ToString(d0.Status), aws.ToString(d0.TaskDefinition))
		}
		for _, d := range svc.Deployments[1:] {
			if aws.ToString(d.Status) != "ACTIVE" {
				t.Errorf("older deployment %s is %s, want ACTIVE", aws.ToString(d.Id), aws.ToString(d.Status))
			}
		}
	})

	t.Run("capacity provider strategy starts a deployment", func(t *testing.T) {
		before := update(&ecs.UpdateServiceInput{})
		svc := update(&ecs.UpdateServiceInput{CapacityProviderStrategy: []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 1}}})
		if svc.LaunchType != "" || len(svc.CapacityProviderStrategy) != 1 || aws.ToString(svc.CapacityProviderStrategy[0].CapacityProvider) != "FARGATE_SPOT" {
			t.Errorf("launchType %q strategy %v; want the strategy instead of a launch type", svc.LaunchType, svc.CapacityProviderStrategy)
		}
		d0 := svc.Deployments[0]
		if aws.ToString(d0.Id) == aws.ToString(before.Deployments[0].Id) || len(d0.CapacityProviderStrategy) != 1 {
			t.Errorf("deployment %s strategy %v; want a new one on FARGATE_SPOT", aws.ToString(d0.Id), d0.CapacityProviderStrategy)
		}
		_, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"),
			CapacityProviderStrategy: []types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("MINE"), Weight: 1}}})
		requireErr[*types.InvalidParameterException](t, err, "")
	})

	t.Run("new network configuration", func(t *testing.T) {
		_, subnets, sg := ec2api.DefaultVPCIDs(account, region)
		nc := &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: subnets[1:2], SecurityGroups: []string{sg}}}
		svc := update(&ecs.UpdateServiceInput{NetworkConfiguration: nc})
		got := svc.NetworkConfiguration.AwsvpcConfiguration
		if got.Subnets[0] != subnets[1] || got.AssignPublicIp != types.AssignPublicIpDisabled {
			t.Errorf("network = %+v", got)
		}
		if d := svc.Deployments[0]; d.NetworkConfiguration.AwsvpcConfiguration.Subnets[0] != subnets[1] {
			t.Errorf("new deployment's network = %+v", d.NetworkConfiguration.AwsvpcConfiguration)
		}
		_, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"),
			NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{}}}})
		requireErr[*types.InvalidParameterException](t, err, "subnets can not be empty.")
	})

	t.Run("settings", func(t *testing.T) {
		svc := update(&ecs.UpdateServiceInput{
			DeploymentConfiguration:       &types.DeploymentConfiguration{MaximumPercent: aws.Int32(100), MinimumHealthyPercent: aws.Int32(0)},
			HealthCheckGracePeriodSeconds: aws.Int32(30), EnableExecuteCommand: aws.Bool(true), PropagateTags: types.PropagateTagsService,
		})
		dc := svc.DeploymentConfiguration
		if aws.ToInt32(dc.MaximumPercent) != 100 || aws.ToInt32(dc.MinimumHealthyPercent) != 0 || dc.DeploymentCircuitBreaker == nil || dc.Strategy != types.DeploymentStrategyRolling {
			t.Errorf("deploymentConfiguration = %+v", dc)
		}
		if aws.ToInt32(svc.HealthCheckGracePeriodSeconds) != 30 || !svc.EnableExecuteCommand || svc.PropagateTags != types.PropagateTagsService {
			t.Errorf("grace %v exec %v propagate %s", svc.HealthCheckGracePeriodSeconds, svc.EnableExecuteCommand, svc.PropagateTags)
		}
	})

	must(c.CreateService(ctx, fargateService("dev", "deleted", "web", 0)))(t)
	must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("deleted")}))(t)

	errs := []struct {
		name  string
		in    ecs.UpdateServiceInput
		check errCheck
	}{
		{"unknown service", ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("nope"), DesiredCount: aws.Int32(1)}, errOf[*types.ServiceNotFoundException]("Service not found.")},
		{"unknown cluster", ecs.UpdateServiceInput{Cluster: aws.String("nope"), Service: aws.String("svc"), DesiredCount: aws.Int32(1)}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		// DRAINING, or already INACTIVE: either way no longer ACTIVE.
		{"deleted service", ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("deleted"), DesiredCount: aws.Int32(1)}, errOf[*types.ServiceNotActiveException]("Service was not ACTIVE.")},
		{"INACTIVE task definition", ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"), TaskDefinition: aws.String("old:1")}, errOf[*types.ClientException]("TaskDefinition is inactive")},
		{"unknown task definition", ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"), TaskDefinition: aws.String("nope:1")}, errOf[*types.ClientException]("TaskDefinition not found.")},
		{"negative desiredCount", ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"), DesiredCount: aws.Int32(-1)}, errOf[*types.InvalidParameterException]("")},
		{"bad deployment configuration", ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"),
			DeploymentConfiguration: &types.DeploymentConfiguration{MinimumHealthyPercent: aws.Int32(101)}}, errOf[*types.InvalidParameterException]("")},
		{"load balancer names an unknown port", ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"),
			LoadBalancers: []types.LoadBalancer{{TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123456789abcdef"), ContainerName: aws.String("app"), ContainerPort: aws.Int32(81)}}},
			errOf[*types.InvalidParameterException]("The container app did not have a container port 81 defined.")},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.UpdateService(ctx, &tc.in)
			tc.check(t, err)
		})
	}

	t.Run("INACTIVE service", func(t *testing.T) {
		waitServiceStatus(t, c, "dev", "deleted", "INACTIVE")
		_, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("deleted"), DesiredCount: aws.Int32(1)})
		requireErr[*types.ServiceNotActiveException](t, err, "Service was not ACTIVE.")
	})
}

func TestDeleteService(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))

	t.Run("scaled above 0 needs force", func(t *testing.T) {
		createService(t, c, fargateService("dev", "big", "web", 2))
		_, err := c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("big")})
		requireErr[*types.InvalidParameterException](t, err, "The service cannot be stopped while it is scaled above 0.")
		out := must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String(arnOf("service/dev/big")), Force: aws.Bool(true)}))(t)
		if aws.ToString(out.Service.Status) != "DRAINING" || out.Service.DesiredCount != 0 {
			t.Errorf("status %s desired %d, want DRAINING 0", aws.ToString(out.Service.Status), out.Service.DesiredCount)
		}
	})

	t.Run("at 0 without force, then INACTIVE", func(t *testing.T) {
		createService(t, c, fargateService("dev", "small", "web", 0))
		out := must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("small")}))(t)
		if aws.ToString(out.Service.Status) != "DRAINING" {
			t.Errorf("status = %s, want DRAINING", aws.ToString(out.Service.Status))
		}
		list := must(c.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("dev")}))(t)
		for _, arn := range list.ServiceArns {
			if arn == arnOf("service/dev/small") {
				t.Error("ListServices lists a DRAINING service")
			}
		}
		waitServiceStatus(t, c, "dev", "small", "INACTIVE")
		// Deleting it again answers with the INACTIVE service.
		again := must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("small")}))(t)
		if aws.ToString(again.Service.Status) != "INACTIVE" {
			t.Errorf("second delete: status %s, want INACTIVE", aws.ToString(again.Service.Status))
		}
	})

	for _, tc := range []struct {
		name  string
		in    ecs.DeleteServiceInput
		check errCheck
	}{
		{"unknown service", ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("nope")}, errOf[*types.ServiceNotFoundException]("Service not found.")},
		{"unknown cluster", ecs.DeleteServiceInput{Cluster: aws.String("nope"), Service: aws.String("big")}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.DeleteService(ctx, &tc.in)
			tc.check(t, err)
		})
	}
}

func TestDescribeServices(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))
	in := fargateService("dev", "a", "web", 0)
	in.Tags = []types.Tag{tag("k", "v")}
	createService(t, c, in)
	createService(t, c, fargateService("dev", "b", "web", 0))

	t.Run("names, ARNs and failures", func(t *testing.T) {
		out := must(c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("dev"), Services: []string{"a", arnOf("service/dev/b"), "nope"}}))(t)
		if len(out.Services) != 2 || aws.ToString(out.Services[0].ServiceName) != "a" || aws.ToString(out.Services[1].ServiceName) != "b" {
			t.Errorf("services = %d", len(out.Services))
		}
		equalStrings(t, "failures", failureReasons(out.Failures), []string{arnOf("service/dev/nope") + " MISSING"})
		if out.Services[0].Tags != nil {
			t.Errorf("tags = %v without include TAGS", out.Services[0].Tags)
		}
	})

	t.Run("include TAGS", func(t *testing.T) {
		out := must(c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("dev"), Services: []string{"a"}, Include: []types.ServiceField{types.ServiceFieldTags}}))(t)
		if got := tagsOf(out.Services[0].Tags); got["k"] != "v" {
			t.Errorf("tags = %v", got)
		}
	})

	t.Run("default cluster", func(t *testing.T) {
		_, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Services: []string{"a"}})
		requireErr[*types.ClusterNotFoundException](t, err, "Cluster not found.")
	})

	for _, tc := range []struct {
		name     string
		services []string
	}{
		{"empty", []string{}},
		{"more than 10", strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("dev"), Services: tc.services})
			requireErr[*types.InvalidParameterException](t, err, "")
		})
	}
}

func TestListServices(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))
	register(t, c, ec2TD("plain"))
	var want []string
	for i := range 24 {
		want = append(want, *createService(t, c, fargateService("dev", fmt.Sprintf("svc-%02d", i), "web", 0)).ServiceArn)
	}
	ec2 := createService(t, c, &ecs.CreateServiceInput{Cluster: aws.String("dev"), ServiceName: aws.String("svc-ec2"), TaskDefinition: aws.String("plain"), DesiredCount: aws.Int32(0)})
	want = append(want, *ec2.ServiceArn)
	createService(t, c, fargateService("dev", "zz-deleted", "web", 0))
	must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("dev"), Service: aws.String("zz-deleted")}))(t)

	t.Run("default page is 10", func(t *testing.T) {
		out := must(c.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("dev")}))(t)
		equalStrings(t, "first page", out.ServiceArns, want[:10])
		if out.NextToken == nil {
			t.Fatal("no nextToken")
		}
		next := must(c.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("dev"), NextToken: out.NextToken}))(t)
		equalStrings(t, "second page", next.ServiceArns, want[10:20])
	})

	t.Run("paginator", func(t *testing.T) {
		p := ecs.NewListServicesPaginator(c, &ecs.ListServicesInput{Cluster: aws.String("dev"), MaxResults: aws.Int32(7)})
		var got []string
		for p.HasMorePages() {
			got = append(got, must(p.NextPage(ctx))(t).ServiceArns...)
		}
		equalStrings(t, "all pages (ACTIVE only)", got, want)
	})

	t.Run("launchType filter", func(t *testing.T) {
		out := must(c.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("dev"), LaunchType: types.LaunchTypeEc2}))(t)
		equalStrings(t, "EC2 services", out.ServiceArns, []string{*ec2.ServiceArn})
	})

	t.Run("maxResults 100", func(t *testing.T) {
		out := must(c.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("dev"), MaxResults: aws.Int32(100)}))(t)
		equalStrings(t, "one page", out.ServiceArns, want)
	})

	for _, tc := range []struct {
		name  string
		in    ecs.ListServicesInput
		check errCheck
	}{
		{"maxResults 0", ecs.ListServicesInput{Cluster: aws.String("dev"), MaxResults: aws.Int32(0)}, errOf[*types.InvalidParameterException]("")},
		{"maxResults 101", ecs.ListServicesInput{Cluster: aws.String("dev"), MaxResults: aws.Int32(101)}, errOf[*types.InvalidParameterException]("")},
		{"bad nextToken", ecs.ListServicesInput{Cluster: aws.String("dev"), NextToken: aws.String("!!")}, errOf[*types.InvalidParameterException]("")},
		{"unknown cluster", ecs.ListServicesInput{Cluster: aws.String("nope")}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.ListServices(ctx, &tc.in)
			tc.check(t, err)
		})
	}

	t.Run("ListServicesByNamespace", func(t *testing.T) {
		out := must(c.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceInput{Namespace: aws.String("local")}))(t)
		if len(out.ServiceArns) != 0 || out.ServiceArns == nil {
			t.Errorf("serviceArns = %v, want []", out.ServiceArns)
		}
		_, err := c.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceInput{Namespace: aws.String("")})
		requireErr[*types.InvalidParameterException](t, err, "")
	})
}

func TestServiceDeployments(t *testing.T) {
	t.Parallel()
	c := startStatic(t) // deployments stay IN_PROGRESS without a reconciler
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))
	createService(t, c, fargateService("dev", "svc", "web", 0))
	must(c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc"), ForceNewDeployment: true}))(t)

	list := must(c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("dev"), Service: aws.String("svc")}))(t)
	if len(list.ServiceDeployments) != 2 {
		t.Fatalf("serviceDeployments = %d, want 2", len(list.ServiceDeployments))
	}
	newest, oldest := list.ServiceDeployments[0], list.ServiceDeployments[1]
	arnPattern := regexp.MustCompile(`^arn:aws:ecs:us-east-1:000000000000:service-deployment/dev/svc/[A-Za-z0-9]{8}-[A-Za-z0-9]{12}$`)
	for _, d := range list.ServiceDeployments {
		if !arnPattern.MatchString(aws.ToString(d.ServiceDeploymentArn)) || aws.ToString(d.ServiceArn) != arnOf("service/dev/svc") {
			t.Errorf("deployment %s of %s", aws.ToString(d.ServiceDeploymentArn), aws.ToString(d.ServiceArn))
		}
		if !strings.HasPrefix(aws.ToString(d.TargetServiceRevisionArn), arnOf("service-revision/dev/svc/")) {
			t.Errorf("targetServiceRevisionArn = %s", aws.ToString(d.TargetServiceRevisionArn))
		}
	}
	if newest.Status != types.ServiceDeploymentStatusInProgress || oldest.Status != types.ServiceDeploymentStatusStopped {
		t.Errorf("statuses = %s, %s; want IN_PROGRESS (newest first), STOPPED", newest.Status, oldest.Status)
	}

	t.Run("status filter", func(t *testing.T) {
		out := must(c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("dev"), Service: aws.String("svc"),
			Status: []types.ServiceDeploymentStatus{types.ServiceDeploymentStatusStopped}}))(t)
		if len(out.ServiceDeployments) != 1 || aws.ToString(out.ServiceDeployments[0].ServiceDeploymentArn) != aws.ToString(oldest.ServiceDeploymentArn) {
			t.Errorf("STOPPED = %v", out.ServiceDeployments)
		}
		after := time.Now().Add(time.Hour)
		out = must(c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("dev"), Service: aws.String("svc"),
			CreatedAt: &types.CreatedAt{After: &after}}))(t)
		if len(out.ServiceDeployments) != 0 {
			t.Errorf("created in the future = %d", len(out.ServiceDeployments))
		}
	})

	t.Run("describe", func(t *testing.T) {
		missingARN := arnOf("service-deployment/dev/svc/AAAAAAAA-bbbbbbbbbbbb")
		out := must(c.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{
			ServiceDeploymentArns: []string{*newest.ServiceDeploymentArn, *oldest.ServiceDeploymentArn, missingARN},
		}))(t)
		if len(out.ServiceDeployments) != 2 {
			t.Fatalf("serviceDeployments = %d", len(out.ServiceDeployments))
		}
		d := out.ServiceDeployments[0]
		if d.Status != types.ServiceDeploymentStatusInProgress || d.DeploymentCircuitBreaker == nil ||
			d.DeploymentCircuitBreaker.Status != types.ServiceDeploymentRollbackMonitorsStatusDisabled || d.TargetServiceRevision == nil ||
			len(d.SourceServiceRevisions) != 1 {
			t.Errorf("newest = %+v", d)
		}
		if s := out.ServiceDeployments[1]; aws.ToString(s.StatusReason) == "" || s.StoppedAt == nil {
			t.Errorf("superseded deployment: reason %q stoppedAt %v", aws.ToString(s.StatusReason), s.StoppedAt)
		}
		equalStrings(t, "failures", failureReasons(out.Failures), []string{missingARN + " MISSING"})
	})

	t.Run("circuit breaker threshold", func(t *testing.T) {
		in := fargateService("dev", "cb", "web", 10)
		in.DeploymentConfiguration = &types.DeploymentConfiguration{DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true}}
		createService(t, c, in)
		arn := must(c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("dev"), Service: aws.String("cb")}))(t).ServiceDeployments[0].ServiceDeploymentArn
		d := must(c.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{*arn}}))(t).ServiceDeployments[0]
		if cb := d.DeploymentCircuitBreaker; cb.Status != types.ServiceDeploymentRollbackMonitorsStatusMonitoring || cb.Threshold != 5 {
			t.Errorf("circuit breaker = %s threshold %d, want MONITORING 5", cb.Status, cb.Threshold)
		}
	})

	for _, tc := range []struct {
		name  string
		call  func() error
		check errCheck
	}{
		{"list: unknown service", func() error {
			_, err := c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("dev"), Service: aws.String("nope")})
			return err
		}, errOf[*types.ServiceNotFoundException]("Service not found.")},
		{"list: unknown cluster", func() error {
			_, err := c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("nope"), Service: aws.String("svc")})
			return err
		}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"list: maxResults 0", func() error {
			_, err := c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("dev"), Service: aws.String("svc"), MaxResults: aws.Int32(0)})
			return err
		}, errOf[*types.InvalidParameterException]("")},
		{"describe: empty", func() error {
			_, err := c.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{}})
			return err
		}, errOf[*types.InvalidParameterException]("")},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, tc.call()) })
	}
}

// Deployment IDs are ecs-svc/ and 19 digits, every time: a random ID
// once overflowed int64 and came out negative about one time in twelve.
func TestDeploymentIDs(t *testing.T) {
	t.Parallel()
	c := startStatic(t)
	ctx := t.Context()
	createCluster(t, c, "dev")
	register(t, c, fargateTD("web"))
	// Many small services rather than one service with many deployments:
	// responses stay small (see the note on large responses in the report).
	for i := range 150 {
		svc := createService(t, c, fargateService("dev", fmt.Sprintf("svc-%03d", i), "web", 0))
		if id := aws.ToString(svc.Deployments[0].Id); !deploymentID.MatchString(id) {
			t.Fatalf("deployment id = %s", id)
		}
	}
	revision := regexp.MustCompile(`^arn:aws:ecs:us-east-1:000000000000:service-revision/dev/svc-000/\d{19}$`)
	for range 20 {
		must(c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("dev"), Service: aws.String("svc-000"), ForceNewDeployment: true}))(t)
	}
	list := must(c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("dev"), Service: aws.String("svc-000"), MaxResults: aws.Int32(100)}))(t)
	for _, d := range list.ServiceDeployments {
		if !revision.MatchString(aws.ToString(d.TargetServiceRevisionArn)) {
			t.Fatalf("service revision = %s", aws.ToString(d.TargetServiceRevisionArn))
		}
	}
}
