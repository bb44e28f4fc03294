package ec2

import (
	"context"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// interfaceSpec is what a new network interface is made of.
type interfaceSpec struct {
	subnet      string
	groups      []string // none: the VPC's default group
	description string
	address     string // "" allocates the lowest free address
	// hostAddress and mac are a task's real address and MAC (its Docker
	// network's, outside the subnet's block): the interface shows them,
	// and still takes one address of the subnet, so the subnet's count
	// of free addresses drops by one per task as on AWS.
	hostAddress string
	mac         string
	kind        types.NetworkInterfaceType
	requesterID string // set for interfaces AWS services manage (ECS, NAT)
}

// addInterface creates a network interface with an address of its subnet,
// a MAC and its private DNS name.
func (s *Store) addInterface(spec interfaceSpec) (*types.NetworkInterface, error) {
	sn, err := lookup(s.subnets, "subnet", spec.subnet)
	if err != nil {
		return nil, err
	}
	groups, err := s.interfaceGroups(*sn.subnet.VpcId, spec.groups)
	if err != nil {
		return nil, err
	}
	var host netip.Addr
	if spec.hostAddress != "" {
		if host, err = netip.ParseAddr(spec.hostAddress); err != nil || !host.Is4() {
			return nil, errInvalidParameterValue("Invalid value '%s' for privateIpAddress.", spec.hostAddress)
		}
	}
	id := s.api.opts.IDs.New("eni")
	s.touch(spec.subnet)
	var addr netip.Addr
	if spec.address != "" {
		a, err := netip.ParseAddr(spec.address)
		if err != nil || !a.Is4() {
			return nil, errInvalidParameterValue("Invalid value '%s' for privateIpAddress.", spec.address)
		}
		if err := sn.take(a, id); err != nil {
			return nil, err
		}
		addr = a
	} else if addr, _ = sn.allocate(id); !addr.IsValid() {
		return nil, errorf("InsufficientFreeAddressesInSubnet", "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", spec.subnet)
	}
	s.created(id)
	mac := macAddress(id)
	if spec.mac != "" {
		mac = spec.mac
	}
	if host.IsValid() {
		addr = host
	}
	dns := privateDNSName(s.region, addr)
	e := &types.NetworkInterface{
		NetworkInterfaceId: ptr(id), SubnetId: ptr(spec.subnet), VpcId: ptr(*sn.subnet.VpcId),
		AvailabilityZone: ptr(*sn.subnet.AvailabilityZone), AvailabilityZoneId: ptr(*sn.subnet.AvailabilityZoneId),
		Description: ptr(spec.description), Groups: groups, InterfaceType: spec.kind, MacAddress: ptr(mac),
		OwnerId: ptr(s.account), PrivateDnsName: ptr(dns), PrivateIpAddress: ptr(addr.String()),
		PrivateIpAddresses: []types.NetworkInterfacePrivateIpAddress{{Primary: ptr(true), PrivateIpAddress: ptr(addr.String()), PrivateDnsName: ptr(dns)}},
		RequesterManaged:   ptr(spec.requesterID != ""), SourceDestCheck: ptr(true), Status: types.NetworkInterfaceStatusAvailable,
		Ipv6Addresses: []types.NetworkInterfaceIpv6Address{}, Ipv6Native: ptr(false), DenyAllIgwTraffic: ptr(false),
	}
	if spec.kind == "" {
		e.InterfaceType = types.NetworkInterfaceTypeInterface
	}
	if spec.requesterID != "" {
		e.RequesterId = ptr(spec.requesterID)
	}
	s.enis[id] = e
	return e, nil
}

// interfaceGroups checks an interface's groups: they exist, in its VPC.
func (s *Store) interfaceGroups(vpc string, ids []string) ([]types.GroupIdentifier, error) {
	if len(ids) == 0 {
		ids = []string{s.vpcs[vpc].defaultGroup}
	}
	out := make([]types.GroupIdentifier, 0, len(ids))
	for _, id := range ids {
		g, err := lookup(s.groups, "sg", id)
		if err != nil {
			return nil, err
		}
		if *g.group.VpcId != vpc {
			return nil, errorf("InvalidParameter", "Security group %s and subnet belong to different networks.", id)
		}
		out = append(out, types.GroupIdentifier{GroupId: ptr(id), GroupName: ptr(*g.group.GroupName)})
	}
	return out, nil
}

// removeInterface deletes an interface: its address goes back to the
// subnet and an Elastic IP on it is disassociated.
func (s *Store) removeInterface(id string) {
	e, ok := s.enis[id]
	if !ok {
		return
	}
	if sn, ok := s.subnets[*e.SubnetId]; ok {
		sn.releaseOwned(id)
		s.touch(*e.SubnetId)
	}
	for _, a := range s.eips {
		if deref(a.NetworkInterfaceId) == id {
			s.touch(*a.AllocationId)
			s.forget(deref(a.AssociationId))
			clearAssociation(a)
		}
	}
	delete(s.enis, id)
	s.forget(id)
}

func (s *Store) eniView(e *types.NetworkInterface) types.NetworkInterface {
	v := clone.Of(*e)
	v.TagSet = s.tagsOf(*v.NetworkInterfaceId)
	return v
}

// CreateNetworkInterface creates an interface in a subnet.
func (s *Store) CreateNetworkInterface(_ context.Context, in *ec2.CreateNetworkInterfaceInput) (*ec2.CreateNetworkInterfaceOutput, error) {
	if in.SubnetId == nil {
		return nil, errMissing("subnetId")
	}
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeNetworkInterface)
	if err != nil {
		return nil, err
	}
	var out types.NetworkInterface
	err = s.write(func() error {
		e, err := s.addInterface(interfaceSpec{subnet: *in.SubnetId, groups: in.Groups, description: deref(in.Description),
			address: deref(in.PrivateIpAddress), kind: types.NetworkInterfaceType(in.InterfaceType)})
		if err != nil {
			return err
		}
		s.addTags(*e.NetworkInterfaceId, tags)
		out = s.eniView(e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.CreateNetworkInterfaceOutput{NetworkInterface: &out}, nil
}

// DeleteNetworkInterface deletes an interface that is not attached.
func (s *Store) DeleteNetworkInterface(_ context.Context, in *ec2.DeleteNetworkInterfaceInput) (*ec2.DeleteNetworkInterfaceOutput, error) {
	if in.NetworkInterfaceId == nil {
		return nil, errMissing("networkInterfaceId")
	}
	return &ec2.DeleteNetworkInterfaceOutput{}, s.write(func() error {
		e, err := lookup(s.enis, "eni", *in.NetworkInterfaceId)
		if err != nil {
			return err
		}
		if e.Status == types.NetworkInterfaceStatusInUse {
			return errorf("InvalidNetworkInterface.InUse", "The network interface '%s' is currently in use.", *in.NetworkInterfaceId)
		}
		s.removeInterface(*in.NetworkInterfaceId)
		return nil
	})
}

func eniAttachment(field func(*types.NetworkInterfaceAttachment) []string) func(*types.NetworkInterface) []string {
	return func(e *types.NetworkInterface) []string {
		if e.Attachment == nil {
			return nil
		}
		return field(e.Attachment)
	}
}

var eniFilters = filterSet[*types.NetworkInterface]{
	"network-interface-id": func(e *types.NetworkInterface) []string { return strv(e.NetworkInterfaceId) },
	"subnet-id":            func(e *types.NetworkInterface) []string { return strv(e.SubnetId) },
	"vpc-id":               func(e *types.NetworkInterface) []string { return strv(e.VpcId) },
	"availability-zone":    func(e *types.NetworkInterface) []string { return strv(e.AvailabilityZone) },
	"description":          func(e *types.NetworkInterface) []string { return strv(e.Description) },
	"group-id":             func(e *types.NetworkInterface) []string { return groupIDs(e.Groups) },
	"group-name":           func(e *types.NetworkInterface) []string { return groupNames(e.Groups) },
	"interface-type":       func(e *types.NetworkInterface) []string { return one(string(e.InterfaceType)) },
	"mac-address":          func(e *types.NetworkInterface) []string { return strv(e.MacAddress) },
	"owner-id":             func(e *types.NetworkInterface) []string { return strv(e.OwnerId) },
	"private-dns-name":     func(e *types.NetworkInterface) []string { return strv(e.PrivateDnsName) },
	"private-ip-address":   func(e *types.NetworkInterface) []string { return strv(e.PrivateIpAddress) },
	"addresses.private-ip-address": func(e *types.NetworkInterface) []string {
		var out []string
		for _, a := range e.PrivateIpAddresses {
			out = append(out, deref(a.PrivateIpAddress))
		}
		return out
	},
	"addresses.primary": func(e *types.NetworkInterface) []string { return one("true") },
	"requester-id":      func(e *types.NetworkInterface) []string { return strv(e.RequesterId) },
	"requester-managed": func(e *types.NetworkInterface) []string { return boolv(e.RequesterManaged) },
	"source-dest-check": func(e *types.NetworkInterface) []string { return boolv(e.SourceDestCheck) },
	"status":            func(e *types.NetworkInterface) []string { return one(string(e.Status)) },
	"association.public-ip": func(e *types.NetworkInterface) []string {
		if e.Association == nil {
			return nil
		}
		return strv(e.Association.PublicIp)
	},
	"association.allocation-id": func(e *types.NetworkInterface) []string {
		if e.Association == nil {
			return nil
		}
		return strv(e.Association.AllocationId)
	},
	"attachment.attachment-id": eniAttachment(func(a *types.NetworkInterfaceAttachment) []string { return strv(a.AttachmentId) }),
	"attachment.instance-id":   eniAttachment(func(a *types.NetworkInterfaceAttachment) []string { return strv(a.InstanceId) }),
	"attachment.instance-owner-id": eniAttachment(func(a *types.NetworkInterfaceAttachment) []string {
		return strv(a.InstanceOwnerId)
	}),
	"attachment.device-index": eniAttachment(func(a *types.NetworkInterfaceAttachment) []string { return intv(a.DeviceIndex) }),
	"attachment.status":       eniAttachment(func(a *types.NetworkInterfaceAttachment) []string { return one(string(a.Status)) }),
}

// DescribeNetworkInterfaces lists interfaces by ID and filters.
func (s *Store) DescribeNetworkInterfaces(_ context.Context, in *ec2.DescribeNetworkInterfacesInput) (*ec2.DescribeNetworkInterfacesOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.enis, "eni", in.NetworkInterfaceIds)
	if err != nil {
		return nil, err
	}
	recs, err = filterItems(s, eniFilters, in.Filters, recs, func(e *types.NetworkInterface) string { return *e.NetworkInterfaceId })
	if err != nil {
		return nil, err
	}
	recs, next, err := page(recs, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]types.NetworkInterface, 0, len(recs))
	for _, e := range recs {
		out = append(out, s.eniView(e))
	}
	return &ec2.DescribeNetworkInterfacesOutput{NetworkInterfaces: out, NextToken: next}, nil
}
