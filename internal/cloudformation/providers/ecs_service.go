package providers

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// ECSService is AWS::ECS::Service: Ref is the service ARN, GetAtt Name and
// ServiceArn. Like CloudFormation it returns from Create and Update only
// once the service is stable, and from Delete once it is INACTIVE.
type ECSService struct {
	api *ecsapi.API
	// Poll is the interval between looks at the service.
	Poll time.Duration
}

// NewECSService returns the AWS::ECS::Service provider.
func NewECSService(api *ecsapi.API) *ECSService { return &ECSService{api: api, Poll: pollInterval} }

// serviceSkipped are CloudFormation properties without a CreateService
// member of the same name.
var serviceSkipped = []string{"PlacementStrategies", "ForceNewDeployment"}

func serviceInput(p map[string]any) (*ecs.CreateServiceInput, error) {
	in := &ecs.CreateServiceInput{}
	if err := props.Decode(p, in, serviceSkipped...); err != nil {
		return nil, err
	}
	if v, ok := p["PlacementStrategies"]; ok {
		var w struct{ PlacementStrategy []types.PlacementStrategy }
		if err := props.Decode(map[string]any{"PlacementStrategy": v}, &w); err != nil {
			return nil, err
		}
		in.PlacementStrategy = w.PlacementStrategy
	}
	return in, nil
}

// Create creates the service and waits until it is stable.
func (p *ECSService) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := serviceInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if in.ServiceName == nil {
		in.ServiceName = ptr(props.PhysicalName(req.StackName, req.LogicalID, 255))
	}
	in.Tags = stackTags(req, in.Tags, func(t types.Tag) string { return deref(t.Key) },
		func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} })
	out, err := p.api.Store(req.Region).CreateService(callCtx(ctx, req), in)
	if err != nil {
		return nil, err
	}
	arn := deref(out.Service.ServiceArn)
	if req.Created != nil {
		req.Created(arn)
	}
	if err := p.waitStable(ctx, req, arn, deref(out.Service.CurrentServiceDeployment)); err != nil {
		return nil, err
	}
	return serviceResult(out.Service), nil
}

func serviceResult(svc *types.Service) *engine.Result {
	arn := deref(svc.ServiceArn)
	return &engine.Result{PhysicalID: arn, Attributes: map[string]any{"Name": deref(svc.ServiceName), "ServiceArn": arn}}
}

// Update changes the service in place (UpdateService) and waits until it
// is stable again.
func (p *ECSService) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := serviceInput(req.Properties)
	if err != nil {
		return nil, err
	}
	cluster, _ := serviceARNParts(req.PhysicalID)
	upd := &ecs.UpdateServiceInput{
		Cluster: &cluster, Service: &req.PhysicalID,
		DesiredCount: in.DesiredCount, TaskDefinition: in.TaskDefinition,
		DeploymentConfiguration: in.DeploymentConfiguration, PlatformVersion: in.PlatformVersion,
		HealthCheckGracePeriodSeconds: in.HealthCheckGracePeriodSeconds,
		EnableExecuteCommand:          ptr(in.EnableExecuteCommand), EnableECSManagedTags: ptr(in.EnableECSManagedTags),
		PropagateTags: in.PropagateTags, CapacityProviderStrategy: in.CapacityProviderStrategy,
		ServiceConnectConfiguration: in.ServiceConnectConfiguration, VolumeConfigurations: in.VolumeConfigurations,
		AvailabilityZoneRebalancing: in.AvailabilityZoneRebalancing,
	}
	// Lists the template dropped are emptied; unchanged ones are left
	// alone so that an unchanged update starts no deployment for them.
	// The network configuration too starts a deployment whenever it is
	// sent: an update rollback after the circuit breaker rolled the
	// service back would replace the tasks that still serve.
	old, nw := req.PreviousProperties, req.Properties
	if anyChanged(old, nw, "NetworkConfiguration") {
		upd.NetworkConfiguration = in.NetworkConfiguration
	}
	if anyChanged(old, nw, "LoadBalancers") {
		upd.LoadBalancers = nonNil(in.LoadBalancers)
	}
	if anyChanged(old, nw, "PlacementConstraints") {
		upd.PlacementConstraints = nonNil(in.PlacementConstraints)
	}
	if anyChanged(old, nw, "PlacementStrategies") {
		upd.PlacementStrategy = nonNil(in.PlacementStrategy)
	}
	before, err := p.describe(callCtx(ctx, req), req.Region, req.PhysicalID)
	if err != nil {
		return nil, err
	}
	out, err := p.api.Store(req.Region).UpdateService(callCtx(ctx, req), upd)
	if err != nil {
		return nil, err
	}
	// Only a deployment this update started is watched: one that an
	// earlier update left (rolled back, say) is not this update's failure.
	started := deref(out.Service.CurrentServiceDeployment)
	if before != nil && deref(before.CurrentServiceDeployment) == started {
		started = ""
	}
	if err := p.waitStable(ctx, req, req.PhysicalID, started); err != nil {
		return nil, err
	}
	return serviceResult(out.Service), nil
}

// Delete scales the service to zero, deletes it and waits until it is
// INACTIVE. A service already gone is deleted.
func (p *ECSService) Delete(ctx context.Context, req *engine.Request) error {
	cluster, _ := serviceARNParts(req.PhysicalID)
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	_, err := s.UpdateService(cctx, &ecs.UpdateServiceInput{Cluster: &cluster, Service: &req.PhysicalID, DesiredCount: ptr(int32(0))})
	if isGone(err) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.DeleteService(cctx, &ecs.DeleteServiceInput{Cluster: &cluster, Service: &req.PhysicalID, Force: ptr(true)})
	if isGone(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for {
		svc, err := p.describe(cctx, req.Region, req.PhysicalID)
		if err != nil || svc == nil || deref(svc.Status) == "INACTIVE" {
			return err
		}
		if err := sleep(ctx, p.Poll); err != nil {
			return err
		}
	}
}

func isGone(err error) bool {
	return isCode(err, "ServiceNotFoundException", "ServiceNotActiveException", "ClusterNotFoundException")
}

// Replaces follows the "Update requires: Replacement" properties of
// AWS::ECS::Service.
func (p *ECSService) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "ServiceName", "Cluster", "LaunchType", "Role",
		"ServiceRegistries", "SchedulingStrategy", "DeploymentController")
}

// describe returns the service, or nil when ECS reports it missing.
func (p *ECSService) describe(ctx context.Context, region, arn string) (*types.Service, error) {
	cluster, _ := serviceARNParts(arn)
	out, err := p.api.Store(region).DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: &cluster, Services: []string{arn}})
	if isCode(err, "ClusterNotFoundException") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(out.Services) == 0 {
		return nil, nil
	}
	return &out.Services[0], nil
}

// waitStable polls until the service is stable as CloudFormation means it
// (one deployment, its rollout COMPLETED, runningCount == desiredCount),
// failing when the circuit breaker marks a deployment FAILED or has
// stopped or rolled back the service deployment this operation started
// (deployment, "" if none): with rollback the failed deployment can be
// gone, and the service stable again on the old one, between two looks.
func (p *ECSService) waitStable(ctx context.Context, req *engine.Request, arn, deployment string) error {
	cctx := callCtx(ctx, req)
	for {
		svc, err := p.describe(cctx, req.Region, arn)
		if err != nil {
			return err
		}
		if svc == nil || deref(svc.Status) != "ACTIVE" {
			return errors.New("Service " + arn + " is no longer ACTIVE")
		}
		if err := p.deploymentFailed(cctx, req.Region, deployment); err != nil {
			return err
		}
		done, err := stable(svc)
		if done || err != nil {
			return err
		}
		if err := sleep(ctx, p.Poll); err != nil {
			return err
		}
	}
}

// errCircuitBreaker is how CloudFormation's ECS handler reports a
// deployment the circuit breaker failed.
var errCircuitBreaker = &smithy.GenericAPIError{Code: "GeneralServiceException", Fault: smithy.FaultServer,
	Message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'."}

// deploymentFailed is errCircuitBreaker once the circuit breaker has
// been triggered for the service deployment (stopped, or rolled back).
func (p *ECSService) deploymentFailed(ctx context.Context, region, deployment string) error {
	if deployment == "" {
		return nil
	}
	out, err := p.api.Store(region).DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{deployment}})
	if err != nil || len(out.ServiceDeployments) == 0 {
		return err
	}
	if cb := out.ServiceDeployments[0].DeploymentCircuitBreaker; cb != nil && cb.Status == types.ServiceDeploymentRollbackMonitorsStatusTriggered {
		return errCircuitBreaker
	}
	return nil
}

// stable reports whether the service is stable, failing when its PRIMARY
// deployment is FAILED (the circuit breaker without rollback). A FAILED
// deployment that is not PRIMARY is one the breaker rolled back from,
// still draining: the service becomes stable once it is gone.
func stable(svc *types.Service) (bool, error) {
	if len(svc.Deployments) == 0 {
		return false, nil
	}
	d := svc.Deployments[0] // PRIMARY first, as DescribeServices lists them
	if d.RolloutState == types.DeploymentRolloutStateFailed {
		return false, errCircuitBreaker
	}
	if len(svc.Deployments) != 1 {
		return false, nil
	}
	return d.RolloutState == types.DeploymentRolloutStateCompleted && svc.RunningCount == svc.DesiredCount, nil
}

// serviceARNParts splits arn:aws:ecs:region:account:service/cluster/name.
func serviceARNParts(arn string) (cluster, name string) {
	i := strings.Index(arn, ":service/")
	if i < 0 {
		return "", arn
	}
	parts := strings.SplitN(arn[i+len(":service/"):], "/", 2)
	if len(parts) != 2 {
		return "default", parts[0]
	}
	return parts[0], parts[1]
}
