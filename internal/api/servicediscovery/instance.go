package servicediscovery

import (
	"cmp"
	"context"
	"maps"
	"slices"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/localaws/ecsemu/internal/clone"
)

// registration is one RegisterInstance, from the wire or from ECS.
type registration struct {
	serviceRef, instanceID string
	attributes             map[string]string
	creatorRequestID       string
}

// register validates and applies a registration (a new instance or the
// replacement of an existing one's attributes and health check) and
// returns the REGISTER_INSTANCE operation. Callers hold the lock.
func (s *Store) register(r registration) (string, error) {
	svc, err := s.lookupService(r.serviceRef)
	if err != nil {
		return "", err
	}
	ns := s.namespaceOf(svc)
	if err := validAttributesForService(r.attributes, svc, ns); err != nil {
		return "", err
	}
	svcID := deref(svc.Id)
	if op := s.inFlight(types.OperationTypeRegisterInstance, r.creatorRequestID, string(types.OperationTargetTypeInstance), r.instanceID); op != nil && op.serviceID == svcID {
		return "", errDuplicateRequest(op.id)
	}
	inst, exists := svc.instances[r.instanceID]
	if !exists {
		if len(svc.instances) >= maxInstancesPerService {
			return "", errResourceLimitExceeded("The limit of %d instances per service has been reached", maxInstancesPerService)
		}
		inst = &instance{seq: s.nextSeq()}
		svc.instances[r.instanceID] = inst
	}
	inst.Instance = types.Instance{
		Id:               ptr(r.instanceID),
		Attributes:       maps.Clone(r.attributes),
		CreatedByAccount: ptr(s.account),
	}
	if r.creatorRequestID != "" {
		inst.CreatorRequestId = ptr(r.creatorRequestID)
	}
	// Registering again replaces the health check, so the status starts
	// over: AWS_INIT_HEALTH_STATUS (default HEALTHY) for a custom check, a
	// healthy Route 53 check otherwise.
	inst.health = types.HealthStatusHealthy
	if svc.HealthCheckCustomConfig != nil && r.attributes[AttrInitHealthStatus] == string(types.CustomHealthStatusUnhealthy) {
		inst.health = types.HealthStatusUnhealthy
	}
	svc.revision++
	s.touch(kindService, svcID)
	s.touchInstance(svcID, r.instanceID)
	if svc.servesDNS() {
		s.dnsChangedIn(ns)
	}
	return s.newOperation(types.OperationTypeRegisterInstance, map[string]string{
		string(types.OperationTargetTypeInstance): r.instanceID,
		string(types.OperationTargetTypeService):  svcID,
	}, deref(svc.NamespaceId), svcID, r.creatorRequestID), nil
}

// deregister removes an instance and returns the DEREGISTER_INSTANCE
// operation. Callers hold the lock.
func (s *Store) deregister(serviceRef, instanceID string) (string, error) {
	svc, _, err := s.lookupInstance(serviceRef, instanceID)
	if err != nil {
		return "", err
	}
	delete(svc.instances, instanceID)
	svc.revision++
	s.touch(kindService, deref(svc.Id))
	s.touchInstance(deref(svc.Id), instanceID)
	if svc.servesDNS() {
		s.dnsChangedIn(s.namespaceOf(svc))
	}
	svcID := deref(svc.Id)
	return s.newOperation(types.OperationTypeDeregisterInstance, map[string]string{
		string(types.OperationTargetTypeInstance): instanceID,
		string(types.OperationTargetTypeService):  svcID,
	}, deref(svc.NamespaceId), svcID, ""), nil
}

// healthOf is an instance's status as GetInstancesHealthStatus and
// DiscoverInstances report it: UNKNOWN without a health check.
func healthOf(svc *service, inst *instance) types.HealthStatus {
	if !svc.hasHealthCheck() {
		return types.HealthStatusUnknown
	}
	return inst.health
}

func (s *Store) RegisterInstance(_ context.Context, in *sd.RegisterInstanceInput) (*sd.RegisterInstanceOutput, error) {
	if err := validRequiredID(in.ServiceId, "serviceId"); err != nil {
		return nil, err
	}
	if err := validInstanceID(in.InstanceId); err != nil {
		return nil, err
	}
	if in.Attributes == nil {
		return nil, errRequired("attributes")
	}
	if err := validLength(in.CreatorRequestId, "creatorRequestId", 64); err != nil {
		return nil, err
	}
	if err := validInstanceAttributes(in.Attributes); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	opID, err := s.register(registration{
		serviceRef: *in.ServiceId, instanceID: *in.InstanceId,
		attributes: in.Attributes, creatorRequestID: deref(in.CreatorRequestId),
	})
	if err != nil {
		return nil, err
	}
	return &sd.RegisterInstanceOutput{OperationId: &opID}, nil
}

func (s *Store) DeregisterInstance(_ context.Context, in *sd.DeregisterInstanceInput) (*sd.DeregisterInstanceOutput, error) {
	if err := validRequiredID(in.ServiceId, "serviceId"); err != nil {
		return nil, err
	}
	if err := validInstanceID(in.InstanceId); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	opID, err := s.deregister(*in.ServiceId, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	return &sd.DeregisterInstanceOutput{OperationId: &opID}, nil
}

func (s *Store) GetInstance(_ context.Context, in *sd.GetInstanceInput) (*sd.GetInstanceOutput, error) {
	if err := validRequiredID(in.ServiceId, "serviceId"); err != nil {
		return nil, err
	}
	if err := validInstanceID(in.InstanceId); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	_, inst, err := s.lookupInstance(*in.ServiceId, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	v := clone.Of(inst.Instance)
	return &sd.GetInstanceOutput{Instance: &v, ResourceOwner: ptr(s.account)}, nil
}

// sortedInstances returns a service's instances in registration order.
// Callers hold the lock.
func sortedInstances(svc *service) []*instance {
	out := slices.Collect(maps.Values(svc.instances))
	slices.SortFunc(out, func(a, b *instance) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

func (s *Store) ListInstances(_ context.Context, in *sd.ListInstancesInput) (*sd.ListInstancesOutput, error) {
	if err := validRequiredID(in.ServiceId, "serviceId"); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	svc, err := s.lookupService(*in.ServiceId)
	if err != nil {
		return nil, err
	}
	var out []types.InstanceSummary
	for _, inst := range sortedInstances(svc) {
		out = append(out, types.InstanceSummary{
			Id:               ptr(deref(inst.Id)),
			Attributes:       maps.Clone(inst.Attributes),
			CreatedByAccount: ptr(s.account),
		})
	}
	pg, token, err := page(out, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	return &sd.ListInstancesOutput{Instances: nonNil(pg), NextToken: token, ResourceOwner: ptr(s.account)}, nil
}

func (s *Store) GetInstancesHealthStatus(_ context.Context, in *sd.GetInstancesHealthStatusInput) (*sd.GetInstancesHealthStatusOutput, error) {
	if err := validRequiredID(in.ServiceId, "serviceId"); err != nil {
		return nil, err
	}
	if in.Instances != nil && len(in.Instances) == 0 {
		return nil, errValidation("[]", "instances", "Member must have length greater than or equal to 1")
	}
	for _, id := range in.Instances {
		if err := validInstanceID(&id); err != nil {
			return nil, err
		}
	}
	unlock := s.lock()
	defer unlock()
	svc, err := s.lookupService(*in.ServiceId)
	if err != nil {
		return nil, err
	}
	var chosen []*instance
	if in.Instances == nil {
		chosen = sortedInstances(svc)
	} else {
		seen := map[string]bool{}
		for _, id := range in.Instances {
			inst, ok := svc.instances[id]
			if !ok {
				return nil, errInstanceNotFound(deref(svc.Id), id)
			}
			if !seen[id] {
				seen[id] = true
				chosen = append(chosen, inst)
			}
		}
	}
	pg, token, err := page(chosen, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	status := make(map[string]types.HealthStatus, len(pg))
	for _, inst := range pg {
		status[deref(inst.Id)] = healthOf(svc, inst)
	}
	return &sd.GetInstancesHealthStatusOutput{Status: status, NextToken: token}, nil
}

// UpdateInstanceCustomHealthStatus sets a custom health status. AWS applies
// it about 30 seconds later; the emulator applies it at once, so that ECS
// health changes reach DiscoverInstances and DNS without delay.
func (s *Store) UpdateInstanceCustomHealthStatus(_ context.Context, in *sd.UpdateInstanceCustomHealthStatusInput) (*sd.UpdateInstanceCustomHealthStatusOutput, error) {
	if err := validRequiredID(in.ServiceId, "serviceId"); err != nil {
		return nil, err
	}
	if err := validInstanceID(in.InstanceId); err != nil {
		return nil, err
	}
	if in.Status != types.CustomHealthStatusHealthy && in.Status != types.CustomHealthStatusUnhealthy {
		return nil, errValidation(in.Status, "status", "Member must satisfy enum value set: [HEALTHY, UNHEALTHY]")
	}
	unlock := s.lock()
	defer unlock()
	svc, inst, err := s.lookupInstance(*in.ServiceId, *in.InstanceId)
	if err != nil {
		return nil, err
	}
	if svc.HealthCheckCustomConfig == nil {
		return nil, errCustomHealthNotFound(deref(svc.Id))
	}
	s.setHealth(svc, inst, types.HealthStatus(in.Status))
	return &sd.UpdateInstanceCustomHealthStatusOutput{}, nil
}

// setHealth changes an instance's status, telling DNS when it changed.
// Callers hold the lock.
func (s *Store) setHealth(svc *service, inst *instance, status types.HealthStatus) {
	if inst.health == status {
		return
	}
	inst.health = status
	s.touchInstance(deref(svc.Id), deref(inst.Id))
	if svc.servesDNS() {
		s.dnsChangedIn(s.namespaceOf(svc))
	}
}
