package ecs

// operations maps each implemented ECS operation to its handler. Every
// other operation name gets UnknownOperationException.
func (a *API) operations() map[string]handler {
	return map[string]handler{
		// Clusters.
		"CreateCluster":               op((*Store).CreateCluster),
		"DeleteCluster":               op((*Store).DeleteCluster),
		"DescribeClusters":            op((*Store).DescribeClusters),
		"ListClusters":                op((*Store).ListClusters),
		"UpdateCluster":               op((*Store).UpdateCluster),
		"UpdateClusterSettings":       op((*Store).UpdateClusterSettings),
		"PutClusterCapacityProviders": op((*Store).PutClusterCapacityProviders),
		// Task definitions.
		"RegisterTaskDefinition":     op((*Store).RegisterTaskDefinition),
		"DeregisterTaskDefinition":   op((*Store).DeregisterTaskDefinition),
		"DescribeTaskDefinition":     op((*Store).DescribeTaskDefinition),
		"ListTaskDefinitions":        op((*Store).ListTaskDefinitions),
		"ListTaskDefinitionFamilies": op((*Store).ListTaskDefinitionFamilies),
		"DeleteTaskDefinitions":      op((*Store).DeleteTaskDefinitions),
		// Services and their deployments.
		"CreateService":              op((*Store).CreateService),
		"UpdateService":              op((*Store).UpdateService),
		"DeleteService":              op((*Store).DeleteService),
		"DescribeServices":           op((*Store).describeServicesEncoded),
		"ListServices":               op((*Store).ListServices),
		"ListServicesByNamespace":    op((*Store).ListServicesByNamespace),
		"ListServiceDeployments":     op((*Store).ListServiceDeployments),
		"DescribeServiceDeployments": op((*Store).DescribeServiceDeployments),
		// Tasks.
		"RunTask":       op((*Store).RunTask),
		"StopTask":      op((*Store).StopTask),
		"DescribeTasks": op((*Store).DescribeTasks),
		"ListTasks":     op((*Store).ListTasks),
		// Tags.
		"TagResource":         op((*Store).TagResource),
		"UntagResource":       op((*Store).UntagResource),
		"ListTagsForResource": op((*Store).ListTagsForResource),
		// Account settings.
		"ListAccountSettings":      op((*Store).ListAccountSettings),
		"PutAccountSetting":        op((*Store).PutAccountSetting),
		"PutAccountSettingDefault": op((*Store).PutAccountSettingDefault),
		"DeleteAccountSetting":     op((*Store).DeleteAccountSetting),
		// Capacity and container instances (Fargate only).
		"DescribeCapacityProviders":  op((*Store).DescribeCapacityProviders),
		"CreateCapacityProvider":     op((*Store).CreateCapacityProvider),
		"UpdateCapacityProvider":     op((*Store).UpdateCapacityProvider),
		"DeleteCapacityProvider":     op((*Store).DeleteCapacityProvider),
		"ListContainerInstances":     op((*Store).ListContainerInstances),
		"DescribeContainerInstances": op((*Store).DescribeContainerInstances),
		// Container instance attributes and the agent's endpoint discovery.
		"PutAttributes":        op((*Store).PutAttributes),
		"DeleteAttributes":     op((*Store).DeleteAttributes),
		"ListAttributes":       op((*Store).ListAttributes),
		"DiscoverPollEndpoint": op((*Store).DiscoverPollEndpoint),
	}
}
