// Package providers implements CloudFormation resource types by calling
// the owning services' stores in process: ECS, ELBv2, Cloud Map, IAM,
// CloudWatch Logs, SSM Parameter Store, S3 and Secrets Manager; and, as records kept here
// because the emulator has no such service, ECR repositories, KMS keys
// and aliases, and Lambda functions and permissions.
package providers

import (
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	logsapi "github.com/localaws/ecsemu/internal/api/logs"
	s3api "github.com/localaws/ecsemu/internal/api/s3"
	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
)

// APIs are the service APIs the providers call.
type APIs struct {
	ECS      *ecsapi.API
	ELB      *elbv2.API
	CloudMap *servicediscovery.API
	IAM      *iamapi.API
	Logs     *logsapi.API
	SSM      *ssmapi.API
	S3       *s3api.API
	Secrets  *smapi.API
	EC2      *ec2api.API
}

// Register adds a provider for every resource type of this package whose
// API is set, and the record-only types, which need none.
func Register(r engine.Registry, apis APIs) {
	if apis.ECS != nil {
		r["AWS::ECS::Cluster"] = NewECSCluster(apis.ECS)
		r["AWS::ECS::TaskDefinition"] = NewECSTaskDefinition(apis.ECS)
		r["AWS::ECS::Service"] = NewECSService(apis.ECS)
		r["AWS::ECS::ClusterCapacityProviderAssociations"] = NewECSCapacityProviderAssociations(apis.ECS)
	}
	if apis.ELB != nil {
		r["AWS::ElasticLoadBalancingV2::LoadBalancer"] = NewLoadBalancer(apis.ELB)
		r["AWS::ElasticLoadBalancingV2::TargetGroup"] = NewTargetGroup(apis.ELB)
		r["AWS::ElasticLoadBalancingV2::Listener"] = NewListener(apis.ELB)
		r["AWS::ElasticLoadBalancingV2::ListenerRule"] = NewListenerRule(apis.ELB)
		r["AWS::ElasticLoadBalancingV2::ListenerCertificate"] = NewListenerCertificate(apis.ELB)
	}
	if apis.CloudMap != nil {
		r["AWS::ServiceDiscovery::PrivateDnsNamespace"] = NewNamespace(apis.CloudMap, NamespacePrivateDNS)
		r["AWS::ServiceDiscovery::PublicDnsNamespace"] = NewNamespace(apis.CloudMap, NamespacePublicDNS)
		r["AWS::ServiceDiscovery::HttpNamespace"] = NewNamespace(apis.CloudMap, NamespaceHTTP)
		r["AWS::ServiceDiscovery::Service"] = NewCloudMapService(apis.CloudMap)
		r["AWS::ServiceDiscovery::Instance"] = NewCloudMapInstance(apis.CloudMap)
	}
	if apis.IAM != nil {
		r["AWS::IAM::Role"] = NewIAMRole(apis.IAM)
		r["AWS::IAM::Policy"] = NewIAMPolicy(apis.IAM)
		r["AWS::IAM::ManagedPolicy"] = NewIAMManagedPolicy(apis.IAM)
		r["AWS::IAM::InstanceProfile"] = NewIAMInstanceProfile(apis.IAM)
		r["AWS::IAM::User"] = NewIAMUser(apis.IAM)
		r["AWS::IAM::AccessKey"] = NewIAMAccessKey(apis.IAM)
		r["AWS::IAM::ServiceLinkedRole"] = NewIAMServiceLinkedRole(apis.IAM)
	}
	if apis.Logs != nil {
		r["AWS::Logs::LogGroup"] = NewLogGroup(apis.Logs)
		r["AWS::Logs::LogStream"] = NewLogStream(apis.Logs)
	}
	if apis.SSM != nil {
		r["AWS::SSM::Parameter"] = NewSSMParameter(apis.SSM)
	}
	if apis.S3 != nil {
		r["AWS::S3::Bucket"] = NewS3Bucket(apis.S3)
		r["AWS::S3::BucketPolicy"] = NewS3BucketPolicy(apis.S3)
	}
	if apis.Secrets != nil {
		r["AWS::SecretsManager::Secret"] = NewSecretsManagerSecret(apis.Secrets)
	}
	recs := newRecords()
	r["AWS::ECR::Repository"] = NewECRRepository(recs)
	r["AWS::KMS::Key"] = NewKMSKey(recs)
	r["AWS::KMS::Alias"] = NewKMSAlias(recs)
	r["AWS::Lambda::Function"] = NewLambdaFunction(recs, apis.S3)
	r["AWS::Lambda::Permission"] = NewLambdaPermission(recs)
	if apis.EC2 != nil {
		registerEC2(r, apis.EC2)
	}
	r["AWS::CDK::Metadata"] = CDKMetadata{}
}
