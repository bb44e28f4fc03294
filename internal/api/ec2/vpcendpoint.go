package ec2

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// fullAccessPolicy is the policy of an endpoint created without one.
const fullAccessPolicy = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`

func (s *Store) endpointView(e *types.VpcEndpoint) types.VpcEndpoint {
	v := clone.Of(*e)
	v.Tags = s.tagsOf(*v.VpcEndpointId)
	return v
}

// CreateVpcEndpoint records an endpoint. A gateway endpoint (S3,
// DynamoDB) adds a route to the service's prefix list in each of its
// route tables; an interface endpoint gets an interface in each subnet.
func (s *Store) CreateVpcEndpoint(_ context.Context, in *ec2.CreateVpcEndpointInput) (*ec2.CreateVpcEndpointOutput, error) {
	if in.VpcId == nil {
		return nil, errMissing("vpcId")
	}
	if in.ServiceName == nil {
		return nil, errMissing("serviceName")
	}
	kind := in.VpcEndpointType
	if kind == "" {
		kind = types.VpcEndpointTypeGateway
	}
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeVpcEndpoint)
	if err != nil {
		return nil, err
	}
	var out types.VpcEndpoint
	err = s.write(func() error {
		if _, err := lookup(s.vpcs, "vpc", *in.VpcId); err != nil {
			return err
		}
		if !strings.HasPrefix(*in.ServiceName, "com.amazonaws.") {
			return errorf("InvalidServiceName", "The Vpc Endpoint Service '%s' does not exist", *in.ServiceName)
		}
		pl, gatewayService := prefixListFor(s.region, *in.ServiceName)
		if kind == types.VpcEndpointTypeGateway && !gatewayService {
			return errorf("InvalidServiceName", "The Vpc Endpoint Service '%s' does not exist", *in.ServiceName)
		}
		e := &types.VpcEndpoint{
			VpcEndpointId: ptr(s.api.opts.IDs.New("vpce")), VpcId: ptr(*in.VpcId), ServiceName: ptr(*in.ServiceName),
			VpcEndpointType: kind, State: types.StateAvailable, OwnerId: ptr(s.account), CreationTimestamp: ptr(s.now()),
			PolicyDocument: ptr(fullAccessPolicy), PrivateDnsEnabled: ptr(deref(in.PrivateDnsEnabled)), RequesterManaged: ptr(false),
			RouteTableIds: []string{}, SubnetIds: []string{}, NetworkInterfaceIds: []string{}, Groups: []types.SecurityGroupIdentifier{},
			DnsEntries: []types.DnsEntry{}, IpAddressType: types.IpAddressTypeIpv4,
		}
		if in.PolicyDocument != nil {
			e.PolicyDocument = ptr(*in.PolicyDocument)
		}
		if err := s.endpointRoutes(e, pl, in.RouteTableIds, nil); err != nil {
			return err
		}
		if err := s.endpointInterfaces(e, in.SubnetIds, nil, in.SecurityGroupIds); err != nil {
			return err
		}
		s.created(*e.VpcEndpointId)
		s.endpoints[*e.VpcEndpointId] = e
		s.addTags(*e.VpcEndpointId, tags)
		out = s.endpointView(e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.CreateVpcEndpointOutput{VpcEndpoint: &out, ClientToken: in.ClientToken}, nil
}

// endpointRoutes adds and removes a gateway endpoint's route tables,
// with their prefix-list routes. Tables are checked before any change.
func (s *Store) endpointRoutes(e *types.VpcEndpoint, pl awsPrefixList, add, remove []string) error {
	for _, id := range slices.Concat(add, remove) {
		t, err := lookup(s.rtbs, "rtb", id)
		if err != nil {
			return err
		}
		if *t.VpcId != *e.VpcId {
			return errInvalidParameterValue("route table %s and VPC endpoint %s belong to different networks", id, *e.VpcEndpointId)
		}
	}
	if len(add) > 0 && e.VpcEndpointType != types.VpcEndpointTypeGateway {
		return errInvalidParameterValue("Route tables can only be specified for Gateway endpoints")
	}
	for _, id := range add {
		if slices.Contains(e.RouteTableIds, id) {
			continue
		}
		t := s.rtbs[id]
		s.touch(id)
		s.touch(*e.VpcEndpointId)
		t.Routes = append(t.Routes, types.Route{DestinationPrefixListId: ptr(pl.id), GatewayId: ptr(*e.VpcEndpointId),
			Origin: types.RouteOriginCreateRoute, State: types.RouteStateActive})
		e.RouteTableIds = append(e.RouteTableIds, id)
	}
	for _, id := range remove {
		s.touch(*e.VpcEndpointId)
		s.dropEndpointRoute(s.rtbs[id], *e.VpcEndpointId)
		e.RouteTableIds = slices.DeleteFunc(e.RouteTableIds, func(x string) bool { return x == id })
	}
	return nil
}

func (s *Store) dropEndpointRoute(t *types.RouteTable, endpoint string) {
	s.touch(*t.RouteTableId)
	t.Routes = slices.DeleteFunc(t.Routes, func(r types.Route) bool { return deref(r.GatewayId) == endpoint })
}

// endpointInterfaces adds and removes an interface endpoint's subnets
// (one interface each) and sets its security groups.
func (s *Store) endpointInterfaces(e *types.VpcEndpoint, add, remove, groups []string) error {
	if len(add) > 0 && e.VpcEndpointType == types.VpcEndpointTypeGateway {
		return errInvalidParameterValue("Subnets can only be specified for Interface endpoints")
	}
	for _, id := range slices.Concat(add, remove) {
		sn, err := lookup(s.subnets, "subnet", id)
		if err != nil {
			return err
		}
		if *sn.subnet.VpcId != *e.VpcId {
			return errInvalidParameterValue("Subnet %s and VPC endpoint %s belong to different networks", id, *e.VpcEndpointId)
		}
	}
	if e.VpcEndpointType == types.VpcEndpointTypeGateway {
		return nil
	}
	s.touch(*e.VpcEndpointId)
	if len(groups) > 0 || len(e.Groups) == 0 {
		gs, err := s.interfaceGroups(*e.VpcId, groups)
		if err != nil {
			return err
		}
		e.Groups = e.Groups[:0]
		for _, g := range gs {
			e.Groups = append(e.Groups, types.SecurityGroupIdentifier{GroupId: g.GroupId, GroupName: g.GroupName})
		}
	}
	for _, id := range add {
		if slices.Contains(e.SubnetIds, id) {
			continue
		}
		eni, err := s.addInterface(interfaceSpec{subnet: id, groups: endpointGroupIDs(e), kind: types.NetworkInterfaceTypeVpcEndpoint,
			description: "VPC Endpoint Interface " + *e.VpcEndpointId, requesterID: "amazon"})
		if err != nil {
			return err
		}
		eni.Status = types.NetworkInterfaceStatusInUse
		e.SubnetIds = append(e.SubnetIds, id)
		e.NetworkInterfaceIds = append(e.NetworkInterfaceIds, *eni.NetworkInterfaceId)
	}
	for _, id := range remove {
		for _, eniID := range slices.Clone(e.NetworkInterfaceIds) {
			if eni, ok := s.enis[eniID]; ok && *eni.SubnetId == id {
				s.removeInterface(eniID)
				e.NetworkInterfaceIds = slices.DeleteFunc(e.NetworkInterfaceIds, func(x string) bool { return x == eniID })
			}
		}
		e.SubnetIds = slices.DeleteFunc(e.SubnetIds, func(x string) bool { return x == id })
	}
	return nil
}

func endpointGroupIDs(e *types.VpcEndpoint) []string {
	var out []string
	for _, g := range e.Groups {
		out = append(out, *g.GroupId)
	}
	return out
}

// ModifyVpcEndpoint changes an endpoint's route tables, subnets, groups,
// policy or private DNS.
func (s *Store) ModifyVpcEndpoint(_ context.Context, in *ec2.ModifyVpcEndpointInput) (*ec2.ModifyVpcEndpointOutput, error) {
	if in.VpcEndpointId == nil {
		return nil, errMissing("vpcEndpointId")
	}
	return &ec2.ModifyVpcEndpointOutput{Return: ptr(true)}, s.write(func() error {
		e, err := lookup(s.endpoints, "vpce", *in.VpcEndpointId)
		if err != nil {
			return err
		}
		pl, _ := prefixListFor(s.region, *e.ServiceName)
		if err := s.endpointRoutes(e, pl, in.AddRouteTableIds, in.RemoveRouteTableIds); err != nil {
			return err
		}
		groups := slices.DeleteFunc(slices.Concat(endpointGroupIDs(e), in.AddSecurityGroupIds), func(g string) bool { return slices.Contains(in.RemoveSecurityGroupIds, g) })
		if len(in.AddSecurityGroupIds)+len(in.RemoveSecurityGroupIds) == 0 {
			groups = nil
		}
		if err := s.endpointInterfaces(e, in.AddSubnetIds, in.RemoveSubnetIds, groups); err != nil {
			return err
		}
		s.touch(*e.VpcEndpointId)
		switch {
		case deref(in.ResetPolicy):
			e.PolicyDocument = ptr(fullAccessPolicy)
		case in.PolicyDocument != nil:
			e.PolicyDocument = ptr(*in.PolicyDocument)
		}
		if in.PrivateDnsEnabled != nil {
			e.PrivateDnsEnabled = ptr(*in.PrivateDnsEnabled)
		}
		return nil
	})
}

// DeleteVpcEndpoints deletes endpoints with their routes and interfaces;
// unknown IDs are reported as unsuccessful items, as on EC2.
func (s *Store) DeleteVpcEndpoints(_ context.Context, in *ec2.DeleteVpcEndpointsInput) (*ec2.DeleteVpcEndpointsOutput, error) {
	if len(in.VpcEndpointIds) == 0 {
		return nil, errMissing("VpcEndpointId")
	}
	out := &ec2.DeleteVpcEndpointsOutput{Unsuccessful: []types.UnsuccessfulItem{}}
	return out, s.write(func() error {
		for _, id := range in.VpcEndpointIds {
			e, err := lookup(s.endpoints, "vpce", id)
			if err != nil {
				out.Unsuccessful = append(out.Unsuccessful, unsuccessful(id, err))
				continue
			}
			for _, t := range e.RouteTableIds {
				s.dropEndpointRoute(s.rtbs[t], id)
			}
			for _, eni := range e.NetworkInterfaceIds {
				s.removeInterface(eni)
			}
			delete(s.endpoints, id)
			s.forget(id)
		}
		return nil
	})
}

func unsuccessful(id string, err error) types.UnsuccessfulItem {
	e, _ := err.(*Error)
	return types.UnsuccessfulItem{ResourceId: ptr(id), Error: &types.UnsuccessfulItemError{Code: ptr(e.Code), Message: ptr(e.Message)}}
}

var endpointFilters = filterSet[*types.VpcEndpoint]{
	"vpc-endpoint-id":    func(e *types.VpcEndpoint) []string { return strv(e.VpcEndpointId) },
	"vpc-id":             func(e *types.VpcEndpoint) []string { return strv(e.VpcId) },
	"service-name":       func(e *types.VpcEndpoint) []string { return strv(e.ServiceName) },
	"vpc-endpoint-state": func(e *types.VpcEndpoint) []string { return one(strings.ToLower(string(e.State))) },
	"vpc-endpoint-type":  func(e *types.VpcEndpoint) []string { return one(string(e.VpcEndpointType)) },
	"ip-address-type":    func(e *types.VpcEndpoint) []string { return one(string(e.IpAddressType)) },
}

// DescribeVpcEndpoints lists endpoints by ID and filters.
func (s *Store) DescribeVpcEndpoints(_ context.Context, in *ec2.DescribeVpcEndpointsInput) (*ec2.DescribeVpcEndpointsOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.endpoints, "vpce", in.VpcEndpointIds)
	if err != nil {
		return nil, err
	}
	recs, err = filterItems(s, endpointFilters, in.Filters, recs, func(e *types.VpcEndpoint) string { return *e.VpcEndpointId })
	if err != nil {
		return nil, err
	}
	recs, next, err := page(recs, in.NextToken, in.MaxResults, 1, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]types.VpcEndpoint, 0, len(recs))
	for _, e := range recs {
		out = append(out, s.endpointView(e))
	}
	return &ec2.DescribeVpcEndpointsOutput{VpcEndpoints: out, NextToken: next}, nil
}
