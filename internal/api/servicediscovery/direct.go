package servicediscovery

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

// The in-process interface ECS uses to keep a service's registry in step
// with its tasks, without the AWS wire. serviceRef is a service ID or ARN
// (ECS holds serviceRegistries[].registryArn; API.StoreForService finds the
// store of an ARN). Errors are the same SDK error values the API returns:
// *types.ServiceNotFound, *types.InstanceNotFound, *types.InvalidInput,
// *types.ResourceLimitExceeded, *types.CustomHealthNotFound.

// RegisterInstanceDirect registers (or re-registers) an instance exactly
// as RegisterInstance does, with the same validation of the attributes
// against the service's DNS and health check configuration, and records a
// REGISTER_INSTANCE operation. ECS uses the task ID as instanceID.
func (s *Store) RegisterInstanceDirect(_ context.Context, serviceRef, instanceID string, attributes map[string]string) error {
	if err := validRequiredID(&serviceRef, "serviceId"); err != nil {
		return err
	}
	if err := validInstanceID(&instanceID); err != nil {
		return err
	}
	if err := validInstanceAttributes(attributes); err != nil {
		return err
	}
	unlock := s.lock()
	defer unlock()
	_, err := s.register(registration{serviceRef: serviceRef, instanceID: instanceID, attributes: attributes})
	return err
}

// DeregisterInstanceDirect removes an instance as DeregisterInstance does.
// An instance that is not registered yields *types.InstanceNotFound, which
// a caller cleaning up may treat as success.
func (s *Store) DeregisterInstanceDirect(_ context.Context, serviceRef, instanceID string) error {
	unlock := s.lock()
	defer unlock()
	_, err := s.deregister(serviceRef, instanceID)
	return err
}

// SetInstanceHealth sets an instance's health. For a service with
// HealthCheckCustomConfig it is UpdateInstanceCustomHealthStatus (applied
// at once); for a service with a Route 53 HealthCheckConfig, which the
// emulator does not probe, it sets the check's result. A service without
// any health check yields *types.CustomHealthNotFound: its instances are
// always UNKNOWN, and ECS should not push health for them.
func (s *Store) SetInstanceHealth(_ context.Context, serviceRef, instanceID string, status types.CustomHealthStatus) error {
	if status != types.CustomHealthStatusHealthy && status != types.CustomHealthStatusUnhealthy {
		return errValidation(status, "status", "Member must satisfy enum value set: [HEALTHY, UNHEALTHY]")
	}
	unlock := s.lock()
	defer unlock()
	svc, inst, err := s.lookupInstance(serviceRef, instanceID)
	if err != nil {
		return err
	}
	if !svc.hasHealthCheck() {
		return errCustomHealthNotFound(deref(svc.Id))
	}
	s.setHealth(svc, inst, types.HealthStatus(status))
	return nil
}
