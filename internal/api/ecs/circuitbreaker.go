package ecs

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The deployment circuit breaker (spec §3.2.4). Failed tasks are counted
// per deployment in failedTasks (consecutive failures: a task of the
// deployment that settles resets the count). When the primary deployment's
// count reaches the threshold the deployment FAILS; with rollback the last
// COMPLETED deployment becomes PRIMARY again.

// Reasons and events with ECS's wording.
const (
	reasonBreakerFailed = "ECS deployment circuit breaker: tasks failed to start."
)

// RecordTaskFailure counts a failed task against the deployment that
// started it.
func RecordTaskFailure(svc *Service, deploymentID string, now time.Time) {
	for i := range svc.Deployments {
		d := &svc.Deployments[i]
		if deref(d.Id) == deploymentID {
			d.FailedTasks++
			d.UpdatedAt = &now
		}
	}
	if h := historyOf(svc, deploymentID); h != nil && h.DeploymentCircuitBreaker != nil {
		h.DeploymentCircuitBreaker.FailureCount++
	}
}

// ResetTaskFailures clears a deployment's consecutive failure count after
// one of its tasks settled; it reports whether anything changed.
func ResetTaskFailures(svc *Service, deploymentID string) bool {
	changed := false
	for i := range svc.Deployments {
		d := &svc.Deployments[i]
		if deref(d.Id) == deploymentID && d.FailedTasks > 0 && d.RolloutState == types.DeploymentRolloutStateInProgress {
			d.FailedTasks, changed = 0, true
		}
	}
	if h := historyOf(svc, deploymentID); changed && h != nil && h.DeploymentCircuitBreaker != nil {
		h.DeploymentCircuitBreaker.FailureCount = 0
	}
	return changed
}

// BreakerTripped says whether the primary deployment has reached its
// circuit breaker threshold and has not been failed yet.
func BreakerTripped(svc *Service) bool {
	cb := svc.DeploymentConfiguration.DeploymentCircuitBreaker
	d := primary(svc)
	return cb != nil && cb.Enable && d != nil && d.RolloutState == types.DeploymentRolloutStateInProgress &&
		d.FailedTasks >= CircuitBreakerThreshold(svc.DesiredCount)
}

// TripCircuitBreaker fails the primary deployment and, when rollback is on
// and a COMPLETED deployment is still there, makes that one PRIMARY again.
// It returns the failed deployment's ID and the one rolled back to ("" when
// there is none).
func TripCircuitBreaker(svc *Service, now time.Time) (failed, rolledBackTo string) {
	d := primary(svc)
	if d == nil {
		return "", ""
	}
	failed = deref(d.Id)
	d.RolloutState, d.RolloutStateReason, d.UpdatedAt = types.DeploymentRolloutStateFailed, ptr(reasonBreakerFailed), &now
	h := historyOf(svc, failed)
	if h != nil {
		h.DeploymentCircuitBreaker.Status = types.ServiceDeploymentRollbackMonitorsStatusTriggered
		h.UpdatedAt = &now
	}
	target := lastCompleted(svc)
	if !svc.DeploymentConfiguration.DeploymentCircuitBreaker.Rollback || target == nil {
		if h != nil {
			h.Status, h.StatusReason, h.StoppedAt = types.ServiceDeploymentStatusStopped, ptr(reasonBreakerFailed), &now
		}
		return failed, ""
	}
	rolledBackTo = deref(target.Id)
	d.Status = ptr("ACTIVE")
	target.Status = ptr("PRIMARY")
	target.RolloutState = types.DeploymentRolloutStateInProgress
	target.RolloutStateReason = ptr("ECS deployment circuit breaker: rolling back to deploymentId " + rolledBackTo + ".")
	target.DesiredCount, target.UpdatedAt = svc.DesiredCount, &now
	svc.TaskDefinition = target.TaskDefinition
	svc.RollingBackFrom = failed
	if h != nil {
		h.Status, h.StatusReason = types.ServiceDeploymentStatusRollbackInProgress, ptr(reasonBreakerFailed)
		h.Rollback = &types.Rollback{Reason: ptr(reasonBreakerFailed), StartedAt: &now, ServiceRevisionArn: h.SourceRevisionARN()}
	}
	primaryFirst(svc)
	return failed, rolledBackTo
}

// lastCompleted is the newest deployment whose rollout COMPLETED, other
// than the primary.
func lastCompleted(svc *Service) *types.Deployment {
	var best *types.Deployment
	for i := range svc.Deployments {
		d := &svc.Deployments[i]
		if deref(d.Status) != "PRIMARY" && d.RolloutState == types.DeploymentRolloutStateCompleted &&
			(best == nil || d.CreatedAt.After(deref(best.CreatedAt))) {
			best = d
		}
	}
	return best
}

// primaryFirst keeps the PRIMARY deployment at the head of the list, as
// DescribeServices shows it.
func primaryFirst(svc *Service) {
	for i := range svc.Deployments {
		if deref(svc.Deployments[i].Status) == "PRIMARY" && i > 0 {
			p := svc.Deployments[i]
			copy(svc.Deployments[1:i+1], svc.Deployments[:i])
			svc.Deployments[0] = p
			return
		}
	}
}

// historyOf finds the service deployment record of a deployment.
func historyOf(svc *Service, deploymentID string) *ServiceDeploymentRecord {
	for i := range svc.History {
		if svc.History[i].DeploymentID == deploymentID {
			return &svc.History[i]
		}
	}
	return nil
}

// SourceRevisionARN is the revision a rollback returns to: the first source
// revision of the service deployment.
func (h *ServiceDeploymentRecord) SourceRevisionARN() *string {
	if len(h.SourceServiceRevisions) == 0 {
		return nil
	}
	return h.SourceServiceRevisions[0].Arn
}
