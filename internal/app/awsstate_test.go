package app_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// stateClients are SDK clients of the AWS services other than ECS.
type stateClients struct {
	ec2     *ec2.Client
	iam     *iam.Client
	ssm     *ssm.Client
	secrets *secretsmanager.Client
	acm     *acm.Client
	logs    *cloudwatchlogs.Client
	s3      *s3.Client
}

func stateClientsOf(e *emulatortest.Emulator) stateClients {
	cfg, url := e.Config("us-east-1"), aws.String(e.URL)
	return stateClients{
		ec2:     ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = url }),
		iam:     iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = url }),
		ssm:     ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = url }),
		secrets: secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) { o.BaseEndpoint = url }),
		acm:     acm.NewFromConfig(cfg, func(o *acm.Options) { o.BaseEndpoint = url }),
		logs:    cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.BaseEndpoint = url }),
		s3:      s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = url; o.UsePathStyle = true }),
	}
}

// What EC2, IAM, SSM, Secrets Manager, ACM, Logs and S3 acknowledged is
// there after a kill -9 and a start on the same state directory, and what
// the emulator seeds (the default VPC, the CDK bootstrap parameter and
// bucket) is there once.
func TestAWSStateSurvivesACrash(t *testing.T) {
	ctx := t.Context()
	e := emulatortest.Start(t, emulatortest.Options{StateDir: t.TempDir()})
	c := stateClientsOf(e)
	vpc := *mustOK(c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId
	mustOK(c.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))(t)
	mustOK(c.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/url"), Value: aws.String("http://a"), Type: "String"}))(t)
	mustOK(c.secrets.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("db"), SecretString: aws.String("pw")}))(t)
	cert := *mustOK(c.acm.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("app.example.com")}))(t).CertificateArn
	mustOK(c.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/app")}))(t)
	mustOK(c.logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/app"), LogStreamName: aws.String("s")}))(t)
	mustOK(c.logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("/app"), LogStreamName: aws.String("s"),
		LogEvents: []logtypes.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("hello")}}}))(t)
	mustOK(c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("app-bucket")}))(t)
	mustOK(c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("app-bucket"), Key: aws.String("k"), Body: strings.NewReader("v")}))(t)
	params := len(mustOK(c.ssm.DescribeParameters(ctx, &ssm.DescribeParametersInput{}))(t).Parameters)
	buckets := len(mustOK(c.s3.ListBuckets(ctx, &s3.ListBucketsInput{}))(t).Buckets)

	e = e.Restart(t)
	c = stateClientsOf(e)
	vpcs := mustOK(c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs
	if len(vpcs) != 2 || (*vpcs[0].VpcId != vpc && *vpcs[1].VpcId != vpc) {
		t.Fatalf("VPCs after the restart: %+v", vpcs)
	}
	mustOK(c.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t)
	if v := mustOK(c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/url")}))(t).Parameter.Value; *v != "http://a" {
		t.Fatalf("parameter after the restart = %s", *v)
	}
	if n := len(mustOK(c.ssm.DescribeParameters(ctx, &ssm.DescribeParametersInput{}))(t).Parameters); n != params {
		t.Fatalf("%d parameters after the restart, %d before", n, params)
	}
	if v := mustOK(c.secrets.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("db")}))(t).SecretString; *v != "pw" {
		t.Fatalf("secret after the restart = %s", *v)
	}
	mustOK(c.acm.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: &cert}))(t)
	ev := mustOK(c.logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("/app"), LogStreamName: aws.String("s")}))(t).Events
	if len(ev) != 1 || *ev[0].Message != "hello" {
		t.Fatalf("log events after the restart: %+v", ev)
	}
	if n := len(mustOK(c.s3.ListBuckets(ctx, &s3.ListBucketsInput{}))(t).Buckets); n != buckets {
		t.Fatalf("%d buckets after the restart, %d before", n, buckets)
	}
	obj := mustOK(c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("app-bucket"), Key: aws.String("k")}))(t)
	if body, _ := io.ReadAll(obj.Body); string(body) != "v" {
		t.Fatalf("object after the restart = %q", body)
	}
}

// mustOK(c.Op(ctx, in))(t) is Op's output, failing t on an error.
func mustOK[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
