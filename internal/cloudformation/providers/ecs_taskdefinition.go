package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// ECSTaskDefinition is AWS::ECS::TaskDefinition: Ref is the revision's
// ARN, GetAtt TaskDefinitionArn. Task definitions are immutable, so every
// property change but Tags registers a new revision (a replacement) and
// the old one is deregistered when CloudFormation deletes it.
type ECSTaskDefinition struct{ api *ecsapi.API }

// NewECSTaskDefinition returns the AWS::ECS::TaskDefinition provider.
func NewECSTaskDefinition(api *ecsapi.API) *ECSTaskDefinition {
	return &ECSTaskDefinition{api: api}
}

// Create registers a revision, the family named after the stack when the
// template names none.
func (p *ECSTaskDefinition) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in := &ecs.RegisterTaskDefinitionInput{}
	if err := props.Decode(req.Properties, in); err != nil {
		return nil, err
	}
	if in.Family == nil {
		in.Family = ptr(props.PhysicalName(req.StackName, req.LogicalID, 255))
	}
	in.Tags = stackTags(req, in.Tags, func(t types.Tag) string { return deref(t.Key) },
		func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} })
	out, err := p.api.Store(req.Region).RegisterTaskDefinition(callCtx(ctx, req), in)
	if err != nil {
		return nil, err
	}
	arn := deref(out.TaskDefinition.TaskDefinitionArn)
	return &engine.Result{PhysicalID: arn, Attributes: map[string]any{"TaskDefinitionArn": arn}}, nil
}

// Update only happens for Tags; the revision stays.
func (p *ECSTaskDefinition) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in := &ecs.RegisterTaskDefinitionInput{}
	if err := props.Decode(req.Properties, in); err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	if len(in.Tags) > 0 {
		if _, err := s.TagResource(cctx, &ecs.TagResourceInput{ResourceArn: &req.PhysicalID, Tags: in.Tags}); err != nil {
			return nil, err
		}
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"TaskDefinitionArn": req.PhysicalID}}, nil
}

// Delete deregisters the revision; an unknown or already inactive one is
// deleted.
func (p *ECSTaskDefinition) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.Store(req.Region).DeregisterTaskDefinition(callCtx(ctx, req),
		&ecs.DeregisterTaskDefinitionInput{TaskDefinition: &req.PhysicalID})
	if isCode(err, "ClientException") {
		return nil
	}
	return err
}

// Replaces: any change but Tags.
func (p *ECSTaskDefinition) Replaces(oldProps, newProps map[string]any) bool {
	return changedExcept(oldProps, newProps, "Tags")
}
