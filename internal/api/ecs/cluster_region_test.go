package ecs_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// A cluster ARN of another region (or account) never resolves to the local
// cluster of the same name.
func TestClusterARNOfAnotherRegion(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	ctx := t.Context()
	east, west := e.ECS(), e.ECSIn("eu-west-1")
	for _, c := range []*ecs.Client{east, west} {
		if _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("dev")}); err != nil {
			t.Fatal(err)
		}
	}
	westARN := "arn:aws:ecs:eu-west-1:000000000000:cluster/dev"
	out, err := east.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{westARN}})
	if err != nil || len(out.Clusters) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("describing another region's ARN: %v %+v", err, out)
	}
	var nf *types.ClusterNotFoundException
	if _, err := east.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String(westARN)}); !errors.As(err, &nf) {
		t.Fatalf("ListServices with another region's cluster ARN: %v, want ClusterNotFoundException", err)
	}
	if _, err := west.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String(westARN)}); err != nil {
		t.Fatalf("the same ARN in its own region: %v", err)
	}
}
