package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// TestServicesOfTheTable reaches each service the table adds beside ECS,
// ELBv2 and Cloud Map through the emulator's one endpoint.
func TestServicesOfTheTable(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	ctx := context.Background()
	cfg := e.Config("eu-west-1")

	id, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(e.URL) }).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Account) != "000000000000" || !strings.HasPrefix(aws.ToString(id.Arn), "arn:aws:") {
		t.Fatalf("GetCallerIdentity: %+v, %v", id, err)
	}

	roles := iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(e.URL) })
	role, err := roles.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("task-role"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil || aws.ToString(role.Role.Arn) != "arn:aws:iam::000000000000:role/task-role" {
		t.Fatalf("CreateRole: %+v, %v", role, err)
	}
	stsClient := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(e.URL) })
	creds, err := stsClient.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	assumed := e.Config("eu-west-1")
	assumed.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(creds.Credentials.AccessKeyId), aws.ToString(creds.Credentials.SecretAccessKey), aws.ToString(creds.Credentials.SessionToken))
	who, err := sts.NewFromConfig(assumed, func(o *sts.Options) { o.BaseEndpoint = aws.String(e.URL) }).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Arn) != "arn:aws:sts::000000000000:assumed-role/task-role/s1" {
		t.Errorf("GetCallerIdentity with the assumed role's keys: %+v, %v", who, err)
	}

	certs := acm.NewFromConfig(cfg, func(o *acm.Options) { o.BaseEndpoint = aws.String(e.URL) })
	req, err := certs.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("api.example.com")})
	if err != nil {
		t.Fatalf("RequestCertificate: %v", err)
	}
	if cert, err := e.App.ACM.TLSCertificate(aws.ToString(req.CertificateArn)); err != nil || len(cert.Certificate) == 0 {
		t.Errorf("the ALB cannot serve the requested certificate: %v", err)
	}

	network := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(e.URL) })
	vpcs, err := network.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	if err != nil || len(vpcs.Vpcs) != 1 || aws.ToString(vpcs.Vpcs[0].CidrBlock) != "172.31.0.0/16" {
		t.Errorf("the default VPC: %+v, %v", vpcs, err)
	}

	logsClient := cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.BaseEndpoint = aws.String(e.URL) })
	if _, err := logsClient.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/api")}); err != nil {
		t.Errorf("CreateLogGroup: %v", err)
	}

	stacks := cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(e.URL) })
	body := "Resources:\n  Cluster:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterName: !Sub \"${AWS::StackName}-cluster\"\n"
	if _, err := stacks.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("demo"), TemplateBody: aws.String(body)}); err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	// The SDK's default 30 s first delay would outlast the wait itself.
	waiter := cloudformation.NewStackCreateCompleteWaiter(stacks, func(o *cloudformation.StackCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	})
	if err := waiter.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("demo")}, 30*time.Second); err != nil {
		t.Fatalf("stack-create-complete: %v", err)
	}
	res, err := stacks.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("demo"), LogicalResourceId: aws.String("Cluster")})
	if err != nil || aws.ToString(res.StackResourceDetail.PhysicalResourceId) != "demo-cluster" || res.StackResourceDetail.ResourceStatus != cfntypes.ResourceStatusCreateComplete {
		t.Errorf("the stack's cluster: %+v, %v", res, err)
	}

	params := ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = aws.String(e.URL) })
	v, err := params.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version")})
	if err != nil || aws.ToString(v.Parameter.Value) == "" {
		t.Fatalf("a fresh emulator is not bootstrapped for the CDK: %+v, %v", v, err)
	}
	_, err = params.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/missing")})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ParameterNotFound" {
		t.Errorf("missing parameter: %v", err)
	}

	objects := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(e.URL); o.UsePathStyle = true })
	bucket := aws.String("cdk-hnb659fds-assets-000000000000-eu-west-1")
	if _, err := objects.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("t.json"), Body: strings.NewReader("{}")}); err != nil {
		t.Fatalf("PutObject into the bootstrap bucket: %v", err)
	}
	loc, err := objects.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: bucket})
	if err != nil || string(loc.LocationConstraint) != "eu-west-1" {
		t.Errorf("GetBucketLocation: %+v, %v", loc, err)
	}

	vault := secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(e.URL) })
	created, err := vault.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("app/db"), SecretString: aws.String("pw")})
	if err != nil || !strings.HasPrefix(aws.ToString(created.ARN), "arn:aws:secretsmanager:eu-west-1:000000000000:secret:app/db-") {
		t.Fatalf("CreateSecret: %+v, %v", created, err)
	}
	got, err := vault.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: created.ARN})
	if err != nil || aws.ToString(got.SecretString) != "pw" {
		t.Errorf("GetSecretValue: %+v, %v", got, err)
	}
}
