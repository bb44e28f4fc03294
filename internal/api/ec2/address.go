package ec2

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// publicDNSName is EC2's public name of an address.
func publicDNSName(region, ip string) string {
	host := "ec2-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".compute-1.amazonaws.com"
	}
	return host + "." + region + ".compute.amazonaws.com"
}

func (s *Store) addrView(a *types.Address) types.Address {
	v := clone.Of(*a)
	v.Tags = s.tagsOf(*v.AllocationId)
	return v
}

// addressByIP finds an Elastic IP by its public address.
func (s *Store) addressByIP(ip string) (*types.Address, error) {
	for _, a := range s.eips {
		if *a.PublicIp == ip {
			return a, nil
		}
	}
	return nil, errorf("InvalidAddress.NotFound", "Address '%s' not found.", ip)
}

// associate maps an Elastic IP to an interface.
func (s *Store) associate(a *types.Address, e *types.NetworkInterface) string {
	assoc := s.newID("eipassoc")
	s.touch(*a.AllocationId)
	s.touch(*e.NetworkInterfaceId)
	a.AssociationId, a.NetworkInterfaceId = ptr(assoc), ptr(*e.NetworkInterfaceId)
	a.NetworkInterfaceOwnerId, a.PrivateIpAddress = ptr(s.account), ptr(*e.PrivateIpAddress)
	a.InstanceId = clone.Of(attachmentInstance(e))
	a.SubnetId = ptr(*e.SubnetId)
	e.Association = &types.NetworkInterfaceAssociation{
		AllocationId: ptr(*a.AllocationId), AssociationId: ptr(assoc), IpOwnerId: ptr(s.account),
		PublicIp: ptr(*a.PublicIp), PublicDnsName: ptr(publicDNSName(s.region, *a.PublicIp)),
	}
	e.PrivateIpAddresses[0].Association = clone.Of(e.Association)
	return assoc
}

// clearAssociation unmaps an Elastic IP from its interface.
func clearAssociation(a *types.Address) {
	a.AssociationId, a.InstanceId, a.NetworkInterfaceId, a.NetworkInterfaceOwnerId, a.PrivateIpAddress, a.SubnetId = nil, nil, nil, nil, nil, nil
}

func (s *Store) disassociate(a *types.Address) {
	s.touch(*a.AllocationId)
	if e, ok := s.enis[deref(a.NetworkInterfaceId)]; ok {
		s.touch(*e.NetworkInterfaceId)
		e.Association = nil
		e.PrivateIpAddresses[0].Association = nil
	}
	s.forget(deref(a.AssociationId))
	clearAssociation(a)
}

// AllocateAddress allocates an Elastic IP (VPC domain).
func (s *Store) AllocateAddress(_ context.Context, in *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error) {
	if in.Domain != "" && in.Domain != types.DomainTypeVpc {
		return nil, errInvalidParameterValue("Invalid value '%s' for domain.", in.Domain)
	}
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeElasticIp)
	if err != nil {
		return nil, err
	}
	var out ec2.AllocateAddressOutput
	err = s.write(func() error {
		a := &types.Address{AllocationId: ptr(s.newID("eipalloc")), PublicIp: ptr(s.nextPublicIP()), Domain: types.DomainTypeVpc,
			NetworkBorderGroup: ptr(s.region), PublicIpv4Pool: ptr("amazon")}
		s.eips[*a.AllocationId] = a
		s.addTags(*a.AllocationId, tags)
		out = ec2.AllocateAddressOutput{AllocationId: ptr(*a.AllocationId), PublicIp: ptr(*a.PublicIp), Domain: a.Domain,
			NetworkBorderGroup: ptr(s.region), PublicIpv4Pool: ptr("amazon")}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ReleaseAddress releases an Elastic IP that is not associated.
func (s *Store) ReleaseAddress(_ context.Context, in *ec2.ReleaseAddressInput) (*ec2.ReleaseAddressOutput, error) {
	return &ec2.ReleaseAddressOutput{}, s.write(func() error {
		a, err := s.resolveAddress(in.AllocationId, in.PublicIp)
		if err != nil {
			return err
		}
		if a.AssociationId != nil {
			return errorf("InvalidIPAddress.InUse", "Address %s is in use.", *a.PublicIp)
		}
		delete(s.eips, *a.AllocationId)
		s.forget(*a.AllocationId)
		return nil
	})
}

func (s *Store) resolveAddress(alloc, ip *string) (*types.Address, error) {
	switch {
	case alloc != nil:
		return lookup(s.eips, "eipalloc", *alloc)
	case ip != nil:
		return s.addressByIP(*ip)
	}
	return nil, errMissing("allocationId")
}

// AssociateAddress maps an Elastic IP to an instance's primary interface
// or to an interface; the VPC needs an internet gateway.
func (s *Store) AssociateAddress(_ context.Context, in *ec2.AssociateAddressInput) (*ec2.AssociateAddressOutput, error) {
	var out ec2.AssociateAddressOutput
	err := s.write(func() error {
		a, err := s.resolveAddress(in.AllocationId, in.PublicIp)
		if err != nil {
			return err
		}
		e, err := s.associationTarget(in.InstanceId, in.NetworkInterfaceId)
		if err != nil {
			return err
		}
		if s.vpcGateway(*e.VpcId) == nil {
			return errorf("Gateway.NotAttached", "Network %s is not attached to any internet gateway", *e.VpcId)
		}
		if a.AssociationId != nil && !deref(in.AllowReassociation) {
			return errorf("Resource.AlreadyAssociated", "resource %s is already associated with associate-id %s", *a.AllocationId, *a.AssociationId)
		}
		if a.AssociationId != nil {
			s.disassociate(a)
		}
		for _, other := range s.eips {
			if deref(other.NetworkInterfaceId) == *e.NetworkInterfaceId {
				s.disassociate(other)
			}
		}
		out.AssociationId = ptr(s.associate(a, e))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *Store) associationTarget(instance, eni *string) (*types.NetworkInterface, error) {
	switch {
	case eni != nil:
		return lookup(s.enis, "eni", *eni)
	case instance != nil:
		inst, err := lookup(s.instances, "i", *instance)
		if err != nil {
			return nil, err
		}
		return s.enis[inst.primaryENI], nil
	}
	return nil, errMissing("instanceId")
}

// DisassociateAddress unmaps an Elastic IP.
func (s *Store) DisassociateAddress(_ context.Context, in *ec2.DisassociateAddressInput) (*ec2.DisassociateAddressOutput, error) {
	return &ec2.DisassociateAddressOutput{}, s.write(func() error {
		switch {
		case in.AssociationId != nil:
			if err := checkID("eipassoc", *in.AssociationId); err != nil {
				return err
			}
			for _, a := range s.eips {
				if deref(a.AssociationId) == *in.AssociationId {
					s.disassociate(a)
					return nil
				}
			}
			return errNotFound("eipassoc", *in.AssociationId)
		case in.PublicIp != nil:
			a, err := s.addressByIP(*in.PublicIp)
			if err != nil {
				return err
			}
			s.disassociate(a)
			return nil
		}
		return errMissing("associationId")
	})
}

var addressFilters = filterSet[*types.Address]{
	"allocation-id":              func(a *types.Address) []string { return strv(a.AllocationId) },
	"association-id":             func(a *types.Address) []string { return strv(a.AssociationId) },
	"domain":                     func(a *types.Address) []string { return one(string(a.Domain)) },
	"instance-id":                func(a *types.Address) []string { return strv(a.InstanceId) },
	"network-border-group":       func(a *types.Address) []string { return strv(a.NetworkBorderGroup) },
	"network-interface-id":       func(a *types.Address) []string { return strv(a.NetworkInterfaceId) },
	"network-interface-owner-id": func(a *types.Address) []string { return strv(a.NetworkInterfaceOwnerId) },
	"private-ip-address":         func(a *types.Address) []string { return strv(a.PrivateIpAddress) },
	"public-ip":                  func(a *types.Address) []string { return strv(a.PublicIp) },
}

// DescribeAddresses lists Elastic IPs by allocation ID, address and filters.
func (s *Store) DescribeAddresses(_ context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.eips, "eipalloc", in.AllocationIds)
	if err != nil {
		return nil, err
	}
	if len(in.PublicIps) > 0 {
		var byIP []*types.Address
		for _, ip := range in.PublicIps {
			a, err := s.addressByIP(ip)
			if err != nil {
				return nil, err
			}
			byIP = append(byIP, a)
		}
		recs = byIP
	}
	recs, err = filterItems(s, addressFilters, in.Filters, recs, func(a *types.Address) string { return *a.AllocationId })
	if err != nil {
		return nil, err
	}
	out := make([]types.Address, 0, len(recs))
	for _, a := range recs {
		out = append(out, s.addrView(a))
	}
	return &ec2.DescribeAddressesOutput{Addresses: out}, nil
}
