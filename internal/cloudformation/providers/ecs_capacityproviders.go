package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// ECSCapacityProviderAssociations is
// AWS::ECS::ClusterCapacityProviderAssociations: it sets a cluster's
// capacity providers and default strategy (PutClusterCapacityProviders);
// Ref is the cluster name.
type ECSCapacityProviderAssociations struct{ api *ecsapi.API }

// NewECSCapacityProviderAssociations returns the provider.
func NewECSCapacityProviderAssociations(api *ecsapi.API) *ECSCapacityProviderAssociations {
	return &ECSCapacityProviderAssociations{api: api}
}

func (p *ECSCapacityProviderAssociations) put(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in := &ecs.PutClusterCapacityProvidersInput{}
	if err := props.Decode(req.Properties, in); err != nil {
		return nil, err
	}
	in.CapacityProviders = nonNil(in.CapacityProviders)
	in.DefaultCapacityProviderStrategy = nonNil(in.DefaultCapacityProviderStrategy)
	if _, err := p.api.Store(req.Region).PutClusterCapacityProviders(callCtx(ctx, req), in); err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: deref(in.Cluster)}, nil
}

// Create associates the capacity providers.
func (p *ECSCapacityProviderAssociations) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	return p.put(ctx, req)
}

// Update replaces the associations in place.
func (p *ECSCapacityProviderAssociations) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	return p.put(ctx, req)
}

// Delete clears the cluster's capacity providers; a cluster already gone
// is done.
func (p *ECSCapacityProviderAssociations) Delete(ctx context.Context, req *engine.Request) error {
	in := &ecs.PutClusterCapacityProvidersInput{Cluster: &req.PhysicalID,
		CapacityProviders: []string{}, DefaultCapacityProviderStrategy: nonNil[types.CapacityProviderStrategyItem](nil)}
	_, err := p.api.Store(req.Region).PutClusterCapacityProviders(callCtx(ctx, req), in)
	if isCode(err, "ClusterNotFoundException") {
		return nil
	}
	return err
}

// Replaces: a different Cluster is a new association.
func (p *ECSCapacityProviderAssociations) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "Cluster")
}
