package ec2

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// natRecord is a NAT gateway and the time of its last state change.
type natRecord struct {
	nat     types.NatGateway
	changed time.Time
	eni     string
	alloc   string
}

// advanceNat moves a NAT gateway on: pending → available, deleting →
// deleted (when its interface goes and its Elastic IP is freed).
func (s *Store) advanceNat(n *natRecord, now time.Time) {
	if now.Sub(n.changed) < s.api.opts.TransitionDelay {
		return
	}
	switch n.nat.State {
	case types.NatGatewayStatePending:
		s.touch(*n.nat.NatGatewayId)
		n.nat.State, n.changed = types.NatGatewayStateAvailable, now
	case types.NatGatewayStateDeleting:
		s.touch(*n.nat.NatGatewayId)
		n.nat.State, n.changed = types.NatGatewayStateDeleted, now
		for i := range n.nat.NatGatewayAddresses {
			n.nat.NatGatewayAddresses[i].Status = types.NatGatewayAddressStatusSucceeded
			n.nat.NatGatewayAddresses[i].AssociationId = nil
		}
		if a, ok := s.eips[n.alloc]; ok && deref(a.NetworkInterfaceId) == n.eni {
			s.disassociate(a)
		}
		s.removeInterface(n.eni)
	}
}

func (s *Store) natView(n *natRecord) types.NatGateway {
	v := clone.Of(n.nat)
	v.Tags = s.tagsOf(*v.NatGatewayId)
	return v
}

// CreateNatGateway creates a NAT gateway in a subnet: a public one needs
// an Elastic IP that is not associated. It is pending, then available.
func (s *Store) CreateNatGateway(_ context.Context, in *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
	if in.SubnetId == nil {
		return nil, errMissing("subnetId")
	}
	kind := in.ConnectivityType
	if kind == "" {
		kind = types.ConnectivityTypePublic
	}
	if kind == types.ConnectivityTypePublic && in.AllocationId == nil {
		return nil, errMissing("allocationId")
	}
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeNatgateway)
	if err != nil {
		return nil, err
	}
	var out types.NatGateway
	err = s.write(func() error {
		sn, err := lookup(s.subnets, "subnet", *in.SubnetId)
		if err != nil {
			return err
		}
		var a *types.Address
		if kind == types.ConnectivityTypePublic {
			if a, err = lookup(s.eips, "eipalloc", *in.AllocationId); err != nil {
				return err
			}
			if a.AssociationId != nil {
				return errorf("Resource.AlreadyAssociated", "Elastic IP address [%s] is already associated", *in.AllocationId)
			}
		}
		id := s.newID("nat")
		e, err := s.addInterface(interfaceSpec{subnet: *in.SubnetId, description: "Interface for NAT Gateway " + id,
			address: deref(in.PrivateIpAddress), kind: types.NetworkInterfaceTypeNatGateway, requesterID: "amazon"})
		if err != nil {
			s.forget(id)
			return err
		}
		e.Status = types.NetworkInterfaceStatusInUse
		addr := types.NatGatewayAddress{NetworkInterfaceId: ptr(*e.NetworkInterfaceId), PrivateIp: ptr(*e.PrivateIpAddress),
			IsPrimary: ptr(true), Status: types.NatGatewayAddressStatusSucceeded}
		n := &natRecord{eni: *e.NetworkInterfaceId, changed: s.now(), nat: types.NatGateway{
			NatGatewayId: ptr(id), SubnetId: ptr(*in.SubnetId), VpcId: ptr(*sn.subnet.VpcId), ConnectivityType: kind,
			State: types.NatGatewayStatePending, CreateTime: ptr(s.now()),
		}}
		if a != nil {
			n.alloc = *a.AllocationId
			addr.AllocationId, addr.PublicIp = ptr(*a.AllocationId), ptr(*a.PublicIp)
			addr.AssociationId = ptr(s.associate(a, e))
		}
		n.nat.NatGatewayAddresses = []types.NatGatewayAddress{addr}
		s.nats[id] = n
		s.addTags(id, tags)
		out = s.natView(n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.CreateNatGatewayOutput{NatGateway: &out, ClientToken: in.ClientToken}, nil
}

// DeleteNatGateway starts deleting a NAT gateway.
func (s *Store) DeleteNatGateway(_ context.Context, in *ec2.DeleteNatGatewayInput) (*ec2.DeleteNatGatewayOutput, error) {
	if in.NatGatewayId == nil {
		return nil, errMissing("natGatewayId")
	}
	return &ec2.DeleteNatGatewayOutput{NatGatewayId: ptr(*in.NatGatewayId)}, s.write(func() error {
		n, err := lookup(s.nats, "nat", *in.NatGatewayId)
		if err != nil {
			return err
		}
		if n.nat.State == types.NatGatewayStateDeleting || n.nat.State == types.NatGatewayStateDeleted {
			return nil
		}
		n.nat.State, n.changed, n.nat.DeleteTime = types.NatGatewayStateDeleting, s.now(), ptr(s.now())
		s.touch(*in.NatGatewayId)
		s.advanceNat(n, s.now())
		return nil
	})
}

var natFilters = filterSet[*natRecord]{
	"nat-gateway-id": func(n *natRecord) []string { return strv(n.nat.NatGatewayId) },
	"state":          func(n *natRecord) []string { return one(string(n.nat.State)) },
	"subnet-id":      func(n *natRecord) []string { return strv(n.nat.SubnetId) },
	"vpc-id":         func(n *natRecord) []string { return strv(n.nat.VpcId) },
}

// DescribeNatGateways lists NAT gateways by ID and filters (the Filter
// member is called Filter here).
func (s *Store) DescribeNatGateways(_ context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.nats, "nat", in.NatGatewayIds)
	if err != nil {
		return nil, err
	}
	recs, err = filterItems(s, natFilters, in.Filter, recs, func(n *natRecord) string { return *n.nat.NatGatewayId })
	if err != nil {
		return nil, err
	}
	recs, next, err := page(recs, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]types.NatGateway, 0, len(recs))
	for _, n := range recs {
		out = append(out, s.natView(n))
	}
	return &ec2.DescribeNatGatewaysOutput{NatGateways: out, NextToken: next}, nil
}
