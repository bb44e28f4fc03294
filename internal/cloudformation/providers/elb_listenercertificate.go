package providers

import (
	"context"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// ListenerCertificate is AWS::ElasticLoadBalancingV2::ListenerCertificate:
// extra certificates of an HTTPS listener (AddListenerCertificates). Its
// physical ID is generated; both properties need a replacement.
type ListenerCertificate struct{ api *elbv2.API }

// NewListenerCertificate returns the listener certificate provider.
func NewListenerCertificate(api *elbv2.API) *ListenerCertificate {
	return &ListenerCertificate{api: api}
}

// Create adds the certificates to the listener.
func (p *ListenerCertificate) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in := &elb.AddListenerCertificatesInput{}
	if err := props.Decode(req.Properties, in); err != nil {
		return nil, err
	}
	if _, err := p.api.Store(req.Region).AddListenerCertificates(callCtx(ctx, req), in); err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: props.PhysicalName(req.StackName, req.LogicalID, 255)}, nil
}

// Update has nothing to change: every property replaces.
func (p *ListenerCertificate) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	return &engine.Result{PhysicalID: req.PhysicalID}, nil
}

// Delete removes the certificates; a listener already gone is done.
func (p *ListenerCertificate) Delete(ctx context.Context, req *engine.Request) error {
	in := &elb.RemoveListenerCertificatesInput{}
	if err := props.Decode(req.Properties, in); err != nil || in.ListenerArn == nil {
		return err
	}
	_, err := p.api.Store(req.Region).RemoveListenerCertificates(callCtx(ctx, req), in)
	if isCode(err, "ListenerNotFound") {
		return nil
	}
	return err
}

// Replaces: any change.
func (p *ListenerCertificate) Replaces(oldProps, newProps map[string]any) bool {
	return changedExcept(oldProps, newProps)
}
