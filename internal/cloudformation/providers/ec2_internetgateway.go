package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// InternetGateway is AWS::EC2::InternetGateway: Ref is its ID; GetAtt
// InternetGatewayId. AWS::EC2::VPCGatewayAttachment attaches it.
type InternetGateway struct {
	api *ec2api.API
	ec2Waits
}

// NewInternetGateway returns the internet gateway provider.
func NewInternetGateway(api *ec2api.API) *InternetGateway {
	return &InternetGateway{api: api, ec2Waits: defaultEC2Waits()}
}

// Create creates a detached gateway.
func (p *InternetGateway) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	tags, err := decodeTagsOnly(req.Properties)
	if err != nil {
		return nil, err
	}
	out, err := p.api.Store(req.Region).CreateInternetGateway(callCtx(ctx, req), &ec2.CreateInternetGatewayInput{
		TagSpecifications: tagSpec(types.ResourceTypeInternetGateway, ec2Tags(req, tags))})
	if err != nil {
		return nil, err
	}
	return idResult(*out.InternetGateway.InternetGatewayId, "InternetGatewayId"), nil
}

// Update changes the tags.
func (p *InternetGateway) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	if err := retagFrom(callCtx(ctx, req), p.api.Store(req.Region), req, req.PhysicalID); err != nil {
		return nil, err
	}
	return idResult(req.PhysicalID, "InternetGatewayId"), nil
}

// Delete deletes the gateway once detached; one already gone is deleted.
func (p *InternetGateway) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	err := retryDependency(cctx, p.ec2Waits, func() error {
		_, err := s.DeleteInternetGateway(cctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: &req.PhysicalID})
		return err
	})
	if isCode(err, "InvalidInternetGatewayID.NotFound") {
		return nil
	}
	return err
}

// Replaces never: only Tags.
func (p *InternetGateway) Replaces(_, _ map[string]any) bool { return false }

// idResult is the result of a resource whose Ref is its ID and whose one
// attribute (named attr) is that ID again.
func idResult(id, attr string) *engine.Result {
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{attr: id}}
}

// decodeTagsOnly reads the properties of a type whose only property is
// Tags.
func decodeTagsOnly(p map[string]any) ([]types.Tag, error) {
	var v struct{ Tags []types.Tag }
	err := props.Decode(p, &v)
	return v.Tags, err
}
