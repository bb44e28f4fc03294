package reconcile

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// failureMemory is how long a failed task counts against its service: the
// launch backoff is forgiven once the service ran this long without one.
const failureMemory = time.Minute

// forgivenessCheck is how often a service with launch failures is looked
// at for the end of its quiet spell.
const forgivenessCheck = 5 * time.Second

// reconcileService is the service scheduler: it keeps runningCount equal to
// desiredCount, rolls deployments within the envelope, replaces tasks that
// stop or fail their health checks, and reports what it does as events.
func (r *Reconciler) reconcileService(ctx context.Context, arn string) time.Duration {
	store := r.store(arn)
	now := r.now()
	svc, tasks, ok := store.ServiceSnapshot(arn, now.Add(-failureMemory))
	if !ok || deref(svc.Status) == "INACTIVE" || svc.SchedulingStrategy == types.SchedulingStrategyDaemon {
		r.targetGroups.track(arn, nil)
		return 0
	}
	r.targetGroups.track(arn, targetGroupsOf(&svc, tasks))
	prim := primaryDeployment(&svc)
	if prim == nil {
		return 0
	}
	health := r.healthOfAll(tasks)
	infos := make([]taskInfo, len(tasks))
	requeue := time.Duration(0)
	for i := range tasks {
		infos[i] = r.describeForPlan(&svc, &tasks[i], health[i], now)
		// Look again when a grace period ends or a task settles.
		requeue = earliest(requeue, graceRemaining(&svc, &tasks[i], now))
		if left, _ := r.countsAsHealthy(&tasks[i], health[i], now); left > 0 {
			requeue = earliest(requeue, left)
		}
	}
	if svc.LaunchFailures > 0 {
		// The launch backoff is forgiven after a quiet spell, which no
		// store change marks: look now and then while it is owed.
		requeue = earliest(requeue, forgivenessCheck)
	}
	if r.runCircuitBreaker(store, &svc, tasks, health, now) {
		return time.Millisecond // plan again with the new deployments
	}
	dc := svc.DeploymentConfiguration
	env := newEnvelope(svc.DesiredCount, deref(dc.MinimumHealthyPercent), deref(dc.MaximumPercent))
	p := planService(env, deref(prim.Id), phaseOf(&svc, prim), infos)
	r.applyStops(store, &svc, p.Stops)
	if deref(svc.Status) == "DRAINING" {
		r.finishDraining(store, &svc, tasks)
		return requeue
	}
	if p.Launch > 0 {
		if wait := svc.NextLaunchAt.Sub(now); wait > 0 {
			return earliest(requeue, wait)
		}
		if wait := r.batches.wait(arn, now); wait > 0 {
			return earliest(requeue, wait)
		}
		n := min(p.Launch, launchBatch)
		r.batches.launched(arn, n, now)
		if p.Launch > n {
			requeue = earliest(requeue, launchBatchPause)
		}
		if _, err := store.LaunchServiceTasks(arn, deref(prim.Id), n); err != nil {
			r.log.Warn("launching service tasks failed", "service", deref(svc.ServiceName), "err", err)
		}
	}
	if p.Stalled {
		r.reportStall(store, &svc)
	}
	if p.Completed {
		r.completeDeployment(store, &svc, tasks)
	}
	return requeue
}

func phaseOf(svc *ecsapi.Service, prim *types.Deployment) phase {
	switch {
	case deref(svc.Status) == "DRAINING":
		return phaseDraining
	case prim.RolloutState == types.DeploymentRolloutStateFailed:
		return phaseFailed
	}
	return phaseRunning
}

// earliest is the sooner of two positive delays (0 means none).
func earliest(a, b time.Duration) time.Duration {
	if b > 0 && (a == 0 || b < a) {
		return b
	}
	return a
}

func primaryDeployment(svc *ecsapi.Service) *types.Deployment {
	for i := range svc.Deployments {
		if deref(svc.Deployments[i].Status) == "PRIMARY" {
			return &svc.Deployments[i]
		}
	}
	return nil
}

// describeForPlan reduces a task to what the planner needs.
func (r *Reconciler) describeForPlan(svc *ecsapi.Service, t *ecsapi.Task, h passHealth, now time.Time) taskInfo {
	running := deref(t.LastStatus) == "RUNNING"
	_, counts := r.countsAsHealthy(t, h, now)
	info := taskInfo{
		ARN:        *t.TaskArn,
		Deployment: deref(t.StartedBy),
		Active:     deref(t.DesiredStatus) != "STOPPED",
		Stopped:    deref(t.LastStatus) == "STOPPED",
		Running:    running,
		Ready:      running && h.passes,
		Healthy:    counts,
	}
	if running && graceRemaining(svc, t, now) <= 0 {
		info.FailReason = h.failure
	}
	return info
}

// containersHealthy says whether every essential container with a health
// check is HEALTHY.
func containersHealthy(t *ecsapi.Task) bool {
	for _, cd := range t.Definition.ContainerDefinitions {
		if cd.HealthCheck == nil || !essential(t.Definition, deref(cd.Name)) {
			continue
		}
		for _, c := range t.Containers {
			if deref(c.Name) == deref(cd.Name) && c.HealthStatus != types.HealthStatusHealthy {
				return false
			}
		}
	}
	return true
}

// DefaultSettleTime is how long ECS waits after a task without any health
// check reached RUNNING before counting it as healthy: towards
// minimumHealthyPercent, for a deployment's completion and steady state,
// and to reset the circuit breaker's failure count (ECS Developer Guide,
// "Deployment configuration": "the service scheduler will wait for 40
// seconds after a task reaches a RUNNING state"). A task with health checks
// (its containers' or a load balancer's) counts once they pass.
const DefaultSettleTime = 40 * time.Second

func (r *Reconciler) settleTime() time.Duration {
	if r.opts.SettleTime > 0 {
		return r.opts.SettleTime
	}
	return DefaultSettleTime
}

func hasHealthCheck(t *ecsapi.Task) bool {
	for _, cd := range t.Definition.ContainerDefinitions {
		if cd.HealthCheck != nil && essential(t.Definition, deref(cd.Name)) {
			return true
		}
	}
	return false
}

// graceRemaining is how long health failures of a task are still ignored
// (healthCheckGracePeriodSeconds after it started).
func graceRemaining(svc *ecsapi.Service, t *ecsapi.Task, now time.Time) time.Duration {
	if t.StartedAt == nil || svc.HealthCheckGracePeriodSeconds == nil {
		return 0
	}
	end := t.StartedAt.Add(time.Duration(*svc.HealthCheckGracePeriodSeconds) * time.Second)
	return end.Sub(now)
}

// applyStops stops tasks with ECS's codes and reasons and reports them in
// one event per reason.
func (r *Reconciler) applyStops(store *ecsapi.Store, svc *ecsapi.Service, stops []stopAction) {
	if len(stops) == 0 {
		return
	}
	var ids []string
	for _, s := range stops {
		reason := s.Reason
		if reason == reasonScaling {
			reason = fmt.Sprintf("Scaling activity initiated by (deployment %s)", deref(primaryOrAny(svc).Id))
		} else {
			// "Task failed container health checks" → "(service S) (task T) failed container health checks."
			what := strings.TrimPrefix(reason, "Task ")
			store.AddServiceEvent(*svc.ServiceArn, fmt.Sprintf("(service %s) (task %s) %s.", deref(svc.ServiceName), ecsapi.TaskID(s.ARN), what))
		}
		store.RequestStop(s.ARN, types.TaskStopCodeServiceSchedulerInitiated, reason)
		ids = append(ids, "(task "+ecsapi.TaskID(s.ARN)+")")
	}
	store.AddServiceEvent(*svc.ServiceArn, fmt.Sprintf("(service %s) has stopped %d running tasks: %s.", deref(svc.ServiceName), len(stops), strings.Join(ids, " ")))
	store.MutateService(*svc.ServiceArn, func(s *ecsapi.Service) { s.Steady = false })
}

func primaryOrAny(svc *ecsapi.Service) *types.Deployment {
	if d := primaryDeployment(svc); d != nil {
		return d
	}
	if len(svc.Deployments) > 0 {
		return &svc.Deployments[0]
	}
	return &types.Deployment{}
}

// finishDraining makes a deleted service INACTIVE once its tasks stopped.
func (r *Reconciler) finishDraining(store *ecsapi.Store, svc *ecsapi.Service, tasks []ecsapi.Task) {
	for _, t := range tasks {
		if deref(t.LastStatus) != "STOPPED" {
			return
		}
	}
	store.MutateService(*svc.ServiceArn, func(s *ecsapi.Service) {
		s.Status = ptr("INACTIVE")
	})
}

// reportStall records, once per stall, ECS's event for a deployment the
// envelope cannot move.
func (r *Reconciler) reportStall(store *ecsapi.Store, svc *ecsapi.Service) {
	if svc.Stalled {
		return
	}
	store.MutateService(*svc.ServiceArn, func(s *ecsapi.Service) { s.Stalled = true })
	store.AddServiceEvent(*svc.ServiceArn, fmt.Sprintf("(service %s) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.", deref(svc.ServiceName)))
}

// completeDeployment marks the primary deployment COMPLETED, drops the
// older ones (so services-stable sees exactly one) and reports the steady
// state once. It writes only what changes: it runs on every pass of a
// settled service.
func (r *Reconciler) completeDeployment(store *ecsapi.Store, svc *ecsapi.Service, tasks []ecsapi.Task) {
	running := 0
	for _, t := range tasks {
		if deref(t.LastStatus) == "RUNNING" && deref(t.DesiredStatus) == "RUNNING" {
			running++
		}
	}
	name := deref(svc.ServiceName)
	// The launch backoff is forgiven only after a quiet spell, counted from
	// the last failure and from the end of the last delay: a task that
	// crashes a second after reaching RUNNING must not reset it each time,
	// or a crash loop would relaunch at full speed.
	now := r.now()
	forgive := svc.LaunchFailures > 0 && !recentFailure(tasks) && now.Sub(svc.NextLaunchAt) > failureMemory
	prim := primaryDeployment(svc)
	if prim.RolloutState == types.DeploymentRolloutStateCompleted && len(svc.Deployments) == 1 && !svc.Stalled && !forgive {
		r.reportSteady(store, svc, running)
		return
	}
	var completedID string
	store.MutateService(*svc.ServiceArn, func(s *ecsapi.Service) {
		completedID = ecsapi.CompletePrimary(s, now)
		s.Stalled = false
		if forgive {
			s.LaunchFailures, s.NextLaunchAt = 0, time.Time{}
		}
	})
	if completedID != "" {
		store.AddServiceEvent(*svc.ServiceArn, fmt.Sprintf("(service %s) (deployment %s) deployment completed.", name, completedID))
	}
	r.reportSteady(store, svc, running)
}

// recentFailure says whether a task of the snapshot (which holds those
// stopped in the last minute) ended badly.
func recentFailure(tasks []ecsapi.Task) bool {
	for i := range tasks {
		if deref(tasks[i].LastStatus) == "STOPPED" && failedTask(&tasks[i]) {
			return true
		}
	}
	return false
}

// reportSteady reports "has reached a steady state." once per settling.
func (r *Reconciler) reportSteady(store *ecsapi.Store, svc *ecsapi.Service, running int) {
	name := deref(svc.ServiceName)
	if !svc.Steady && running == int(svc.DesiredCount) {
		store.MutateService(*svc.ServiceArn, func(s *ecsapi.Service) { s.Steady = true })
		store.AddServiceEvent(*svc.ServiceArn, fmt.Sprintf("(service %s) has reached a steady state.", name))
	}
}

// recordLaunchFailure counts a service task that ended badly and delays
// the next launch: no delay for the first two, then 2 s doubling to 1 min.
// A broken image is retried this way instead of in a hot loop.
func (r *Reconciler) recordLaunchFailure(store *ecsapi.Store, t *ecsapi.Task) {
	now := r.now()
	arn := t.ServiceARN
	var report bool
	var name string
	store.MutateService(arn, func(s *ecsapi.Service) {
		ecsapi.RecordTaskFailure(s, deref(t.StartedBy), now)
		s.LaunchFailures++
		if s.LaunchFailures > 2 {
			delay := min(time.Duration(1<<min(s.LaunchFailures-2, 10))*time.Second, time.Minute)
			s.NextLaunchAt = now.Add(delay)
			report = s.LaunchFailures == 3
		}
		name = deref(s.ServiceName)
		s.Steady = false
	})
	if report {
		store.AddServiceEvent(arn, fmt.Sprintf("(service %s) is unable to consistently start tasks successfully.", name))
	}
	r.queue.Load().Enqueue(serviceKeyPrefix + arn) // the failure may trip the circuit breaker
}
