package ecs_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// BenchmarkDescribeServicesRatio measures what bench/api.sh --setup 100
// does, in process: raw JSON requests (no SDK client cost) against the
// whole emulator holding cluster "default" with 100 services that have
// their deployment and steady-state event. Each iteration sends one
// ListClusters and one DescribeServices for 10 services; the metric
// describe/list is DescribeServices' request rate as a fraction of
// ListClusters' (the target is ≥ 0.6).
func BenchmarkDescribeServicesRatio(b *testing.B) {
	url := apiSetup(b, 100)
	list := rawCall(b, url, "ListClusters", `{}`)
	describe := rawCall(b, url, "DescribeServices", `{"cluster":"default","services":["svc-000","svc-001","svc-002","svc-003","svc-004","svc-005","svc-006","svc-007","svc-008","svc-009"]}`)
	var listTime, describeTime time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		list()
		t1 := time.Now()
		describe()
		describeTime += time.Since(t1)
		listTime += t1.Sub(t0)
	}
	b.ReportMetric(float64(listTime.Nanoseconds())/float64(b.N), "ns/list")
	b.ReportMetric(float64(describeTime.Nanoseconds())/float64(b.N), "ns/describe")
	b.ReportMetric(float64(listTime)/float64(describeTime), "describe/list")
}

// apiSetup starts the emulator and creates what api.sh's --setup creates:
// cluster "default", task definition "bench-api" and n services with
// desiredCount 0; it returns once every service has reported its steady
// state, so their responses carry an event.
func apiSetup(b *testing.B, n int) string {
	b.Helper()
	e, c := start(b)
	ctx := context.Background()
	createCluster(b, c, "default")
	must(c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("bench-api"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("app"), Image: aws.String("bars-app:2"), Memory: aws.Int32(64), Essential: aws.Bool(true),
		}},
	}))(b)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("svc-%03d", i)
		must(c.CreateService(ctx, &ecs.CreateServiceInput{
			Cluster: aws.String("default"), ServiceName: aws.String(names[i]),
			TaskDefinition: aws.String("bench-api"), DesiredCount: aws.Int32(0),
		}))(b)
	}
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; i < n; i += 10 {
		for !allHaveEvents(b, c, names[i:min(i+10, n)]) {
			if time.Now().After(deadline) {
				b.Fatal("the services did not report their steady state in 30s")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return e.URL
}

func allHaveEvents(b *testing.B, c *ecs.Client, names []string) bool {
	out := must(c.DescribeServices(context.Background(), &ecs.DescribeServicesInput{Cluster: aws.String("default"), Services: names}))(b)
	for _, s := range out.Services {
		if len(s.Events) == 0 || len(s.Deployments) == 0 {
			return false
		}
	}
	return len(out.Services) == len(names)
}

// rawCall returns a function that sends one ECS request the way api.sh's
// wrk does (a SigV4-looking Authorization, no signing work) and fails b
// unless it answers 200.
func rawCall(b *testing.B, url, op, body string) func() {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	b.Cleanup(client.CloseIdleConnections)
	payload := []byte(body)
	sig := strings.Repeat("0", 64)
	return func() {
		req, err := http.NewRequest(http.MethodPost, url+"/", bytes.NewReader(payload))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Date", "20261126T000000Z")
		req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113."+op)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/ecs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="+sig)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: status %d, %v", op, resp.StatusCode, err)
		}
	}
}
