package ec2

import (
	"context"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// vpcIDs are the IDs of a VPC and what comes with it.
type vpcIDs struct {
	vpc, cidrAssoc, group, table, mainAssoc, acl string
	egressRule, ingressRule                      string
}

// newVpcIDs draws fresh IDs for a VPC created through the API.
func (s *Store) newVpcIDs() vpcIDs {
	return vpcIDs{
		vpc: s.newID("vpc"), cidrAssoc: s.newID("vpc-cidr-assoc"), group: s.newID("sg"), table: s.newID("rtb"),
		mainAssoc: s.newID("rtbassoc"), acl: s.newID("acl"), egressRule: s.newID("sgr"), ingressRule: s.newID("sgr"),
	}
}

// addVpc creates a VPC with its default security group, its main route
// table (with the local route) and its default network ACL.
func (s *Store) addVpc(ids vpcIDs, block netip.Prefix, isDefault bool, tenancy types.Tenancy) *vpcRecord {
	r := &vpcRecord{
		vpc: types.Vpc{
			VpcId: ptr(ids.vpc), CidrBlock: ptr(block.String()), DhcpOptionsId: ptr(s.dhcp), InstanceTenancy: tenancy,
			IsDefault: ptr(isDefault), OwnerId: ptr(s.account), State: types.VpcStateAvailable,
			CidrBlockAssociationSet: []types.VpcCidrBlockAssociation{{
				AssociationId: ptr(ids.cidrAssoc), CidrBlock: ptr(block.String()),
				CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated},
			}},
			BlockPublicAccessStates: &types.BlockPublicAccessStates{InternetGatewayBlockMode: types.BlockPublicAccessModeOff},
		},
		cidrs: []netip.Prefix{block}, dnsSupport: true, dnsHostnames: isDefault,
		mainTable: ids.table, defaultGroup: ids.group, networkACL: ids.acl,
	}
	s.vpcs[ids.vpc] = r
	s.addDefaultGroup(ids)
	s.addMainTable(ids, block)
	return r
}

// view is the VPC as Describe shows it.
func (s *Store) vpcView(r *vpcRecord) types.Vpc {
	v := clone.Of(r.vpc)
	v.Tags = s.tagsOf(*v.VpcId)
	return v
}

// CreateVpc creates a VPC; the block must be /16 to /28.
func (s *Store) CreateVpc(_ context.Context, in *ec2.CreateVpcInput) (*ec2.CreateVpcOutput, error) {
	if in.CidrBlock == nil {
		return nil, errMissing("cidrBlock")
	}
	block, ok := parseBlock(*in.CidrBlock)
	if !ok {
		return nil, errorf("InvalidVpc.Range", "The CIDR '%s' is invalid.", *in.CidrBlock)
	}
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeVpc)
	if err != nil {
		return nil, err
	}
	tenancy := in.InstanceTenancy
	if tenancy == "" {
		tenancy = types.TenancyDefault
	}
	var out types.Vpc
	err = s.write(func() error {
		r := s.addVpc(s.newVpcIDs(), block, false, tenancy)
		if deref(in.AmazonProvidedIpv6CidrBlock) {
			r.vpc.Ipv6CidrBlockAssociationSet = []types.VpcIpv6CidrBlockAssociation{{
				AssociationId: ptr(s.newID("vpc-cidr-assoc")), Ipv6CidrBlock: ptr(ipv6Block(*r.vpc.VpcId)),
				Ipv6CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated},
				NetworkBorderGroup: ptr(s.region), Ipv6Pool: ptr("Amazon"),
			}}
		}
		s.addTags(*r.vpc.VpcId, tags)
		out = s.vpcView(r)
		out.State = types.VpcStatePending // as CreateVpc answers on AWS
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.CreateVpcOutput{Vpc: &out}, nil
}

// DeleteVpc deletes a VPC that has nothing left in it but its default
// security group, main route table and network ACL.
func (s *Store) DeleteVpc(_ context.Context, in *ec2.DeleteVpcInput) (*ec2.DeleteVpcOutput, error) {
	if in.VpcId == nil {
		return nil, errMissing("vpcId")
	}
	return &ec2.DeleteVpcOutput{}, s.write(func() error {
		r, err := lookup(s.vpcs, "vpc", *in.VpcId)
		if err != nil {
			return err
		}
		if s.vpcInUse(r) {
			return errDependency("vpc", *in.VpcId)
		}
		delete(s.groups, r.defaultGroup)
		s.forget(r.defaultGroup)
		delete(s.rtbs, r.mainTable)
		s.forget(r.mainTable)
		s.forget(r.networkACL)
		delete(s.vpcs, *in.VpcId)
		s.forget(*in.VpcId)
		return nil
	})
}

// vpcInUse reports whether anything but the VPC's own defaults is in it.
func (s *Store) vpcInUse(r *vpcRecord) bool {
	id := *r.vpc.VpcId
	for _, sn := range s.subnets {
		if *sn.subnet.VpcId == id {
			return true
		}
	}
	for gid, g := range s.groups {
		if *g.group.VpcId == id && gid != r.defaultGroup {
			return true
		}
	}
	for _, igw := range s.igws {
		for _, a := range igw.Attachments {
			if deref(a.VpcId) == id {
				return true
			}
		}
	}
	for tid, t := range s.rtbs {
		if *t.VpcId == id && tid != r.mainTable {
			return true
		}
	}
	for _, e := range s.endpoints {
		if *e.VpcId == id {
			return true
		}
	}
	return false
}

var vpcFilters = filterSet[*vpcRecord]{
	"vpc-id":     func(r *vpcRecord) []string { return strv(r.vpc.VpcId) },
	"cidr":       func(r *vpcRecord) []string { return strv(r.vpc.CidrBlock) },
	"cidr-block": func(r *vpcRecord) []string { return strv(r.vpc.CidrBlock) },
	"cidr-block-association.cidr-block": func(r *vpcRecord) []string {
		var out []string
		for _, a := range r.vpc.CidrBlockAssociationSet {
			out = append(out, deref(a.CidrBlock))
		}
		return out
	},
	"cidr-block-association.association-id": func(r *vpcRecord) []string {
		var out []string
		for _, a := range r.vpc.CidrBlockAssociationSet {
			out = append(out, deref(a.AssociationId))
		}
		return out
	},
	"cidr-block-association.state": func(*vpcRecord) []string { return one("associated") },
	"ipv6-cidr-block-association.ipv6-cidr-block": func(r *vpcRecord) []string {
		var out []string
		for _, a := range r.vpc.Ipv6CidrBlockAssociationSet {
			out = append(out, deref(a.Ipv6CidrBlock))
		}
		return out
	},
	"dhcp-options-id":  func(r *vpcRecord) []string { return strv(r.vpc.DhcpOptionsId) },
	"is-default":       func(r *vpcRecord) []string { return boolv(r.vpc.IsDefault) },
	"isDefault":        func(r *vpcRecord) []string { return boolv(r.vpc.IsDefault) },
	"owner-id":         func(r *vpcRecord) []string { return strv(r.vpc.OwnerId) },
	"state":            func(r *vpcRecord) []string { return one(string(r.vpc.State)) },
	"instance-tenancy": func(r *vpcRecord) []string { return one(string(r.vpc.InstanceTenancy)) },
}

// DescribeVpcs lists VPCs by ID and filters.
func (s *Store) DescribeVpcs(_ context.Context, in *ec2.DescribeVpcsInput) (*ec2.DescribeVpcsOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.vpcs, "vpc", in.VpcIds)
	if err != nil {
		return nil, err
	}
	recs, err = filterItems(s, vpcFilters, in.Filters, recs, func(r *vpcRecord) string { return *r.vpc.VpcId })
	if err != nil {
		return nil, err
	}
	recs, next, err := page(recs, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]types.Vpc, 0, len(recs))
	for _, r := range recs {
		out = append(out, s.vpcView(r))
	}
	return &ec2.DescribeVpcsOutput{Vpcs: out, NextToken: next}, nil
}

// ModifyVpcAttribute changes one DNS or metrics attribute.
func (s *Store) ModifyVpcAttribute(_ context.Context, in *ec2.ModifyVpcAttributeInput) (*ec2.ModifyVpcAttributeOutput, error) {
	if in.VpcId == nil {
		return nil, errMissing("vpcId")
	}
	set := 0
	for _, a := range []*types.AttributeBooleanValue{in.EnableDnsSupport, in.EnableDnsHostnames, in.EnableNetworkAddressUsageMetrics} {
		if a != nil {
			set++
		}
	}
	if set != 1 {
		return nil, errInvalidParameterCombination("Exactly one attribute must be specified")
	}
	return &ec2.ModifyVpcAttributeOutput{}, s.write(func() error {
		r, err := lookup(s.vpcs, "vpc", *in.VpcId)
		if err != nil {
			return err
		}
		s.touch(*in.VpcId)
		switch {
		case in.EnableDnsSupport != nil:
			r.dnsSupport = deref(in.EnableDnsSupport.Value)
		case in.EnableDnsHostnames != nil:
			r.dnsHostnames = deref(in.EnableDnsHostnames.Value)
		default:
			r.usageMetrics = deref(in.EnableNetworkAddressUsageMetrics.Value)
		}
		return nil
	})
}

// DescribeVpcAttribute reads one attribute of a VPC.
func (s *Store) DescribeVpcAttribute(_ context.Context, in *ec2.DescribeVpcAttributeInput) (*ec2.DescribeVpcAttributeOutput, error) {
	if in.VpcId == nil {
		return nil, errMissing("vpcId")
	}
	if in.Attribute == "" {
		return nil, errMissing("attribute")
	}
	s.lock()
	defer s.unlock()
	r, err := lookup(s.vpcs, "vpc", *in.VpcId)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeVpcAttributeOutput{VpcId: ptr(*in.VpcId)}
	val := func(b bool) *types.AttributeBooleanValue { return &types.AttributeBooleanValue{Value: ptr(b)} }
	switch in.Attribute {
	case types.VpcAttributeNameEnableDnsSupport:
		out.EnableDnsSupport = val(r.dnsSupport)
	case types.VpcAttributeNameEnableDnsHostnames:
		out.EnableDnsHostnames = val(r.dnsHostnames)
	case types.VpcAttributeNameEnableNetworkAddressUsageMetrics:
		out.EnableNetworkAddressUsageMetrics = val(r.usageMetrics)
	default:
		return nil, errInvalidParameterValue("Value (%s) for parameter attribute is invalid. Unknown attribute.", in.Attribute)
	}
	return out, nil
}
