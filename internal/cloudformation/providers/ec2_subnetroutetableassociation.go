package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// SubnetRouteTableAssociation is AWS::EC2::SubnetRouteTableAssociation:
// Ref and GetAtt Id are the association ID.
type SubnetRouteTableAssociation struct{ api *ec2api.API }

// NewSubnetRouteTableAssociation returns the association provider.
func NewSubnetRouteTableAssociation(api *ec2api.API) *SubnetRouteTableAssociation {
	return &SubnetRouteTableAssociation{api: api}
}

type associationProps struct{ RouteTableId, SubnetId *string }

func decodeAssociation(p map[string]any) (*associationProps, error) {
	v := &associationProps{}
	return v, props.Decode(p, v)
}

// Create associates the table with the subnet. A subnet already
// associated elsewhere is moved (ReplaceRouteTableAssociation): that is
// how a replacement with a new RouteTableId comes about, the new
// association made before the old one is deleted, and why the association
// ID changes with the table.
func (p *SubnetRouteTableAssociation) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeAssociation(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.AssociateRouteTable(cctx, &ec2.AssociateRouteTableInput{RouteTableId: v.RouteTableId, SubnetId: v.SubnetId})
	if isCode(err, "Resource.AlreadyAssociated") {
		return p.move(cctx, s, deref(v.SubnetId), v.RouteTableId)
	}
	if err != nil {
		return nil, err
	}
	return idResult(*out.AssociationId, "Id"), nil
}

// move replaces the subnet's current association with one to table.
func (p *SubnetRouteTableAssociation) move(ctx context.Context, s *ec2api.Store, subnet string, table *string) (*engine.Result, error) {
	tables, err := s.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{{Name: ptr("association.subnet-id"), Values: []string{subnet}}}})
	if err != nil {
		return nil, err
	}
	for _, t := range tables.RouteTables {
		for _, a := range t.Associations {
			if deref(a.SubnetId) != subnet {
				continue
			}
			out, err := s.ReplaceRouteTableAssociation(ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: a.RouteTableAssociationId, RouteTableId: table})
			if err != nil {
				return nil, err
			}
			return idResult(*out.NewAssociationId, "Id"), nil
		}
	}
	return nil, &engine.Failure{Message: "the association of subnet " + subnet + " vanished while it was being replaced"}
}

// Update has nothing to change: both properties replace the association.
func (p *SubnetRouteTableAssociation) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	return idResult(req.PhysicalID, "Id"), nil
}

// Delete disassociates; an association already gone (or replaced) is
// deleted.
func (p *SubnetRouteTableAssociation) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.Store(req.Region).DisassociateRouteTable(callCtx(ctx, req), &ec2.DisassociateRouteTableInput{AssociationId: &req.PhysicalID})
	if isCode(err, "InvalidAssociationID.NotFound") {
		return nil
	}
	return err
}

// Replaces: both properties.
func (p *SubnetRouteTableAssociation) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "RouteTableId", "SubnetId")
}
