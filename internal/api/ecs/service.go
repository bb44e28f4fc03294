package ecs

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/localaws/ecsemu/internal/clone"
)

func (s *Store) CreateService(_ context.Context, in *ecs.CreateServiceInput) (*ecs.CreateServiceOutput, error) {
	if err := validateCreateService(in); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	arn := serviceARN(s.region, s.account, *cluster.ClusterName, *in.ServiceName)
	if existing := s.services[arn]; existing != nil && deref(existing.Status) != "INACTIVE" {
		if in.ClientToken != nil && existing.ClientToken == *in.ClientToken {
			return &ecs.CreateServiceOutput{Service: ptr(s.serviceView(existing, true))}, nil
		}
		return nil, errInvalidParameter("Creation of service was not idempotent.")
	}
	if err := s.checkServiceQuota(cluster); err != nil {
		return nil, err
	}
	svc, err := s.newService(cluster, arn, in)
	if err != nil {
		return nil, err
	}
	s.services[arn] = svc
	s.setTags(arn, in.Tags)
	s.changed(ChangeService, arn)
	return &ecs.CreateServiceOutput{Service: ptr(s.serviceView(svc, true))}, nil
}

func validateCreateService(in *ecs.CreateServiceInput) error {
	if in.ServiceName == nil {
		return errInvalidParameter("serviceName can not be blank.")
	}
	if err := validName(*in.ServiceName, "Service name"); err != nil {
		return err
	}
	if in.ClientToken != nil && len(*in.ClientToken) > 36 {
		return errInvalidParameter("clientToken can have at most 36 characters.")
	}
	if err := validEnum(in.SchedulingStrategy, "schedulingStrategy"); err != nil {
		return err
	}
	if in.SchedulingStrategy != types.SchedulingStrategyDaemon && in.DesiredCount == nil {
		return errInvalidParameter("The desired count must be specified for a service with the REPLICA scheduling strategy.")
	}
	if err := validDesiredCount(in.DesiredCount); err != nil {
		return err
	}
	if err := validGracePeriod(in.HealthCheckGracePeriodSeconds); err != nil {
		return err
	}
	if in.DeploymentController != nil && in.DeploymentController.Type != "" && in.DeploymentController.Type != types.DeploymentControllerTypeEcs {
		return &types.UnsupportedFeatureException{Message: ptr("The emulator supports only the ECS deployment controller.")}
	}
	if err := validDeploymentConfiguration(in.DeploymentConfiguration); err != nil {
		return err
	}
	return validTags(in.Tags)
}

func validGracePeriod(p *int32) error {
	if p != nil && *p < 0 {
		return errInvalidParameter("healthCheckGracePeriodSeconds must be between 0 and 2147483647.")
	}
	return nil
}

func validDeploymentConfiguration(dc *types.DeploymentConfiguration) error {
	if dc == nil {
		return nil
	}
	if dc.MinimumHealthyPercent != nil && (*dc.MinimumHealthyPercent < 0 || *dc.MinimumHealthyPercent > 100) {
		return errInvalidParameter("minimumHealthyPercent must be between 0 and 100.")
	}
	// Below 100 % a service could never run its desired count: the
	// scheduler would wait forever with no reason to show.
	if dc.MaximumPercent != nil && *dc.MaximumPercent < 100 {
		return errInvalidParameter("maximumPercent must be greater than or equal to 100.")
	}
	if dc.MinimumHealthyPercent != nil && dc.MaximumPercent != nil && *dc.MaximumPercent < *dc.MinimumHealthyPercent {
		return errInvalidParameter("maximumPercent must be greater than or equal to minimumHealthyPercent.")
	}
	return validEnum(dc.Strategy, "deploymentConfiguration.strategy")
}

// validDaemonDeployment applies the DAEMON strategy's bound on
// maximumPercent, with ECS's message.
func validDaemonDeployment(strategy types.SchedulingStrategy, dc *types.DeploymentConfiguration) error {
	if strategy == types.SchedulingStrategyDaemon && dc != nil && deref(dc.MaximumPercent) > 100 {
		return errInvalidParameter("The daemon scheduling strategy does not support values above 100 for maximumPercent on a deployment configuration. Change the maximumPercent value to 100, and try again")
	}
	return nil
}

// newService builds a service with ECS's defaults (spec §3.2.3) and its
// first deployment. Callers hold the lock.
func (s *Store) newService(cluster *types.Cluster, arn string, in *ecs.CreateServiceInput) (*Service, error) {
	td, err := s.usableTaskDefinition(in.TaskDefinition)
	if err != nil {
		return nil, err
	}
	lt, _, err := s.resolveLaunchType(cluster, in.LaunchType, in.CapacityProviderStrategy)
	if err != nil {
		return nil, err
	}
	if err := s.checkNetwork(td, lt, in.NetworkConfiguration); err != nil {
		return nil, err
	}
	if err := s.validLoadBalancers(td, in.LoadBalancers); err != nil {
		return nil, err
	}
	strategy := in.SchedulingStrategy
	if strategy == "" {
		strategy = types.SchedulingStrategyReplica
	}
	if strategy == types.SchedulingStrategyDaemon && lt == types.LaunchTypeFargate {
		return nil, errInvalidParameter("The daemon scheduling strategy does not support the FARGATE launch type.")
	}
	if err := validDaemonDeployment(strategy, in.DeploymentConfiguration); err != nil {
		return nil, err
	}
	svc := &Service{ClientToken: deref(in.ClientToken)}
	svc.Service = types.Service{
		ServiceArn:                    ptr(arn),
		ServiceName:                   in.ServiceName,
		ClusterArn:                    cluster.ClusterArn,
		Status:                        ptr("ACTIVE"),
		TaskDefinition:                td.TaskDefinitionArn,
		DesiredCount:                  deref(in.DesiredCount),
		LaunchType:                    launchTypeOf(in.LaunchType, in.CapacityProviderStrategy, lt),
		CapacityProviderStrategy:      clone.Of(in.CapacityProviderStrategy),
		DeploymentConfiguration:       deploymentConfiguration(in.DeploymentConfiguration, strategy),
		DeploymentController:          &types.DeploymentController{Type: types.DeploymentControllerTypeEcs},
		NetworkConfiguration:          networkDefaults(in.NetworkConfiguration),
		LoadBalancers:                 nonNil(clone.Of(in.LoadBalancers)),
		ServiceRegistries:             nonNil(clone.Of(in.ServiceRegistries)),
		HealthCheckGracePeriodSeconds: clone.Of(in.HealthCheckGracePeriodSeconds),
		PlacementConstraints:          nonNil(clone.Of(in.PlacementConstraints)),
		PlacementStrategy:             nonNil(clone.Of(in.PlacementStrategy)),
		SchedulingStrategy:            strategy,
		PropagateTags:                 orDefault(in.PropagateTags, types.PropagateTagsNone),
		EnableECSManagedTags:          in.EnableECSManagedTags,
		EnableExecuteCommand:          in.EnableExecuteCommand,
		AvailabilityZoneRebalancing:   orDefault(in.AvailabilityZoneRebalancing, types.AvailabilityZoneRebalancingEnabled),
		RoleArn:                       ptr("arn:aws:iam::" + s.account + ":role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
		CreatedAt:                     s.timestamp(),
		CreatedBy:                     ptr(s.rootPrincipal()),
		Events:                        []types.ServiceEvent{},
		Deployments:                   []types.Deployment{},
	}
	if lt == types.LaunchTypeFargate {
		svc.PlatformVersion = orDefault(in.PlatformVersion, ptr("LATEST"))
		svc.PlatformFamily = ptr("Linux")
	}
	if strategy == types.SchedulingStrategyDaemon {
		svc.DesiredCount = 0 // no container instances to place daemon tasks on
	}
	s.startDeployment(svc, td)
	return svc, nil
}

// networkDefaults copies a service's network configuration with
// assignPublicIp defaulted to DISABLED, as DescribeServices reports it.
func networkDefaults(nc *types.NetworkConfiguration) *types.NetworkConfiguration {
	nc = clone.Of(nc)
	if nc != nil && nc.AwsvpcConfiguration != nil {
		nc.AwsvpcConfiguration.AssignPublicIp = orDefault(nc.AwsvpcConfiguration.AssignPublicIp, types.AssignPublicIpDisabled)
	}
	return nc
}

func launchTypeOf(asked types.LaunchType, strategy []types.CapacityProviderStrategyItem, resolved types.LaunchType) types.LaunchType {
	if asked == "" && len(strategy) > 0 {
		return "" // services with a strategy report no launch type
	}
	return resolved
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// deploymentConfiguration fills in ECS's defaults: 200/100 for REPLICA,
// 100/0 for DAEMON, circuit breaker off, rolling strategy.
func deploymentConfiguration(in *types.DeploymentConfiguration, strategy types.SchedulingStrategy) *types.DeploymentConfiguration {
	dc := &types.DeploymentConfiguration{}
	if in != nil {
		dc = clone.Of(in)
	}
	maxDef, minDef := int32(200), int32(100)
	if strategy == types.SchedulingStrategyDaemon {
		maxDef, minDef = 100, 0
	}
	dc.MaximumPercent = defaultInt(dc.MaximumPercent, maxDef)
	dc.MinimumHealthyPercent = defaultInt(dc.MinimumHealthyPercent, minDef)
	if dc.DeploymentCircuitBreaker == nil {
		dc.DeploymentCircuitBreaker = &types.DeploymentCircuitBreaker{}
	}
	dc.Strategy = orDefault(dc.Strategy, types.DeploymentStrategyRolling)
	return dc
}

// validLoadBalancers checks that each load balancer names a container and
// port of the task definition, and a target group that a load balancer
// forwards to and whose target type the task's network mode can fill.
func (s *Store) validLoadBalancers(td *types.TaskDefinition, lbs []types.LoadBalancer) error {
	for _, lb := range lbs {
		if lb.ContainerName == nil || lb.ContainerPort == nil {
			return errInvalidParameter("containerName and containerPort must be specified for a load balancer.")
		}
		if !hasPort(td, *lb.ContainerName, *lb.ContainerPort) {
			return errInvalidParameter("The container %s did not have a container port %d defined.", *lb.ContainerName, *lb.ContainerPort)
		}
		if err := s.validTargetGroup(td, deref(lb.TargetGroupArn)); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) validTargetGroup(td *types.TaskDefinition, arn string) error {
	if arn == "" {
		return errInvalidParameter("targetGroupArn must be specified for an Application Load Balancer.")
	}
	if s.targetGroups == nil {
		return nil
	}
	found, attached, targetType := s.targetGroups(arn)
	switch {
	case !found:
		return errInvalidParameter("Unable to find target group with targetGroupArn %s.", arn)
	case !attached:
		return errInvalidParameter("The target group with targetGroupArn %s does not have an associated load balancer.", arn)
	case td.NetworkMode == types.NetworkModeAwsvpc && targetType != "ip":
		return errInvalidParameter("The provided target group %s has target type %s, which is incompatible with the awsvpc network mode specified in the task definition.", arn, targetType)
	}
	return nil
}

func hasPort(td *types.TaskDefinition, container string, port int32) bool {
	for _, cd := range td.ContainerDefinitions {
		if deref(cd.Name) != container {
			continue
		}
		for _, pm := range cd.PortMappings {
			if deref(pm.ContainerPort) == port {
				return true
			}
		}
	}
	return false
}

// findService resolves a service name or ARN in a cluster. Callers hold the lock.
func (s *Store) findService(cluster *types.Cluster, ref string) (*Service, string) {
	arn := serviceARN(s.region, s.account, *cluster.ClusterName, nameFromRef(ref, "service"))
	return s.services[arn], arn
}

func (s *Store) UpdateService(_ context.Context, in *ecs.UpdateServiceInput) (*ecs.UpdateServiceOutput, error) {
	if err := validDesiredCount(in.DesiredCount); err != nil {
		return nil, err
	}
	if err := validGracePeriod(in.HealthCheckGracePeriodSeconds); err != nil {
		return nil, err
	}
	if err := validDeploymentConfiguration(in.DeploymentConfiguration); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	svc, _ := s.findService(cluster, deref(in.Service))
	if svc == nil {
		return nil, errServiceNotFound()
	}
	// A deleted service (DRAINING, or INACTIVE but still known) is not
	// "not found" to AWS: updating it fails with "Service was not ACTIVE."
	if deref(svc.Status) != "ACTIVE" {
		return nil, errServiceNotActive()
	}
	if err := s.applyServiceUpdate(cluster, svc, in); err != nil {
		return nil, err
	}
	s.changed(ChangeService, *svc.ServiceArn)
	return &ecs.UpdateServiceOutput{Service: ptr(s.serviceView(svc, false))}, nil
}

// applyServiceUpdate changes a service; a change of what tasks run (task
// definition, network, load balancers, registries, platform, or
// forceNewDeployment) starts a new deployment. Callers hold the lock.
func (s *Store) applyServiceUpdate(cluster *types.Cluster, svc *Service, in *ecs.UpdateServiceInput) error {
	td, err := s.currentTaskDefinition(svc)
	if err != nil {
		return err
	}
	redeploy := in.ForceNewDeployment
	if in.TaskDefinition != nil {
		if td, err = s.usableTaskDefinition(in.TaskDefinition); err != nil {
			return err
		}
		redeploy = redeploy || *td.TaskDefinitionArn != deref(svc.TaskDefinition)
	}
	network := svc.NetworkConfiguration
	if in.NetworkConfiguration != nil {
		network, redeploy = networkDefaults(in.NetworkConfiguration), true
	}
	strategy, lt, moved, err := s.launchAfterUpdate(svc, in)
	if err != nil {
		return err
	}
	redeploy = redeploy || moved
	// A service with a strategy and no launch type runs on Fargate.
	if err := s.checkNetwork(td, orDefault(lt, types.LaunchTypeFargate), network); err != nil {
		return err
	}
	if in.LoadBalancers != nil {
		if err := s.validLoadBalancers(td, in.LoadBalancers); err != nil {
			return err
		}
		svc.LoadBalancers, redeploy = clone.Of(in.LoadBalancers), true
	}
	if in.ServiceRegistries != nil {
		svc.ServiceRegistries, redeploy = clone.Of(in.ServiceRegistries), true
	}
	if in.PlatformVersion != nil && *in.PlatformVersion != deref(svc.PlatformVersion) {
		svc.PlatformVersion, redeploy = clone.Of(in.PlatformVersion), true
	}
	svc.NetworkConfiguration = network
	svc.CapacityProviderStrategy, svc.LaunchType = strategy, lt
	s.applyServiceSettings(svc, in)
	if redeploy {
		s.startDeployment(svc, td)
	}
	svc.Steady = false
	return nil
}

// launchAfterUpdate returns the capacity provider strategy and launch type
// a service has after an update, and whether they changed. Moving to a
// strategy drops the launch type, as on creation. Nothing is changed yet,
// so a later validation error leaves the service as it was.
func (s *Store) launchAfterUpdate(svc *Service, in *ecs.UpdateServiceInput) ([]types.CapacityProviderStrategyItem, types.LaunchType, bool, error) {
	if len(in.CapacityProviderStrategy) == 0 {
		return svc.CapacityProviderStrategy, svc.LaunchType, false, nil
	}
	if err := s.validStrategy(in.CapacityProviderStrategy); err != nil {
		return nil, "", false, err
	}
	return clone.Of(in.CapacityProviderStrategy), "", true, nil
}

// applyServiceSettings copies the settings that never start a deployment.
func (s *Store) applyServiceSettings(svc *Service, in *ecs.UpdateServiceInput) {
	if in.DesiredCount != nil && svc.SchedulingStrategy == types.SchedulingStrategyReplica {
		svc.DesiredCount = *in.DesiredCount
		if d := primary(svc); d != nil {
			d.DesiredCount = *in.DesiredCount
		}
	}
	if in.DeploymentConfiguration != nil {
		svc.DeploymentConfiguration = deploymentConfiguration(in.DeploymentConfiguration, svc.SchedulingStrategy)
	}
	if in.HealthCheckGracePeriodSeconds != nil {
		svc.HealthCheckGracePeriodSeconds = ptr(*in.HealthCheckGracePeriodSeconds)
	}
	if in.EnableExecuteCommand != nil {
		svc.EnableExecuteCommand = *in.EnableExecuteCommand
	}
	if in.EnableECSManagedTags != nil {
		svc.EnableECSManagedTags = *in.EnableECSManagedTags
	}
	if in.PropagateTags != "" {
		svc.PropagateTags = in.PropagateTags
	}
	if in.PlacementConstraints != nil {
		svc.PlacementConstraints = clone.Of(in.PlacementConstraints)
	}
	if in.PlacementStrategy != nil {
		svc.PlacementStrategy = clone.Of(in.PlacementStrategy)
	}
	if in.AvailabilityZoneRebalancing != "" {
		svc.AvailabilityZoneRebalancing = in.AvailabilityZoneRebalancing
	}
}

// currentTaskDefinition is the task definition of the service's primary
// deployment; it may be INACTIVE or even DELETE_IN_PROGRESS by now, which
// is fine for existing services.
func (s *Store) currentTaskDefinition(svc *Service) (*types.TaskDefinition, error) {
	td, err := s.taskDefinitionRevision(deref(svc.TaskDefinition))
	if err != nil {
		return nil, errClient("TaskDefinition not found.")
	}
	return td, nil
}

func (s *Store) DeleteService(_ context.Context, in *ecs.DeleteServiceInput) (*ecs.DeleteServiceOutput, error) {
	unlock := s.lock()
	defer unlock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	svc, _ := s.findService(cluster, deref(in.Service))
	if svc == nil {
		return nil, errServiceNotFound()
	}
	// Deleting a DRAINING or INACTIVE service again is not an error in AWS:
	// it answers with the service as it is.
	if deref(svc.Status) == "ACTIVE" {
		if svc.DesiredCount > 0 && svc.SchedulingStrategy == types.SchedulingStrategyReplica && !deref(in.Force) {
			return nil, errInvalidParameter("The service cannot be stopped while it is scaled above 0.")
		}
		svc.Status = ptr("DRAINING")
		svc.DesiredCount = 0
		for i := range svc.Deployments {
			svc.Deployments[i].DesiredCount = 0
		}
		svc.Steady = false
	}
	s.changed(ChangeService, *svc.ServiceArn)
	return &ecs.DeleteServiceOutput{Service: ptr(s.serviceView(svc, false))}, nil
}

func (s *Store) DescribeServices(_ context.Context, in *ecs.DescribeServicesInput) (*ecs.DescribeServicesOutput, error) {
	out := &ecs.DescribeServicesOutput{Services: []types.Service{}}
	failures, err := s.describeServices(in, func(svc *Service, withTags bool) error {
		out.Services = append(out.Services, s.serviceView(svc, withTags))
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Failures = failures
	return out, nil
}

// describeServices validates a DescribeServices request and, under the
// lock, hands each service found to view with whether tags were asked
// for, in the order asked; the ones not found are the failures.
func (s *Store) describeServices(in *ecs.DescribeServicesInput, view func(svc *Service, withTags bool) error) ([]types.Failure, error) {
	if len(in.Services) == 0 {
		return nil, errInvalidParameter("Services cannot be empty.")
	}
	if len(in.Services) > 10 {
		return nil, errInvalidParameter("Services can have at most 10 items.")
	}
	withTags := false
	for _, f := range in.Include {
		withTags = withTags || f == types.ServiceFieldTags
	}
	unlock := s.lock()
	defer unlock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	failures := []types.Failure{}
	for _, ref := range in.Services {
		svc, arn := s.findService(cluster, ref)
		if svc == nil {
			failures = append(failures, missing(arn))
			continue
		}
		if err := view(svc, withTags); err != nil {
			return nil, err
		}
	}
	return failures, nil
}

func (s *Store) ListServices(_ context.Context, in *ecs.ListServicesInput) (*ecs.ListServicesOutput, error) {
	unlock := s.lock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		unlock()
		return nil, err
	}
	var arns []string
	for arn, svc := range s.services {
		if deref(svc.ClusterArn) != *cluster.ClusterArn || deref(svc.Status) != "ACTIVE" ||
			in.LaunchType != "" && svc.LaunchType != in.LaunchType ||
			in.SchedulingStrategy != "" && svc.SchedulingStrategy != in.SchedulingStrategy {
			continue
		}
		arns = append(arns, arn)
	}
	unlock()
	sort.Strings(arns)
	pg, next, err := page(arns, in.NextToken, in.MaxResults, 10, 100)
	if err != nil {
		return nil, err
	}
	return &ecs.ListServicesOutput{ServiceArns: nonNil(pg), NextToken: next}, nil
}

// ListServicesByNamespace lists services whose Service Connect namespace is
// the given one; Service Connect is not emulated, so the list is empty.
func (s *Store) ListServicesByNamespace(_ context.Context, in *ecs.ListServicesByNamespaceInput) (*ecs.ListServicesByNamespaceOutput, error) {
	if deref(in.Namespace) == "" {
		return nil, errInvalidParameter("namespace can not be blank.")
	}
	if _, _, err := page([]string{}, in.NextToken, in.MaxResults, 10, 100); err != nil {
		return nil, err
	}
	return &ecs.ListServicesByNamespaceOutput{ServiceArns: []string{}}, nil
}

// serviceView is the wire view of a service with live task counts.
// Callers hold the lock.
func (s *Store) serviceView(svc *Service, withTags bool) types.Service {
	v := clone.Of(svc.Service)
	counts := s.serviceCounts(svc)
	v.RunningCount, v.PendingCount = counts[0], counts[1]
	for i := range v.Deployments {
		v.Deployments[i].RunningCount, v.Deployments[i].PendingCount = counts[2+2*i], counts[3+2*i]
	}
	v.Tags = nil
	if withTags {
		v.Tags = s.getTags(*svc.ServiceArn)
	}
	return v
}

// serviceCounts are a service's live task counts: running and pending for
// the service, then for each of its deployments in order. Callers hold
// the lock.
func (s *Store) serviceCounts(svc *Service) []int32 {
	counts := make([]int32, 2+2*len(svc.Deployments))
	for _, t := range s.byService[*svc.ServiceArn] {
		running, pending := taskCounts(t)
		counts[0] += running
		counts[1] += pending
		for i, d := range svc.Deployments {
			if deref(d.Id) == deref(t.StartedBy) {
				counts[2+2*i] += running
				counts[3+2*i] += pending
			}
		}
	}
	return counts
}

// taskCounts says whether a task counts as running or pending for its
// service: RUNNING tasks are running, tasks on their way there are pending.
func taskCounts(t *Task) (running, pending int32) {
	switch deref(t.LastStatus) {
	case "RUNNING":
		return 1, 0
	case "PROVISIONING", "PENDING", "ACTIVATING":
		if deref(t.DesiredStatus) != "STOPPED" {
			return 0, 1
		}
	}
	return 0, 0
}
