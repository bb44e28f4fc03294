package servicediscovery

import (
	"context"
	"maps"
	"math/rand/v2"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

// DiscoverInstances returns at most 1000 instances (default 100).
const (
	defaultDiscoverResults = 100
	maxDiscoverResults     = 1000
)

// discoverTarget resolves the names DiscoverInstances and
// DiscoverInstancesRevision take: the namespace's HttpName (for DNS
// namespaces compared case-insensitively, like their names) and the
// service name. Callers hold the lock.
func (s *Store) discoverTarget(namespaceName, serviceName, ownerAccount *string) (*namespace, *service, error) {
	if namespaceName == nil {
		return nil, nil, errRequired("namespaceName")
	}
	if serviceName == nil {
		return nil, nil, errRequired("serviceName")
	}
	if err := validOwnerAccount(ownerAccount); err != nil {
		return nil, nil, err
	}
	if ownerAccount != nil && *ownerAccount != s.account {
		return nil, nil, errNamespaceNotFound(*namespaceName)
	}
	var ns *namespace
	for _, cand := range s.sortedNamespaces() {
		if httpNameOf(cand) == *namespaceName {
			ns = cand
			break
		}
		if ns == nil && cand.isDNS() && sameDomain(httpNameOf(cand), *namespaceName) {
			ns = cand
		}
	}
	if ns == nil {
		return nil, nil, errNamespaceNotFound(*namespaceName)
	}
	for _, svc := range s.services {
		if deref(svc.NamespaceId) == deref(ns.Id) && sameServiceName(ns, deref(svc.Name), *serviceName) {
			return ns, svc, nil
		}
	}
	return nil, nil, errServiceNotFound(*serviceName)
}

// DiscoverInstances filters a service's instances by QueryParameters (all
// must match), then by health, then by OptionalParameters (only if some
// instance matches them), and returns them in random order.
//
// HealthStatus defaults to HEALTHY and is ignored for services without a
// health check, whose instances all report UNKNOWN.
func (s *Store) DiscoverInstances(_ context.Context, in *sd.DiscoverInstancesInput) (*sd.DiscoverInstancesOutput, error) {
	limit := defaultDiscoverResults
	if in.MaxResults != nil {
		limit = int(*in.MaxResults)
		if limit < 1 || limit > maxDiscoverResults {
			return nil, errValidation(limit, "maxResults", "Member must have value between 1 and 1000")
		}
	}
	filter := in.HealthStatus
	switch filter {
	case "":
		filter = types.HealthStatusFilterHealthy
	case types.HealthStatusFilterHealthy, types.HealthStatusFilterUnhealthy, types.HealthStatusFilterAll, types.HealthStatusFilterHealthyOrElseAll:
	default:
		return nil, errValidation(filter, "healthStatus", "Member must satisfy enum value set: [HEALTHY, UNHEALTHY, ALL, HEALTHY_OR_ELSE_ALL]")
	}
	for _, params := range []map[string]string{in.QueryParameters, in.OptionalParameters} {
		for k, v := range params {
			if err := validAttributeKey(k, "queryParameters.key"); err != nil {
				return nil, err
			}
			if err := validAttributeValue(v, "queryParameters.value"); err != nil {
				return nil, err
			}
		}
	}

	unlock := s.lock()
	defer unlock()
	ns, svc, err := s.discoverTarget(in.NamespaceName, in.ServiceName, in.OwnerAccount)
	if err != nil {
		return nil, err
	}
	var matched []*instance
	for _, inst := range sortedInstances(svc) {
		if hasAttributes(inst, in.QueryParameters) {
			matched = append(matched, inst)
		}
	}
	if svc.hasHealthCheck() && filter != types.HealthStatusFilterAll {
		matched = byHealth(matched, filter)
	}
	if len(in.OptionalParameters) > 0 {
		var optional []*instance
		for _, inst := range matched {
			if hasAttributes(inst, in.OptionalParameters) {
				optional = append(optional, inst)
			}
		}
		if len(optional) > 0 {
			matched = optional
		}
	}
	rand.Shuffle(len(matched), func(i, j int) { matched[i], matched[j] = matched[j], matched[i] })
	matched = matched[:min(len(matched), limit)]

	out := make([]types.HttpInstanceSummary, 0, len(matched))
	for _, inst := range matched {
		out = append(out, types.HttpInstanceSummary{
			InstanceId:    ptr(deref(inst.Id)),
			NamespaceName: ptr(httpNameOf(ns)),
			ServiceName:   ptr(deref(svc.Name)),
			HealthStatus:  healthOf(svc, inst),
			Attributes:    maps.Clone(inst.Attributes),
		})
	}
	return &sd.DiscoverInstancesOutput{Instances: out, InstancesRevision: ptr(svc.revision)}, nil
}

// byHealth keeps the instances the filter asks for; HEALTHY_OR_ELSE_ALL
// "fails open" to all of them when none is healthy.
func byHealth(insts []*instance, filter types.HealthStatusFilter) []*instance {
	want := types.HealthStatusHealthy
	if filter == types.HealthStatusFilterUnhealthy {
		want = types.HealthStatusUnhealthy
	}
	var out []*instance
	for _, inst := range insts {
		if inst.health == want {
			out = append(out, inst)
		}
	}
	if len(out) == 0 && filter == types.HealthStatusFilterHealthyOrElseAll {
		return insts
	}
	return out
}

// hasAttributes reports whether the instance has every key with exactly
// the given value.
func hasAttributes(inst *instance, want map[string]string) bool {
	for k, v := range want {
		if got, ok := inst.Attributes[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func (s *Store) DiscoverInstancesRevision(_ context.Context, in *sd.DiscoverInstancesRevisionInput) (*sd.DiscoverInstancesRevisionOutput, error) {
	unlock := s.lock()
	defer unlock()
	_, svc, err := s.discoverTarget(in.NamespaceName, in.ServiceName, in.OwnerAccount)
	if err != nil {
		return nil, err
	}
	return &sd.DiscoverInstancesRevisionOutput{InstancesRevision: ptr(svc.revision)}, nil
}
