package cloudformation_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// baseYAML is a hand-written template in the short-form tags, with an
// SSM-typed parameter and the CDK's bootstrap rule.
const baseYAML = `AWSTemplateFormatVersion: "2010-09-09"
Description: base stack
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  Secret:
    Type: String
    NoEcho: true
    Default: hunter2
  BootstrapVersion:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /cdk-bootstrap/hnb659fds/version
Rules:
  CheckBootstrapVersion:
    Assertions:
      - Assert: !Not [!Contains [["1", "2", "3", "4", "5"], !Ref BootstrapVersion]]
        AssertDescription: CDK bootstrap stack version 6 required.
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Tag: !Ref Env
  Cluster:
    Type: Test::Thing
    Properties:
      Name: !Sub "${AWS::StackName}-cluster"
      Role: !GetAtt Role.Arn
Outputs:
  ClusterName:
    Value: !Ref Cluster
    Export:
      Name: !Sub "${AWS::StackName}-ClusterName"
  Env:
    Value: !Ref Env
`

const consumerYAML = `Resources:
  Service:
    Type: Test::Thing
    Properties:
      Cluster: !ImportValue base-ClusterName
`

var allCaps = []types.Capability{types.CapabilityCapabilityIam, types.CapabilityCapabilityNamedIam, types.CapabilityCapabilityAutoExpand}

func TestStackLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	c := e.cfn

	_, err := c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("base")})
	apiError(t, err, "ValidationError", "Stack with id base does not exist")
	if httpStatus(err) != 400 {
		t.Errorf("status %d", httpStatus(err))
	}

	val, err := c.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(baseYAML)})
	if err != nil || len(val.Parameters) != 3 || !slices.Contains(val.Capabilities, types.CapabilityCapabilityIam) {
		t.Fatalf("validate: %v %+v", err, val)
	}
	_, err = c.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String("Description: x\n")})
	apiError(t, err, "ValidationError", "Template format error: At least one Resources member must be defined.")

	create := &cloudformation.CreateStackInput{StackName: aws.String("base"), TemplateBody: aws.String(baseYAML)}
	_, err = c.CreateStack(ctx, create)
	apiError(t, err, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]")
	_, err = c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bad_name"), TemplateBody: aws.String(baseYAML)})
	apiError(t, err, "ValidationError", "")
	_, err = c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("base"), TemplateBody: aws.String(baseYAML),
		Capabilities: allCaps, Parameters: []types.Parameter{{ParameterKey: aws.String("Env"), ParameterValue: aws.String("staging")}}})
	apiError(t, err, "ValidationError", "")

	create.Capabilities = allCaps
	created, err := c.CreateStack(ctx, create)
	if err != nil {
		t.Fatal(err)
	}
	stackID := aws.ToString(created.StackId)
	if !strings.HasPrefix(stackID, "arn:aws:cloudformation:us-east-1:000000000000:stack/base/") {
		t.Errorf("stack ID %s", stackID)
	}
	_, err = c.CreateStack(ctx, create)
	apiError(t, err, "AlreadyExistsException", "Stack [base] already exists")
	if err := cloudformation.NewStackCreateCompleteWaiter(c, fastCreate).Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("base")}, 10*time.Second); err != nil {
		t.Fatal(err)
	}

	desc, err := c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackID)})
	if err != nil {
		t.Fatal(err)
	}
	s := desc.Stacks[0]
	if s.StackStatus != types.StackStatusCreateComplete || aws.ToString(s.Description) != "base stack" {
		t.Errorf("stack %+v", s)
	}
	outputs := map[string]string{}
	for _, o := range s.Outputs {
		outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	if outputs["ClusterName"] != "base-cluster" || outputs["Env"] != "dev" {
		t.Errorf("outputs %v", outputs)
	}
	params := map[string]types.Parameter{}
	for _, p := range s.Parameters {
		params[aws.ToString(p.ParameterKey)] = p
	}
	if aws.ToString(params["Secret"].ParameterValue) != "****" || aws.ToString(params["BootstrapVersion"].ResolvedValue) != "30" {
		t.Errorf("parameters %+v", s.Parameters)
	}

	tpl, err := c.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String("base"), TemplateStage: types.TemplateStageOriginal})
	if err != nil || aws.ToString(tpl.TemplateBody) != baseYAML {
		t.Errorf("GetTemplate: %v %q", err, aws.ToString(tpl.TemplateBody))
	}
	sum, err := c.GetTemplateSummary(ctx, &cloudformation.GetTemplateSummaryInput{StackName: aws.String("base")})
	if err != nil || !slices.Equal(sum.ResourceTypes, []string{"AWS::IAM::Role", "Test::Thing"}) {
		t.Errorf("summary %v %+v", err, sum)
	}

	res, err := c.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("base"), LogicalResourceId: aws.String("Cluster")})
	if err != nil || aws.ToString(res.StackResourceDetail.PhysicalResourceId) != "base-cluster" || res.StackResourceDetail.ResourceStatus != types.ResourceStatusCreateComplete {
		t.Errorf("DescribeStackResource %v %+v", err, res)
	}
	_, err = c.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("base"), LogicalResourceId: aws.String("Nope")})
	apiError(t, err, "ValidationError", "Resource Nope does not exist for stack base")
	byPhys, err := c.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{PhysicalResourceId: aws.String("base-cluster")})
	if err != nil || len(byPhys.StackResources) != 2 || aws.ToString(byPhys.StackResources[0].StackName) != "base" {
		t.Errorf("DescribeStackResources by physical ID %v %+v", err, byPhys)
	}
	list, err := c.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String("base")})
	if err != nil || len(list.StackResourceSummaries) != 2 {
		t.Errorf("ListStackResources %v %+v", err, list)
	}
	evs, err := c.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("base")})
	if err != nil {
		t.Fatal(err)
	}
	first, last := evs.StackEvents[len(evs.StackEvents)-1], evs.StackEvents[0]
	if aws.ToString(first.ResourceType) != "AWS::CloudFormation::Stack" || aws.ToString(first.ResourceStatusReason) != "User Initiated" ||
		last.ResourceStatus != types.ResourceStatusCreateComplete || aws.ToString(last.LogicalResourceId) != "base" {
		t.Errorf("events: first %+v, last %+v", first, last)
	}

	_, err = c.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("base"), UsePreviousTemplate: aws.Bool(true), Capabilities: allCaps,
		Parameters: []types.Parameter{{ParameterKey: aws.String("Env"), UsePreviousValue: aws.Bool(true)}}})
	apiError(t, err, "ValidationError", "No updates are to be performed.")

	_, err = c.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("base"), UsePreviousTemplate: aws.Bool(true), Capabilities: allCaps,
		Parameters: []types.Parameter{{ParameterKey: aws.String("Env"), ParameterValue: aws.String("prod")}}})
	if err != nil {
		t.Fatal(err)
	}
	upd := cloudformation.NewStackUpdateCompleteWaiter(c, func(o *cloudformation.StackUpdateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	if err := upd.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("base")}, 10*time.Second); err != nil {
		t.Fatal(err)
	}

	// Exports and an importing stack.
	if _, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("consumer"), TemplateBody: aws.String(consumerYAML)}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "consumer"); st != "CREATE_COMPLETE" {
		t.Fatalf("consumer %s", st)
	}
	exports, err := c.ListExports(ctx, &cloudformation.ListExportsInput{})
	if err != nil || len(exports.Exports) != 1 || aws.ToString(exports.Exports[0].Value) != "base-cluster" || aws.ToString(exports.Exports[0].ExportingStackId) != stackID {
		t.Errorf("exports %v %+v", err, exports)
	}
	imports, err := c.ListImports(ctx, &cloudformation.ListImportsInput{ExportName: aws.String("base-ClusterName")})
	if err != nil || !slices.Equal(imports.Imports, []string{"consumer"}) {
		t.Errorf("imports %v %+v", err, imports)
	}
	_, err = c.ListImports(ctx, &cloudformation.ListImportsInput{ExportName: aws.String("nothing")})
	apiError(t, err, "ValidationError", "Export 'nothing' is not imported by any stack.")
	if _, err := c.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("base")}); err != nil {
		t.Fatal(err)
	}
	if st := e.wait(t, "base"); st != "DELETE_FAILED" {
		t.Fatalf("deleting an exporting stack in use: %s", st)
	}
	desc, _ = c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("base")})
	if r := aws.ToString(desc.Stacks[0].StackStatusReason); r != "Export base-ClusterName cannot be deleted as it is in use by consumer" {
		t.Errorf("reason %q", r)
	}

	// Termination protection.
	if _, err := c.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{StackName: aws.String("consumer"), EnableTerminationProtection: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("consumer")})
	apiError(t, err, "ValidationError", "Stack [consumer] cannot be deleted while TerminationProtection is enabled")
	c.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{StackName: aws.String("consumer"), EnableTerminationProtection: aws.Bool(false)})

	del := func(name string) {
		t.Helper()
		if _, err := c.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
		w := cloudformation.NewStackDeleteCompleteWaiter(c, func(o *cloudformation.StackDeleteCompleteWaiterOptions) {
			o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
		})
		if err := w.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)}, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	del("consumer")
	del("base")
	_, err = c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("base")})
	apiError(t, err, "ValidationError", "Stack with id base does not exist")
	desc, err = c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackID)})
	if err != nil || desc.Stacks[0].StackStatus != types.StackStatusDeleteComplete || desc.Stacks[0].DeletionTime == nil {
		t.Errorf("deleted stack by ARN: %v %+v", err, desc)
	}
	if n := e.things.count(); n != 0 {
		t.Errorf("%d resources left", n)
	}
	if _, err := c.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("base")}); err != nil {
		t.Errorf("deleting a stack that is gone: %v", err)
	}
	listed, err := c.ListStacks(ctx, &cloudformation.ListStacksInput{StackStatusFilter: []types.StackStatus{types.StackStatusDeleteComplete}})
	if err != nil || len(listed.StackSummaries) != 2 {
		t.Errorf("ListStacks DELETE_COMPLETE: %v %+v", err, listed)
	}
	exports, _ = c.ListExports(ctx, &cloudformation.ListExportsInput{})
	if len(exports.Exports) != 0 {
		t.Errorf("exports left: %+v", exports.Exports)
	}
}

func TestCreateFailureRollsBack(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	body := `{"Resources": {"Good": {"Type": "Test::Thing"}, "Bad": {"Type": "Test::Thing", "DependsOn": "Good", "Properties": {"Fail": "create"}},
	  "Odd": {"Type": "AWS::Nope::Thing", "DependsOn": "Bad"}}}`
	if _, err := e.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("broken"), TemplateBody: aws.String(body)}); err != nil {
		t.Fatal(err)
	}
	err := cloudformation.NewStackCreateCompleteWaiter(e.cfn, fastCreate).Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("broken")}, 10*time.Second)
	if err == nil {
		t.Fatal("the waiter succeeded on a failed stack")
	}
	if st := e.wait(t, "broken"); st != "ROLLBACK_COMPLETE" {
		t.Fatalf("status %s", st)
	}
	evs, _ := e.cfn.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("broken")})
	reasons := map[string]string{}
	for _, ev := range evs.StackEvents {
		if r := aws.ToString(ev.ResourceStatusReason); r != "" {
			reasons[aws.ToString(ev.LogicalResourceId)+" "+string(ev.ResourceStatus)] = r
		}
	}
	if reasons["Bad CREATE_FAILED"] != "the thing refused to be" ||
		reasons["broken ROLLBACK_IN_PROGRESS"] != "The following resource(s) failed to create: [Bad]. Rollback requested by user." {
		t.Errorf("reasons %v", reasons)
	}
	if e.things.count() != 0 {
		t.Error("rollback left resources")
	}
	_, err = e.cfn.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("broken"), TemplateBody: aws.String(body)})
	apiError(t, err, "ValidationError", "")
}
