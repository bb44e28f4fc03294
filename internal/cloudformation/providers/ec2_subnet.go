package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// Subnet is AWS::EC2::Subnet: Ref is the subnet ID; GetAtt
// AvailabilityZone, AvailabilityZoneId, CidrBlock, Ipv6CidrBlocks,
// NetworkAclAssociationId, SubnetId and VpcId.
type Subnet struct {
	api *ec2api.API
	ec2Waits
}

// NewSubnet returns the subnet provider.
func NewSubnet(api *ec2api.API) *Subnet { return &Subnet{api: api, ec2Waits: defaultEC2Waits()} }

// subnetProps are AWS::EC2::Subnet's properties.
type subnetProps struct {
	AvailabilityZone              *string
	AvailabilityZoneId            *string
	CidrBlock                     *string
	VpcId                         *string
	MapPublicIpOnLaunch           *bool
	AssignIpv6AddressOnCreation   *bool
	EnableDns64                   *bool
	PrivateDnsNameOptionsOnLaunch *types.PrivateDnsNameOptionsOnLaunch
	Tags                          []types.Tag
}

// subnetIPv6AndIPAM are the properties of features the emulated EC2 has
// no subnet support for.
var subnetIPv6AndIPAM = []string{"Ipv6CidrBlock", "Ipv6CidrBlocks", "Ipv6Native", "Ipv6IpamPoolId", "Ipv6NetmaskLength",
	"Ipv4IpamPoolId", "Ipv4NetmaskLength", "OutpostArn", "EnableLniAtDeviceIndex"}

func decodeSubnet(p map[string]any) (*subnetProps, error) {
	if err := unsupportedProps("AWS::EC2::Subnet", p, subnetIPv6AndIPAM...); err != nil {
		return nil, err
	}
	v := &subnetProps{}
	return v, props.Decode(p, v, subnetIPv6AndIPAM...)
}

// Create creates the subnet and sets its launch attributes.
func (p *Subnet) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeSubnet(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.CreateSubnet(cctx, &ec2.CreateSubnetInput{VpcId: v.VpcId, CidrBlock: v.CidrBlock,
		AvailabilityZone: v.AvailabilityZone, AvailabilityZoneId: v.AvailabilityZoneId,
		TagSpecifications: tagSpec(types.ResourceTypeSubnet, ec2Tags(req, v.Tags))})
	if err != nil {
		return nil, err
	}
	id := *out.Subnet.SubnetId
	if err := p.setAttributes(cctx, s, id, v, &subnetProps{}); err != nil {
		_, _ = s.DeleteSubnet(cctx, &ec2.DeleteSubnetInput{SubnetId: &id})
		return nil, err
	}
	return p.result(req.Region, id)
}

// setAttributes sets the launch attributes of v that differ from old's,
// one a call as EC2 wants them.
func (p *Subnet) setAttributes(ctx context.Context, s *ec2api.Store, id string, v, old *subnetProps) error {
	var calls []ec2.ModifySubnetAttributeInput
	flag := func(want, had *bool, set func(*ec2.ModifySubnetAttributeInput, *types.AttributeBooleanValue)) {
		if deref(want) != deref(had) {
			in := ec2.ModifySubnetAttributeInput{}
			set(&in, &types.AttributeBooleanValue{Value: ptr(deref(want))})
			calls = append(calls, in)
		}
	}
	flag(v.MapPublicIpOnLaunch, old.MapPublicIpOnLaunch, func(in *ec2.ModifySubnetAttributeInput, b *types.AttributeBooleanValue) { in.MapPublicIpOnLaunch = b })
	flag(v.AssignIpv6AddressOnCreation, old.AssignIpv6AddressOnCreation, func(in *ec2.ModifySubnetAttributeInput, b *types.AttributeBooleanValue) {
		in.AssignIpv6AddressOnCreation = b
	})
	flag(v.EnableDns64, old.EnableDns64, func(in *ec2.ModifySubnetAttributeInput, b *types.AttributeBooleanValue) { in.EnableDns64 = b })
	dns, oldDNS := dnsOptions(v.PrivateDnsNameOptionsOnLaunch), dnsOptions(old.PrivateDnsNameOptionsOnLaunch)
	flag(dns.EnableResourceNameDnsARecord, oldDNS.EnableResourceNameDnsARecord, func(in *ec2.ModifySubnetAttributeInput, b *types.AttributeBooleanValue) {
		in.EnableResourceNameDnsARecordOnLaunch = b
	})
	flag(dns.EnableResourceNameDnsAAAARecord, oldDNS.EnableResourceNameDnsAAAARecord, func(in *ec2.ModifySubnetAttributeInput, b *types.AttributeBooleanValue) {
		in.EnableResourceNameDnsAAAARecordOnLaunch = b
	})
	if dns.HostnameType != oldDNS.HostnameType {
		calls = append(calls, ec2.ModifySubnetAttributeInput{PrivateDnsHostnameTypeOnLaunch: dns.HostnameType})
	}
	for i := range calls {
		calls[i].SubnetId = &id
		if _, err := s.ModifySubnetAttribute(ctx, &calls[i]); err != nil {
			return err
		}
	}
	return nil
}

// dnsOptions are the private DNS name options with EC2's defaults (IP
// names, no records) where absent.
func dnsOptions(o *types.PrivateDnsNameOptionsOnLaunch) types.PrivateDnsNameOptionsOnLaunch {
	out := types.PrivateDnsNameOptionsOnLaunch{HostnameType: types.HostnameTypeIpName}
	if o != nil {
		out.EnableResourceNameDnsARecord, out.EnableResourceNameDnsAAAARecord = o.EnableResourceNameDnsARecord, o.EnableResourceNameDnsAAAARecord
		if o.HostnameType != "" {
			out.HostnameType = o.HostnameType
		}
	}
	return out
}

func (p *Subnet) result(region, id string) (*engine.Result, error) {
	sn, err := p.api.Subnet(region, id)
	if err != nil {
		return nil, err
	}
	v6 := []any{}
	for _, a := range sn.Ipv6CidrBlockAssociationSet {
		v6 = append(v6, deref(a.Ipv6CidrBlock))
	}
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{
		"SubnetId":                id,
		"VpcId":                   deref(sn.VpcId),
		"AvailabilityZone":        deref(sn.AvailabilityZone),
		"AvailabilityZoneId":      deref(sn.AvailabilityZoneId),
		"CidrBlock":               deref(sn.CidrBlock),
		"Ipv6CidrBlocks":          v6,
		"NetworkAclAssociationId": p.api.NetworkACLAssociation(region, id),
	}}, nil
}

// Update changes the launch attributes and the tags in place.
func (p *Subnet) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeSubnet(req.Properties)
	if err != nil {
		return nil, err
	}
	old, err := decodeSubnet(req.PreviousProperties)
	if err != nil {
		old = &subnetProps{}
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	if err := p.setAttributes(cctx, s, req.PhysicalID, v, old); err != nil {
		return nil, err
	}
	if err := retagFrom(cctx, s, req, req.PhysicalID); err != nil {
		return nil, err
	}
	return p.result(req.Region, req.PhysicalID)
}

// Delete deletes the subnet, waiting out interfaces still leaving it; one
// already gone is deleted.
func (p *Subnet) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	err := retryDependency(cctx, p.ec2Waits, func() error {
		_, err := s.DeleteSubnet(cctx, &ec2.DeleteSubnetInput{SubnetId: &req.PhysicalID})
		return err
	})
	if isCode(err, "InvalidSubnetID.NotFound") {
		return nil
	}
	return err
}

// Replaces follows the subnet's "Update requires: Replacement"
// properties.
func (p *Subnet) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "AvailabilityZone", "AvailabilityZoneId", "CidrBlock", "VpcId", "Ipv6Native",
		"OutpostArn", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Ipv6IpamPoolId", "Ipv6NetmaskLength")
}
