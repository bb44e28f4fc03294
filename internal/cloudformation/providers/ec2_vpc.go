package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// VPC is AWS::EC2::VPC: Ref is the VPC ID; GetAtt CidrBlock,
// CidrBlockAssociations, DefaultNetworkAcl, DefaultSecurityGroup,
// Ipv6CidrBlocks and VpcId.
type VPC struct {
	api *ec2api.API
	ec2Waits
}

// NewVPC returns the VPC provider.
func NewVPC(api *ec2api.API) *VPC { return &VPC{api: api, ec2Waits: defaultEC2Waits()} }

// vpcProps are AWS::EC2::VPC's properties.
type vpcProps struct {
	CidrBlock          *string
	EnableDnsHostnames *bool
	EnableDnsSupport   *bool
	InstanceTenancy    types.Tenancy
	Ipv4IpamPoolId     *string
	Ipv4NetmaskLength  *int32
	Tags               []types.Tag
}

func decodeVPC(p map[string]any) (*vpcProps, error) {
	if err := unsupportedProps("AWS::EC2::VPC", p, "Ipv4IpamPoolId", "Ipv4NetmaskLength"); err != nil {
		return nil, err
	}
	v := &vpcProps{}
	return v, props.Decode(p, v)
}

// Create creates the VPC and sets its DNS attributes.
func (p *VPC) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeVPC(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.CreateVpc(cctx, &ec2.CreateVpcInput{CidrBlock: v.CidrBlock, InstanceTenancy: v.InstanceTenancy,
		TagSpecifications: tagSpec(types.ResourceTypeVpc, ec2Tags(req, v.Tags))})
	if err != nil {
		return nil, err
	}
	id := *out.Vpc.VpcId
	if err := p.setDNS(cctx, s, id, v); err != nil {
		_, _ = s.DeleteVpc(cctx, &ec2.DeleteVpcInput{VpcId: &id})
		return nil, err
	}
	return p.result(req.Region, id)
}

// dnsAttribute is one of the VPC's DNS attributes: how to read it from
// DescribeVpcAttribute and set it with ModifyVpcAttribute.
type dnsAttribute struct {
	name types.VpcAttributeName
	get  func(*ec2.DescribeVpcAttributeOutput) *types.AttributeBooleanValue
	set  func(*ec2.ModifyVpcAttributeInput, *types.AttributeBooleanValue)
}

var dnsAttributes = []dnsAttribute{
	{types.VpcAttributeNameEnableDnsSupport,
		func(o *ec2.DescribeVpcAttributeOutput) *types.AttributeBooleanValue { return o.EnableDnsSupport },
		func(in *ec2.ModifyVpcAttributeInput, v *types.AttributeBooleanValue) { in.EnableDnsSupport = v }},
	{types.VpcAttributeNameEnableDnsHostnames,
		func(o *ec2.DescribeVpcAttributeOutput) *types.AttributeBooleanValue { return o.EnableDnsHostnames },
		func(in *ec2.ModifyVpcAttributeInput, v *types.AttributeBooleanValue) { in.EnableDnsHostnames = v }},
}

// setDNS gives the VPC the DNS attributes the properties ask for (EC2's
// defaults, support on and hostnames off, where they are absent), reading
// what it has and changing only what differs, one attribute a call as EC2
// wants them.
func (p *VPC) setDNS(ctx context.Context, s *ec2api.Store, id string, v *vpcProps) error {
	want := []bool{v.EnableDnsSupport == nil || *v.EnableDnsSupport, deref(v.EnableDnsHostnames)}
	for i, a := range dnsAttributes {
		cur, err := s.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: &id, Attribute: a.name})
		if err != nil {
			return err
		}
		if have := a.get(cur); have != nil && deref(have.Value) == want[i] {
			continue
		}
		in := &ec2.ModifyVpcAttributeInput{VpcId: &id}
		a.set(in, &types.AttributeBooleanValue{Value: &want[i]})
		if _, err := s.ModifyVpcAttribute(ctx, in); err != nil {
			return err
		}
	}
	return nil
}

func (p *VPC) result(region, id string) (*engine.Result, error) {
	v, err := p.api.Vpc(region, id)
	if err != nil {
		return nil, err
	}
	assocs, v6 := []any{}, []any{}
	for _, a := range v.CidrBlockAssociationSet {
		assocs = append(assocs, deref(a.AssociationId))
	}
	for _, a := range v.Ipv6CidrBlockAssociationSet {
		v6 = append(v6, deref(a.Ipv6CidrBlock))
	}
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{
		"VpcId":                 id,
		"CidrBlock":             deref(v.CidrBlock),
		"CidrBlockAssociations": assocs,
		"Ipv6CidrBlocks":        v6,
		"DefaultSecurityGroup":  p.api.DefaultSecurityGroup(region, id),
		"DefaultNetworkAcl":     p.api.DefaultNetworkACL(region, id),
	}}, nil
}

// Update changes the DNS attributes and the tags in place.
func (p *VPC) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeVPC(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	if err := p.setDNS(cctx, s, req.PhysicalID, v); err != nil {
		return nil, err
	}
	if err := retagFrom(cctx, s, req, req.PhysicalID); err != nil {
		return nil, err
	}
	return p.result(req.Region, req.PhysicalID)
}

// Delete deletes the VPC, waiting out what is still leaving it; one
// already gone is deleted.
func (p *VPC) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	err := retryDependency(cctx, p.ec2Waits, func() error {
		_, err := s.DeleteVpc(cctx, &ec2.DeleteVpcInput{VpcId: &req.PhysicalID})
		return err
	})
	if isCode(err, "InvalidVpcID.NotFound") {
		return nil
	}
	return err
}

// Replaces: CidrBlock and the IPAM properties. A change of
// InstanceTenancy replaces the VPC too: CloudFormation modifies it in
// place only from dedicated to default, through ModifyVpcTenancy, which
// is not emulated.
func (p *VPC) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "CidrBlock", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "InstanceTenancy")
}
