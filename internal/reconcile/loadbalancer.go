package reconcile

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/api/elbv2"
)

// LoadBalancerHook does what ECS does to a service's target groups: it
// registers each task's IP and container port when the task activates,
// deregisters it when the task deactivates and holds the task in
// DEACTIVATING until the target has drained (deregistration delay, or at
// once when it has nothing in flight). It is also a HealthSource: a task
// with load balancers is healthy when its target is healthy in every group.
type LoadBalancerHook struct {
	elb   *elbv2.API
	log   *slog.Logger
	event func(serviceARN, message string)
}

// NewLoadBalancerHook returns the hook; event records a service event.
func NewLoadBalancerHook(elb *elbv2.API, log *slog.Logger, event func(serviceARN, message string)) *LoadBalancerHook {
	return &LoadBalancerHook{elb: elb, log: log, event: event}
}

// target is the task's registration in one target group.
func target(t ecsapi.Task, lb types.LoadBalancer) elbv2.TargetKey {
	return elbv2.TargetKey{ID: taskIP(t), Port: deref(lb.ContainerPort)}
}

// Activate registers the task in every target group of its service.
func (h *LoadBalancerHook) Activate(ctx context.Context, t ecsapi.Task) (bool, error) {
	for _, lb := range t.LoadBalancers {
		tg := deref(lb.TargetGroupArn)
		if err := h.elb.RegisterTargetDirect(ctx, tg, target(t, lb)); err != nil {
			return false, fmt.Errorf("registering %s in %s: %w", taskIP(t), tg, err)
		}
		h.event(t.ServiceARN, fmt.Sprintf("(service %s) registered 1 targets in (target-group %s)", lastElem(t.ServiceARN), tg))
	}
	return true, nil
}

// Deactivate deregisters the task's targets and reports done once every
// one has finished draining.
func (h *LoadBalancerHook) Deactivate(ctx context.Context, t ecsapi.Task) (bool, error) {
	done := true
	for _, lb := range t.LoadBalancers {
		tg, key := deref(lb.TargetGroupArn), target(t, lb)
		st, err := h.elb.TargetStatus(tg, key)
		if err != nil || !st.Registered {
			continue // the group or the registration is gone: nothing to drain
		}
		done = false
		if st.Draining {
			continue
		}
		if err := h.elb.DeregisterTargetDirect(ctx, tg, key); err != nil {
			return false, fmt.Errorf("deregistering %s from %s: %w", key.ID, tg, err)
		}
		svc := lastElem(t.ServiceARN)
		h.event(t.ServiceARN, fmt.Sprintf("(service %s) has begun draining connections on 1 tasks.", svc))
		h.event(t.ServiceARN, fmt.Sprintf("(service %s) deregistered 1 targets in (target-group %s)", svc, tg))
	}
	return done, nil
}

// Observe has nothing to do: the data plane reports target health.
func (h *LoadBalancerHook) Observe(context.Context, ecsapi.Task) {}

// TaskHealth is the task's target health: checked when the task has load
// balancers, healthy when healthy in every group, failed when unhealthy in
// one (ECS then replaces it, after the grace period).
func (h *LoadBalancerHook) TaskHealth(t ecsapi.Task) (checked, healthy bool, failure string) {
	if len(t.LoadBalancers) == 0 || taskIP(t) == "" {
		return len(t.LoadBalancers) > 0, false, ""
	}
	healthy = true
	for _, lb := range t.LoadBalancers {
		tg := deref(lb.TargetGroupArn)
		st, err := h.elb.TargetStatus(tg, target(t, lb))
		if err != nil || st.State != "healthy" {
			healthy = false
		}
		if err == nil && st.State == "unhealthy" && failure == "" {
			failure = "Task failed ELB health checks in (target-group " + tg + ")"
		}
	}
	return true, healthy, failure
}
