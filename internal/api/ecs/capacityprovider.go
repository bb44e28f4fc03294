package ecs

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
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
func validCapacityProviders(names []string, strategy []types.CapacityProviderStrategyItem) error {
	if len(names) > maxCapacityProvidersPerClst {
		return errInvalidParameter("A cluster can have at most %d capacity providers.", maxCapacityProvidersPerClst)
	}
	for _, n := range names {
		if !isBuiltinCapacityProvider(nameFromRef(n, "capacity-provider")) {
			return errInvalidParameter("The specified capacity provider '%s' is not in an ACTIVE state. Specify a valid capacity provider and try again.", n)
		}
	}
	return validStrategy(strategy)
}

func validStrategy(strategy []types.CapacityProviderStrategyItem) error {
	if len(strategy) > 20 {
		return errInvalidParameter("capacityProviderStrategy can have at most 20 items.")
	}
	withBase := 0
	for _, it := range strategy {
		if !isBuiltinCapacityProvider(deref(it.CapacityProvider)) {
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
	refs := in.CapacityProviders
	if len(refs) == 0 {
		refs = builtinCapacityProviders
	}
	withTags := false
	for _, f := range in.Include {
		withTags = withTags || f == types.CapacityProviderFieldTags
	}
	unlock := s.lock()
	defer unlock()
	var found []types.CapacityProvider
	for _, ref := range refs {
		name := nameFromRef(ref, "capacity-provider")
		if !isBuiltinCapacityProvider(name) {
			out.Failures = append(out.Failures, missing(capacityProviderARN(s.region, s.account, name)))
			continue
		}
		arn := capacityProviderARN(s.region, s.account, name)
		cp := types.CapacityProvider{CapacityProviderArn: ptr(arn), Name: ptr(name), Status: types.CapacityProviderStatusActive}
		if withTags { // tags only on request, as for the other Describe operations
			cp.Tags = s.getTags(arn)
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
