package providers

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// VPCEndpoint is AWS::EC2::VPCEndpoint, a gateway endpoint (routes to the
// service's prefix list in its route tables) or an interface endpoint (an
// interface in each subnet), recorded: no traffic goes through it. Ref is
// its ID; GetAtt Id, CreationTimestamp, DnsEntries and
// NetworkInterfaceIds.
type VPCEndpoint struct{ api *ec2api.API }

// NewVPCEndpoint returns the VPC endpoint provider.
func NewVPCEndpoint(api *ec2api.API) *VPCEndpoint { return &VPCEndpoint{api: api} }

// endpointProps are the properties; the lists and the policy are read
// apart (PolicyDocument is a JSON object or its text).
type endpointProps struct {
	ServiceName       *string
	VpcId             *string
	VpcEndpointType   types.VpcEndpointType
	PrivateDnsEnabled *bool
	IpAddressType     types.IpAddressType
	Tags              []types.Tag

	policy                       string
	routeTables, subnets, groups []string
}

// endpointUnsupported are the properties of service networks, resource
// configurations, cross-region endpoints and DNS options.
var endpointUnsupported = []string{"ResourceConfigurationArn", "ServiceNetworkArn", "ServiceRegion", "DnsOptions"}

var endpointLists = []string{"PolicyDocument", "RouteTableIds", "SubnetIds", "SecurityGroupIds"}

func decodeEndpoint(p map[string]any) (*endpointProps, error) {
	if err := unsupportedProps("AWS::EC2::VPCEndpoint", p, endpointUnsupported...); err != nil {
		return nil, err
	}
	v := &endpointProps{}
	if err := props.Decode(p, v, append(endpointLists, endpointUnsupported...)...); err != nil {
		return nil, err
	}
	if v.IpAddressType != "" && v.IpAddressType != types.IpAddressTypeIpv4 {
		return nil, &engine.Failure{Message: "IpAddressType " + string(v.IpAddressType) + " of AWS::EC2::VPCEndpoint is not supported by this emulator (IPv4 only)"}
	}
	var err error
	if v.policy, err = jsonText(p, "PolicyDocument"); err != nil {
		return nil, err
	}
	for key, dst := range map[string]*[]string{"RouteTableIds": &v.routeTables, "SubnetIds": &v.subnets, "SecurityGroupIds": &v.groups} {
		if *dst, err = stringList(p, key); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func optionalText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Create records the endpoint.
func (p *VPCEndpoint) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeEndpoint(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.CreateVpcEndpoint(cctx, &ec2.CreateVpcEndpointInput{ServiceName: v.ServiceName, VpcId: v.VpcId,
		VpcEndpointType: v.VpcEndpointType, PrivateDnsEnabled: v.PrivateDnsEnabled, PolicyDocument: optionalText(v.policy),
		RouteTableIds: v.routeTables, SubnetIds: v.subnets, SecurityGroupIds: v.groups,
		TagSpecifications: tagSpec(types.ResourceTypeVpcEndpoint, ec2Tags(req, v.Tags))})
	if err != nil {
		return nil, err
	}
	return p.result(cctx, s, *out.VpcEndpoint.VpcEndpointId)
}

func (p *VPCEndpoint) result(ctx context.Context, s *ec2api.Store, id string) (*engine.Result, error) {
	out, err := s.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	if err != nil {
		return nil, err
	}
	e := out.VpcEndpoints[0]
	dns := []any{}
	for _, d := range e.DnsEntries {
		dns = append(dns, deref(d.HostedZoneId)+":"+deref(d.DnsName))
	}
	created := ""
	if e.CreationTimestamp != nil {
		created = e.CreationTimestamp.UTC().Format(time.RFC3339Nano)
	}
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{
		"Id": id, "CreationTimestamp": created, "DnsEntries": dns, "NetworkInterfaceIds": stringsAny(e.NetworkInterfaceIds),
	}}, nil
}

// Update brings route tables, subnets and groups to the new lists and
// changes the policy, private DNS and tags in place.
func (p *VPCEndpoint) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeEndpoint(req.Properties)
	if err != nil {
		return nil, err
	}
	old, err := decodeEndpoint(req.PreviousProperties)
	if err != nil {
		old = &endpointProps{}
	}
	in := &ec2.ModifyVpcEndpointInput{VpcEndpointId: &req.PhysicalID,
		AddRouteTableIds: added(old.routeTables, v.routeTables), RemoveRouteTableIds: removed(old.routeTables, v.routeTables),
		AddSubnetIds: added(old.subnets, v.subnets), RemoveSubnetIds: removed(old.subnets, v.subnets),
		AddSecurityGroupIds: added(old.groups, v.groups), RemoveSecurityGroupIds: removed(old.groups, v.groups)}
	switch {
	case v.policy != old.policy && v.policy == "":
		in.ResetPolicy = ptr(true)
	case v.policy != old.policy:
		in.PolicyDocument = &v.policy
	}
	if deref(v.PrivateDnsEnabled) != deref(old.PrivateDnsEnabled) {
		in.PrivateDnsEnabled = ptr(deref(v.PrivateDnsEnabled))
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	if _, err := s.ModifyVpcEndpoint(cctx, in); err != nil {
		return nil, err
	}
	if err := retagFrom(cctx, s, req, req.PhysicalID); err != nil {
		return nil, err
	}
	return p.result(cctx, s, req.PhysicalID)
}

// Delete deletes the endpoint with its routes and interfaces; one already
// gone is deleted (EC2 reports it as an unsuccessful item).
func (p *VPCEndpoint) Delete(ctx context.Context, req *engine.Request) error {
	out, err := p.api.Store(req.Region).DeleteVpcEndpoints(callCtx(ctx, req), &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{req.PhysicalID}})
	if err != nil {
		return err
	}
	for _, u := range out.Unsuccessful {
		if u.Error != nil && deref(u.Error.Code) != "InvalidVpcEndpointId.NotFound" {
			return &engine.Failure{Message: deref(u.Error.Message)}
		}
	}
	return nil
}

// Replaces: ServiceName, VpcEndpointType, VpcId and the unsupported
// service-network properties.
func (p *VPCEndpoint) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "ServiceName", "VpcEndpointType", "VpcId", "ResourceConfigurationArn", "ServiceNetworkArn", "ServiceRegion")
}
