package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// GatewayAttachment is AWS::EC2::VPCGatewayAttachment of an internet
// gateway: Ref is "IGW|<vpc id>", as CloudFormation names the
// attachment; GetAtt AttachmentType and VpcId. Virtual private gateways
// are not emulated.
type GatewayAttachment struct {
	api *ec2api.API
	ec2Waits
}

// NewGatewayAttachment returns the gateway attachment provider.
func NewGatewayAttachment(api *ec2api.API) *GatewayAttachment {
	return &GatewayAttachment{api: api, ec2Waits: defaultEC2Waits()}
}

type attachmentProps struct {
	InternetGatewayId *string
	VpcId             *string
}

func decodeAttachment(p map[string]any) (*attachmentProps, error) {
	if err := unsupportedProps("AWS::EC2::VPCGatewayAttachment", p, "VpnGatewayId"); err != nil {
		return nil, err
	}
	v := &attachmentProps{}
	if err := props.Decode(p, v, "VpnGatewayId"); err != nil {
		return nil, err
	}
	if v.InternetGatewayId == nil {
		return nil, &engine.Failure{Message: "You must specify either InternetGatewayId or VpnGatewayId"}
	}
	return v, nil
}

// Create attaches the gateway to the VPC.
func (p *GatewayAttachment) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeAttachment(req.Properties)
	if err != nil {
		return nil, err
	}
	_, err = p.api.Store(req.Region).AttachInternetGateway(callCtx(ctx, req), &ec2.AttachInternetGatewayInput{
		InternetGatewayId: v.InternetGatewayId, VpcId: v.VpcId})
	if err != nil {
		return nil, err
	}
	return attachmentResult(deref(v.VpcId)), nil
}

func attachmentResult(vpc string) *engine.Result {
	return &engine.Result{PhysicalID: "IGW|" + vpc, Attributes: map[string]any{"AttachmentType": "IGW", "VpcId": vpc}}
}

// Update moves the VPC to another internet gateway: the old one is
// detached, the new one attached.
func (p *GatewayAttachment) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeAttachment(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	if old, err := decodeAttachment(req.PreviousProperties); err == nil && deref(old.InternetGatewayId) != deref(v.InternetGatewayId) {
		if err := p.detach(cctx, s, old); err != nil {
			return nil, err
		}
		if _, err := s.AttachInternetGateway(cctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: v.InternetGatewayId, VpcId: v.VpcId}); err != nil {
			return nil, err
		}
	}
	return attachmentResult(deref(v.VpcId)), nil
}

// detach detaches a gateway, waiting out addresses still mapped in the
// VPC; one no longer attached (or gone) is detached.
func (p *GatewayAttachment) detach(ctx context.Context, s *ec2api.Store, v *attachmentProps) error {
	err := retryDependency(ctx, p.ec2Waits, func() error {
		_, err := s.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: v.InternetGatewayId, VpcId: v.VpcId})
		return err
	})
	if isCode(err, "Gateway.NotAttached", "InvalidInternetGatewayID.NotFound", "InvalidVpcID.NotFound") {
		return nil
	}
	return err
}

// Delete detaches the gateway.
func (p *GatewayAttachment) Delete(ctx context.Context, req *engine.Request) error {
	m := req.PreviousProperties
	if m == nil {
		m = req.Properties
	}
	v, err := decodeAttachment(m)
	if err != nil {
		return err
	}
	return p.detach(callCtx(ctx, req), p.api.Store(req.Region), v)
}

// Replaces: VpcId.
func (p *GatewayAttachment) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "VpcId")
}
