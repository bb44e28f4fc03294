package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// ECSCluster is AWS::ECS::Cluster: Ref is the cluster name, GetAtt Arn.
type ECSCluster struct{ api *ecsapi.API }

// NewECSCluster returns the AWS::ECS::Cluster provider.
func NewECSCluster(api *ecsapi.API) *ECSCluster { return &ECSCluster{api: api} }

// clusterInput decodes the properties; CloudFormation calls the settings
// ClusterSettings where the API says settings.
func clusterInput(p map[string]any) (*ecs.CreateClusterInput, error) {
	in := &ecs.CreateClusterInput{}
	if err := props.Decode(p, in, "ClusterSettings"); err != nil {
		return nil, err
	}
	if s, ok := p["ClusterSettings"]; ok {
		var w struct{ Settings []types.ClusterSetting }
		if err := props.Decode(map[string]any{"Settings": s}, &w); err != nil {
			return nil, err
		}
		in.Settings = w.Settings
	}
	return in, nil
}

// Create creates the cluster, named after the stack when unnamed.
func (p *ECSCluster) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := clusterInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if in.ClusterName == nil {
		in.ClusterName = ptr(props.PhysicalName(req.StackName, req.LogicalID, 255))
	}
	in.Tags = stackTags(req, in.Tags, func(t types.Tag) string { return deref(t.Key) },
		func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} })
	out, err := p.api.Store(req.Region).CreateCluster(callCtx(ctx, req), in)
	if err != nil {
		return nil, err
	}
	return clusterResult(out.Cluster), nil
}

func clusterResult(c *types.Cluster) *engine.Result {
	name := deref(c.ClusterName)
	return &engine.Result{PhysicalID: name, Attributes: map[string]any{"Arn": deref(c.ClusterArn)}}
}

// Update applies settings, configuration, Service Connect defaults and
// capacity providers in place.
func (p *ECSCluster) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := clusterInput(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	upd := &ecs.UpdateClusterInput{Cluster: &req.PhysicalID, Settings: in.Settings,
		Configuration: in.Configuration, ServiceConnectDefaults: in.ServiceConnectDefaults}
	out, err := s.UpdateCluster(cctx, upd)
	if err != nil {
		return nil, err
	}
	if anyChanged(req.PreviousProperties, req.Properties, "CapacityProviders", "DefaultCapacityProviderStrategy") {
		put := &ecs.PutClusterCapacityProvidersInput{Cluster: &req.PhysicalID,
			CapacityProviders: nonNil(in.CapacityProviders), DefaultCapacityProviderStrategy: nonNil(in.DefaultCapacityProviderStrategy)}
		if _, err := s.PutClusterCapacityProviders(cctx, put); err != nil {
			return nil, err
		}
	}
	return clusterResult(out.Cluster), nil
}

// Delete deletes the cluster; one already gone is deleted.
func (p *ECSCluster) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.Store(req.Region).DeleteCluster(callCtx(ctx, req), &ecs.DeleteClusterInput{Cluster: &req.PhysicalID})
	if isCode(err, "ClusterNotFoundException") {
		return nil
	}
	return err
}

// Replaces: only a new ClusterName replaces the cluster.
func (p *ECSCluster) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "ClusterName")
}

// nonNil turns nil into an empty list: PutClusterCapacityProviders
// requires both lists, empty meaning "none".
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
