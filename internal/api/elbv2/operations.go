package elbv2

// operations maps each implemented ELBv2 operation (every P0 and P1
// operation of the spec) to its handler.
func (a *API) operations() map[string]handler {
	return map[string]handler{
		// Load balancers.
		"CreateLoadBalancer":             op((*Store).CreateLoadBalancer),
		"DeleteLoadBalancer":             op((*Store).DeleteLoadBalancer),
		"DescribeLoadBalancers":          op((*Store).DescribeLoadBalancers),
		"DescribeLoadBalancerAttributes": op((*Store).DescribeLoadBalancerAttributes),
		"ModifyLoadBalancerAttributes":   op((*Store).ModifyLoadBalancerAttributes),
		"SetIpAddressType":               op((*Store).SetIpAddressType),
		"SetSecurityGroups":              op((*Store).SetSecurityGroups),
		"SetSubnets":                     op((*Store).SetSubnets),
		"DescribeCapacityReservation":    op((*Store).DescribeCapacityReservation),
		"ModifyCapacityReservation":      op((*Store).ModifyCapacityReservation),
		// Target groups and targets.
		"CreateTargetGroup":             op((*Store).CreateTargetGroup),
		"DeleteTargetGroup":             op((*Store).DeleteTargetGroup),
		"DescribeTargetGroups":          op((*Store).DescribeTargetGroups),
		"ModifyTargetGroup":             op((*Store).ModifyTargetGroup),
		"DescribeTargetGroupAttributes": op((*Store).DescribeTargetGroupAttributes),
		"ModifyTargetGroupAttributes":   op((*Store).ModifyTargetGroupAttributes),
		"RegisterTargets":               op((*Store).RegisterTargets),
		"DeregisterTargets":             op((*Store).DeregisterTargets),
		"DescribeTargetHealth":          op((*Store).DescribeTargetHealth),
		// Listeners, their attributes and certificates.
		"CreateListener":               op((*Store).CreateListener),
		"DeleteListener":               op((*Store).DeleteListener),
		"DescribeListeners":            op((*Store).DescribeListeners),
		"ModifyListener":               op((*Store).ModifyListener),
		"DescribeListenerAttributes":   op((*Store).DescribeListenerAttributes),
		"ModifyListenerAttributes":     op((*Store).ModifyListenerAttributes),
		"AddListenerCertificates":      op((*Store).AddListenerCertificates),
		"RemoveListenerCertificates":   op((*Store).RemoveListenerCertificates),
		"DescribeListenerCertificates": op((*Store).DescribeListenerCertificates),
		// Rules.
		"CreateRule":        op((*Store).CreateRule),
		"DeleteRule":        op((*Store).DeleteRule),
		"DescribeRules":     op((*Store).DescribeRules),
		"ModifyRule":        op((*Store).ModifyRule),
		"SetRulePriorities": op((*Store).SetRulePriorities),
		// Tags.
		"AddTags":      op((*Store).AddTags),
		"RemoveTags":   op((*Store).RemoveTags),
		"DescribeTags": op((*Store).DescribeTags),
		// Account-wide reference data.
		"DescribeAccountLimits": op((*Store).DescribeAccountLimits),
		"DescribeSSLPolicies":   op((*Store).DescribeSSLPolicies),
	}
}

// unsupportedOperations are the ELBv2 operations the emulator knows but
// does not serve (spec §2.2 P2: trust stores, resource policies, IPAM
// pools). They get InvalidAction with a message saying so.
var unsupportedOperations = map[string]bool{
	"AddTrustStoreRevocations":          true,
	"CreateTrustStore":                  true,
	"DeleteSharedTrustStoreAssociation": true,
	"DeleteTrustStore":                  true,
	"DescribeTrustStoreAssociations":    true,
	"DescribeTrustStoreRevocations":     true,
	"DescribeTrustStores":               true,
	"GetResourcePolicy":                 true,
	"GetTrustStoreCaCertificatesBundle": true,
	"GetTrustStoreRevocationContent":    true,
	"ModifyIpPools":                     true,
	"ModifyTrustStore":                  true,
	"RemoveTrustStoreRevocations":       true,
}
