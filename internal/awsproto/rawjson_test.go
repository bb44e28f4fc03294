package awsproto

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// A member holding the encoding of a value must come out exactly as the
// value itself would, so that a pre-encoded response is byte-for-byte the
// one encoded whole.
func TestRawJSONEncodesAsTheValue(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 722_000_000, time.UTC)
	svc := ecstypes.Service{
		ServiceName: aws.String("svc-000"), Status: aws.String("ACTIVE"), CreatedAt: &at,
		Deployments:   []ecstypes.Deployment{{Id: aws.String("ecs-svc/1"), RolloutState: ecstypes.DeploymentRolloutStateCompleted}},
		Events:        []ecstypes.ServiceEvent{{Id: aws.String("e"), Message: aws.String(`quote " and \ backslash`), CreatedAt: &at}},
		LoadBalancers: []ecstypes.LoadBalancer{},
	}
	whole, err := EncodeJSON(&ecs.DescribeServicesOutput{Failures: []ecstypes.Failure{}, Services: []ecstypes.Service{svc, svc}}, LowerFirst)
	if err != nil {
		t.Fatal(err)
	}
	one, err := EncodeJSON(svc, LowerFirst)
	if err != nil {
		t.Fatal(err)
	}
	type wire struct {
		Failures []ecstypes.Failure
		Services []RawJSON
	}
	got, err := EncodeJSON(wire{Failures: []ecstypes.Failure{}, Services: []RawJSON{one, one}}, LowerFirst)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(whole) {
		t.Fatalf("pre-encoded:\n%s\nencoded whole:\n%s", got, whole)
	}
}

func TestRawJSONNilIsAbsent(t *testing.T) {
	type wire struct {
		A RawJSON
		B RawJSON
	}
	got, err := EncodeJSON(wire{B: RawJSON(`{"x":1}`)}, LowerFirst)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"b":{"x":1}}`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}
