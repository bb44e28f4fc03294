package ec2

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

func associated() *types.RouteTableAssociationState {
	return &types.RouteTableAssociationState{State: types.RouteTableAssociationStateCodeAssociated}
}

// newTable makes a route table with the VPC's local route.
func (s *Store) newTable(id, vpc string, block netip.Prefix) *types.RouteTable {
	t := &types.RouteTable{
		RouteTableId: ptr(id), VpcId: ptr(vpc), OwnerId: ptr(s.account), PropagatingVgws: []types.PropagatingVgw{},
		Associations: []types.RouteTableAssociation{},
		Routes: []types.Route{{DestinationCidrBlock: ptr(block.String()), GatewayId: ptr("local"),
			Origin: types.RouteOriginCreateRouteTable, State: types.RouteStateActive}},
	}
	s.rtbs[id] = t
	return t
}

// addMainTable creates a VPC's main route table.
func (s *Store) addMainTable(ids vpcIDs, block netip.Prefix) {
	t := s.newTable(ids.table, ids.vpc, block)
	t.Associations = append(t.Associations, types.RouteTableAssociation{
		Main: ptr(true), RouteTableAssociationId: ptr(ids.mainAssoc), RouteTableId: ptr(ids.table), AssociationState: associated(),
	})
}

// tableView shows a table, with routes to gone or detached targets as
// blackholes.
func (s *Store) tableView(t *types.RouteTable) types.RouteTable {
	v := clone.Of(*t)
	v.Tags = s.tagsOf(*v.RouteTableId)
	for i := range v.Routes {
		if !s.routeTargetAlive(*t.VpcId, v.Routes[i]) {
			v.Routes[i].State = types.RouteStateBlackhole
		}
	}
	return v
}

func (s *Store) routeTargetAlive(vpc string, r types.Route) bool {
	switch {
	case strings.HasPrefix(deref(r.GatewayId), "igw-"):
		g, ok := s.igws[*r.GatewayId]
		return ok && attachedVpc(g) == vpc
	case r.NatGatewayId != nil:
		n, ok := s.nats[*r.NatGatewayId]
		return ok && n.nat.State != types.NatGatewayStateDeleted && n.nat.State != types.NatGatewayStateDeleting
	case r.NetworkInterfaceId != nil:
		_, ok := s.enis[*r.NetworkInterfaceId]
		return ok
	}
	return true
}

// CreateRouteTable creates a table in a VPC with its local route.
func (s *Store) CreateRouteTable(_ context.Context, in *ec2.CreateRouteTableInput) (*ec2.CreateRouteTableOutput, error) {
	if in.VpcId == nil {
		return nil, errMissing("vpcId")
	}
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeRouteTable)
	if err != nil {
		return nil, err
	}
	var out types.RouteTable
	err = s.write(func() error {
		v, err := lookup(s.vpcs, "vpc", *in.VpcId)
		if err != nil {
			return err
		}
		t := s.newTable(s.newID("rtb"), *in.VpcId, v.cidrs[0])
		s.addTags(*t.RouteTableId, tags)
		out = s.tableView(t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.CreateRouteTableOutput{RouteTable: &out}, nil
}

// DeleteRouteTable deletes a table with no associations (the main table
// always has one).
func (s *Store) DeleteRouteTable(_ context.Context, in *ec2.DeleteRouteTableInput) (*ec2.DeleteRouteTableOutput, error) {
	if in.RouteTableId == nil {
		return nil, errMissing("routeTableId")
	}
	return &ec2.DeleteRouteTableOutput{}, s.write(func() error {
		t, err := lookup(s.rtbs, "rtb", *in.RouteTableId)
		if err != nil {
			return err
		}
		if len(t.Associations) > 0 {
			return errDependency("routeTable", *in.RouteTableId)
		}
		delete(s.rtbs, *in.RouteTableId)
		s.forget(*in.RouteTableId)
		return nil
	})
}

// routeSpec is the destination and target of a CreateRoute or
// ReplaceRoute call.
type routeSpec struct {
	dest4, dest6, destPL *string
	route                types.Route
}

// destination is the route's destination as EC2 names it in messages.
func (r routeSpec) destination() string {
	return deref(r.dest4) + deref(r.dest6) + deref(r.destPL)
}

func sameDestination(r types.Route, spec routeSpec) bool {
	return deref(r.DestinationCidrBlock) == deref(spec.dest4) && deref(r.DestinationIpv6CidrBlock) == deref(spec.dest6) &&
		deref(r.DestinationPrefixListId) == deref(spec.destPL)
}

// checkDestination validates the one destination of a route.
func checkDestination(spec routeSpec) error {
	n := 0
	for _, d := range []*string{spec.dest4, spec.dest6, spec.destPL} {
		if d != nil {
			n++
		}
	}
	if n == 0 {
		return errMissing("destinationCidrBlock")
	}
	if n > 1 {
		return errInvalidParameterCombination("Only one of destinationCidrBlock, destinationIpv6CidrBlock or destinationPrefixListId may be specified")
	}
	if spec.dest4 != nil {
		p, err := netip.ParsePrefix(*spec.dest4)
		if err != nil || !p.Addr().Is4() {
			return errInvalidParameterValue("Value (%s) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.", *spec.dest4)
		}
	}
	if spec.dest6 != nil {
		p, err := netip.ParsePrefix(*spec.dest6)
		if err != nil || !p.Addr().Is6() {
			return errInvalidParameterValue("Value (%s) for parameter destinationIpv6CidrBlock is invalid. This is not a valid CIDR block.", *spec.dest6)
		}
	}
	return nil
}

// resolveTarget checks the one target of a route against the table's
// VPC and completes it (an instance's route names its interface).
func (s *Store) resolveTarget(t *types.RouteTable, r *types.Route) error {
	vpc := *t.VpcId
	targets := 0
	for _, p := range []*string{r.GatewayId, r.NatGatewayId, r.NetworkInterfaceId, r.InstanceId, r.TransitGatewayId,
		r.VpcPeeringConnectionId, r.EgressOnlyInternetGatewayId, r.CarrierGatewayId, r.LocalGatewayId, r.CoreNetworkArn} {
		if p != nil {
			targets++
		}
	}
	if targets == 0 {
		return errMissing("gatewayId")
	}
	if targets > 1 {
		return errInvalidParameterCombination("The parameter gatewayId cannot be used with another target parameter")
	}
	switch {
	case r.GatewayId != nil && strings.HasPrefix(*r.GatewayId, "vpce-"):
		if _, err := lookup(s.endpoints, "vpce", *r.GatewayId); err != nil {
			return err
		}
	case r.GatewayId != nil:
		g, err := lookup(s.igws, "igw", *r.GatewayId)
		if err != nil {
			return err
		}
		if attachedVpc(g) != vpc {
			return errInvalidParameterValue("route table %s and network gateway %s belong to different networks", *t.RouteTableId, *r.GatewayId)
		}
	case r.NatGatewayId != nil:
		if _, err := lookup(s.nats, "nat", *r.NatGatewayId); err != nil {
			return err
		}
	case r.NetworkInterfaceId != nil:
		e, err := lookup(s.enis, "eni", *r.NetworkInterfaceId)
		if err != nil {
			return err
		}
		if *e.VpcId != vpc {
			return errInvalidParameterValue("route table %s and interface %s belong to different networks", *t.RouteTableId, *r.NetworkInterfaceId)
		}
		r.InstanceId = clone.Of(attachmentInstance(e))
	case r.InstanceId != nil:
		inst, err := lookup(s.instances, "i", *r.InstanceId)
		if err != nil {
			return err
		}
		r.NetworkInterfaceId, r.InstanceOwnerId = ptr(inst.primaryENI), ptr(s.account)
	}
	return nil
}

func attachmentInstance(e *types.NetworkInterface) *string {
	if e.Attachment == nil {
		return nil
	}
	return e.Attachment.InstanceId
}

// routeInput gathers a CreateRoute/ReplaceRoute request.
func routeInput(dest4, dest6, destPL *string, r types.Route) routeSpec {
	r.DestinationCidrBlock, r.DestinationIpv6CidrBlock, r.DestinationPrefixListId = dest4, dest6, destPL
	r.Origin, r.State = types.RouteOriginCreateRoute, types.RouteStateActive
	return routeSpec{dest4: dest4, dest6: dest6, destPL: destPL, route: r}
}

// CreateRoute adds a route; its destination must be new to the table.
func (s *Store) CreateRoute(_ context.Context, in *ec2.CreateRouteInput) (*ec2.CreateRouteOutput, error) {
	if in.RouteTableId == nil {
		return nil, errMissing("routeTableId")
	}
	spec := routeInput(in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId, types.Route{
		GatewayId: in.GatewayId, NatGatewayId: in.NatGatewayId, NetworkInterfaceId: in.NetworkInterfaceId, InstanceId: in.InstanceId,
		TransitGatewayId: in.TransitGatewayId, VpcPeeringConnectionId: in.VpcPeeringConnectionId,
		EgressOnlyInternetGatewayId: in.EgressOnlyInternetGatewayId, CarrierGatewayId: in.CarrierGatewayId,
		LocalGatewayId: in.LocalGatewayId, CoreNetworkArn: in.CoreNetworkArn,
	})
	if in.VpcEndpointId != nil && spec.route.GatewayId == nil {
		spec.route.GatewayId = in.VpcEndpointId
	}
	return &ec2.CreateRouteOutput{Return: ptr(true)}, s.write(func() error {
		t, err := lookup(s.rtbs, "rtb", *in.RouteTableId)
		if err != nil {
			return err
		}
		if err := checkDestination(spec); err != nil {
			return err
		}
		if slices.ContainsFunc(t.Routes, func(r types.Route) bool { return sameDestination(r, spec) }) {
			return errorf("RouteAlreadyExists", "The route identified by %s already exists.", spec.destination())
		}
		r := clone.Of(spec.route)
		if err := s.resolveTarget(t, &r); err != nil {
			return err
		}
		s.touch(*t.RouteTableId)
		t.Routes = append(t.Routes, r)
		return nil
	})
}

// ReplaceRoute changes the target of an existing route.
func (s *Store) ReplaceRoute(_ context.Context, in *ec2.ReplaceRouteInput) (*ec2.ReplaceRouteOutput, error) {
	if in.RouteTableId == nil {
		return nil, errMissing("routeTableId")
	}
	spec := routeInput(in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId, types.Route{
		GatewayId: in.GatewayId, NatGatewayId: in.NatGatewayId, NetworkInterfaceId: in.NetworkInterfaceId, InstanceId: in.InstanceId,
		TransitGatewayId: in.TransitGatewayId, VpcPeeringConnectionId: in.VpcPeeringConnectionId,
		EgressOnlyInternetGatewayId: in.EgressOnlyInternetGatewayId, CarrierGatewayId: in.CarrierGatewayId,
		LocalGatewayId: in.LocalGatewayId, CoreNetworkArn: in.CoreNetworkArn,
	})
	return &ec2.ReplaceRouteOutput{}, s.write(func() error {
		t, err := lookup(s.rtbs, "rtb", *in.RouteTableId)
		if err != nil {
			return err
		}
		if err := checkDestination(spec); err != nil {
			return err
		}
		i := slices.IndexFunc(t.Routes, func(r types.Route) bool { return sameDestination(r, spec) })
		if i < 0 {
			return errInvalidParameterValue("There is no route defined for '%s' in the route table. Use CreateRoute instead.", spec.destination())
		}
		if deref(t.Routes[i].GatewayId) == "local" && deref(in.LocalTarget) {
			return nil
		}
		r := clone.Of(spec.route)
		if err := s.resolveTarget(t, &r); err != nil {
			return err
		}
		r.Origin = types.RouteOriginCreateRoute
		s.touch(*t.RouteTableId)
		t.Routes[i] = r
		return nil
	})
}

// DeleteRoute removes a route; the local route stays.
func (s *Store) DeleteRoute(_ context.Context, in *ec2.DeleteRouteInput) (*ec2.DeleteRouteOutput, error) {
	if in.RouteTableId == nil {
		return nil, errMissing("routeTableId")
	}
	spec := routeSpec{dest4: in.DestinationCidrBlock, dest6: in.DestinationIpv6CidrBlock, destPL: in.DestinationPrefixListId}
	return &ec2.DeleteRouteOutput{}, s.write(func() error {
		t, err := lookup(s.rtbs, "rtb", *in.RouteTableId)
		if err != nil {
			return err
		}
		if err := checkDestination(spec); err != nil {
			return err
		}
		i := slices.IndexFunc(t.Routes, func(r types.Route) bool { return sameDestination(r, spec) })
		if i < 0 {
			kind := "destination-cidr-block"
			if spec.dest6 != nil {
				kind = "destination-ipv6-cidr-block"
			} else if spec.destPL != nil {
				kind = "destination-prefix-list-id"
			}
			return errorf("InvalidRoute.NotFound", "no route with %s %s in route table %s", kind, spec.destination(), *in.RouteTableId)
		}
		if deref(t.Routes[i].GatewayId) == "local" {
			return errInvalidParameterValue("cannot remove local route %s in route table %s", spec.destination(), *in.RouteTableId)
		}
		s.touch(*t.RouteTableId)
		t.Routes = slices.Delete(t.Routes, i, i+1)
		return nil
	})
}

// associationOf finds a route table association by ID.
func (s *Store) associationOf(id string) (*types.RouteTable, int, error) {
	if err := checkID("rtbassoc", id); err != nil {
		return nil, 0, err
	}
	for _, t := range s.rtbs {
		for i, a := range t.Associations {
			if *a.RouteTableAssociationId == id {
				return t, i, nil
			}
		}
	}
	return nil, 0, errNotFound("rtbassoc", id)
}

// subnetTable is the table a subnet is explicitly associated with, nil
// when it uses its VPC's main table.
func (s *Store) subnetTable(subnet string) *types.RouteTable {
	for _, t := range s.rtbs {
		for _, a := range t.Associations {
			if deref(a.SubnetId) == subnet {
				return t
			}
		}
	}
	return nil
}

func (s *Store) dropSubnetAssociation(subnet string) {
	if t := s.subnetTable(subnet); t != nil {
		s.touch(*t.RouteTableId)
		t.Associations = slices.DeleteFunc(t.Associations, func(a types.RouteTableAssociation) bool { return deref(a.SubnetId) == subnet })
	}
}

// AssociateRouteTable associates a table with a subnet or a gateway of
// its VPC.
func (s *Store) AssociateRouteTable(_ context.Context, in *ec2.AssociateRouteTableInput) (*ec2.AssociateRouteTableOutput, error) {
	if in.RouteTableId == nil {
		return nil, errMissing("routeTableId")
	}
	if (in.SubnetId == nil) == (in.GatewayId == nil) {
		return nil, errInvalidParameterCombination("Exactly one of subnetId or gatewayId must be specified")
	}
	var out ec2.AssociateRouteTableOutput
	err := s.write(func() error {
		t, err := lookup(s.rtbs, "rtb", *in.RouteTableId)
		if err != nil {
			return err
		}
		a := types.RouteTableAssociation{Main: ptr(false), RouteTableId: ptr(*t.RouteTableId), AssociationState: associated()}
		if in.SubnetId != nil {
			sn, err := lookup(s.subnets, "subnet", *in.SubnetId)
			if err != nil {
				return err
			}
			if *sn.subnet.VpcId != *t.VpcId {
				return errInvalidParameterValue("Route table %s and subnet %s belong to different networks", *t.RouteTableId, *in.SubnetId)
			}
			if s.subnetTable(*in.SubnetId) != nil {
				return errorf("Resource.AlreadyAssociated", "the specified association for route table %s conflicts with an existing association", *t.RouteTableId)
			}
			a.SubnetId = ptr(*in.SubnetId)
		} else {
			g, err := lookup(s.igws, "igw", *in.GatewayId)
			if err != nil {
				return err
			}
			if attachedVpc(g) != *t.VpcId {
				return errInvalidParameterValue("route table %s and network gateway %s belong to different networks", *t.RouteTableId, *in.GatewayId)
			}
			a.GatewayId = ptr(*in.GatewayId)
		}
		a.RouteTableAssociationId = ptr(s.newID("rtbassoc"))
		s.touch(*t.RouteTableId)
		t.Associations = append(t.Associations, a)
		out = ec2.AssociateRouteTableOutput{AssociationId: ptr(*a.RouteTableAssociationId), AssociationState: associated()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DisassociateRouteTable removes an association other than the main one.
func (s *Store) DisassociateRouteTable(_ context.Context, in *ec2.DisassociateRouteTableInput) (*ec2.DisassociateRouteTableOutput, error) {
	if in.AssociationId == nil {
		return nil, errMissing("associationId")
	}
	return &ec2.DisassociateRouteTableOutput{}, s.write(func() error {
		t, i, err := s.associationOf(*in.AssociationId)
		if err != nil {
			return err
		}
		if deref(t.Associations[i].Main) {
			return errInvalidParameterValue("cannot disassociate the main route table association %s", *in.AssociationId)
		}
		s.forget(*in.AssociationId)
		s.touch(*t.RouteTableId)
		t.Associations = slices.Delete(t.Associations, i, i+1)
		return nil
	})
}

// ReplaceRouteTableAssociation moves an association (the main one too) to
// another table of the VPC, under a new association ID.
func (s *Store) ReplaceRouteTableAssociation(_ context.Context, in *ec2.ReplaceRouteTableAssociationInput) (*ec2.ReplaceRouteTableAssociationOutput, error) {
	if in.AssociationId == nil {
		return nil, errMissing("associationId")
	}
	if in.RouteTableId == nil {
		return nil, errMissing("routeTableId")
	}
	var out ec2.ReplaceRouteTableAssociationOutput
	err := s.write(func() error {
		to, err := lookup(s.rtbs, "rtb", *in.RouteTableId)
		if err != nil {
			return err
		}
		from, i, err := s.associationOf(*in.AssociationId)
		if err != nil {
			return err
		}
		if *from.VpcId != *to.VpcId {
			return errInvalidParameterValue("Route table %s and association %s belong to different networks", *to.RouteTableId, *in.AssociationId)
		}
		a := from.Associations[i]
		from.Associations = slices.Delete(from.Associations, i, i+1)
		s.forget(*in.AssociationId)
		a.RouteTableAssociationId, a.RouteTableId = ptr(s.newID("rtbassoc")), ptr(*to.RouteTableId)
		to.Associations = append(to.Associations, a)
		s.touch(*from.RouteTableId)
		s.touch(*to.RouteTableId)
		if deref(a.Main) {
			s.vpcs[*to.VpcId].mainTable = *to.RouteTableId
			s.touch(*to.VpcId)
		}
		out = ec2.ReplaceRouteTableAssociationOutput{NewAssociationId: ptr(*a.RouteTableAssociationId), AssociationState: associated()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// routeField gives one field of every route of a table.
func routeField(field func(types.Route) *string) func(*types.RouteTable) []string {
	return func(t *types.RouteTable) []string {
		var out []string
		for _, r := range t.Routes {
			out = append(out, strv(field(r))...)
		}
		return out
	}
}

func assocField(field func(types.RouteTableAssociation) []string) func(*types.RouteTable) []string {
	return func(t *types.RouteTable) []string {
		var out []string
		for _, a := range t.Associations {
			out = append(out, field(a)...)
		}
		return out
	}
}

var tableFilters = filterSet[*types.RouteTable]{
	"route-table-id":                         func(t *types.RouteTable) []string { return strv(t.RouteTableId) },
	"vpc-id":                                 func(t *types.RouteTable) []string { return strv(t.VpcId) },
	"owner-id":                               func(t *types.RouteTable) []string { return strv(t.OwnerId) },
	"association.route-table-association-id": assocField(func(a types.RouteTableAssociation) []string { return strv(a.RouteTableAssociationId) }),
	"association.route-table-id":             assocField(func(a types.RouteTableAssociation) []string { return strv(a.RouteTableId) }),
	"association.subnet-id":                  assocField(func(a types.RouteTableAssociation) []string { return strv(a.SubnetId) }),
	"association.gateway-id":                 assocField(func(a types.RouteTableAssociation) []string { return strv(a.GatewayId) }),
	"association.main":                       assocField(func(a types.RouteTableAssociation) []string { return boolv(a.Main) }),
	"route.destination-cidr-block":           routeField(func(r types.Route) *string { return r.DestinationCidrBlock }),
	"route.destination-ipv6-cidr-block":      routeField(func(r types.Route) *string { return r.DestinationIpv6CidrBlock }),
	"route.destination-prefix-list-id":       routeField(func(r types.Route) *string { return r.DestinationPrefixListId }),
	"route.gateway-id":                       routeField(func(r types.Route) *string { return r.GatewayId }),
	"route.nat-gateway-id":                   routeField(func(r types.Route) *string { return r.NatGatewayId }),
	"route.instance-id":                      routeField(func(r types.Route) *string { return r.InstanceId }),
	"route.network-interface-id":             routeField(func(r types.Route) *string { return r.NetworkInterfaceId }),
	"route.transit-gateway-id":               routeField(func(r types.Route) *string { return r.TransitGatewayId }),
	"route.vpc-peering-connection-id":        routeField(func(r types.Route) *string { return r.VpcPeeringConnectionId }),
	"route.egress-only-internet-gateway-id":  routeField(func(r types.Route) *string { return r.EgressOnlyInternetGatewayId }),
	"route.origin":                           routeField(func(r types.Route) *string { return ptr(string(r.Origin)) }),
	"route.state":                            routeField(func(r types.Route) *string { return ptr(string(r.State)) }),
}

// DescribeRouteTables lists tables by ID and filters.
func (s *Store) DescribeRouteTables(_ context.Context, in *ec2.DescribeRouteTablesInput) (*ec2.DescribeRouteTablesOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.rtbs, "rtb", in.RouteTableIds)
	if err != nil {
		return nil, err
	}
	views := make([]types.RouteTable, 0, len(recs))
	for _, t := range recs {
		views = append(views, s.tableView(t))
	}
	fs := filterSet[types.RouteTable]{}
	for name, fn := range tableFilters {
		fs[name] = func(t types.RouteTable) []string { return fn(&t) }
	}
	views, err = filterItems(s, fs, in.Filters, views, func(t types.RouteTable) string { return *t.RouteTableId })
	if err != nil {
		return nil, err
	}
	views, next, err := page(views, in.NextToken, in.MaxResults, 5, 100)
	if err != nil {
		return nil, err
	}
	if views == nil {
		views = []types.RouteTable{}
	}
	return &ec2.DescribeRouteTablesOutput{RouteTables: views, NextToken: next}, nil
}
