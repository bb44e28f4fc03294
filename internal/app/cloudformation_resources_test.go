package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// clients are the SDK clients of one emulator in one region.
type clients struct {
	cfn  *cloudformation.Client
	iam  *iam.Client
	logs *cloudwatchlogs.Client
	ssm  *ssm.Client
	s3   *s3.Client
}

func clientsOf(e *emulatortest.Emulator, region string) clients {
	cfg := e.Config(region)
	url := aws.String(e.URL)
	return clients{
		cfn:  cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { o.BaseEndpoint = url }),
		iam:  iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = url }),
		logs: cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.BaseEndpoint = url }),
		ssm:  ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = url }),
		s3:   s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = url; o.UsePathStyle = true }),
	}
}

// waitStack waits for a stack to leave its IN_PROGRESS status and returns
// it; the SDK's waiters start at 30 s, so this polls quickly instead.
func waitStack(t *testing.T, c *cloudformation.Client, name string) cfntypes.Stack {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		out, err := c.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: &name})
		if err != nil {
			t.Fatalf("DescribeStacks: %v", err)
		}
		if st := out.Stacks[0]; !strings.HasSuffix(string(st.StackStatus), "_IN_PROGRESS") {
			return st
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("stack %s still in progress after a minute", name)
	return cfntypes.Stack{}
}

// failureReasons are the stack's failed events, for a failing test's message.
func failureReasons(c *cloudformation.Client, name string) string {
	out, err := c.DescribeStackEvents(context.Background(), &cloudformation.DescribeStackEventsInput{StackName: &name})
	if err != nil {
		return err.Error()
	}
	var reasons []string
	for _, ev := range out.StackEvents {
		if strings.HasSuffix(string(ev.ResourceStatus), "_FAILED") {
			reasons = append(reasons, aws.ToString(ev.LogicalResourceId)+": "+aws.ToString(ev.ResourceStatusReason))
		}
	}
	return strings.Join(reasons, "; ")
}

func physicalIDs(t *testing.T, c *cloudformation.Client, stack string) map[string]string {
	t.Helper()
	out, err := c.DescribeStackResources(context.Background(), &cloudformation.DescribeStackResourcesInput{StackName: &stack})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range out.StackResources {
		ids[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	return ids
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

const resourcesTemplate = `
Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess
      Policies:
        - PolicyName: ReadParams
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ssm:GetParameter
                Resource: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${AWS::StackName}/role-arn
  RoleDefaultPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: RoleDefaultPolicy
      Roles: [!Ref TaskRole]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [logs:CreateLogStream, logs:PutLogEvents]
            Resource: !GetAtt Logs.Arn
  Logs:
    Type: AWS::Logs::LogGroup
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      RetentionInDays: 14
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub /${AWS::StackName}/role-arn
      Type: String
      Value: !GetAtt TaskRole.Arn
  Bucket:
    Type: AWS::S3::Bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !GetAtt TaskRole.Arn}
            Action: s3:GetObject
            Resource: !Sub ${Bucket.Arn}/*
Outputs:
  RoleName: {Value: !Ref TaskRole}
  LogGroupArn: {Value: !GetAtt Logs.Arn}
  BucketDomain: {Value: !GetAtt Bucket.RegionalDomainName}
`

// TestStackOfIAMLogsSSMAndS3 creates a stack of each of these types
// through the real server, checks every resource with its own service's
// SDK client, and deletes it: all goes but the retained log group.
func TestStackOfIAMLogsSSMAndS3(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	ctx := context.Background()
	c := clientsOf(e, "eu-west-1")
	const stack = "resources"
	if _, err := c.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(stack), TemplateBody: aws.String(resourcesTemplate),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}}); err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	st := waitStack(t, c.cfn, stack)
	if st.StackStatus != cfntypes.StackStatusCreateComplete {
		t.Fatalf("stack %s: %s", st.StackStatus, failureReasons(c.cfn, stack))
	}
	ids := physicalIDs(t, c.cfn, stack)
	outputs := map[string]string{}
	for _, o := range st.Outputs {
		outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}

	role := ids["TaskRole"]
	if outputs["RoleName"] != role || !strings.HasPrefix(role, "resources-TaskRole-") {
		t.Errorf("role %q, output %q", role, outputs["RoleName"])
	}
	got, err := c.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &role})
	if err != nil {
		t.Fatalf("GetRole: %v", err)
	}
	if trust, _ := url.QueryUnescape(aws.ToString(got.Role.AssumeRolePolicyDocument)); !strings.Contains(trust, `"Service":"ecs-tasks.amazonaws.com"`) {
		t.Errorf("trust policy = %s", trust)
	}
	inline, err := c.iam.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: &role})
	if err != nil || strings.Join(inline.PolicyNames, ",") != "ReadParams,RoleDefaultPolicy" {
		t.Errorf("inline policies = %v, %v", inline, err)
	}
	attached, err := c.iam.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &role})
	if err != nil || len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyArn) != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
		t.Errorf("attached = %+v, %v", attached, err)
	}
	doc, err := c.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &role, PolicyName: aws.String("RoleDefaultPolicy")})
	if text, _ := url.QueryUnescape(aws.ToString(doc.PolicyDocument)); err != nil || !strings.Contains(text, outputs["LogGroupArn"]) {
		t.Errorf("RoleDefaultPolicy = %s, %v", text, err)
	}

	group := ids["Logs"]
	if outputs["LogGroupArn"] != "arn:aws:logs:eu-west-1:000000000000:log-group:"+group+":*" {
		t.Errorf("log group %q, Arn %q", group, outputs["LogGroupArn"])
	}
	groups, err := c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: &group})
	if err != nil || len(groups.LogGroups) != 1 || aws.ToInt32(groups.LogGroups[0].RetentionInDays) != 14 {
		t.Errorf("log group = %+v, %v", groups, err)
	}

	param, err := c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/resources/role-arn")})
	if err != nil || aws.ToString(param.Parameter.Value) != aws.ToString(got.Role.Arn) || ids["Param"] != "/resources/role-arn" {
		t.Errorf("parameter = %+v, %v (physical ID %q)", param, err, ids["Param"])
	}

	bucket := ids["Bucket"]
	if outputs["BucketDomain"] != bucket+".s3.eu-west-1.amazonaws.com" {
		t.Errorf("bucket %q, domain %q", bucket, outputs["BucketDomain"])
	}
	loc, err := c.s3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: &bucket})
	if err != nil || string(loc.LocationConstraint) != "eu-west-1" {
		t.Errorf("bucket location = %+v, %v", loc, err)
	}
	pol, err := c.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &bucket})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), aws.ToString(got.Role.Arn)) || ids["BucketPolicy"] != bucket {
		t.Errorf("bucket policy = %v, %v (physical ID %q)", pol, err, ids["BucketPolicy"])
	}

	if _, err := c.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(stack)}); err != nil {
		t.Fatal(err)
	}
	waitDeleted(t, c.cfn, st.StackId)
	if _, err := c.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &role}); errorCode(err) != "NoSuchEntity" {
		t.Errorf("role after delete: %v", err)
	}
	if _, err := c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/resources/role-arn")}); errorCode(err) != "ParameterNotFound" {
		t.Errorf("parameter after delete: %v", err)
	}
	if _, err := c.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &bucket}); err == nil {
		t.Error("bucket left after delete")
	}
	groups, err = c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: &group})
	if err != nil || len(groups.LogGroups) != 1 {
		t.Errorf("the retained log group is gone: %+v, %v", groups, err)
	}
}

// waitDeleted waits for DELETE_COMPLETE, looking the stack up by ID (by
// name it no longer exists).
func waitDeleted(t *testing.T, c *cloudformation.Client, id *string) {
	t.Helper()
	st := waitStack(t, c, aws.ToString(id))
	if st.StackStatus != cfntypes.StackStatusDeleteComplete {
		t.Fatalf("delete: %s: %s", st.StackStatus, failureReasons(c, aws.ToString(id)))
	}
}

// TestCDKBootstrapTemplateDeploys creates a stack from the template
// `cdk bootstrap --show-template` prints, with its default parameters (a
// new KMS key) and with the CLI's (S3's managed key), over the emulator's
// own seeded bootstrap, then deletes it: the retained staging bucket
// stays, the rest goes.
func TestCDKBootstrapTemplateDeploys(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "cloudformation", "testdata", "cdk", "bootstrap.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		params []cfntypes.Parameter
		key    bool
	}{
		{"template defaults", nil, true},
		{"as the CLI deploys it", []cfntypes.Parameter{
			{ParameterKey: aws.String("FileAssetsBucketKmsKeyId"), ParameterValue: aws.String("AWS_MANAGED_KEY")},
			{ParameterKey: aws.String("CloudFormationExecutionPolicies"), ParameterValue: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")},
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := emulatortest.Start(t, emulatortest.Options{})
			ctx := context.Background()
			c := clientsOf(e, "us-east-1")
			const stack = "CDKToolkit"
			if _, err := c.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(stack), TemplateBody: aws.String(string(body)),
				Parameters: tc.params, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}}); err != nil {
				t.Fatalf("CreateStack: %v", err)
			}
			st := waitStack(t, c.cfn, stack)
			if st.StackStatus != cfntypes.StackStatusCreateComplete {
				t.Fatalf("stack %s: %s", st.StackStatus, failureReasons(c.cfn, stack))
			}
			ids := physicalIDs(t, c.cfn, stack)
			if _, ok := ids["FileAssetsBucketEncryptionKey"]; ok != tc.key {
				t.Errorf("KMS key created = %v, want %v", ok, tc.key)
			}
			outputs := map[string]string{}
			for _, o := range st.Outputs {
				outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
			}
			const bucket = "cdk-hnb659fds-assets-000000000000-us-east-1"
			if outputs["BucketName"] != bucket || outputs["BucketDomainName"] != bucket+".s3.us-east-1.amazonaws.com" ||
				outputs["ImageRepositoryName"] != "cdk-hnb659fds-container-assets-000000000000-us-east-1" || outputs["BootstrapVersion"] != "33" {
				t.Errorf("outputs = %v", outputs)
			}
			v, err := c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version")})
			if err != nil || aws.ToString(v.Parameter.Value) != "33" {
				t.Errorf("bootstrap version parameter = %+v, %v", v, err)
			}
			for _, r := range []string{"cdk-hnb659fds-deploy-role-000000000000-us-east-1", "cdk-hnb659fds-cfn-exec-role-000000000000-us-east-1",
				"cdk-hnb659fds-file-publishing-role-000000000000-us-east-1", "cdk-hnb659fds-image-publishing-role-000000000000-us-east-1",
				"cdk-hnb659fds-lookup-role-000000000000-us-east-1"} {
				if _, err := c.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(r)}); err != nil {
					t.Errorf("role %s: %v", r, err)
				}
			}
			exec, err := c.iam.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("cdk-hnb659fds-cfn-exec-role-000000000000-us-east-1")})
			if err != nil || len(exec.AttachedPolicies) != 1 || aws.ToString(exec.AttachedPolicies[0].PolicyName) != "AdministratorAccess" {
				t.Errorf("execution role policies = %+v, %v", exec, err)
			}
			if _, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("asset.zip"), Body: strings.NewReader("zip")}); err != nil {
				t.Errorf("PutObject into the staging bucket: %v", err)
			}

			// `cdk bootstrap --trust`: every role's trust policy gains the
			// account, updated in place.
			trusted := append(tc.params, cfntypes.Parameter{ParameterKey: aws.String("TrustedAccounts"), ParameterValue: aws.String("111111111111")})
			if _, err := c.cfn.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(stack), TemplateBody: aws.String(string(body)),
				Parameters: trusted, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}}); err != nil {
				t.Fatalf("UpdateStack: %v", err)
			}
			if st := waitStack(t, c.cfn, stack); st.StackStatus != cfntypes.StackStatusUpdateComplete {
				t.Fatalf("update %s: %s", st.StackStatus, failureReasons(c.cfn, stack))
			}
			deploy, err := c.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("cdk-hnb659fds-deploy-role-000000000000-us-east-1")})
			if trust, _ := url.QueryUnescape(aws.ToString(deploy.Role.AssumeRolePolicyDocument)); err != nil || !strings.Contains(trust, "111111111111") {
				t.Errorf("deploy role trust after --trust: %s, %v", trust, err)
			}
			if after := physicalIDs(t, c.cfn, stack); after["DeploymentActionRole"] != ids["DeploymentActionRole"] {
				t.Errorf("the deploy role was replaced: %s → %s", ids["DeploymentActionRole"], after["DeploymentActionRole"])
			}

			if _, err := c.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(stack)}); err != nil {
				t.Fatal(err)
			}
			waitDeleted(t, c.cfn, st.StackId)
			if _, err := c.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
				t.Errorf("the retained staging bucket is gone: %v", err)
			}
			if _, err := c.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("cdk-hnb659fds-deploy-role-000000000000-us-east-1")}); errorCode(err) != "NoSuchEntity" {
				t.Errorf("deploy role after delete: %v", err)
			}
			if _, err := c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version")}); errorCode(err) != "ParameterNotFound" {
				t.Errorf("version parameter after delete: %v", err)
			}
		})
	}
}

// TestCDKNewVPCTemplateDeploys creates the CDK tutorial's new-VPC stack
// as synthesized, but for its two ECS services (they need Docker and the
// example's images: e2e/cdk.sh runs those), and deletes it. It covers what
// a stock `new ec2.Vpc()` adds beside the network: the Lambda function
// record and role behind Custom::VpcRestrictDefaultSG.
func TestCDKNewVPCTemplateDeploys(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "cloudformation", "testdata", "cdk", "tutorial-new-vpc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(body, &tmpl); err != nil {
		t.Fatal(err)
	}
	resources := tmpl["Resources"].(map[string]any)
	for id, r := range resources {
		if r.(map[string]any)["Type"] == "AWS::ECS::Service" {
			delete(resources, id)
		}
	}
	delete(tmpl, "Outputs") // they name the services
	for _, r := range resources {
		if deps, ok := r.(map[string]any)["DependsOn"].([]any); ok {
			var kept []any
			for _, d := range deps {
				if _, ok := resources[d.(string)]; ok {
					kept = append(kept, d)
				}
			}
			r.(map[string]any)["DependsOn"] = kept
		}
	}
	trimmed, _ := json.Marshal(tmpl)

	e := emulatortest.Start(t, emulatortest.Options{})
	ctx := context.Background()
	c := clientsOf(e, "us-east-1")
	// The provider function's code, as `cdk deploy` publishes it first.
	fnCode := resources["CustomVpcRestrictDefaultSGCustomResourceProviderHandlerDC833E5E"].(map[string]any)["Properties"].(map[string]any)["Code"].(map[string]any)
	if _, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(fnCode["S3Bucket"].(string)), Key: aws.String(fnCode["S3Key"].(string)),
		Body: strings.NewReader("PK")}); err != nil {
		t.Fatalf("publishing the function's asset: %v", err)
	}
	const stack = "TutorialStack"
	if _, err := c.cfn.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(stack), TemplateBody: aws.String(string(trimmed)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}}); err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	st := waitStack(t, c.cfn, stack)
	if st.StackStatus != cfntypes.StackStatusCreateComplete {
		t.Fatalf("stack %s: %s", st.StackStatus, failureReasons(c.cfn, stack))
	}
	ids := physicalIDs(t, c.cfn, stack)
	fn := ids["CustomVpcRestrictDefaultSGCustomResourceProviderHandlerDC833E5E"]
	if !strings.HasPrefix(fn, "TutorialStack-CustomVpcRestrictDefaultSG") || len(fn) > 64 {
		t.Errorf("provider function %q", fn)
	}
	role := ids["CustomVpcRestrictDefaultSGCustomResourceProviderRole26592FE0"]
	attached, err := c.iam.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &role})
	if err != nil || len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyName) != "AWSLambdaBasicExecutionRole" {
		t.Errorf("provider role policies = %+v, %v", attached, err)
	}
	var groups []string
	for id, pid := range ids {
		if strings.Contains(id, "LogGroup") {
			groups = append(groups, pid)
		}
	}
	if len(groups) != 2 {
		t.Fatalf("log groups = %v", groups)
	}

	if _, err := c.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(stack)}); err != nil {
		t.Fatal(err)
	}
	waitDeleted(t, c.cfn, st.StackId)
	roles, err := c.iam.ListRoles(ctx, &iam.ListRolesInput{})
	if err != nil || len(roles.Roles) != 0 {
		t.Errorf("roles left after delete: %+v, %v", roles, err)
	}
	for _, g := range groups { // DeletionPolicy: Retain, as the CDK writes it
		out, err := c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(g)})
		if err != nil || len(out.LogGroups) != 1 {
			t.Errorf("retained log group %s: %+v, %v", g, out, err)
		}
	}
}
