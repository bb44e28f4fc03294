package props

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

func tree(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDecodeTaskDefinitionAsTheCDKWritesIt(t *testing.T) {
	props := tree(t, `{
		"Family": "api", "Cpu": 256, "Memory": "512", "NetworkMode": "awsvpc",
		"RequiresCompatibilities": ["FARGATE"],
		"ContainerDefinitions": [{
			"Name": "api", "Image": "my-org/api:latest", "Essential": "true",
			"PortMappings": [{"ContainerPort": "8080", "Protocol": "tcp"}],
			"Environment": [{"Name": "WORKER_URL", "Value": "http://worker.internal.svc:8080"}],
			"LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": "g", "awslogs-region": "us-east-1"}},
			"HealthCheck": {"Command": ["CMD", "/app", "healthcheck"], "Interval": 5}
		}],
		"Tags": [{"Key": "k", "Value": "v"}]
	}`)
	var in ecs.RegisterTaskDefinitionInput
	if err := Decode(props, &in); err != nil {
		t.Fatal(err)
	}
	c := in.ContainerDefinitions[0]
	if *in.Family != "api" || *in.Cpu != "256" || in.NetworkMode != ecstypes.NetworkModeAwsvpc ||
		*c.Essential != true || *c.PortMappings[0].ContainerPort != 8080 || c.LogConfiguration.Options["awslogs-group"] != "g" ||
		*c.HealthCheck.Interval != 5 || *in.Tags[0].Key != "k" || *c.Environment[0].Value != "http://worker.internal.svc:8080" {
		t.Errorf("decoded %+v", in)
	}
}

func TestDecodeCaseInsensitiveAndSkip(t *testing.T) {
	var in elasticloadbalancingv2.CreateTargetGroupInput
	err := Decode(tree(t, `{"HealthCheckPath": "/health", "Port": 80, "TargetType": "ip", "VpcId": "vpc-1", "TargetGroupAttributes": []}`), &in, "TargetGroupAttributes")
	if err != nil {
		t.Fatal(err)
	}
	if *in.HealthCheckPath != "/health" || *in.Port != 80 || *in.VpcId != "vpc-1" {
		t.Errorf("decoded %+v", in)
	}
	var in2 elasticloadbalancingv2.CreateTargetGroupInput
	if err := Decode(tree(t, `{"healthcheckpath": "/x"}`), &in2); err != nil || *in2.HealthCheckPath != "/x" {
		t.Errorf("case-insensitive: %v %v", err, in2.HealthCheckPath)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, props, want string }{
		{"unknown property", `{"Bogus": 1}`, "Encountered unsupported property Bogus"},
		{"string for a list", `{"RequiresCompatibilities": "FARGATE"}`, "Properties validation failed for resource with message: #/RequiresCompatibilities: expected type: JSONArray, found: String"},
		{"word for a number", `{"ContainerDefinitions": [{"Memory": "lots"}]}`, "#/ContainerDefinitions/0/Memory: expected type: Integer, found: String"},
		{"fraction for an integer", `{"ContainerDefinitions": [{"Memory": 1.5}]}`, "expected type: Integer, found: Number"},
		{"number out of range", `{"ContainerDefinitions": [{"Memory": 1e20}]}`, "expected type: Integer, found: Number"},
		{"list for a struct", `{"ProxyConfiguration": []}`, "#/ProxyConfiguration: expected type: JSONObject, found: JSONArray"},
		{"word for a boolean", `{"ContainerDefinitions": [{"Essential": "yes"}]}`, "expected type: Boolean, found: String"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var in ecs.RegisterTaskDefinitionInput
			err := Decode(tree(t, tc.props), &in)
			var pe *Error
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	if err := Decode(map[string]any{}, ecs.RegisterTaskDefinitionInput{}); err == nil {
		t.Error("a non-pointer was accepted")
	}
}

func TestPhysicalName(t *testing.T) {
	tests := []struct {
		stack, logical string
		max            int
		prefix         string
	}{
		{"Tutorial", "ApiTG", 32, "Tutorial-ApiTG-"},
		{"TutorialStackWithALongName", "ApiServiceLoadBalancer", 32, "Tutorai"},
		{"s", "VeryLongLogicalIdentifierForAResource", 32, "s-VeryLongLogicalId"},
	}
	for _, tc := range tests {
		got := PhysicalName(tc.stack, tc.logical, tc.max)
		if len(got) > tc.max || !strings.HasPrefix(got, tc.prefix[:1]) || len(got) < 14 {
			t.Errorf("PhysicalName(%q, %q, %d) = %q", tc.stack, tc.logical, tc.max, got)
		}
		if a, b := PhysicalName(tc.stack, tc.logical, tc.max), PhysicalName(tc.stack, tc.logical, tc.max); a == b {
			t.Errorf("two names are the same: %q", a)
		}
	}
	if got := PhysicalName("Tutorial", "ApiTG", 32); !strings.HasPrefix(got, "Tutorial-ApiTG-") || len(got) != len("Tutorial-ApiTG-")+12 {
		t.Errorf("short name %q", got)
	}
	if got := LowerPhysicalName("Stack", "Bucket", 63); got != strings.ToLower(got) {
		t.Errorf("lower name %q", got)
	}
}
