package ecs_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// A desired count over "Tasks per service" is refused as ECS refuses it;
// the quota itself is accepted.
func TestDesiredCountQuota(t *testing.T) {
	c := startStatic(t)
	ctx := context.Background()
	createCluster(t, c, "q")
	td := register(t, c, fargateTD("q"))
	_, err := c.CreateService(ctx, fargateService("q", "huge", *td.TaskDefinitionArn, 1_000_000_000))
	errOf[*types.InvalidParameterException]("Desired count exceeds limit.")(t, err)
	_, err = c.CreateService(ctx, fargateService("q", "over", *td.TaskDefinitionArn, 5001))
	errOf[*types.InvalidParameterException]("Desired count exceeds limit.")(t, err)
	createService(t, c, fargateService("q", "at-quota", *td.TaskDefinitionArn, 5000))
	_, err = c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("q"), Service: aws.String("at-quota"), DesiredCount: aws.Int32(2_000_000_000)})
	errOf[*types.InvalidParameterException]("Desired count exceeds limit.")(t, err)
}

// The scheduler builds a large service's tasks in batches: right after
// CreateService with the largest desired count, the store holds one batch
// of tasks, not thousands.
func TestSchedulerLaunchesInBatches(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	createCluster(t, c, "batch")
	td := register(t, c, fargateTD("batch"))
	createService(t, c, fargateService("batch", "big", *td.TaskDefinitionArn, 5000))
	count := func() int {
		n := 0
		for _, st := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
			p := ecs.NewListTasksPaginator(c, &ecs.ListTasksInput{Cluster: aws.String("batch"), DesiredStatus: st})
			for p.HasMorePages() {
				n += len(must(p.NextPage(ctx))(t).TaskArns)
			}
		}
		return n
	}
	eventually(t, "the first batch is launched", func() bool { return count() > 0 })
	time.Sleep(500 * time.Millisecond)
	if n := count(); n > 10 {
		t.Fatalf("%d task records half a second after the first launch; a pass launches at most 10", n)
	}
	must(c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("batch"), Service: aws.String("big"), DesiredCount: aws.Int32(0)}))(t)
}

// ECS's range checks on a deployment configuration.
func TestDeploymentConfigurationRanges(t *testing.T) {
	c := startStatic(t)
	ctx := context.Background()
	createCluster(t, c, "dc")
	td := register(t, c, fargateTD("dc"))
	ec2 := register(t, c, ec2TD("dc-ec2"))
	tests := []struct {
		name  string
		in    *ecs.CreateServiceInput
		check errCheck
	}{
		{"maximumPercent below 100", withDC(fargateService("dc", "a", *td.TaskDefinitionArn, 2), 50, 0),
			errOf[*types.InvalidParameterException]("maximumPercent must be greater than or equal to 100.")},
		{"minimumHealthyPercent above 100", withDC(fargateService("dc", "b", *td.TaskDefinitionArn, 2), 200, 101),
			errOf[*types.InvalidParameterException]("minimumHealthyPercent must be between 0 and 100.")},
		{"daemon above 100", withDC(&ecs.CreateServiceInput{Cluster: aws.String("dc"), ServiceName: aws.String("d"), TaskDefinition: ec2.TaskDefinitionArn,
			SchedulingStrategy: types.SchedulingStrategyDaemon, LaunchType: types.LaunchTypeEc2}, 200, 0),
			errOf[*types.InvalidParameterException]("The daemon scheduling strategy does not support values above 100 for maximumPercent on a deployment configuration. Change the maximumPercent value to 100, and try again")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateService(ctx, tt.in)
			tt.check(t, err)
		})
	}
}

func withDC(in *ecs.CreateServiceInput, maxPct, minPct int32) *ecs.CreateServiceInput {
	in.DeploymentConfiguration = &types.DeploymentConfiguration{MaximumPercent: aws.Int32(maxPct), MinimumHealthyPercent: aws.Int32(minPct)}
	return in
}

// "Containers per task definition" is 10.
func TestContainersPerTaskDefinitionQuota(t *testing.T) {
	c := startStatic(t)
	in := fargateTD("many")
	base := in.ContainerDefinitions[0]
	in.ContainerDefinitions = nil
	for i := range 11 {
		cd := base
		cd.Name, cd.PortMappings = aws.String(fmt.Sprintf("c%d", i)), nil
		in.ContainerDefinitions = append(in.ContainerDefinitions, cd)
	}
	_, err := c.RegisterTaskDefinition(context.Background(), in)
	errLike[*types.ClientException]("at most 10 container definitions")(t, err)
	in.ContainerDefinitions = in.ContainerDefinitions[:10]
	register(t, c, in)
}

// "Services per cluster" and "Clusters per account" (lowered here from
// 5,000 and 10,000 so the test reaches them quickly): the one over the
// quota is refused, and a deleted one frees its place.
func TestServiceAndClusterQuotas(t *testing.T) {
	c := startStaticWith(t, ecsapi.Options{Quotas: ecsapi.Quotas{ClustersPerAccount: 30, ServicesPerCluster: 20}})
	ctx := context.Background()
	createCluster(t, c, "full")
	td := register(t, c, fargateTD("full"))
	parallel(t, 20, func(i int) error {
		_, err := c.CreateService(ctx, fargateService("full", fmt.Sprintf("s%d", i), *td.TaskDefinitionArn, 0))
		return err
	})
	_, err := c.CreateService(ctx, fargateService("full", "one-more", *td.TaskDefinitionArn, 0))
	errOf[*types.InvalidParameterException]("The maximum number of services per cluster (20) has been reached.")(t, err)
	createCluster(t, c, "other") // the quota is per cluster
	createService(t, c, fargateService("other", "s0", *td.TaskDefinitionArn, 0))
	must(c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("full"), Service: aws.String("s0")}))(t)
	createService(t, c, fargateService("full", "one-more", *td.TaskDefinitionArn, 0))

	parallel(t, 28, func(i int) error { // with "full" and "other", 30
		_, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(fmt.Sprintf("c%d", i))})
		return err
	})
	_, err = c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("one-more")})
	errOf[*types.InvalidParameterException]("The maximum number of clusters per account (30) has been reached.")(t, err)
	must(c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c1")}))(t) // idempotent on an existing name
	must(c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String("c2")}))(t)
	createCluster(t, c, "one-more")
}

// parallel runs f(0..n-1) on a few workers and fails t on the first error.
func parallel(t *testing.T, n int, f func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}
