package servicediscovery

// operations maps each implemented Cloud Map operation to its handler.
// Every other operation name gets UnknownOperationException.
func (a *API) operations() map[string]handler {
	return map[string]handler{
		// Namespaces.
		"CreateHttpNamespace":       op((*Store).CreateHttpNamespace),
		"CreatePrivateDnsNamespace": op((*Store).CreatePrivateDnsNamespace),
		"CreatePublicDnsNamespace":  op((*Store).CreatePublicDnsNamespace),
		"DeleteNamespace":           op((*Store).DeleteNamespace),
		"GetNamespace":              op((*Store).GetNamespace),
		"ListNamespaces":            op((*Store).ListNamespaces),
		"UpdateHttpNamespace":       op((*Store).UpdateHttpNamespace),
		"UpdatePrivateDnsNamespace": op((*Store).UpdatePrivateDnsNamespace),
		"UpdatePublicDnsNamespace":  op((*Store).UpdatePublicDnsNamespace),
		// Services.
		"CreateService":           op((*Store).CreateService),
		"DeleteService":           op((*Store).DeleteService),
		"GetService":              op((*Store).GetService),
		"ListServices":            op((*Store).ListServices),
		"UpdateService":           op((*Store).UpdateService),
		"GetServiceAttributes":    op((*Store).GetServiceAttributes),
		"UpdateServiceAttributes": op((*Store).UpdateServiceAttributes),
		"DeleteServiceAttributes": op((*Store).DeleteServiceAttributes),
		// Instances.
		"RegisterInstance":                 op((*Store).RegisterInstance),
		"DeregisterInstance":               op((*Store).DeregisterInstance),
		"GetInstance":                      op((*Store).GetInstance),
		"ListInstances":                    op((*Store).ListInstances),
		"GetInstancesHealthStatus":         op((*Store).GetInstancesHealthStatus),
		"UpdateInstanceCustomHealthStatus": op((*Store).UpdateInstanceCustomHealthStatus),
		// Discovery (the data- host prefix endpoints).
		"DiscoverInstances":         op((*Store).DiscoverInstances),
		"DiscoverInstancesRevision": op((*Store).DiscoverInstancesRevision),
		// Asynchronous operations.
		"GetOperation":   op((*Store).GetOperation),
		"ListOperations": op((*Store).ListOperations),
		// Tags.
		"TagResource":         op((*Store).TagResource),
		"UntagResource":       op((*Store).UntagResource),
		"ListTagsForResource": op((*Store).ListTagsForResource),
	}
}
