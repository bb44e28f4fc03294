package ec2

// Network ACLs are not served: every VPC has its default ACL, allowing
// everything, and each subnet is associated with it. CloudFormation's
// VPC and Subnet still name both (GetAtt DefaultNetworkAcl and
// NetworkAclAssociationId), so these two lookups answer them.

// DefaultNetworkACL is the ID of a VPC's default network ACL, "" for an
// unknown VPC.
func (a *API) DefaultNetworkACL(region, vpcID string) string {
	s := a.Store(region)
	s.lock()
	defer s.unlock()
	if v, ok := s.vpcs[vpcID]; ok {
		return v.networkACL
	}
	return ""
}

// NetworkACLAssociation is the ID of a subnet's association with its
// VPC's default network ACL, derived from the subnet so that it is the
// same every time it is asked; "" for an unknown subnet.
func (a *API) NetworkACLAssociation(region, subnetID string) string {
	s := a.Store(region)
	s.lock()
	defer s.unlock()
	if _, ok := s.subnets[subnetID]; !ok {
		return ""
	}
	return stableID("aclassoc", s.account, region, subnetID)
}
