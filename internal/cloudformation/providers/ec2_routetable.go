package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// RouteTable is AWS::EC2::RouteTable: Ref is its ID; GetAtt RouteTableId.
type RouteTable struct {
	api *ec2api.API
	ec2Waits
}

// NewRouteTable returns the route table provider.
func NewRouteTable(api *ec2api.API) *RouteTable {
	return &RouteTable{api: api, ec2Waits: defaultEC2Waits()}
}

type routeTableProps struct {
	VpcId *string
	Tags  []types.Tag
}

func decodeRouteTable(p map[string]any) (*routeTableProps, error) {
	v := &routeTableProps{}
	return v, props.Decode(p, v)
}

// Create creates the table, with its local route, in the VPC.
func (p *RouteTable) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeRouteTable(req.Properties)
	if err != nil {
		return nil, err
	}
	out, err := p.api.Store(req.Region).CreateRouteTable(callCtx(ctx, req), &ec2.CreateRouteTableInput{VpcId: v.VpcId,
		TagSpecifications: tagSpec(types.ResourceTypeRouteTable, ec2Tags(req, v.Tags))})
	if err != nil {
		return nil, err
	}
	return idResult(*out.RouteTable.RouteTableId, "RouteTableId"), nil
}

// Update changes the tags.
func (p *RouteTable) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	if err := retagFrom(callCtx(ctx, req), p.api.Store(req.Region), req, req.PhysicalID); err != nil {
		return nil, err
	}
	return idResult(req.PhysicalID, "RouteTableId"), nil
}

// Delete deletes the table once its associations are gone; one already
// gone is deleted.
func (p *RouteTable) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	err := retryDependency(cctx, p.ec2Waits, func() error {
		_, err := s.DeleteRouteTable(cctx, &ec2.DeleteRouteTableInput{RouteTableId: &req.PhysicalID})
		return err
	})
	if isCode(err, "InvalidRouteTableID.NotFound") {
		return nil
	}
	return err
}

// Replaces: VpcId.
func (p *RouteTable) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "VpcId")
}
