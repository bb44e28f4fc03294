package iam

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// awsPolicy is an AWS managed policy the emulator knows by name. The
// documents are the real policies' essential statements, abbreviated where
// AWS's run to thousands of actions (nothing reads them but people).
type awsPolicy struct {
	path, name, id, version, description, document string
}

// awsPolicyDate stands in for the creation dates AWS reports.
var awsPolicyDate = time.Date(2015, 2, 6, 18, 40, 0, 0, time.UTC)

const (
	readAll  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*:Describe*","*:Get*","*:List*"],"Resource":"*"}]}`
	ecsExec  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`
	lambdaBE = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`
)

// awsPolicies is the catalog, by path and name.
var awsPolicies = []awsPolicy{
	{"/", "AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", "v1", "Provides full access to AWS services and resources.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
	{"/", "ReadOnlyAccess", "ANPAILL3HVNFSB6DCOWYQ", "v1", "Provides read-only access to AWS services and resources.", readAll},
	{"/", "AmazonS3ReadOnlyAccess", "ANPAIZTJ4DXE7G6AGAE6M", "v3", "Provides read only access to all buckets via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}`},
	{"/", "AmazonS3FullAccess", "ANPAIFIR6V6BVTRAHWINE", "v2", "Provides full access to all buckets via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}`},
	{"/", "CloudWatchLogsFullAccess", "ANPAJ3ZGNWK2R5HW5BQFO", "v2", "Provides full access to CloudWatch Logs",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:*","cloudwatch:GenerateQuery"],"Resource":"*"}]}`},
	{"/", "AmazonSSMReadOnlyAccess", "ANPAJODSKQGGJTHRYZ5FC", "v1", "Provides read only access to Amazon SSM.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:Describe*","ssm:Get*","ssm:List*"],"Resource":"*"}]}`},
	{"/", "AmazonEC2ContainerRegistryReadOnly", "ANPAIFYZPA37OOHVIH7KQ", "v3", "Provides read-only access to Amazon EC2 Container Registry repositories.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:GetRepositoryPolicy","ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages","ecr:BatchGetImage","ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview","ecr:ListTagsForResource","ecr:DescribeImageScanFindings"],"Resource":"*"}]}`},
	{"/", "AmazonECSTaskExecutionRolePolicy", "ANPAJG4T4G4PV56DE72PY", "v1", "Provides access to other AWS service resources that are required to run Amazon ECS tasks", ecsExec},
	{"/service-role/", "AmazonECSTaskExecutionRolePolicy", "ANPAJG4T4G4PV56DE72PZ", "v1", "Provides access to other AWS service resources that are required to run Amazon ECS tasks", ecsExec},
	{"/service-role/", "AWSLambdaBasicExecutionRole", "ANPAJNCQGXC42545SKXIK", "v1", "Provides write permissions to CloudWatch Logs.", lambdaBE},
	{"/aws-service-role/", "AmazonECSServiceRolePolicy", "ANPAIVUWKCAI7URU4WUEI", "v1", "Policy to enable Amazon ECS to manage your cluster.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AttachNetworkInterface","ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface","ec2:Describe*","elasticloadbalancing:Describe*","elasticloadbalancing:RegisterTargets","elasticloadbalancing:DeregisterTargets","servicediscovery:RegisterInstance","servicediscovery:DeregisterInstance"],"Resource":"*"}]}`},
	{"/aws-service-role/", "AWSElasticLoadBalancingServiceRolePolicy", "ANPAIMHWGGSRHLOQUICJQ", "v1", "Service Linked Role Policy for AWS Elastic Load Balancing Control Plane",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*","ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface","ec2:ModifyNetworkInterfaceAttribute"],"Resource":"*"}]}`},
}

const awsPolicyARNPrefix = "arn:aws:iam::aws:policy/"

// lookupAWSPolicy finds a catalogued AWS managed policy by ARN.
func lookupAWSPolicy(arn string) (awsPolicy, bool) {
	for _, p := range awsPolicies {
		if p.arn() == arn {
			return p, true
		}
	}
	return awsPolicy{}, false
}

func (p awsPolicy) arn() string {
	return "arn:aws:iam::aws:policy" + p.path + p.name
}

// isAWSPolicyARN says whether arn names an AWS-owned managed policy, which
// attach accepts whether catalogued or not.
func isAWSPolicyARN(arn string) bool {
	rest, ok := strings.CutPrefix(arn, awsPolicyARNPrefix)
	return ok && rest != "" && !strings.HasSuffix(rest, "/")
}

// policy is the catalogued policy as IAM reports it.
func (p awsPolicy) policy(attachments int) types.Policy {
	return types.Policy{
		Arn:                           ptr(p.arn()),
		AttachmentCount:               ptr(int32(attachments)),
		CreateDate:                    ptr(awsPolicyDate),
		DefaultVersionId:              ptr(p.version),
		Description:                   ptr(p.description),
		IsAttachable:                  true,
		Path:                          ptr(p.path),
		PermissionsBoundaryUsageCount: ptr(int32(0)),
		PolicyId:                      ptr(p.id),
		PolicyName:                    ptr(p.name),
		UpdateDate:                    ptr(awsPolicyDate),
	}
}
