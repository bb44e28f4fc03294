package ecs

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/localaws/ecsemu/internal/clone"
)

// primary returns the service's PRIMARY deployment, or nil.
func primary(svc *Service) *types.Deployment {
	for i := range svc.Deployments {
		if deref(svc.Deployments[i].Status) == "PRIMARY" {
			return &svc.Deployments[i]
		}
	}
	return nil
}

// startDeployment makes a new PRIMARY deployment of td; the former PRIMARY
// becomes ACTIVE and keeps its tasks until the scheduler replaces them.
// Callers hold the lock.
func (s *Store) startDeployment(svc *Service, td *types.TaskDefinition) {
	now := s.timestamp()
	var source []types.ServiceRevisionSummary
	for i := range svc.Deployments {
		if deref(svc.Deployments[i].Status) == "PRIMARY" {
			svc.Deployments[i].Status = ptr("ACTIVE")
			svc.Deployments[i].UpdatedAt = now
		}
		source = append(source, types.ServiceRevisionSummary{Arn: ptr(s.revisionARN(svc, svc.Deployments[i]))})
	}
	id := s.ids.DeploymentID()
	d := types.Deployment{
		Id:                       ptr(id),
		Status:                   ptr("PRIMARY"),
		TaskDefinition:           td.TaskDefinitionArn,
		DesiredCount:             svc.DesiredCount,
		CreatedAt:                now,
		UpdatedAt:                now,
		LaunchType:               svc.LaunchType,
		CapacityProviderStrategy: clone.Of(svc.CapacityProviderStrategy),
		NetworkConfiguration:     clone.Of(svc.NetworkConfiguration),
		RolloutState:             types.DeploymentRolloutStateInProgress,
		RolloutStateReason:       ptr("ECS deployment " + id + " in progress."),
	}
	if svc.PlatformVersion != nil {
		d.PlatformVersion, d.PlatformFamily = ptr("1.4.0"), ptr("Linux")
	}
	svc.Deployments = append([]types.Deployment{d}, svc.Deployments...)
	svc.TaskDefinition = td.TaskDefinitionArn
	svc.Steady = false
	svc.RollingBackFrom = ""
	// A new deployment gets a fresh start: no launch backoff inherited
	// from the failures of the previous one.
	svc.LaunchFailures, svc.NextLaunchAt = 0, time.Time{}
	s.recordServiceDeployment(svc, d, source)
}

// revisionARN names the service revision a deployment deploys: one
// revision per deployment, numbered by the deployment's digits.
func (s *Store) revisionARN(svc *Service, d types.Deployment) string {
	return serviceRevisionARN(s.region, s.account, clusterNameOf(svc), deref(svc.ServiceName), strings.TrimPrefix(deref(d.Id), "ecs-svc/"))
}

func clusterNameOf(svc *Service) string {
	arn := deref(svc.ClusterArn)
	return arn[strings.LastIndex(arn, "/")+1:]
}

// ServiceDeploymentRecord is one entry of a service's deployment history,
// as ListServiceDeployments and DescribeServiceDeployments report it.
type ServiceDeploymentRecord struct {
	types.ServiceDeployment
	DeploymentID string // the ecs-svc/ id of the matching deployments[] entry
}

func (s *Store) recordServiceDeployment(svc *Service, d types.Deployment, source []types.ServiceRevisionSummary) {
	now := s.timestamp()
	for i := range svc.History {
		h := &svc.History[i].ServiceDeployment
		if h.Status == types.ServiceDeploymentStatusInProgress || h.Status == types.ServiceDeploymentStatusPending {
			h.Status, h.StatusReason, h.StoppedAt, h.UpdatedAt = types.ServiceDeploymentStatusStopped, ptr("Superseded by a newer deployment."), now, now
		}
	}
	cb := svc.DeploymentConfiguration.DeploymentCircuitBreaker
	breaker := &types.ServiceDeploymentCircuitBreaker{Status: types.ServiceDeploymentRollbackMonitorsStatusDisabled}
	if cb != nil && cb.Enable {
		breaker = &types.ServiceDeploymentCircuitBreaker{Status: types.ServiceDeploymentRollbackMonitorsStatusMonitoring, Threshold: CircuitBreakerThreshold(svc.DesiredCount)}
	}
	rec := ServiceDeploymentRecord{DeploymentID: deref(d.Id)}
	rec.ServiceDeployment = types.ServiceDeployment{
		ServiceDeploymentArn:     ptr(serviceDeploymentARN(s.region, s.account, clusterNameOf(svc), deref(svc.ServiceName), shortID())),
		ServiceArn:               svc.ServiceArn,
		ClusterArn:               svc.ClusterArn,
		CreatedAt:                now,
		StartedAt:                now,
		UpdatedAt:                now,
		Status:                   types.ServiceDeploymentStatusInProgress,
		DeploymentConfiguration:  clone.Of(svc.DeploymentConfiguration),
		DeploymentCircuitBreaker: breaker,
		TargetServiceRevision:    &types.ServiceRevisionSummary{Arn: ptr(s.revisionARN(svc, d)), RequestedTaskCount: d.DesiredCount},
		SourceServiceRevisions:   nonNil(source),
	}
	svc.History = append(svc.History, rec)
	svc.CurrentServiceDeployment = rec.ServiceDeploymentArn
}

// CircuitBreakerThreshold is clamp(ceil(0.5 × desired), 3, 200) (spec §3.2.4).
func CircuitBreakerThreshold(desired int32) int32 {
	return min(max((desired+1)/2, 3), 200)
}

// shortID makes an ID like NCWGC2ZR-taawPAYrIaU5, as service deployments have.
func shortID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:8]) + "-" + string(b[8:])
}

func (s *Store) ListServiceDeployments(_ context.Context, in *ecs.ListServiceDeploymentsInput) (*ecs.ListServiceDeploymentsOutput, error) {
	unlock := s.lock()
	cluster, err := s.activeCluster(in.Cluster)
	if err != nil {
		unlock()
		return nil, err
	}
	svc, _ := s.findService(cluster, deref(in.Service))
	if svc == nil {
		unlock()
		return nil, errServiceNotFound()
	}
	var briefs []types.ServiceDeploymentBrief
	for i := len(svc.History) - 1; i >= 0; i-- { // newest first
		h := svc.History[i].ServiceDeployment
		if !statusWanted(h.Status, in.Status) || !createdWithin(h, in.CreatedAt) {
			continue
		}
		briefs = append(briefs, types.ServiceDeploymentBrief{
			ServiceDeploymentArn: h.ServiceDeploymentArn, ServiceArn: h.ServiceArn, ClusterArn: h.ClusterArn,
			CreatedAt: h.CreatedAt, StartedAt: h.StartedAt, FinishedAt: h.FinishedAt,
			Status: h.Status, StatusReason: h.StatusReason, TargetServiceRevisionArn: h.TargetServiceRevision.Arn,
		})
	}
	unlock()
	pg, next, err := page(briefs, in.NextToken, in.MaxResults, 20, 100)
	if err != nil {
		return nil, err
	}
	return &ecs.ListServiceDeploymentsOutput{ServiceDeployments: nonNil(clone.Of(pg)), NextToken: next}, nil
}

func statusWanted(st types.ServiceDeploymentStatus, want []types.ServiceDeploymentStatus) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		if w == st {
			return true
		}
	}
	return false
}

func createdWithin(h types.ServiceDeployment, c *types.CreatedAt) bool {
	if c == nil || h.CreatedAt == nil {
		return true
	}
	return (c.After == nil || !h.CreatedAt.Before(*c.After)) && (c.Before == nil || !h.CreatedAt.After(*c.Before))
}

func (s *Store) DescribeServiceDeployments(_ context.Context, in *ecs.DescribeServiceDeploymentsInput) (*ecs.DescribeServiceDeploymentsOutput, error) {
	if len(in.ServiceDeploymentArns) == 0 {
		return nil, errInvalidParameter("serviceDeploymentArns can not be empty.")
	}
	if len(in.ServiceDeploymentArns) > 20 {
		return nil, errInvalidParameter("serviceDeploymentArns can have at most 20 items.")
	}
	unlock := s.lock()
	defer unlock()
	byARN := map[string]types.ServiceDeployment{}
	for _, svc := range s.services {
		for _, h := range svc.History {
			byARN[*h.ServiceDeploymentArn] = h.ServiceDeployment
		}
	}
	out := &ecs.DescribeServiceDeploymentsOutput{ServiceDeployments: []types.ServiceDeployment{}, Failures: []types.Failure{}}
	for _, arn := range in.ServiceDeploymentArns {
		h, ok := byARN[arn]
		if !ok {
			out.Failures = append(out.Failures, missing(arn))
			continue
		}
		out.ServiceDeployments = append(out.ServiceDeployments, clone.Of(h))
	}
	return out, nil
}

// CompletePrimary marks the PRIMARY deployment COMPLETED and removes the
// older ones, as ECS does once a rollout is done; the matching service
// deployment becomes SUCCESSFUL. It returns the deployment ID, or "" when
// there was nothing to complete.
func CompletePrimary(svc *Service, now time.Time) string {
	d := primary(svc)
	if d == nil || d.RolloutState == types.DeploymentRolloutStateCompleted && len(svc.Deployments) == 1 {
		return ""
	}
	d.RolloutState = types.DeploymentRolloutStateCompleted
	d.RolloutStateReason = ptr("ECS deployment " + deref(d.Id) + " completed.")
	d.UpdatedAt = &now
	svc.Deployments = []types.Deployment{*d}
	if h := historyOf(svc, svc.RollingBackFrom); h != nil && h.Status == types.ServiceDeploymentStatusRollbackInProgress {
		h.Status, h.FinishedAt, h.UpdatedAt = types.ServiceDeploymentStatusRollbackSuccessful, &now, &now
	}
	svc.RollingBackFrom = ""
	if h := historyOf(svc, deref(d.Id)); h != nil && h.Status == types.ServiceDeploymentStatusInProgress {
		h.Status = types.ServiceDeploymentStatusSuccessful
		h.FinishedAt, h.UpdatedAt = &now, &now
		if h.DeploymentCircuitBreaker != nil && h.DeploymentCircuitBreaker.Status == types.ServiceDeploymentRollbackMonitorsStatusMonitoring {
			h.DeploymentCircuitBreaker.Status = types.ServiceDeploymentRollbackMonitorsStatusMonitoringComplete
		}
	}
	return deref(d.Id)
}
