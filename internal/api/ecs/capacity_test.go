package ecs_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestDescribeCapacityProviders(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()

	t.Run("built-in providers", func(t *testing.T) {
		out := must(c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{}))(t)
		var names []string
		for _, cp := range out.CapacityProviders {
			names = append(names, aws.ToString(cp.Name))
			if cp.Status != types.CapacityProviderStatusActive || aws.ToString(cp.CapacityProviderArn) != arnOf("capacity-provider/"+aws.ToString(cp.Name)) {
				t.Errorf("%s: status %s arn %s", aws.ToString(cp.Name), cp.Status, aws.ToString(cp.CapacityProviderArn))
			}
		}
		equalStrings(t, "names", names, []string{"FARGATE", "FARGATE_SPOT"})
		if len(out.Failures) != 0 {
			t.Errorf("failures = %v", out.Failures)
		}
		if out.CapacityProviders[0].Tags != nil {
			t.Errorf("tags = %v without include TAGS", out.CapacityProviders[0].Tags)
		}
	})

	t.Run("include TAGS", func(t *testing.T) {
		must(c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(arnOf("capacity-provider/FARGATE")), Tags: []types.Tag{tag("k", "v")}}))(t)
		out := must(c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{CapacityProviders: []string{"FARGATE"},
			Include: []types.CapacityProviderField{types.CapacityProviderFieldTags}}))(t)
		if got := tagsOf(out.CapacityProviders[0].Tags); got["k"] != "v" {
			t.Errorf("tags = %v", got)
		}
	})

	t.Run("by name and ARN, unknown as failures", func(t *testing.T) {
		out := must(c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{
			CapacityProviders: []string{"FARGATE", arnOf("capacity-provider/FARGATE_SPOT"), "MINE"},
		}))(t)
		if len(out.CapacityProviders) != 2 {
			t.Errorf("capacityProviders = %d, want 2", len(out.CapacityProviders))
		}
		equalStrings(t, "failures", failureReasons(out.Failures), []string{arnOf("capacity-provider/MINE") + " MISSING"})
	})

	t.Run("paging", func(t *testing.T) {
		out := must(c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{MaxResults: aws.Int32(1)}))(t)
		if len(out.CapacityProviders) != 1 || out.NextToken == nil {
			t.Fatalf("first page = %d, token %v", len(out.CapacityProviders), out.NextToken)
		}
		next := must(c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{MaxResults: aws.Int32(1), NextToken: out.NextToken}))(t)
		if len(next.CapacityProviders) != 1 || aws.ToString(next.CapacityProviders[0].Name) != "FARGATE_SPOT" || next.NextToken != nil {
			t.Errorf("second page = %v, token %v", next.CapacityProviders, next.NextToken)
		}
		_, err := c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{MaxResults: aws.Int32(0)})
		requireErr[*types.InvalidParameterException](t, err, "")
	})
}

func TestContainerInstances(t *testing.T) {
	t.Parallel()
	_, c := start(t)
	ctx := t.Context()
	createCluster(t, c, "dev")

	t.Run("list is empty", func(t *testing.T) {
		out := must(c.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("dev")}))(t)
		if out.ContainerInstanceArns == nil || len(out.ContainerInstanceArns) != 0 || out.NextToken != nil {
			t.Errorf("containerInstanceArns = %v, token %v; want []", out.ContainerInstanceArns, out.NextToken)
		}
	})

	t.Run("describe reports MISSING", func(t *testing.T) {
		out := must(c.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("dev"),
			ContainerInstances: []string{"abc", arnOf("container-instance/dev/def")}}))(t)
		if len(out.ContainerInstances) != 0 {
			t.Errorf("containerInstances = %d", len(out.ContainerInstances))
		}
		equalStrings(t, "failures", failureReasons(out.Failures), []string{
			arnOf("container-instance/dev/abc") + " MISSING", arnOf("container-instance/dev/def") + " MISSING",
		})
	})

	for _, tc := range []struct {
		name  string
		call  func() error
		check errCheck
	}{
		{"list: unknown cluster", func() error {
			_, err := c.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("nope")})
			return err
		}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"list: maxResults 101", func() error {
			_, err := c.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("dev"), MaxResults: aws.Int32(101)})
			return err
		}, errOf[*types.InvalidParameterException]("")},
		{"describe: unknown cluster", func() error {
			_, err := c.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("nope"), ContainerInstances: []string{"abc"}})
			return err
		}, errOf[*types.ClusterNotFoundException]("Cluster not found.")},
		{"describe: empty", func() error {
			_, err := c.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("dev"), ContainerInstances: []string{}})
			return err
		}, errOf[*types.InvalidParameterException]("")},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, tc.call()) })
	}
}
