// Package providers implements the CloudFormation resource types of ECS,
// ELBv2 and Cloud Map by calling those services' stores in process.
package providers

import (
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
)

// APIs are the service APIs the providers call.
type APIs struct {
	ECS      *ecsapi.API
	ELB      *elbv2.API
	CloudMap *servicediscovery.API
}

// Register adds a provider for every resource type of this package whose
// API is set.
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
	r["AWS::CDK::Metadata"] = CDKMetadata{}
}
