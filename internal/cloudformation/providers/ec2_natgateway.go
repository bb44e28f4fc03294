package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// NatGateway is AWS::EC2::NatGateway: Ref is its ID; GetAtt NatGatewayId.
// Create waits until it is available and Delete until it is deleted, as
// CloudFormation does: its subnet and Elastic IP are in use until then.
type NatGateway struct {
	api *ec2api.API
	ec2Waits
}

// NewNatGateway returns the NAT gateway provider.
func NewNatGateway(api *ec2api.API) *NatGateway {
	return &NatGateway{api: api, ec2Waits: defaultEC2Waits()}
}

// natInput reads the properties, CreateNatGateway's parameters plus Tags
// and MaxDrainDurationSeconds (a delete-time setting: nothing drains
// here).
func natInput(req *engine.Request) (*ec2.CreateNatGatewayInput, error) {
	in := &ec2.CreateNatGatewayInput{}
	if err := props.Decode(req.Properties, in, "Tags", "MaxDrainDurationSeconds"); err != nil {
		return nil, err
	}
	tags, err := decodeTags(req.Properties)
	if err != nil {
		return nil, err
	}
	in.DryRun, in.ClientToken = nil, nil
	in.TagSpecifications = tagSpec(types.ResourceTypeNatgateway, ec2Tags(req, tags))
	return in, nil
}

// Create creates the gateway and waits for it.
func (p *NatGateway) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := natInput(req)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.CreateNatGateway(cctx, in)
	if err != nil {
		return nil, err
	}
	id := *out.NatGateway.NatGatewayId
	res := idResult(id, "NatGatewayId")
	err = untilDone(cctx, p.Poll, func() (bool, error) {
		n, err := p.describe(cctx, s, id)
		if err != nil || n == nil {
			return false, err
		}
		switch n.State {
		case types.NatGatewayStateAvailable:
			return true, nil
		case types.NatGatewayStateFailed, types.NatGatewayStateDeleted:
			return false, &engine.Failure{Message: "NAT gateway " + id + " went to " + string(n.State) + ": " + deref(n.FailureMessage)}
		}
		return false, nil
	})
	return res, err // made even when it failed: the rollback deletes it
}

// describe returns the gateway, nil when EC2 no longer knows it.
func (p *NatGateway) describe(ctx context.Context, s *ec2api.Store, id string) (*types.NatGateway, error) {
	out, err := s.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
	if isCode(err, "NatGatewayNotFound") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &out.NatGateways[0], nil
}

// Update changes the tags.
func (p *NatGateway) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	if err := retagFrom(callCtx(ctx, req), p.api.Store(req.Region), req, req.PhysicalID); err != nil {
		return nil, err
	}
	return idResult(req.PhysicalID, "NatGatewayId"), nil
}

// Delete deletes the gateway and waits until it is deleted; one already
// gone is deleted.
func (p *NatGateway) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	_, err := s.DeleteNatGateway(cctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &req.PhysicalID})
	if isCode(err, "NatGatewayNotFound") {
		return nil
	}
	if err != nil {
		return err
	}
	return untilDone(cctx, p.Poll, func() (bool, error) {
		n, err := p.describe(cctx, s, req.PhysicalID)
		return n == nil || n.State == types.NatGatewayStateDeleted, err
	})
}

// Replaces: every property but Tags and MaxDrainDurationSeconds. (The
// secondary address properties change in place on AWS; the emulated NAT
// gateway has no secondary addresses to assign, so they replace it.)
func (p *NatGateway) Replaces(oldProps, newProps map[string]any) bool {
	return changedExcept(oldProps, newProps, "Tags", "MaxDrainDurationSeconds")
}
