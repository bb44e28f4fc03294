package servicediscovery_test

import (
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	cloudmap "github.com/localaws/ecsemu/internal/api/servicediscovery"
)

// A private namespace in a VPC EC2 does not know is accepted, then its
// operation fails as Route 53 refuses the hosted zone; no namespace is
// left behind. A known VPC works as always.
func TestPrivateNamespaceInUnknownVPC(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var asked []string
	e := newEnvWith(t, func(o *cloudmap.Options) {
		o.VPCExists = func(region, vpc string) bool {
			mu.Lock()
			defer mu.Unlock()
			asked = append(asked, region+" "+vpc)
			return vpc == "vpc-0123456789abcdef0"
		}
	})
	ctx := t.Context()
	out := must(e.C.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{
		Name: aws.String("lost.local"), Vpc: aws.String("vpc-00000000000000000")}))(t)
	op := must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: out.OperationId}))(t).Operation
	if op.Status != types.OperationStatusSubmitted || op.ErrorCode != nil {
		t.Fatalf("new operation = %s %v, want SUBMITTED without an error", op.Status, aws.ToString(op.ErrorCode))
	}
	e.Clock.Advance(time.Second)
	op = must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: out.OperationId}))(t).Operation
	wantMsg := "The VPC: vpc-00000000000000000 in region us-east-1 that you provided is not authorized to make the association. " +
		"(Service: AmazonRoute53; Status Code: 400; Error Code: InvalidVPCId)"
	if op.Status != types.OperationStatusFail || aws.ToString(op.ErrorCode) != "CANNOT_CREATE_HOSTED_ZONE" || aws.ToString(op.ErrorMessage) != wantMsg {
		t.Fatalf("operation = %s %s %q", op.Status, aws.ToString(op.ErrorCode), aws.ToString(op.ErrorMessage))
	}
	nsID := op.Targets[string(types.OperationTargetTypeNamespace)]
	_, err := e.C.GetNamespace(ctx, &sd.GetNamespaceInput{Id: &nsID})
	requireErr[*types.NamespaceNotFound](t, err)
	failed := must(e.C.ListOperations(ctx, &sd.ListOperationsInput{Filters: []types.OperationFilter{
		{Name: types.OperationFilterNameStatus, Values: []string{"FAIL"}}}}))(t).Operations
	if len(failed) != 1 || *failed[0].Id != *out.OperationId {
		t.Fatalf("FAIL operations = %+v", failed)
	}
	if n := must(e.C.ListNamespaces(ctx, &sd.ListNamespacesInput{}))(t).Namespaces; len(n) != 0 {
		t.Fatalf("namespaces = %+v, want none", n)
	}

	out = must(e.C.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{
		Name: aws.String("lost.local"), Vpc: aws.String("vpc-0123456789abcdef0")}))(t)
	e.Clock.Advance(time.Second)
	if op := must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: out.OperationId}))(t).Operation; op.Status != types.OperationStatusSuccess {
		t.Fatalf("operation in a known VPC = %s", op.Status)
	}
	// HTTP and public namespaces have no VPC to ask about.
	must(e.C.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("plain")}))(t)
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != 2 || asked[0] != "us-east-1 vpc-00000000000000000" {
		t.Fatalf("EC2 was asked %v", asked)
	}
}
