package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// EIP is AWS::EC2::EIP, an Elastic IP (VPC domain), associated with an
// instance when InstanceId is set: Ref is the public address, which is
// also its physical ID; GetAtt AllocationId and PublicIp.
type EIP struct {
	api *ec2api.API
	ec2Waits
}

// NewEIP returns the Elastic IP provider.
func NewEIP(api *ec2api.API) *EIP { return &EIP{api: api, ec2Waits: defaultEC2Waits()} }

type eipProps struct {
	Domain             types.DomainType
	InstanceId         *string
	NetworkBorderGroup *string
	PublicIpv4Pool     *string
	Tags               []types.Tag
}

// eipUnsupported are the properties of BYOIP, IPAM and address transfers.
var eipUnsupported = []string{"Address", "IpamPoolId", "TransferAddress"}

func decodeEIP(p map[string]any) (*eipProps, error) {
	if err := unsupportedProps("AWS::EC2::EIP", p, eipUnsupported...); err != nil {
		return nil, err
	}
	v := &eipProps{}
	return v, props.Decode(p, v, eipUnsupported...)
}

// Create allocates the address and associates it.
func (p *EIP) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeEIP(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.AllocateAddress(cctx, &ec2.AllocateAddressInput{Domain: v.Domain, NetworkBorderGroup: v.NetworkBorderGroup,
		PublicIpv4Pool: v.PublicIpv4Pool, TagSpecifications: tagSpec(types.ResourceTypeElasticIp, ec2Tags(req, v.Tags))})
	if err != nil {
		return nil, err
	}
	res := eipResult(*out.PublicIp, *out.AllocationId)
	if v.InstanceId != nil {
		if _, err := s.AssociateAddress(cctx, &ec2.AssociateAddressInput{AllocationId: out.AllocationId, InstanceId: v.InstanceId}); err != nil {
			_, _ = s.ReleaseAddress(cctx, &ec2.ReleaseAddressInput{AllocationId: out.AllocationId})
			return nil, err
		}
	}
	return res, nil
}

func eipResult(ip, alloc string) *engine.Result {
	return &engine.Result{PhysicalID: ip, Attributes: map[string]any{"AllocationId": alloc, "PublicIp": ip}}
}

// address finds the Elastic IP of the resource, nil when it is gone.
func (p *EIP) address(ctx context.Context, s *ec2api.Store, ip string) (*types.Address, error) {
	out, err := s.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{PublicIps: []string{ip}})
	if isCode(err, "InvalidAddress.NotFound") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &out.Addresses[0], nil
}

// Update moves the address to its new instance (or off its old one) and
// changes the tags.
func (p *EIP) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeEIP(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	a, err := p.address(cctx, s, req.PhysicalID)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, &engine.Failure{Message: "Elastic IP " + req.PhysicalID + " no longer exists"}
	}
	if deref(a.InstanceId) != deref(v.InstanceId) {
		if a.AssociationId != nil {
			if _, err := s.DisassociateAddress(cctx, &ec2.DisassociateAddressInput{AssociationId: a.AssociationId}); err != nil {
				return nil, err
			}
		}
		if v.InstanceId != nil {
			if _, err := s.AssociateAddress(cctx, &ec2.AssociateAddressInput{AllocationId: a.AllocationId, InstanceId: v.InstanceId}); err != nil {
				return nil, err
			}
		}
	}
	if err := retagFrom(cctx, s, req, *a.AllocationId); err != nil {
		return nil, err
	}
	return eipResult(req.PhysicalID, *a.AllocationId), nil
}

// Delete takes the address off its instance and releases it, waiting
// while a NAT gateway being deleted still holds it; one already released
// is deleted.
func (p *EIP) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	a, err := p.address(cctx, s, req.PhysicalID)
	if err != nil || a == nil {
		return err
	}
	if a.InstanceId != nil && a.AssociationId != nil {
		if _, err := s.DisassociateAddress(cctx, &ec2.DisassociateAddressInput{AssociationId: a.AssociationId}); err != nil {
			return err
		}
	}
	err = retryDependency(cctx, p.ec2Waits, func() error {
		_, err := s.ReleaseAddress(cctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId})
		return err
	})
	if isCode(err, "InvalidAllocationID.NotFound") {
		return nil
	}
	return err
}

// Replaces: Domain, NetworkBorderGroup, PublicIpv4Pool and the address
// properties; InstanceId and Tags change in place.
func (p *EIP) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "Domain", "NetworkBorderGroup", "PublicIpv4Pool", "Address", "IpamPoolId", "TransferAddress")
}
