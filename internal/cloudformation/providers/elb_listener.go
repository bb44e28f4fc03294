package providers

import (
	"context"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// Listener is AWS::ElasticLoadBalancingV2::Listener: Ref is the ARN,
// GetAtt ListenerArn.
type Listener struct{ api *elbv2.API }

// NewListener returns the listener provider.
func NewListener(api *elbv2.API) *Listener { return &Listener{api: api} }

func listenerInput(p map[string]any) (*elb.CreateListenerInput, []types.ListenerAttribute, error) {
	in := &elb.CreateListenerInput{}
	if err := props.Decode(p, in, "ListenerAttributes"); err != nil {
		return nil, nil, err
	}
	var w struct{ ListenerAttributes []types.ListenerAttribute }
	if err := props.Decode(map[string]any{"ListenerAttributes": p["ListenerAttributes"]}, &w); err != nil {
		return nil, nil, err
	}
	return in, w.ListenerAttributes, nil
}

// Create creates the listener with its default actions, certificates and
// attributes.
func (p *Listener) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, attrs, err := listenerInput(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.CreateListener(cctx, in)
	if err != nil {
		return nil, err
	}
	arn := out.Listeners[0].ListenerArn
	if err := p.attributes(cctx, s, arn, attrs); err != nil {
		_, _ = s.DeleteListener(cctx, &elb.DeleteListenerInput{ListenerArn: arn})
		return nil, err
	}
	return listenerResult(*arn), nil
}

func (p *Listener) attributes(ctx context.Context, s *elbv2.Store, arn *string, attrs []types.ListenerAttribute) error {
	if len(attrs) == 0 {
		return nil
	}
	_, err := s.ModifyListenerAttributes(ctx, &elb.ModifyListenerAttributesInput{ListenerArn: arn, Attributes: attrs})
	return err
}

func listenerResult(arn string) *engine.Result {
	return &engine.Result{PhysicalID: arn, Attributes: map[string]any{"ListenerArn": arn}}
}

// Update modifies port, protocol, actions, certificates and policies in
// place.
func (p *Listener) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, attrs, err := listenerInput(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	mod := &elb.ModifyListenerInput{ListenerArn: &req.PhysicalID, Port: in.Port, Protocol: in.Protocol,
		DefaultActions: in.DefaultActions, Certificates: in.Certificates, SslPolicy: in.SslPolicy,
		AlpnPolicy: in.AlpnPolicy, MutualAuthentication: in.MutualAuthentication}
	if _, err := s.ModifyListener(cctx, mod); err != nil {
		return nil, err
	}
	if err := p.attributes(cctx, s, &req.PhysicalID, attrs); err != nil {
		return nil, err
	}
	return listenerResult(req.PhysicalID), nil
}

// Delete deletes the listener; one already gone is deleted.
func (p *Listener) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.Store(req.Region).DeleteListener(callCtx(ctx, req), &elb.DeleteListenerInput{ListenerArn: &req.PhysicalID})
	if isCode(err, "ListenerNotFound") {
		return nil
	}
	return err
}

// Replaces: a listener cannot move to another load balancer.
func (p *Listener) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "LoadBalancerArn")
}
