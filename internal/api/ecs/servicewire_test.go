package ecs

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// The encoded views must answer what DescribeServices answers, byte for
// byte, after every kind of change: a service update (touched), a task
// changing state (counts, not touched) and tags (not cached).
func TestEncodedViewsFollowChanges(t *testing.T) {
	s := newStore("us-east-1", "000000000000", time.Now, randomIDs{}, nil)
	s.quotas = Quotas{}.withDefaults()
	ctx := context.Background()
	if _, err := s.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("td"), ContainerDefinitions: []types.ContainerDefinition{{
		Name: aws.String("app"), Image: aws.String("app:1"), Memory: aws.Int32(64),
	}}}); err != nil {
		t.Fatal(err)
	}
	created, err := s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("a"), TaskDefinition: aws.String("td"), DesiredCount: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	arn := *created.Service.ServiceArn
	plain := &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"a", "missing"}}
	tagged := &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"a"}, Include: []types.ServiceField{types.ServiceFieldTags}}
	same := func(step string, in *ecs.DescribeServicesInput) string {
		t.Helper()
		want, err := s.DescribeServices(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.describeServicesEncoded(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, _ := awsproto.EncodeJSON(want, awsproto.LowerFirst)
		gotJSON, _ := awsproto.EncodeJSON(got, awsproto.LowerFirst)
		if string(gotJSON) != string(wantJSON) {
			t.Fatalf("%s: encoded views answer\n%s\nDescribeServices answers\n%s", step, gotJSON, wantJSON)
		}
		return string(gotJSON)
	}
	first := same("created", plain)

	if _, err := s.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("a"), DesiredCount: aws.Int32(3)}); err != nil {
		t.Fatal(err)
	}
	if same("updated", plain) == first {
		t.Fatal("the update did not change the answer")
	}

	deployment := deref(s.services[arn].Deployments[0].Id)
	tasks, err := s.LaunchServiceTasks(arn, deployment, 1)
	if err != nil {
		t.Fatal(err)
	}
	pending := same("task launched", plain)
	// As StopTask does, change the task without touching its service.
	s.tasks[tasks[0]].LastStatus = aws.String("RUNNING")
	if same("task running", plain) == pending {
		t.Fatal("the running task did not change the answer")
	}

	if _, err := s.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}); err != nil {
		t.Fatal(err)
	}
	same("tags asked for", tagged)
	same("tags not asked for", plain)
}
