package ecs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The benchmarks go through the real SDK client and HTTP, like the tests,
// so they measure a whole call. BenchmarkListClustersEmpty is the
// baseline: the cost of a round trip that does almost no work. Read the
// others as multiples of it.

func BenchmarkListClustersEmpty(b *testing.B) {
	_, c := start(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ListClusters(ctx, &ecs.ListClustersInput{}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchStore is an emulator holding 100 services (desiredCount 0) and 100
// stopped tasks in cluster "bench".
func benchStore(b *testing.B) *ecs.Client {
	b.Helper()
	_, c := start(b)
	ctx := context.Background()
	createCluster(b, c, "bench")
	td := register(b, c, fargateTD("bench"))
	for i := range 100 {
		createService(b, c, fargateService("bench", fmt.Sprintf("svc-%03d", i), *td.TaskDefinitionArn, 0))
	}
	var arns []string
	for range 10 {
		for _, t := range runFargate(b, c, "bench", *td.TaskDefinitionArn, 10) {
			arns = append(arns, *t.TaskArn)
		}
	}
	// Without Docker the tasks fail to start; wait until they are STOPPED
	// so the listing is stable while it is measured.
	w := ecs.NewTasksStoppedWaiter(c, func(o *ecs.TasksStoppedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 100*time.Millisecond
	})
	if err := w.Wait(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("bench"), Tasks: arns}, 30*time.Second); err != nil {
		b.Fatalf("tasks did not stop: %v", err)
	}
	return c
}

func BenchmarkDescribeServices10(b *testing.B) {
	c := benchStore(b)
	ctx := context.Background()
	batches := make([][]string, 10)
	for i := range 100 {
		batches[i/10] = append(batches[i/10], fmt.Sprintf("svc-%03d", i))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		out, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("bench"), Services: batches[i%10]})
		if err != nil || len(out.Services) != 10 {
			b.Fatalf("DescribeServices: %v (%d services)", err, len(out.Services))
		}
		i++
	}
}

func BenchmarkListTasks(b *testing.B) {
	c := benchStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("bench"), DesiredStatus: types.DesiredStatusStopped})
		if err != nil || len(out.TaskArns) != 100 {
			b.Fatalf("ListTasks: %v (%d tasks)", err, len(out.TaskArns))
		}
	}
}
