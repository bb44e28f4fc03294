package cloudformation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

const csTemplate = `{"Parameters": {"Name": {"Type": "String", "Default": "one"}},
 "Resources": {"A": {"Type": "Test::Thing", "Properties": {"Name": {"Ref": "Name"}}}, "B": {"Type": "Test::Thing", "Properties": {"Uses": {"Ref": "A"}}}},
 "Outputs": {"A": {"Value": {"Ref": "A"}}}}`

// waitChangeSet runs the SDK's change-set-create-complete waiter.
func waitChangeSet(ctx context.Context, c *cloudformation.Client, stack, name string) error {
	w := cloudformation.NewChangeSetCreateCompleteWaiter(c, func(o *cloudformation.ChangeSetCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	return w.Wait(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String(stack), ChangeSetName: aws.String(name)}, 10*time.Second)
}

// TestChangeSetFlow follows the CDK CLI's deploy: DescribeStacks,
// CreateChangeSet (CREATE, TemplateURL), poll, GetTemplate, execute, poll;
// then an unchanged redeploy whose change set has no changes.
func TestChangeSetFlow(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	c := e.cfn
	e.urls["http://localhost:4566/bucket/t.json"] = csTemplate

	_, err := c.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("x"),
		ChangeSetType: types.ChangeSetTypeImport, TemplateBody: aws.String(csTemplate)})
	apiError(t, err, "ValidationError", "ChangeSetType IMPORT is not supported by this emulator")
	_, err = c.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("x"), TemplateBody: aws.String(csTemplate)})
	apiError(t, err, "ValidationError", "Stack [cs] does not exist")

	out, err := c.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("cdk-deploy-change-set"),
		ChangeSetType: types.ChangeSetTypeCreate, TemplateURL: aws.String("http://localhost:4566/bucket/t.json"), Capabilities: allCaps,
		Description: aws.String("CDK Changeset")})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("cs")})
	if err != nil || desc.Stacks[0].StackStatus != types.StackStatusReviewInProgress || aws.ToString(desc.Stacks[0].StackId) != aws.ToString(out.StackId) {
		t.Fatalf("stack after CREATE change set: %v %+v", err, desc)
	}
	if err := waitChangeSet(ctx, c, aws.ToString(out.StackId), aws.ToString(out.Id)); err != nil {
		t.Fatal(err)
	}
	cs, err := c.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: out.Id, StackName: out.StackId})
	if err != nil || cs.Status != types.ChangeSetStatusCreateComplete || cs.ExecutionStatus != types.ExecutionStatusAvailable || len(cs.Changes) != 2 ||
		cs.Changes[0].ResourceChange.Action != types.ChangeActionAdd || aws.ToString(cs.Changes[0].ResourceChange.LogicalResourceId) != "A" {
		t.Fatalf("change set %v %+v", err, cs)
	}
	if tpl, err := c.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String("cs"), TemplateStage: types.TemplateStageOriginal}); err != nil || tpl.TemplateBody != nil {
		t.Errorf("GetTemplate of a stack in review: %v %+v", err, tpl)
	}
	if tpl, err := c.GetTemplate(ctx, &cloudformation.GetTemplateInput{ChangeSetName: out.Id}); err != nil || aws.ToString(tpl.TemplateBody) != csTemplate {
		t.Errorf("GetTemplate of the change set: %v", err)
	}
	lcs, err := c.ListChangeSets(ctx, &cloudformation.ListChangeSetsInput{StackName: aws.String("cs")})
	if err != nil || len(lcs.Summaries) != 1 || aws.ToString(lcs.Summaries[0].Description) != "CDK Changeset" {
		t.Errorf("ListChangeSets %v %+v", err, lcs)
	}
	if _, err := c.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: aws.String("cdk-deploy-change-set"), StackName: aws.String("cs")}); err != nil {
		t.Fatal(err)
	}
	if err := cloudformation.NewStackCreateCompleteWaiter(c, fastCreate).Wait(ctx, &cloudformation.DescribeStacksInput{StackName: out.StackId}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	_, err = c.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: out.Id})
	apiError(t, err, "InvalidChangeSetStatus", "ChangeSet ["+aws.ToString(out.Id)+"] cannot be executed in its current execution status of [EXECUTE_COMPLETE]")

	// An unchanged redeploy, as the CDK CLI makes it.
	if _, err := c.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("cdk-deploy-change-set")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("cdk-deploy-change-set")})
	apiError(t, err, "ChangeSetNotFound", "ChangeSet [cdk-deploy-change-set] does not exist")
	if httpStatus(err) != 404 {
		t.Errorf("ChangeSetNotFound status %d", httpStatus(err))
	}
	// Deleting it again, by name, succeeds (the CLI does so before every
	// deploy of an existing stack); on a stack that does not exist it fails.
	if _, err := c.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("cdk-deploy-change-set")}); err != nil {
		t.Errorf("DeleteChangeSet of a change set already gone: %v", err)
	}
	_, err = c.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{StackName: aws.String("nope"), ChangeSetName: aws.String("cdk-deploy-change-set")})
	apiError(t, err, "ValidationError", "Stack [nope] does not exist")
	_, err = c.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: aws.String(strings.Replace(aws.ToString(out.Id), "cdk-deploy", "other", 1))})
	apiError(t, err, "ChangeSetNotFound", "")
	same, err := c.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("cdk-deploy-change-set"),
		ChangeSetType: types.ChangeSetTypeUpdate, TemplateBody: aws.String(csTemplate)})
	if err != nil {
		t.Fatal(err)
	}
	err = waitChangeSet(ctx, c, "cs", "cdk-deploy-change-set")
	if err == nil {
		t.Fatal("the waiter succeeded on a change set without changes")
	}
	cs, _ = c.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: same.Id})
	if cs.Status != types.ChangeSetStatusFailed || cs.ExecutionStatus != types.ExecutionStatusUnavailable ||
		aws.ToString(cs.StatusReason) != "The submitted information didn't contain changes. Submit different information to create a change set." {
		t.Errorf("no-change change set %+v", cs)
	}
	_, err = c.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: same.Id})
	apiError(t, err, "InvalidChangeSetStatus", "")
	c.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: same.Id})

	// A change that replaces A, and so modifies B.
	upd, err := c.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("cs"), ChangeSetName: aws.String("rename"),
		UsePreviousTemplate: aws.Bool(true), Parameters: []types.Parameter{{ParameterKey: aws.String("Name"), ParameterValue: aws.String("two")}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := waitChangeSet(ctx, c, "cs", "rename"); err != nil {
		t.Fatal(err)
	}
	cs, _ = c.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: upd.Id})
	got := map[string]string{}
	for _, ch := range cs.Changes {
		rc := ch.ResourceChange
		got[aws.ToString(rc.LogicalResourceId)] = string(rc.Action) + "/" + string(rc.Replacement)
	}
	if got["A"] != "Modify/True" || got["B"] != "Modify/False" || len(got) != 2 {
		t.Errorf("changes %v", got)
	}
	if _, err := c.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: upd.Id}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "cs"); st != "UPDATE_COMPLETE" {
		t.Fatalf("update %s", st)
	}
	res, _ := c.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String("cs"), LogicalResourceId: aws.String("A")})
	if aws.ToString(res.StackResources[0].PhysicalResourceId) != "two" || e.things.count() != 2 {
		t.Errorf("after the replacement: %+v, %d live", res.StackResources, e.things.count())
	}
}

func TestPoliciesAndStateChecks(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	c := e.cfn
	if _, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("p"), TemplateBody: aws.String(csTemplate)}); err != nil {
		t.Fatal(err)
	}
	e.wait(t, "p")
	policy := `{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"}]}`
	if _, err := c.SetStackPolicy(ctx, &cloudformation.SetStackPolicyInput{StackName: aws.String("p"), StackPolicyBody: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetStackPolicy(ctx, &cloudformation.GetStackPolicyInput{StackName: aws.String("p")})
	if err != nil || aws.ToString(got.StackPolicyBody) != policy {
		t.Errorf("policy %v %v", err, got)
	}
	_, err = c.CancelUpdateStack(ctx, &cloudformation.CancelUpdateStackInput{StackName: aws.String("p")})
	apiError(t, err, "ValidationError", "CancelUpdateStack cannot be called from current stack status")
	_, err = c.ContinueUpdateRollback(ctx, &cloudformation.ContinueUpdateRollbackInput{StackName: aws.String("p")})
	apiError(t, err, "ValidationError", "")
	_, err = c.GetStackPolicy(ctx, &cloudformation.GetStackPolicyInput{StackName: aws.String("nope")})
	apiError(t, err, "ValidationError", "Stack with id nope does not exist")
	all, err := c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{})
	if err != nil || len(all.Stacks) != 1 {
		t.Errorf("DescribeStacks of all: %v %+v", err, all)
	}
	sum, err := c.GetTemplateSummary(ctx, &cloudformation.GetTemplateSummaryInput{TemplateBody: aws.String(csTemplate)})
	if err != nil || len(sum.Parameters) != 1 || aws.ToString(sum.Parameters[0].DefaultValue) != "one" {
		t.Errorf("summary %v %+v", err, sum)
	}
}
