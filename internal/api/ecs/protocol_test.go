package ecs_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestWireErrors sends raw requests, the way a hand-written client or a
// wrong SDK version would, and checks the awsJson1_1 error shape.
func TestWireErrors(t *testing.T) {
	t.Parallel()
	e, _ := start(t)

	tests := []struct {
		name, target, body string
		wantType           string
	}{
		{"unknown operation", "AmazonEC2ContainerServiceV20141113.Frobnicate", `{}`, "UnknownOperationException"},
		{"malformed JSON", "AmazonEC2ContainerServiceV20141113.CreateCluster", `{"clusterName":`, "SerializationException"},
		{"member of the wrong type", "AmazonEC2ContainerServiceV20141113.CreateCluster", `{"clusterName":42}`, "SerializationException"},
		{"body not an object", "AmazonEC2ContainerServiceV20141113.ListClusters", `[1,2]`, "SerializationException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			req.Header.Set("X-Amz-Target", tc.target)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status = %d, want 400 (body %s)", resp.StatusCode, raw)
			}
			if resp.Header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId header")
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type = %q", ct)
			}
			var body struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("error body %q is not JSON: %v", raw, err)
			}
			if body.Type != tc.wantType || body.Message == "" {
				t.Errorf("body = %s, want __type %s with a message", raw, tc.wantType)
			}
			if got := resp.Header.Get("X-Amzn-ErrorType"); got != tc.wantType {
				t.Errorf("X-Amzn-ErrorType = %q", got)
			}
		})
	}
}

// TestRegionsAreSeparate: every region has its own state and its own ARNs.
func TestRegionsAreSeparate(t *testing.T) {
	t.Parallel()
	e, east := start(t)
	west := recorded(e.ECSIn("eu-west-1"))
	ctx := t.Context()

	createCluster(t, east, "dev")
	td := register(t, east, fargateTD("web"))

	desc := must(west.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"dev"}}))(t)
	equalStrings(t, "eu-west-1 failures", failureReasons(desc.Failures), []string{"arn:aws:ecs:eu-west-1:000000000000:cluster/dev MISSING"})
	if list := must(west.ListClusters(ctx, &ecs.ListClustersInput{}))(t); len(list.ClusterArns) != 0 {
		t.Errorf("eu-west-1 clusters = %v", list.ClusterArns)
	}
	_, err := west.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web:1")})
	requireErr[*types.ClientException](t, err, "Unable to describe task definition.")

	cl := createCluster(t, west, "dev")
	if got, want := aws.ToString(cl.ClusterArn), "arn:aws:ecs:eu-west-1:000000000000:cluster/dev"; got != want {
		t.Errorf("eu-west-1 cluster ARN = %s, want %s", got, want)
	}
	westTD := register(t, west, fargateTD("web"))
	if westTD.Revision != 1 || !strings.HasPrefix(aws.ToString(westTD.TaskDefinitionArn), "arn:aws:ecs:eu-west-1:") {
		t.Errorf("eu-west-1 task definition = %s", aws.ToString(westTD.TaskDefinitionArn))
	}
	if !strings.HasPrefix(aws.ToString(td.TaskDefinitionArn), "arn:aws:ecs:us-east-1:") {
		t.Errorf("us-east-1 task definition = %s", aws.ToString(td.TaskDefinitionArn))
	}
	task := runFargate(t, west, "dev", *westTD.TaskDefinitionArn, 1)[0]
	if !strings.HasPrefix(aws.ToString(task.TaskArn), "arn:aws:ecs:eu-west-1:000000000000:task/dev/") || aws.ToString(task.AvailabilityZone) != "eu-west-1a" {
		t.Errorf("eu-west-1 task = %s in %s", aws.ToString(task.TaskArn), aws.ToString(task.AvailabilityZone))
	}
	// The us-east-1 cluster does not see the eu-west-1 task.
	out := must(east.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("dev"), Tasks: []string{*task.TaskArn}}))(t)
	if len(out.Tasks) != 0 || len(out.Failures) != 1 {
		t.Errorf("us-east-1 sees %d tasks, %d failures", len(out.Tasks), len(out.Failures))
	}
}
