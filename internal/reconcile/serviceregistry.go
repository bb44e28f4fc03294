package reconcile

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
)

// ServiceRegistryHook registers the tasks of services with
// serviceRegistries in Cloud Map, as ECS does: a task becomes an instance
// (ID = task ID) once it runs and, if it has health checks, passes them;
// its custom health follows the container health check; it is deregistered
// as soon as the task starts deactivating, before its containers stop.
type ServiceRegistryHook struct {
	cm  *servicediscovery.API
	log *slog.Logger

	mu         sync.Mutex
	registered map[string]sdtypes.CustomHealthStatus // task ARN → health last reported
}

// NewServiceRegistryHook returns the hook for a Cloud Map API.
func NewServiceRegistryHook(cm *servicediscovery.API, log *slog.Logger) *ServiceRegistryHook {
	return &ServiceRegistryHook{cm: cm, log: log, registered: map[string]sdtypes.CustomHealthStatus{}}
}

// Activate registers a task without health checks; one with health checks
// waits until Observe sees it HEALTHY.
func (h *ServiceRegistryHook) Activate(ctx context.Context, t ecsapi.Task) (bool, error) {
	if len(t.ServiceRegistries) > 0 && !hasHealthCheck(&t) {
		h.register(ctx, t, sdtypes.CustomHealthStatusHealthy)
	}
	return true, nil
}

// Observe registers a task that turned HEALTHY and keeps custom health in
// step with the task's health.
func (h *ServiceRegistryHook) Observe(ctx context.Context, t ecsapi.Task) {
	if len(t.ServiceRegistries) == 0 || !hasHealthCheck(&t) {
		return
	}
	health := sdtypes.CustomHealthStatusUnhealthy
	if containersHealthy(&t) {
		health = sdtypes.CustomHealthStatusHealthy
	}
	h.mu.Lock()
	last, known := h.registered[*t.TaskArn]
	h.mu.Unlock()
	switch {
	case !known && health == sdtypes.CustomHealthStatusHealthy:
		h.register(ctx, t, health)
	case !known:
		// Not registered by this run, but maybe by the one before a
		// restart: its instance must not stay HEALTHY.
		h.setHealth(ctx, t, health)
	case last != health:
		h.setHealth(ctx, t, health)
	}
}

// Deactivate deregisters the task from every registry. Cloud Map is asked,
// not what this run registered: a task adopted after a restart was
// registered by the run before.
func (h *ServiceRegistryHook) Deactivate(ctx context.Context, t ecsapi.Task) (bool, error) {
	h.mu.Lock()
	delete(h.registered, *t.TaskArn)
	h.mu.Unlock()
	for _, reg := range t.ServiceRegistries {
		err := h.withStore(deref(reg.RegistryArn), func(s *servicediscovery.Store) error {
			return s.DeregisterInstanceDirect(ctx, deref(reg.RegistryArn), ecsapi.TaskID(*t.TaskArn))
		})
		var gone *sdtypes.InstanceNotFound
		if err != nil && !errors.As(err, &gone) {
			h.log.Warn("deregistering a task from Cloud Map failed", "task", ecsapi.TaskID(*t.TaskArn), "registry", deref(reg.RegistryArn), "err", err)
		}
	}
	return true, nil
}

func (h *ServiceRegistryHook) register(ctx context.Context, t ecsapi.Task, health sdtypes.CustomHealthStatus) {
	for _, reg := range t.ServiceRegistries {
		attrs := instanceAttributes(t, reg, health)
		err := h.withStore(deref(reg.RegistryArn), func(s *servicediscovery.Store) error {
			return s.RegisterInstanceDirect(ctx, deref(reg.RegistryArn), ecsapi.TaskID(*t.TaskArn), attrs)
		})
		if err != nil {
			h.log.Warn("registering a task in Cloud Map failed", "task", ecsapi.TaskID(*t.TaskArn), "registry", deref(reg.RegistryArn), "err", err)
		}
	}
	h.mu.Lock()
	h.registered[*t.TaskArn] = health
	h.mu.Unlock()
}

// setHealth reports a registered task's health. A task whose instance is
// missing stays unknown, so that it is registered once HEALTHY.
func (h *ServiceRegistryHook) setHealth(ctx context.Context, t ecsapi.Task, health sdtypes.CustomHealthStatus) {
	missing := false
	for _, reg := range t.ServiceRegistries {
		err := h.withStore(deref(reg.RegistryArn), func(s *servicediscovery.Store) error {
			return s.SetInstanceHealth(ctx, deref(reg.RegistryArn), ecsapi.TaskID(*t.TaskArn), health)
		})
		var noCustom *sdtypes.CustomHealthNotFound
		var gone *sdtypes.InstanceNotFound
		missing = missing || errors.As(err, &gone)
		if err != nil && !errors.As(err, &noCustom) && !errors.As(err, &gone) {
			h.log.Warn("updating a task's Cloud Map health failed", "task", ecsapi.TaskID(*t.TaskArn), "err", err)
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if missing {
		delete(h.registered, *t.TaskArn)
		return
	}
	h.registered[*t.TaskArn] = health
}

func (h *ServiceRegistryHook) withStore(registry string, fn func(*servicediscovery.Store) error) error {
	s, err := h.cm.StoreForService(registry)
	if err != nil {
		return err
	}
	return fn(s)
}

// instanceAttributes are the attributes ECS gives a task's instance
// (spec §3.2.7).
func instanceAttributes(t ecsapi.Task, reg types.ServiceRegistry, health sdtypes.CustomHealthStatus) map[string]string {
	attrs := map[string]string{
		"AWS_INSTANCE_IPV4":          taskIP(t),
		"AVAILABILITY_ZONE":          deref(t.AvailabilityZone),
		"REGION":                     regionOf(*t.TaskArn),
		"ECS_SERVICE_NAME":           lastElem(t.ServiceARN),
		"ECS_CLUSTER_NAME":           clusterName(deref(t.ClusterArn)),
		"ECS_TASK_DEFINITION_FAMILY": deref(t.Definition.Family),
		"AWS_INIT_HEALTH_STATUS":     string(health),
	}
	if port := registryPort(t, reg); port != 0 {
		attrs["AWS_INSTANCE_PORT"] = strconv.Itoa(int(port))
	}
	return attrs
}

// registryPort is the registry's port, else its container port, else the
// first port mapping of the task.
func registryPort(t ecsapi.Task, reg types.ServiceRegistry) int32 {
	if reg.Port != nil {
		return *reg.Port
	}
	if reg.ContainerPort != nil {
		return *reg.ContainerPort
	}
	for _, cd := range t.Definition.ContainerDefinitions {
		for _, pm := range cd.PortMappings {
			if pm.ContainerPort != nil {
				return *pm.ContainerPort
			}
		}
	}
	return 0
}

// taskIP is the task's private IPv4 address from its ENI attachment.
func taskIP(t ecsapi.Task) string {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if deref(d.Name) == "privateIPv4Address" {
				return deref(d.Value)
			}
		}
	}
	return ""
}
