package cloudformation_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestGetTemplateWhileCreating: the body is there from CreateStack on,
// before the first create completes.
func TestGetTemplateWhileCreating(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	body := "Resources:\n  A:\n    Type: Test::Thing\n    Properties:\n      Block: \"true\"\n"
	if _, err := e.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("slow"), TemplateBody: aws.String(body)}); err != nil {
		t.Fatal(err)
	}
	desc, err := e.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("slow")})
	if err != nil || desc.Stacks[0].StackStatus != types.StackStatusCreateInProgress {
		t.Fatalf("stack: %v %+v", err, desc)
	}
	tpl, err := e.cfn.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String("slow")})
	if err != nil || aws.ToString(tpl.TemplateBody) != body {
		t.Errorf("GetTemplate during the create: %v %q", err, aws.ToString(tpl.TemplateBody))
	}
	close(e.things.gate)
	if status := e.wait(t, "slow"); status != "CREATE_COMPLETE" {
		t.Errorf("status %s", status)
	}
}
