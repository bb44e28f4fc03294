package ec2

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// addSubnet creates a subnet record.
func (s *Store) addSubnet(id, vpc string, block netip.Prefix, z zone, defaultForAz bool) *subnetRecord {
	r := &subnetRecord{
		subnet: types.Subnet{
			SubnetId: ptr(id), VpcId: ptr(vpc), CidrBlock: ptr(block.String()), AvailabilityZone: ptr(z.name), AvailabilityZoneId: ptr(z.id),
			DefaultForAz: ptr(defaultForAz), MapPublicIpOnLaunch: ptr(defaultForAz), State: types.SubnetStateAvailable,
			OwnerId: ptr(s.account), SubnetArn: ptr(fmt.Sprintf("arn:aws:ec2:%s:%s:subnet/%s", s.region, s.account, id)),
			AssignIpv6AddressOnCreation: ptr(false), EnableDns64: ptr(false), Ipv6Native: ptr(false), MapCustomerOwnedIpOnLaunch: ptr(false),
			Ipv6CidrBlockAssociationSet: []types.SubnetIpv6CidrBlockAssociation{},
			PrivateDnsNameOptionsOnLaunch: &types.PrivateDnsNameOptionsOnLaunch{
				HostnameType: types.HostnameTypeIpName, EnableResourceNameDnsARecord: ptr(false), EnableResourceNameDnsAAAARecord: ptr(false),
			},
			BlockPublicAccessStates: &types.BlockPublicAccessStates{InternetGatewayBlockMode: types.BlockPublicAccessModeOff},
		},
		cidr: block, used: map[netip.Addr]string{},
	}
	r.updateCount()
	s.subnets[id] = r
	return r
}

func (s *Store) subnetView(r *subnetRecord) types.Subnet {
	v := clone.Of(r.subnet)
	v.Tags = s.tagsOf(*v.SubnetId)
	return v
}

// CreateSubnet creates a subnet inside its VPC's block, overlapping no
// other subnet of the VPC, in the zone asked for (the region's first one
// when none is).
func (s *Store) CreateSubnet(_ context.Context, in *ec2.CreateSubnetInput) (*ec2.CreateSubnetOutput, error) {
	if in.VpcId == nil {
		return nil, errMissing("vpcId")
	}
	if in.CidrBlock == nil {
		return nil, errMissing("cidrBlock")
	}
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeSubnet)
	if err != nil {
		return nil, err
	}
	var out types.Subnet
	err = s.write(func() error {
		v, err := lookup(s.vpcs, "vpc", *in.VpcId)
		if err != nil {
			return err
		}
		block, ok := parseBlock(*in.CidrBlock)
		if !ok || !within(block, v.cidrs) {
			return errorf("InvalidSubnet.Range", "The CIDR '%s' is invalid.", *in.CidrBlock)
		}
		for _, sn := range s.subnets {
			if *sn.subnet.VpcId == *in.VpcId && sn.cidr.Overlaps(block) {
				return errorf("InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet", *in.CidrBlock)
			}
		}
		z, err := s.subnetZone(in.AvailabilityZone, in.AvailabilityZoneId)
		if err != nil {
			return err
		}
		r := s.addSubnet(s.newID("subnet"), *in.VpcId, block, z, false)
		s.addTags(*r.subnet.SubnetId, tags)
		out = s.subnetView(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.CreateSubnetOutput{Subnet: &out}, nil
}

// subnetZone resolves the zone of a new subnet.
func (s *Store) subnetZone(name, id *string) (zone, error) {
	if name == nil && id == nil {
		return zonesOf(s.region)[0], nil
	}
	if name != nil && id != nil {
		return zone{}, errInvalidParameterCombination("Only one of availabilityZone or availabilityZoneId may be specified")
	}
	if z, ok := s.zoneBy(deref(name), deref(id)); ok {
		return z, nil
	}
	var names []string
	for _, z := range zonesOf(s.region) {
		names = append(names, z.name)
	}
	if name != nil {
		return zone{}, errInvalidParameterValue("Value (%s) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: %s.", *name, strings.Join(names, ", "))
	}
	return zone{}, errInvalidParameterValue("Value (%s) for parameter availabilityZoneId is invalid.", *id)
}

// DeleteSubnet deletes a subnet no network interface or NAT gateway uses;
// its route table association goes with it.
func (s *Store) DeleteSubnet(_ context.Context, in *ec2.DeleteSubnetInput) (*ec2.DeleteSubnetOutput, error) {
	if in.SubnetId == nil {
		return nil, errMissing("subnetId")
	}
	return &ec2.DeleteSubnetOutput{}, s.write(func() error {
		r, err := lookup(s.subnets, "subnet", *in.SubnetId)
		if err != nil {
			return err
		}
		if len(r.used) > 0 || s.subnetHasNat(*in.SubnetId) {
			return errDependency("subnet", *in.SubnetId)
		}
		s.dropSubnetAssociation(*in.SubnetId)
		delete(s.subnets, *in.SubnetId)
		s.forget(*in.SubnetId)
		return nil
	})
}

func (s *Store) subnetHasNat(id string) bool {
	for _, n := range s.nats {
		if *n.nat.SubnetId == id && n.nat.State != types.NatGatewayStateDeleted {
			return true
		}
	}
	return false
}

var subnetFilters = filterSet[*subnetRecord]{
	"subnet-id":                  func(r *subnetRecord) []string { return strv(r.subnet.SubnetId) },
	"vpc-id":                     func(r *subnetRecord) []string { return strv(r.subnet.VpcId) },
	"availability-zone":          func(r *subnetRecord) []string { return strv(r.subnet.AvailabilityZone) },
	"availabilityZone":           func(r *subnetRecord) []string { return strv(r.subnet.AvailabilityZone) },
	"availability-zone-id":       func(r *subnetRecord) []string { return strv(r.subnet.AvailabilityZoneId) },
	"availabilityZoneId":         func(r *subnetRecord) []string { return strv(r.subnet.AvailabilityZoneId) },
	"available-ip-address-count": func(r *subnetRecord) []string { return intv(r.subnet.AvailableIpAddressCount) },
	"availableIpAddressCount":    func(r *subnetRecord) []string { return intv(r.subnet.AvailableIpAddressCount) },
	"cidr":                       func(r *subnetRecord) []string { return strv(r.subnet.CidrBlock) },
	"cidr-block":                 func(r *subnetRecord) []string { return strv(r.subnet.CidrBlock) },
	"cidrBlock":                  func(r *subnetRecord) []string { return strv(r.subnet.CidrBlock) },
	"default-for-az":             func(r *subnetRecord) []string { return boolv(r.subnet.DefaultForAz) },
	"defaultForAz":               func(r *subnetRecord) []string { return boolv(r.subnet.DefaultForAz) },
	"map-public-ip-on-launch":    func(r *subnetRecord) []string { return boolv(r.subnet.MapPublicIpOnLaunch) },
	"owner-id":                   func(r *subnetRecord) []string { return strv(r.subnet.OwnerId) },
	"state":                      func(r *subnetRecord) []string { return one(string(r.subnet.State)) },
	"subnet-arn":                 func(r *subnetRecord) []string { return strv(r.subnet.SubnetArn) },
	"ipv6-native":                func(r *subnetRecord) []string { return boolv(r.subnet.Ipv6Native) },
	"ipv6-cidr-block-association.ipv6-cidr-block": func(r *subnetRecord) []string {
		var out []string
		for _, a := range r.subnet.Ipv6CidrBlockAssociationSet {
			out = append(out, deref(a.Ipv6CidrBlock))
		}
		return out
	},
}

// DescribeSubnets lists subnets by ID and filters.
func (s *Store) DescribeSubnets(_ context.Context, in *ec2.DescribeSubnetsInput) (*ec2.DescribeSubnetsOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.subnets, "subnet", in.SubnetIds)
	if err != nil {
		return nil, err
	}
	recs, err = filterItems(s, subnetFilters, in.Filters, recs, func(r *subnetRecord) string { return *r.subnet.SubnetId })
	if err != nil {
		return nil, err
	}
	recs, next, err := page(recs, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]types.Subnet, 0, len(recs))
	for _, r := range recs {
		out = append(out, s.subnetView(r))
	}
	return &ec2.DescribeSubnetsOutput{Subnets: out, NextToken: next}, nil
}

// ModifySubnetAttribute changes one launch attribute of a subnet.
func (s *Store) ModifySubnetAttribute(_ context.Context, in *ec2.ModifySubnetAttributeInput) (*ec2.ModifySubnetAttributeOutput, error) {
	if in.SubnetId == nil {
		return nil, errMissing("subnetId")
	}
	return &ec2.ModifySubnetAttributeOutput{}, s.write(func() error {
		r, err := lookup(s.subnets, "subnet", *in.SubnetId)
		if err != nil {
			return err
		}
		sn := &r.subnet
		s.touch(*sn.SubnetId)
		set := func(dst **bool, v *types.AttributeBooleanValue) bool {
			if v == nil {
				return false
			}
			*dst = ptr(deref(v.Value))
			return true
		}
		changed := set(&sn.MapPublicIpOnLaunch, in.MapPublicIpOnLaunch)
		changed = set(&sn.AssignIpv6AddressOnCreation, in.AssignIpv6AddressOnCreation) || changed
		changed = set(&sn.EnableDns64, in.EnableDns64) || changed
		changed = set(&sn.MapCustomerOwnedIpOnLaunch, in.MapCustomerOwnedIpOnLaunch) || changed
		changed = set(&sn.PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsARecord, in.EnableResourceNameDnsARecordOnLaunch) || changed
		changed = set(&sn.PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsAAAARecord, in.EnableResourceNameDnsAAAARecordOnLaunch) || changed
		if in.PrivateDnsHostnameTypeOnLaunch != "" {
			sn.PrivateDnsNameOptionsOnLaunch.HostnameType = in.PrivateDnsHostnameTypeOnLaunch
			changed = true
		}
		if !changed {
			return errMissing("attribute")
		}
		return nil
	})
}
