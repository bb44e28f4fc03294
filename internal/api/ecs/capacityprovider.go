package ecs

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// The emulator has the two built-in Fargate capacity providers; both run
// tasks the same way (on the local engine).
var builtinCapacityProviders = []string{"FARGATE", "FARGATE_SPOT"}

func isBuiltinCapacityProvider(name string) bool {
	for _, n := range builtinCapacityProviders {
		if n == name {
			return true
		}
	}
	return false
}

// validCapacityProviders checks names and a strategy against ECS's rules.
// Callers hold the lock.
func (s *Store) validCapacityProviders(names []string, strategy []types.CapacityProviderStrategyItem) error {
	if len(names) > maxCapacityProvidersPerClst {
		return errInvalidParameter("A cluster can have at most %d capacity providers.", maxCapacityProvidersPerClst)
	}
	for _, n := range names {
		if !s.capacityProviderActive(nameFromRef(n, "capacity-provider")) {
			return errInvalidParameter("The specified capacity provider '%s' is not in an ACTIVE state. Specify a valid capacity provider and try again.", n)
		}
	}
	return s.validStrategy(strategy)
}

// validStrategy checks a capacity provider strategy. Callers hold the lock.
func (s *Store) validStrategy(strategy []types.CapacityProviderStrategyItem) error {
	if len(strategy) > 20 {
		return errInvalidParameter("capacityProviderStrategy can have at most 20 items.")
	}
	withBase := 0
	for _, it := range strategy {
		if !s.capacityProviderActive(deref(it.CapacityProvider)) {
			return errInvalidParameter("The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.")
		}
		if it.Weight < 0 || it.Weight > 1000 {
			return errInvalidParameter("The capacity provider strategy weight must be between 0 and 1000.")
		}
		if it.Base < 0 || it.Base > 100000 {
			return errInvalidParameter("The capacity provider strategy base must be between 0 and 100000.")
		}
		if it.Base > 0 {
			withBase++
		}
	}
	if withBase > 1 {
		return errInvalidParameter("You can specify a base value for only one capacity provider in a capacity provider strategy.")
	}
	return nil
}

func (s *Store) DescribeCapacityProviders(_ context.Context, in *ecs.DescribeCapacityProvidersInput) (*ecs.DescribeCapacityProvidersOutput, error) {
	out := &ecs.DescribeCapacityProvidersOutput{CapacityProviders: []types.CapacityProvider{}, Failures: []types.Failure{}}
	withTags := false
	for _, f := range in.Include {
		withTags = withTags || f == types.CapacityProviderFieldTags
	}
	unlock := s.lock()
	defer unlock()
	refs := in.CapacityProviders
	if len(refs) == 0 {
		refs = append(refs, builtinCapacityProviders...)
		refs = append(refs, slices.Sorted(maps.Keys(s.providers))...)
	}
	var found []types.CapacityProvider
	for _, ref := range refs {
		name := nameFromRef(ref, "capacity-provider")
		cp, ok := s.capacityProviderView(name)
		if !ok {
			out.Failures = append(out.Failures, missing(capacityProviderARN(s.region, s.account, name)))
			continue
		}
		if withTags { // tags only on request, as for the other Describe operations
			cp.Tags = s.getTags(deref(cp.CapacityProviderArn))
		}
		found = append(found, cp)
	}
	pg, next, err := page(found, in.NextToken, in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	out.CapacityProviders, out.NextToken = nonNil(pg), next
	return out, nil
}

// capacityProviderView is a copy of a built-in or custom capacity provider.
// Callers hold the lock.
func (s *Store) capacityProviderView(name string) (types.CapacityProvider, bool) {
	if isBuiltinCapacityProvider(name) {
		return types.CapacityProvider{CapacityProviderArn: ptr(capacityProviderARN(s.region, s.account, name)), Name: ptr(name), Status: types.CapacityProviderStatusActive}, true
	}
	cp, ok := s.providers[name]
	if !ok {
		return types.CapacityProvider{}, false
	}
	return *clone.Of(cp), true
}

// capacityProviderExists says whether a name is a built-in or custom
// capacity provider, active or not. Callers hold the lock.
func (s *Store) capacityProviderExists(name string) bool {
	_, ok := s.capacityProviderView(name)
	return ok
}

// capacityProviderActive says whether clusters and strategies may name a
// capacity provider. Callers hold the lock.
func (s *Store) capacityProviderActive(name string) bool {
	cp, ok := s.capacityProviderView(name)
	return ok && cp.Status == types.CapacityProviderStatusActive
}

// launchTypeOfProvider is the launch type a capacity provider's tasks
// have: FARGATE for Fargate's, EC2 for Auto Scaling group providers.
func launchTypeOfProvider(name string) types.LaunchType {
	if isBuiltinCapacityProvider(name) {
		return types.LaunchTypeFargate
	}
	return types.LaunchTypeEc2
}

var reservedProviderPrefixes = []string{"aws", "ecs", "fargate"}

func validProviderName(name string) error {
	if err := validName(name, "Capacity provider name"); err != nil {
		return err
	}
	for _, p := range reservedProviderPrefixes {
		if strings.HasPrefix(strings.ToLower(name), p) {
			return errInvalidParameter("The specified capacity provider name is invalid. Capacity provider names cannot be prefixed with 'aws', 'ecs', or 'fargate'.")
		}
	}
	return nil
}

// CreateCapacityProvider stores an Auto Scaling group capacity provider.
// Its tasks run on the local engine like every other; the group itself is
// only recorded.
func (s *Store) CreateCapacityProvider(_ context.Context, in *ecs.CreateCapacityProviderInput) (*ecs.CreateCapacityProviderOutput, error) {
	name := deref(in.Name)
	if err := validProviderName(name); err != nil {
		return nil, err
	}
	asg := in.AutoScalingGroupProvider
	if asg == nil || deref(asg.AutoScalingGroupArn) == "" {
		return nil, errInvalidParameter("autoScalingGroupProvider.autoScalingGroupArn must be specified.")
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	if cur, ok := s.providers[name]; ok && cur.Status == types.CapacityProviderStatusActive {
		return nil, errClient("The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.")
	}
	arn := capacityProviderARN(s.region, s.account, name)
	cp := &types.CapacityProvider{
		CapacityProviderArn:      ptr(arn),
		Name:                     ptr(name),
		Status:                   types.CapacityProviderStatusActive,
		Type:                     types.CapacityProviderTypeEc2Autoscaling,
		AutoScalingGroupProvider: asgDefaults(clone.Of(asg)),
	}
	s.providers[name] = cp
	s.touch(recProvider, name)
	s.setTags(arn, in.Tags)
	view := *clone.Of(cp)
	view.Tags = s.getTags(arn)
	return &ecs.CreateCapacityProviderOutput{CapacityProvider: &view}, nil
}

// asgDefaults fills in what ECS reports for an unset managed scaling and
// termination protection.
func asgDefaults(asg *types.AutoScalingGroupProvider) *types.AutoScalingGroupProvider {
	if asg.ManagedScaling == nil {
		asg.ManagedScaling = &types.ManagedScaling{}
	}
	ms := asg.ManagedScaling
	ms.Status = orDefault(ms.Status, types.ManagedScalingStatusDisabled)
	ms.TargetCapacity = defaultInt(ms.TargetCapacity, 100)
	ms.MinimumScalingStepSize = defaultInt(ms.MinimumScalingStepSize, 1)
	ms.MaximumScalingStepSize = defaultInt(ms.MaximumScalingStepSize, 10000)
	ms.InstanceWarmupPeriod = defaultInt(ms.InstanceWarmupPeriod, 300)
	asg.ManagedTerminationProtection = orDefault(asg.ManagedTerminationProtection, types.ManagedTerminationProtectionDisabled)
	return asg
}

func (s *Store) UpdateCapacityProvider(_ context.Context, in *ecs.UpdateCapacityProviderInput) (*ecs.UpdateCapacityProviderOutput, error) {
	unlock := s.lock()
	defer unlock()
	name := nameFromRef(deref(in.Name), "capacity-provider")
	if isBuiltinCapacityProvider(name) {
		return nil, errInvalidParameter("The specified capacity provider is reserved and cannot be updated.")
	}
	cp, ok := s.providers[name]
	if !ok || cp.Status != types.CapacityProviderStatusActive {
		return nil, errInvalidParameter("The specified capacity provider does not exist.")
	}
	if u := in.AutoScalingGroupProvider; u != nil {
		asg := cp.AutoScalingGroupProvider
		if u.ManagedScaling != nil {
			asg.ManagedScaling = clone.Of(u.ManagedScaling)
		}
		if u.ManagedTerminationProtection != "" {
			asg.ManagedTerminationProtection = u.ManagedTerminationProtection
		}
		if u.ManagedDraining != "" {
			asg.ManagedDraining = u.ManagedDraining
		}
		asgDefaults(asg)
	}
	cp.UpdateStatus = types.CapacityProviderUpdateStatusUpdateComplete
	s.touch(recProvider, name)
	return &ecs.UpdateCapacityProviderOutput{CapacityProvider: clone.Of(cp)}, nil
}

// DeleteCapacityProvider makes a custom capacity provider INACTIVE; one a
// cluster still names cannot be deleted.
func (s *Store) DeleteCapacityProvider(_ context.Context, in *ecs.DeleteCapacityProviderInput) (*ecs.DeleteCapacityProviderOutput, error) {
	unlock := s.lock()
	defer unlock()
	name := nameFromRef(deref(in.CapacityProvider), "capacity-provider")
	if isBuiltinCapacityProvider(name) {
		return nil, errInvalidParameter("The specified capacity provider is reserved and cannot be deleted.")
	}
	cp, ok := s.providers[name]
	if !ok || cp.Status != types.CapacityProviderStatusActive {
		return nil, errInvalidParameter("The specified capacity provider does not exist.")
	}
	for _, c := range s.clusters {
		if deref(c.Status) == "ACTIVE" && slices.Contains(c.CapacityProviders, name) {
			return nil, errInvalidParameter("The specified capacity provider is in use and cannot be removed. Remove it from cluster %s and try again.", deref(c.ClusterName))
		}
	}
	cp.Status = types.CapacityProviderStatusInactive
	cp.UpdateStatus = types.CapacityProviderUpdateStatusDeleteComplete
	s.touch(recProvider, name)
	return &ecs.DeleteCapacityProviderOutput{CapacityProvider: clone.Of(cp)}, nil
}

// ListContainerInstances is always empty: Fargate-style tasks run without
// container instances.
func (s *Store) ListContainerInstances(_ context.Context, in *ecs.ListContainerInstancesInput) (*ecs.ListContainerInstancesOutput, error) {
	unlock := s.lock()
	defer unlock()
	if _, err := s.activeCluster(in.Cluster); err != nil {
		return nil, err
	}
	if _, _, err := page([]string{}, in.NextToken, in.MaxResults, 100, 100); err != nil {
		return nil, err
	}
	return &ecs.ListContainerInstancesOutput{ContainerInstanceArns: []string{}}, nil
}

// DescribeContainerInstances reports every requested instance as MISSING.
func (s *Store) DescribeContainerInstances(_ context.Context, in *ecs.DescribeContainerInstancesInput) (*ecs.DescribeContainerInstancesOutput, error) {
	unlock := s.lock()
	defer unlock()
	c, err := s.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.ContainerInstances) == 0 {
		return nil, errInvalidParameter("containerInstances can not be empty.")
	}
	out := &ecs.DescribeContainerInstancesOutput{ContainerInstances: []types.ContainerInstance{}, Failures: []types.Failure{}}
	for _, ref := range in.ContainerInstances {
		id := nameFromRef(ref, "container-instance")
		out.Failures = append(out.Failures, missing("arn:aws:ecs:"+s.region+":"+s.account+":container-instance/"+deref(c.ClusterName)+"/"+id))
	}
	return out, nil
}
