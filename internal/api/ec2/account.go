package ec2

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// DescribeAccountAttributes reports the attributes of a new account: VPC
// only, the region's default VPC and the default limits.
func (s *Store) DescribeAccountAttributes(_ context.Context, in *ec2.DescribeAccountAttributesInput) (*ec2.DescribeAccountAttributesOutput, error) {
	s.lock()
	vpc := s.defaultVpcID()
	s.unlock()
	if vpc == "" {
		vpc = "none"
	}
	attr := func(name string, values ...string) types.AccountAttribute {
		a := types.AccountAttribute{AttributeName: ptr(name)}
		for _, v := range values {
			a.AttributeValues = append(a.AttributeValues, types.AccountAttributeValue{AttributeValue: ptr(v)})
		}
		return a
	}
	all := []types.AccountAttribute{
		attr("supported-platforms", "VPC"), attr("default-vpc", vpc), attr("max-instances", "20"),
		attr("vpc-max-security-groups-per-interface", "5"), attr("max-elastic-ips", "5"), attr("vpc-max-elastic-ips", "5"),
	}
	var out []types.AccountAttribute
	for _, a := range all {
		if len(in.AttributeNames) == 0 || slices.Contains(in.AttributeNames, types.AccountAttributeName(*a.AttributeName)) {
			out = append(out, a)
		}
	}
	return &ec2.DescribeAccountAttributesOutput{AccountAttributes: out}, nil
}

var vpnGatewayFilters = filterSet[types.VpnGateway]{
	"vpn-gateway-id":    func(g types.VpnGateway) []string { return strv(g.VpnGatewayId) },
	"state":             func(g types.VpnGateway) []string { return one(string(g.State)) },
	"type":              func(g types.VpnGateway) []string { return one(string(g.Type)) },
	"attachment.vpc-id": func(types.VpnGateway) []string { return nil },
	"attachment.state":  func(types.VpnGateway) []string { return nil },
	"availability-zone": func(g types.VpnGateway) []string { return strv(g.AvailabilityZone) },
	"amazon-side-asn":   func(g types.VpnGateway) []string { return intv(g.AmazonSideAsn) },
}

// DescribeVpnGateways answers that there are none: the emulator has no
// VPN gateways (the CDK's VPC lookup asks).
func (s *Store) DescribeVpnGateways(_ context.Context, in *ec2.DescribeVpnGatewaysInput) (*ec2.DescribeVpnGatewaysOutput, error) {
	for _, id := range in.VpnGatewayIds {
		if err := checkID("vgw", id); err != nil {
			return nil, err
		}
		return nil, errNotFound("vgw", id)
	}
	if _, err := filterItems(s, vpnGatewayFilters, in.Filters, nil, func(g types.VpnGateway) string { return *g.VpnGatewayId }); err != nil {
		return nil, err
	}
	return &ec2.DescribeVpnGatewaysOutput{VpnGateways: []types.VpnGateway{}}, nil
}
