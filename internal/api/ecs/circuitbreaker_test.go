package ecs

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The circuit breaker's bookkeeping without containers or clocks: failures
// count per deployment, a settled task resets them, the threshold trips the
// primary, and rollback revives the last COMPLETED deployment.
func TestCircuitBreakerBookkeeping(t *testing.T) {
	now := time.Unix(1700000000, 0)
	newSvc := func(rollback bool) *Service {
		svc := &Service{}
		svc.DesiredCount = 4
		svc.DeploymentConfiguration = &types.DeploymentConfiguration{DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: rollback}}
		done := now.Add(-time.Hour)
		svc.Deployments = []types.Deployment{
			{Id: ptr("ecs-svc/2"), Status: ptr("PRIMARY"), RolloutState: types.DeploymentRolloutStateInProgress, TaskDefinition: ptr("td:2"), CreatedAt: &now},
			{Id: ptr("ecs-svc/1"), Status: ptr("ACTIVE"), RolloutState: types.DeploymentRolloutStateCompleted, TaskDefinition: ptr("td:1"), CreatedAt: &done},
		}
		svc.TaskDefinition = ptr("td:2")
		svc.History = []ServiceDeploymentRecord{{DeploymentID: "ecs-svc/2"}}
		svc.History[0].Status = types.ServiceDeploymentStatusInProgress
		svc.History[0].DeploymentCircuitBreaker = &types.ServiceDeploymentCircuitBreaker{Status: types.ServiceDeploymentRollbackMonitorsStatusMonitoring, Threshold: 3}
		return svc
	}

	svc := newSvc(true)
	RecordTaskFailure(svc, "ecs-svc/2", now)
	RecordTaskFailure(svc, "ecs-svc/2", now)
	if BreakerTripped(svc) {
		t.Fatal("tripped after 2 failures; the threshold for desired 4 is 3")
	}
	if !ResetTaskFailures(svc, "ecs-svc/2") || svc.Deployments[0].FailedTasks != 0 || svc.History[0].DeploymentCircuitBreaker.FailureCount != 0 {
		t.Fatalf("a settled task did not reset the count: %+v", svc.Deployments[0])
	}
	for range 3 {
		RecordTaskFailure(svc, "ecs-svc/2", now)
	}
	if !BreakerTripped(svc) {
		t.Fatal("not tripped after 3 consecutive failures")
	}
	failed, target := TripCircuitBreaker(svc, now)
	if failed != "ecs-svc/2" || target != "ecs-svc/1" {
		t.Fatalf("tripped %q, rolled back to %q", failed, target)
	}
	p := primary(svc)
	if deref(p.Id) != "ecs-svc/1" || p.RolloutState != types.DeploymentRolloutStateInProgress || deref(svc.TaskDefinition) != "td:1" ||
		deref(p.RolloutStateReason) != "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1." {
		t.Fatalf("after rollback the primary is %+v", p)
	}
	if d := svc.Deployments[1]; d.RolloutState != types.DeploymentRolloutStateFailed || deref(d.Status) != "ACTIVE" {
		t.Fatalf("the failed deployment is %+v", d)
	}
	if h := svc.History[0]; h.Status != types.ServiceDeploymentStatusRollbackInProgress || h.DeploymentCircuitBreaker.Status != types.ServiceDeploymentRollbackMonitorsStatusTriggered {
		t.Fatalf("history: %+v", h)
	}
	if CompletePrimary(svc, now) != "ecs-svc/1" || len(svc.Deployments) != 1 || svc.History[0].Status != types.ServiceDeploymentStatusRollbackSuccessful {
		t.Fatalf("completing the rollback: %+v %+v", svc.Deployments, svc.History[0].Status)
	}

	noRollback := newSvc(false)
	for range 3 {
		RecordTaskFailure(noRollback, "ecs-svc/2", now)
	}
	if _, target := TripCircuitBreaker(noRollback, now); target != "" || primary(noRollback).RolloutState != types.DeploymentRolloutStateFailed ||
		noRollback.History[0].Status != types.ServiceDeploymentStatusStopped {
		t.Fatalf("without rollback: target %q, primary %+v", target, primary(noRollback))
	}
}

func TestCircuitBreakerThreshold(t *testing.T) {
	for desired, want := range map[int32]int32{0: 3, 1: 3, 4: 3, 5: 3, 6: 3, 7: 4, 25: 13, 400: 200, 800: 200} {
		if got := CircuitBreakerThreshold(desired); got != want {
			t.Errorf("threshold(%d) = %d, want %d", desired, got, want)
		}
	}
}
