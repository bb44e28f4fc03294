package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// Route is AWS::EC2::Route, one route of a table to an internet or NAT
// gateway, an interface, an endpoint or another target: Ref is
// "<route table id>|<destination>", as CloudFormation names it; GetAtt
// CidrBlock.
type Route struct{ api *ec2api.API }

// NewRoute returns the route provider.
func NewRoute(api *ec2api.API) *Route { return &Route{api: api} }

// routeInput reads the properties, which are CreateRoute's parameters
// (DryRun aside, which is no property).
func routeInput(p map[string]any) (*ec2.CreateRouteInput, error) {
	if _, ok := p["DryRun"]; ok {
		return nil, &props.Error{Message: "Encountered unsupported property DryRun"}
	}
	in := &ec2.CreateRouteInput{}
	return in, props.Decode(p, in)
}

func routeDestination(in *ec2.CreateRouteInput) string {
	switch {
	case in.DestinationCidrBlock != nil:
		return *in.DestinationCidrBlock
	case in.DestinationIpv6CidrBlock != nil:
		return *in.DestinationIpv6CidrBlock
	}
	return deref(in.DestinationPrefixListId)
}

func routeResult(in *ec2.CreateRouteInput) *engine.Result {
	return &engine.Result{PhysicalID: deref(in.RouteTableId) + "|" + routeDestination(in),
		Attributes: map[string]any{"CidrBlock": deref(in.DestinationCidrBlock)}}
}

// Create adds the route.
func (p *Route) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := routeInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if _, err := p.api.Store(req.Region).CreateRoute(callCtx(ctx, req), in); err != nil {
		return nil, err
	}
	return routeResult(in), nil
}

// Update points the route at its new target.
func (p *Route) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := routeInput(req.Properties)
	if err != nil {
		return nil, err
	}
	_, err = p.api.Store(req.Region).ReplaceRoute(callCtx(ctx, req), &ec2.ReplaceRouteInput{
		RouteTableId: in.RouteTableId, DestinationCidrBlock: in.DestinationCidrBlock,
		DestinationIpv6CidrBlock: in.DestinationIpv6CidrBlock, DestinationPrefixListId: in.DestinationPrefixListId,
		CarrierGatewayId: in.CarrierGatewayId, CoreNetworkArn: in.CoreNetworkArn, EgressOnlyInternetGatewayId: in.EgressOnlyInternetGatewayId,
		GatewayId: in.GatewayId, InstanceId: in.InstanceId, LocalGatewayId: in.LocalGatewayId, NatGatewayId: in.NatGatewayId,
		NetworkInterfaceId: in.NetworkInterfaceId, OdbNetworkArn: in.OdbNetworkArn, TransitGatewayId: in.TransitGatewayId,
		VpcEndpointId: in.VpcEndpointId, VpcPeeringConnectionId: in.VpcPeeringConnectionId,
	})
	if err != nil {
		return nil, err
	}
	return routeResult(in), nil
}

// Delete removes the route; one already gone, or whose table is, is
// deleted.
func (p *Route) Delete(ctx context.Context, req *engine.Request) error {
	m := req.PreviousProperties
	if m == nil {
		m = req.Properties
	}
	in, err := routeInput(m)
	if err != nil {
		return err
	}
	_, err = p.api.Store(req.Region).DeleteRoute(callCtx(ctx, req), &ec2.DeleteRouteInput{RouteTableId: in.RouteTableId,
		DestinationCidrBlock: in.DestinationCidrBlock, DestinationIpv6CidrBlock: in.DestinationIpv6CidrBlock,
		DestinationPrefixListId: in.DestinationPrefixListId})
	if isCode(err, "InvalidRoute.NotFound", "InvalidRouteTableID.NotFound") {
		return nil
	}
	return err
}

// Replaces: the table and the destination; a new target is an update.
func (p *Route) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId")
}
