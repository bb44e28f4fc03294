package elbv2

import (
	"errors"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// Subnet is what ELBv2 needs to know of an EC2 subnet.
type Subnet struct {
	ID, VpcID, Zone string
}

// NetworkLookup is the EC2 side of load balancers and target groups.
// Errors are EC2's API errors (InvalidSubnetID.NotFound, …).
type NetworkLookup interface {
	Subnets(region string, ids []string) ([]Subnet, error)
	// SecurityGroupVPCs maps each group to its VPC, or fails for the
	// first unknown group.
	SecurityGroupVPCs(region string, ids []string) (map[string]string, error)
	VPCExists(region, id string) bool
	DefaultSecurityGroup(region, vpcID string) string
}

// sameZoneMessage is AWS's refusal of two subnets in one zone, word for
// word (it names neither subnet).
const sameZoneMessage = "A load balancer cannot be attached to multiple subnets in the same Availability Zone"

// placeSubnetsEC2 puts each subnet in its EC2 zone: every subnet must
// exist, all in one VPC, no two in one zone.
func (s *Store) placeSubnetsEC2(ids []string) (string, []types.AvailabilityZone, error) {
	subnets, err := s.api.opts.Network.Subnets(s.region, ids)
	if err != nil {
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			return "", nil, &types.SubnetNotFoundException{Message: ptr(apiErr.ErrorMessage())}
		}
		return "", nil, err
	}
	byZone := map[string]string{}
	zones := make([]types.AvailabilityZone, 0, len(subnets))
	for _, sn := range subnets {
		if sn.VpcID != subnets[0].VpcID {
			return "", nil, errInvalidConfig("Subnets must all be in the same VPC ('%s' is in %s, '%s' in %s)", subnets[0].ID, subnets[0].VpcID, sn.ID, sn.VpcID)
		}
		if _, dup := byZone[sn.Zone]; dup {
			return "", nil, errInvalidConfig("%s", sameZoneMessage)
		}
		byZone[sn.Zone] = sn.ID
		zones = append(zones, types.AvailabilityZone{SubnetId: ptr(sn.ID), ZoneName: ptr(sn.Zone), LoadBalancerAddresses: []types.LoadBalancerAddress{}})
	}
	sort.SliceStable(zones, func(i, j int) bool { return *zones[i].ZoneName < *zones[j].ZoneName })
	return subnets[0].VpcID, zones, nil
}

// securityGroups are a load balancer's groups: those asked for, which
// must exist in its VPC, or the VPC's default group.
func (s *Store) securityGroups(vpc string, asked []string) ([]string, error) {
	net := s.api.opts.Network
	if net == nil {
		if len(asked) == 0 {
			return []string{defaultSecurityGroup(vpc)}, nil
		}
		return slices.Clone(asked), nil
	}
	if len(asked) == 0 {
		return []string{net.DefaultSecurityGroup(s.region, vpc)}, nil
	}
	vpcs, err := net.SecurityGroupVPCs(s.region, asked)
	if err != nil {
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			return nil, &types.InvalidSecurityGroupException{Message: ptr(apiErr.ErrorMessage())}
		}
		return nil, err
	}
	for _, g := range asked {
		if vpcs[g] != vpc {
			return nil, &types.InvalidSecurityGroupException{Message: msgf("Security group '%s' does not belong to VPC '%s'", g, vpc)}
		}
	}
	return slices.Clone(asked), nil
}
