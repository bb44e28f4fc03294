package elbv2

import (
	"context"
	"slices"
	"sort"
	"strings"

	sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

const (
	maxLoadBalancers   = 50
	maxSecurityGroups  = 5
	dailyDecreaseLimit = 3
)

// zoneLetters name the availability zones subnets are placed in.
const zoneLetters = "abcdef"

// lbSettings are what CreateLoadBalancer's idempotency compares.
type lbSettings struct {
	scheme  types.LoadBalancerSchemeEnum
	ipType  types.IpAddressType
	subnets []string // sorted
	groups  []string // sorted
}

func (s lbSettings) equal(o lbSettings) bool {
	return s.scheme == o.scheme && s.ipType == o.ipType && slices.Equal(s.subnets, o.subnets) && slices.Equal(s.groups, o.groups)
}

func settingsOf(lb types.LoadBalancer) lbSettings {
	st := lbSettings{scheme: lb.Scheme, ipType: lb.IpAddressType, groups: slices.Clone(lb.SecurityGroups)}
	for _, az := range lb.AvailabilityZones {
		st.subnets = append(st.subnets, deref(az.SubnetId))
	}
	sort.Strings(st.subnets)
	sort.Strings(st.groups)
	return st
}

// subnetIDs returns the subnets of a Subnets or SubnetMappings member;
// exactly one of the two must be given.
func subnetIDs(subnets []string, mappings []types.SubnetMapping) ([]string, error) {
	if len(subnets) > 0 && len(mappings) > 0 {
		return nil, errValidation("You can specify subnets or subnet mappings, but not both")
	}
	ids := slices.Clone(subnets)
	for i, m := range mappings {
		if m.SubnetId == nil {
			return nil, errRequired("subnetMappings." + itoa(i+1) + ".member.subnetId")
		}
		if m.AllocationId != nil || m.PrivateIPv4Address != nil || m.IPv6Address != nil || m.SourceNatIpv6Prefix != nil {
			return nil, errInvalidConfig("Elastic IP addresses, private IPv4 addresses, IPv6 addresses and source NAT prefixes can only be set for Network Load Balancers")
		}
		ids = append(ids, *m.SubnetId)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !strings.HasPrefix(id, "subnet-") || len(id) < len("subnet-")+1 {
			return nil, &types.SubnetNotFoundException{Message: msgf("The subnet ID '%s' is not valid", id)}
		}
		if seen[id] {
			return nil, errValidation("Subnet '%s' is specified more than once", id)
		}
		seen[id] = true
	}
	if len(ids) < 2 {
		return nil, errValidation("At least two subnets in two different Availability Zones must be specified")
	}
	return ids, nil
}

// placeSubnets puts each subnet in an availability zone. Without EC2 a
// subnet's zone is invented the first time the store sees it: the first
// zone letter no other subnet of the same call occupies. It is then
// remembered, so a subnet stays in its zone. The returned map holds the
// new placements, to remember once the call succeeds.
func (s *Store) placeSubnets(ids []string) (string, []types.AvailabilityZone, map[string]string, error) {
	if s.api.opts.Network != nil {
		vpc, zones, err := s.placeSubnetsEC2(ids)
		return vpc, zones, nil, err
	}
	zones, fresh, err := s.inventZones(ids)
	return defaultVPC(s.account, s.region), zones, fresh, err
}

// inventZones places subnets no EC2 knows.
func (s *Store) inventZones(ids []string) ([]types.AvailabilityZone, map[string]string, error) {
	byZone := map[string]string{}
	for _, id := range ids {
		if zone, ok := s.subnets[id]; ok {
			if _, dup := byZone[zone]; dup {
				return nil, nil, errInvalidConfig("%s", sameZoneMessage)
			}
			byZone[zone] = id
		}
	}
	fresh := map[string]string{}
	for _, id := range ids {
		if _, ok := s.subnets[id]; ok {
			continue
		}
		placed := false
		for _, letter := range zoneLetters {
			zone := s.region + string(letter)
			if _, taken := byZone[zone]; !taken {
				byZone[zone], fresh[id], placed = id, zone, true
				break
			}
		}
		if !placed {
			return nil, nil, errInvalidConfig("A load balancer can be attached to at most %d subnets", len(zoneLetters))
		}
	}
	zones := make([]types.AvailabilityZone, 0, len(ids))
	for _, id := range ids {
		zone, ok := s.subnets[id]
		if !ok {
			zone = fresh[id]
		}
		zones = append(zones, types.AvailabilityZone{
			SubnetId: ptr(id), ZoneName: ptr(zone), LoadBalancerAddresses: []types.LoadBalancerAddress{},
		})
	}
	sort.SliceStable(zones, func(i, j int) bool { return *zones[i].ZoneName < *zones[j].ZoneName })
	return zones, fresh, nil
}

func validSecurityGroups(groups []string) error {
	if len(groups) > maxSecurityGroups {
		return errConstraint(len(groups), "securityGroups", "Member must have length less than or equal to 5")
	}
	for _, g := range groups {
		if !strings.HasPrefix(g, "sg-") || len(g) < 4 {
			return &types.InvalidSecurityGroupException{Message: msgf("Invalid security group '%s'", g)}
		}
	}
	return nil
}

func validIPAddressType(t types.IpAddressType, scheme types.LoadBalancerSchemeEnum) error {
	switch t {
	case types.IpAddressTypeIpv4, types.IpAddressTypeDualstack:
		return nil
	case types.IpAddressTypeDualstackWithoutPublicIpv4:
		if scheme == types.LoadBalancerSchemeEnumInternal {
			return errInvalidConfig("Internal load balancers cannot use the IP address type 'dualstack-without-public-ipv4'")
		}
		return nil
	}
	return errConstraint(t, "ipAddressType", "Member must satisfy enum value set: [ipv4, dualstack, dualstack-without-public-ipv4]")
}

// CreateLoadBalancer creates an Application Load Balancer, "provisioning"
// at first. A second call with the same name and settings returns the
// existing load balancer; other settings are DuplicateLoadBalancerName.
func (s *Store) CreateLoadBalancer(_ context.Context, in *sdk.CreateLoadBalancerInput) (*sdk.CreateLoadBalancerOutput, error) {
	if err := validResourceName("Load balancer", in.Name); err != nil {
		return nil, err
	}
	if strings.HasPrefix(*in.Name, "internal-") {
		return nil, errValidation("Load balancer name '%s' cannot begin with 'internal-'", *in.Name)
	}
	switch in.Type {
	case "", types.LoadBalancerTypeEnumApplication:
	case types.LoadBalancerTypeEnumNetwork, types.LoadBalancerTypeEnumGateway:
		return nil, errInvalidConfig("Load balancer type '%s' is not supported by this emulator, which implements Application Load Balancers only", in.Type)
	default:
		return nil, errConstraint(in.Type, "type", "Member must satisfy enum value set: [application, network, gateway]")
	}
	scheme := in.Scheme
	switch scheme {
	case "":
		scheme = types.LoadBalancerSchemeEnumInternetFacing
	case types.LoadBalancerSchemeEnumInternetFacing, types.LoadBalancerSchemeEnumInternal:
	default:
		return nil, &types.InvalidSchemeException{Message: msgf("Scheme '%s' is not valid; use 'internet-facing' or 'internal'", scheme)}
	}
	ipType := in.IpAddressType
	if ipType == "" {
		ipType = types.IpAddressTypeIpv4
	}
	if err := validIPAddressType(ipType, scheme); err != nil {
		return nil, err
	}
	if in.IpamPools != nil {
		return nil, errInvalidConfig("IPAM pools are not supported by this emulator")
	}
	ids, err := subnetIDs(in.Subnets, in.SubnetMappings)
	if err != nil {
		return nil, err
	}
	if err := validSecurityGroups(in.SecurityGroups); err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}

	unlock := s.lock()
	defer unlock()
	vpc, zones, fresh, err := s.placeSubnets(ids)
	if err != nil {
		return nil, err
	}
	groups, err := s.securityGroups(vpc, in.SecurityGroups)
	if err != nil {
		return nil, err
	}
	view := types.LoadBalancer{
		LoadBalancerName:      ptr(*in.Name),
		Type:                  types.LoadBalancerTypeEnumApplication,
		Scheme:                scheme,
		IpAddressType:         ipType,
		VpcId:                 ptr(vpc),
		SecurityGroups:        groups,
		AvailabilityZones:     zones,
		CanonicalHostedZoneId: ptr(hostedZoneID(s.region)),
	}
	for _, lb := range s.lbs {
		if deref(lb.view.LoadBalancerName) != *in.Name {
			continue
		}
		if settingsOf(lb.view).equal(settingsOf(view)) {
			return &sdk.CreateLoadBalancerOutput{LoadBalancers: []types.LoadBalancer{s.lbView(lb)}}, nil
		}
		return nil, &types.DuplicateLoadBalancerNameException{Message: msgf("A load balancer with the same name '%s' exists, but with different settings", *in.Name)}
	}
	if len(s.lbs) >= maxLoadBalancers {
		return nil, &types.TooManyLoadBalancersException{Message: msgf("You have reached the limit of %d load balancers", maxLoadBalancers)}
	}
	for id, zone := range fresh {
		s.subnets[id] = zone
		s.touch(kindSubnet, id)
	}
	id := s.api.opts.IDs.ResourceID()
	arn := loadBalancerARN(s.region, s.account, *in.Name, id)
	view.LoadBalancerArn = ptr(arn)
	view.DNSName = ptr(dnsName(*in.Name, s.api.opts.IDs.DNSID(), s.region, scheme == types.LoadBalancerSchemeEnumInternal))
	created := s.timestamp()
	view.CreatedTime = ptr(created)
	lb := &loadBalancer{
		seq: s.nextSeq(), view: view, created: created,
		attrs:    lbAttrDefaults(scheme == types.LoadBalancerSchemeEnumInternal),
		capacity: capacityReservation{decreasesAllowed: dailyDecreaseLimit},
	}
	s.lbs[arn] = lb
	s.setInitialTags(arn, in.Tags)
	s.touchARN(arn)
	s.changed()
	return &sdk.CreateLoadBalancerOutput{LoadBalancers: []types.LoadBalancer{s.lbView(lb)}}, nil
}

// lbState is the load balancer's state now: provisioning until the
// provisioning delay has passed since creation, then active.
func (s *Store) lbState(lb *loadBalancer) types.LoadBalancerStateEnum {
	if s.now().Before(lb.created.Add(s.api.opts.ProvisioningDelay)) {
		return types.LoadBalancerStateEnumProvisioning
	}
	return types.LoadBalancerStateEnumActive
}

// lbView is a copy of the wire view with the current state.
func (s *Store) lbView(lb *loadBalancer) types.LoadBalancer {
	v := clone.Of(lb.view)
	v.State = &types.LoadBalancerState{Code: s.lbState(lb)}
	return v
}

// lookupLB finds a load balancer by ARN.
func (s *Store) lookupLB(arn *string, member string) (*loadBalancer, error) {
	if arn == nil {
		return nil, errRequired(member)
	}
	lb := s.lbs[*arn]
	if lb == nil {
		return nil, errLoadBalancerNotFound()
	}
	return lb, nil
}

// DeleteLoadBalancer deletes a load balancer with its listeners and rules;
// its target groups stay. Deleting one that does not exist succeeds.
func (s *Store) DeleteLoadBalancer(_ context.Context, in *sdk.DeleteLoadBalancerInput) (*sdk.DeleteLoadBalancerOutput, error) {
	if in.LoadBalancerArn == nil {
		return nil, errRequired("loadBalancerArn")
	}
	unlock := s.lock()
	defer unlock()
	lb := s.lbs[*in.LoadBalancerArn]
	if lb == nil {
		return &sdk.DeleteLoadBalancerOutput{}, nil
	}
	if lb.attrs["deletion_protection.enabled"] == "true" {
		return nil, errOperationNotPermitted("Load balancer '%s' cannot be deleted because deletion protection is enabled", *in.LoadBalancerArn)
	}
	for arn, l := range s.listeners {
		if deref(l.view.LoadBalancerArn) == *in.LoadBalancerArn {
			s.deleteListener(arn)
		}
	}
	delete(s.lbs, *in.LoadBalancerArn)
	delete(s.tags, *in.LoadBalancerArn)
	s.touchARN(*in.LoadBalancerArn)
	s.refreshUsage()
	return &sdk.DeleteLoadBalancerOutput{}, nil
}

// sortedLBs lists the load balancers in creation order.
func (s *Store) sortedLBs() []*loadBalancer {
	out := make([]*loadBalancer, 0, len(s.lbs))
	for _, lb := range s.lbs {
		out = append(out, lb)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// DescribeLoadBalancers lists load balancers, all of them or those named
// by Names or LoadBalancerArns; any unknown name or ARN is
// LoadBalancerNotFound (the waiters rely on it).
func (s *Store) DescribeLoadBalancers(_ context.Context, in *sdk.DescribeLoadBalancersInput) (*sdk.DescribeLoadBalancersOutput, error) {
	if len(in.Names) > 0 && len(in.LoadBalancerArns) > 0 {
		return nil, errValidation("Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	unlock := s.lock()
	defer unlock()
	var picked []*loadBalancer
	switch {
	case len(in.LoadBalancerArns) > 0:
		for _, arn := range dedupe(in.LoadBalancerArns) {
			lb := s.lbs[arn]
			if lb == nil {
				return nil, errLoadBalancerNotFound()
			}
			picked = append(picked, lb)
		}
	case len(in.Names) > 0:
		byName := map[string]*loadBalancer{}
		for _, lb := range s.lbs {
			byName[deref(lb.view.LoadBalancerName)] = lb
		}
		for _, name := range dedupe(in.Names) {
			lb := byName[name]
			if lb == nil {
				return nil, errLoadBalancerNotFound()
			}
			picked = append(picked, lb)
		}
	default:
		picked = s.sortedLBs()
	}
	pg, next, err := page(picked, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &sdk.DescribeLoadBalancersOutput{LoadBalancers: make([]types.LoadBalancer, 0, len(pg)), NextMarker: next}
	for _, lb := range pg {
		out.LoadBalancers = append(out.LoadBalancers, s.lbView(lb))
	}
	return out, nil
}

func dedupe(items []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(items))
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out
}

func lbAttributeList(attrs map[string]string) []types.LoadBalancerAttribute {
	out := make([]types.LoadBalancerAttribute, 0, len(loadBalancerAttrs))
	for _, a := range loadBalancerAttrs {
		out = append(out, types.LoadBalancerAttribute{Key: ptr(a.key), Value: ptr(attrs[a.key])})
	}
	return out
}

// DescribeLoadBalancerAttributes returns every ALB attribute.
func (s *Store) DescribeLoadBalancerAttributes(_ context.Context, in *sdk.DescribeLoadBalancerAttributesInput) (*sdk.DescribeLoadBalancerAttributesOutput, error) {
	unlock := s.lock()
	defer unlock()
	lb, err := s.lookupLB(in.LoadBalancerArn, "loadBalancerArn")
	if err != nil {
		return nil, err
	}
	return &sdk.DescribeLoadBalancerAttributesOutput{Attributes: lbAttributeList(lb.attrs)}, nil
}

// ModifyLoadBalancerAttributes changes attributes and returns all of them.
func (s *Store) ModifyLoadBalancerAttributes(_ context.Context, in *sdk.ModifyLoadBalancerAttributesInput) (*sdk.ModifyLoadBalancerAttributesOutput, error) {
	unlock := s.lock()
	defer unlock()
	lb, err := s.lookupLB(in.LoadBalancerArn, "loadBalancerArn")
	if err != nil {
		return nil, err
	}
	changes := make([]attrChange, len(in.Attributes))
	for i, a := range in.Attributes {
		changes[i] = attrChange{a.Key, a.Value}
	}
	merged, err := applyAttrs(lb.attrs, loadBalancerAttrs, knownLBAttr, changes)
	if err != nil {
		return nil, err
	}
	if err := checkLBAttrs(merged); err != nil {
		return nil, err
	}
	lb.attrs = merged
	s.touchARN(*in.LoadBalancerArn)
	s.changed()
	return &sdk.ModifyLoadBalancerAttributesOutput{Attributes: lbAttributeList(merged)}, nil
}

// SetIpAddressType changes the IP address type.
func (s *Store) SetIpAddressType(_ context.Context, in *sdk.SetIpAddressTypeInput) (*sdk.SetIpAddressTypeOutput, error) {
	if in.IpAddressType == "" {
		return nil, errRequired("ipAddressType")
	}
	unlock := s.lock()
	defer unlock()
	lb, err := s.lookupLB(in.LoadBalancerArn, "loadBalancerArn")
	if err != nil {
		return nil, err
	}
	if err := validIPAddressType(in.IpAddressType, lb.view.Scheme); err != nil {
		return nil, err
	}
	lb.view.IpAddressType = in.IpAddressType
	s.touchARN(*in.LoadBalancerArn)
	s.changed()
	return &sdk.SetIpAddressTypeOutput{IpAddressType: in.IpAddressType}, nil
}

// SetSecurityGroups replaces the security groups.
func (s *Store) SetSecurityGroups(_ context.Context, in *sdk.SetSecurityGroupsInput) (*sdk.SetSecurityGroupsOutput, error) {
	if in.SecurityGroups == nil {
		return nil, errRequired("securityGroups")
	}
	if len(in.SecurityGroups) == 0 {
		return nil, errInvalidConfig("An Application Load Balancer must have at least one security group")
	}
	if err := validSecurityGroups(in.SecurityGroups); err != nil {
		return nil, err
	}
	if in.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic != "" {
		return nil, errInvalidConfig("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic applies to Network Load Balancers only")
	}
	unlock := s.lock()
	defer unlock()
	lb, err := s.lookupLB(in.LoadBalancerArn, "loadBalancerArn")
	if err != nil {
		return nil, err
	}
	groups, err := s.securityGroups(deref(lb.view.VpcId), in.SecurityGroups)
	if err != nil {
		return nil, err
	}
	lb.view.SecurityGroups = dedupe(groups)
	s.touchARN(*in.LoadBalancerArn)
	s.changed()
	return &sdk.SetSecurityGroupsOutput{SecurityGroupIds: slices.Clone(lb.view.SecurityGroups)}, nil
}

// SetSubnets replaces the subnets (and so the availability zones).
func (s *Store) SetSubnets(_ context.Context, in *sdk.SetSubnetsInput) (*sdk.SetSubnetsOutput, error) {
	ids, err := subnetIDs(in.Subnets, in.SubnetMappings)
	if err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	lb, err := s.lookupLB(in.LoadBalancerArn, "loadBalancerArn")
	if err != nil {
		return nil, err
	}
	ipType := lb.view.IpAddressType
	if in.IpAddressType != "" {
		if err := validIPAddressType(in.IpAddressType, lb.view.Scheme); err != nil {
			return nil, err
		}
		ipType = in.IpAddressType
	}
	vpc, zones, fresh, err := s.placeSubnets(ids)
	if err != nil {
		return nil, err
	}
	if vpc != deref(lb.view.VpcId) {
		return nil, errInvalidConfig("The subnets must be in the load balancer's VPC '%s'", deref(lb.view.VpcId))
	}
	for id, zone := range fresh {
		s.subnets[id] = zone
		s.touch(kindSubnet, id)
	}
	lb.view.AvailabilityZones = zones
	lb.view.IpAddressType = ipType
	s.touchARN(*in.LoadBalancerArn)
	s.changed()
	return &sdk.SetSubnetsOutput{AvailabilityZones: clone.Of(zones), IpAddressType: ipType}, nil
}

func (s *Store) capacityState(lb *loadBalancer) []types.ZonalCapacityReservationState {
	out := []types.ZonalCapacityReservationState{}
	if lb.capacity.units == nil {
		return out
	}
	per := float64(*lb.capacity.units) / float64(len(lb.view.AvailabilityZones))
	for _, az := range lb.view.AvailabilityZones {
		out = append(out, types.ZonalCapacityReservationState{
			AvailabilityZone:       ptr(deref(az.ZoneName)),
			EffectiveCapacityUnits: ptr(per),
			State:                  &types.CapacityReservationStatus{Code: types.CapacityReservationStateEnumProvisioned},
		})
	}
	return out
}

func (s *Store) capacityOutput(lb *loadBalancer) *sdk.DescribeCapacityReservationOutput {
	out := &sdk.DescribeCapacityReservationOutput{
		DecreaseRequestsRemaining: ptr(lb.capacity.decreasesAllowed),
		CapacityReservationState:  s.capacityState(lb),
	}
	if !lb.capacity.lastModified.IsZero() {
		out.LastModifiedTime = ptr(lb.capacity.lastModified)
	}
	if lb.capacity.units != nil {
		out.MinimumLoadBalancerCapacity = &types.MinimumLoadBalancerCapacity{CapacityUnits: ptr(*lb.capacity.units)}
	}
	return out
}

// DescribeCapacityReservation reports the reserved capacity (a plain
// record: the emulator has no capacity to reserve).
func (s *Store) DescribeCapacityReservation(_ context.Context, in *sdk.DescribeCapacityReservationInput) (*sdk.DescribeCapacityReservationOutput, error) {
	unlock := s.lock()
	defer unlock()
	lb, err := s.lookupLB(in.LoadBalancerArn, "loadBalancerArn")
	if err != nil {
		return nil, err
	}
	return s.capacityOutput(lb), nil
}

// ModifyCapacityReservation sets or resets the reserved capacity. Each
// decrease uses up one of the daily decrease requests.
func (s *Store) ModifyCapacityReservation(_ context.Context, in *sdk.ModifyCapacityReservationInput) (*sdk.ModifyCapacityReservationOutput, error) {
	reset := deref(in.ResetCapacityReservation)
	if (in.MinimumLoadBalancerCapacity != nil) == reset {
		return nil, errValidation("You must specify either MinimumLoadBalancerCapacity or ResetCapacityReservation")
	}
	var units *int32
	if !reset {
		units = in.MinimumLoadBalancerCapacity.CapacityUnits
		if units == nil {
			return nil, errRequired("minimumLoadBalancerCapacity.capacityUnits")
		}
		if *units < 1 {
			return nil, errConstraint(*units, "minimumLoadBalancerCapacity.capacityUnits", "Member must have value greater than or equal to 1")
		}
	}
	unlock := s.lock()
	defer unlock()
	lb, err := s.lookupLB(in.LoadBalancerArn, "loadBalancerArn")
	if err != nil {
		return nil, err
	}
	decrease := lb.capacity.units != nil && (units == nil || *units < *lb.capacity.units)
	if decrease {
		if lb.capacity.decreasesAllowed == 0 {
			return nil, &types.CapacityDecreaseRequestsLimitExceededException{Message: ptr("You have reached the limit of capacity decrease requests for today")}
		}
		lb.capacity.decreasesAllowed--
	}
	if units != nil {
		units = ptr(*units)
	}
	lb.capacity.units = units
	lb.capacity.lastModified = s.timestamp()
	s.touchARN(*in.LoadBalancerArn)
	out := s.capacityOutput(lb)
	return &sdk.ModifyCapacityReservationOutput{
		CapacityReservationState:    out.CapacityReservationState,
		DecreaseRequestsRemaining:   out.DecreaseRequestsRemaining,
		LastModifiedTime:            out.LastModifiedTime,
		MinimumLoadBalancerCapacity: out.MinimumLoadBalancerCapacity,
	}, nil
}
