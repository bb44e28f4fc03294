package providers

import (
	"context"
	"time"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// CloudMapInstance is AWS::ServiceDiscovery::Instance: Ref is the
// instance ID. Every property change replaces it.
type CloudMapInstance struct {
	api *servicediscovery.API
	// Poll is the interval between looks at the operation.
	Poll time.Duration
}

// NewCloudMapInstance returns the Cloud Map instance provider.
func NewCloudMapInstance(api *servicediscovery.API) *CloudMapInstance {
	return &CloudMapInstance{api: api, Poll: pollInterval}
}

// instanceInput decodes the properties; CloudFormation calls the
// attributes InstanceAttributes.
func instanceInput(p map[string]any) (*sd.RegisterInstanceInput, error) {
	in := &sd.RegisterInstanceInput{}
	if err := props.Decode(p, in, "InstanceAttributes"); err != nil {
		return nil, err
	}
	var w struct{ Attributes map[string]string }
	if err := props.Decode(map[string]any{"Attributes": p["InstanceAttributes"]}, &w); err != nil {
		return nil, err
	}
	in.Attributes = w.Attributes
	return in, nil
}

// Create registers the instance and waits for the operation.
func (p *CloudMapInstance) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := instanceInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if in.InstanceId == nil {
		in.InstanceId = ptr(props.PhysicalName(req.StackName, req.LogicalID, 64))
	}
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	out, err := s.RegisterInstance(cctx, in)
	if err != nil {
		return nil, err
	}
	if _, err := waitOperation(cctx, s, deref(out.OperationId), p.Poll); err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: *in.InstanceId}, nil
}

// Update has nothing to change: every property replaces.
func (p *CloudMapInstance) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	return &engine.Result{PhysicalID: req.PhysicalID}, nil
}

// Delete deregisters the instance; one (or a service) already gone is
// deleted.
func (p *CloudMapInstance) Delete(ctx context.Context, req *engine.Request) error {
	service := str(req.Properties, "ServiceId")
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	out, err := s.DeregisterInstance(cctx, &sd.DeregisterInstanceInput{ServiceId: &service, InstanceId: &req.PhysicalID})
	if isCode(err, "InstanceNotFound", "ServiceNotFound") {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = waitOperation(cctx, s, deref(out.OperationId), p.Poll)
	return err
}

// Replaces: any change.
func (p *CloudMapInstance) Replaces(oldProps, newProps map[string]any) bool {
	return changedExcept(oldProps, newProps)
}
