package elbv2

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// The in-process interface of the data plane and ECS. Target groups are
// named by ARN; the ARN's region selects the store. None of these methods
// involves the AWS wire.

// storeFor returns the store of an ARN's region, or nil.
func (a *API) storeFor(arn string) *Store {
	region, _, ok := arnParts(arn)
	if !ok {
		return nil
	}
	return a.existingStore(region)
}

// SetTargetHealth records the health the data plane observed for a
// registered target: state is StateHealthy (reason and description are
// dropped, as AWS shows none), StateUnhealthy (with ReasonResponseCodeMismatch,
// ReasonTimeout or ReasonFailedHealthChecks and a description such as
// "Health checks failed with these codes: [502]"), StateInitial (with
// ReasonInitialHealthChecking) or StateUnavailable. Other states, unknown
// target groups and targets, and draining targets are ignored: draining
// and unused are decided by the control plane. A real change fires
// OnChange.
func (a *API) SetTargetHealth(tgARN string, target TargetKey, state, reason, description string) {
	switch state {
	case StateHealthy:
		reason, description = "", ""
	case StateUnhealthy, StateInitial, StateUnavailable:
	default:
		return
	}
	s := a.storeFor(tgARN)
	if s == nil {
		return
	}
	unlock := s.lock()
	defer unlock()
	tg := s.tgs[tgARN]
	if tg == nil {
		return
	}
	t := tg.targets[target]
	if t == nil || t.draining || t.health == state && t.reason == reason && t.description == description {
		return
	}
	t.health, t.reason, t.description = state, reason, description
	s.touchTarget(tg, target)
	s.changed()
}

func (a *API) lockedTG(tgARN string) (*Store, *targetGroup, func(), error) {
	s := a.storeFor(tgARN)
	if s == nil {
		return nil, nil, nil, errTargetGroupNotFound()
	}
	unlock := s.lock()
	tg := s.tgs[tgARN]
	if tg == nil {
		unlock()
		return nil, nil, nil, errTargetGroupNotFound()
	}
	return s, tg, unlock, nil
}

// RegisterTargetDirect registers one target as RegisterTargets does
// (Port 0 means the group's port), for ECS registering a task. An ip
// target must be an address of the group's IP family, but unlike the wire
// API any range is accepted: local task addresses need not be private.
// Errors are SDK error values (*types.TargetGroupNotFoundException,
// *types.InvalidTargetException, *types.TooManyTargetsException) or
// *awsproto.ValidationError.
func (a *API) RegisterTargetDirect(_ context.Context, tgARN string, target TargetKey) error {
	s, tg, unlock, err := a.lockedTG(tgARN)
	if err != nil {
		return err
	}
	defer unlock()
	k, err := targetKey(tg, describe(target), "target", false)
	if err != nil {
		return err
	}
	return s.register(tg, []TargetKey{k}, []string{""})
}

// DeregisterTargetDirect starts deregistering one target as
// DeregisterTargets does: it drains (see TargetIdle and TargetStatus),
// then disappears. A target that is not registered is not an error.
func (a *API) DeregisterTargetDirect(_ context.Context, tgARN string, target TargetKey) error {
	s, tg, unlock, err := a.lockedTG(tgARN)
	if err != nil {
		return err
	}
	defer unlock()
	d := describe(target)
	k, err := targetKey(tg, d, "target", false)
	if err != nil {
		return err
	}
	s.deregister(tg, matching(tg, d, k))
	return nil
}

func describe(k TargetKey) types.TargetDescription {
	d := types.TargetDescription{Id: ptr(k.ID)}
	if k.Port != 0 {
		d.Port = ptr(k.Port)
	}
	return d
}

// TargetStatus is a target's registration and health.
type TargetStatus struct {
	// Registered is false when the target is not (or no longer)
	// registered: a deregistered target has finished draining.
	Registered bool
	Draining   bool
	// State, Reason and Description are what DescribeTargetHealth shows.
	State, Reason, Description string
	// DrainDeadline is when draining ends at the latest (zero unless
	// Draining).
	DrainDeadline time.Time
}

// TargetStatus reads a target's health and whether its deregistration has
// finished. Port 0 means the group's port.
func (a *API) TargetStatus(tgARN string, target TargetKey) (TargetStatus, error) {
	s, tg, unlock, err := a.lockedTG(tgARN)
	if err != nil {
		return TargetStatus{}, err
	}
	defer unlock()
	if target.Port == 0 && tg.view.TargetType != types.TargetTypeEnumLambda {
		target.Port = deref(tg.view.Port)
	}
	t := tg.targets[target]
	st := TargetStatus{Registered: t != nil}
	st.State, st.Reason, st.Description = s.health(tg, t)
	if t != nil && t.draining {
		st.Draining, st.DrainDeadline = true, t.drainUntil
	}
	return st, nil
}

// DeregistrationComplete reports whether a target is gone from its group
// (drained, or never registered; also when the group no longer exists).
func (a *API) DeregistrationComplete(tgARN string, target TargetKey) bool {
	st, err := a.TargetStatus(tgARN, target)
	return err != nil || !st.Registered
}

// HasLoadBalancer reports whether a listener or rule of some load balancer
// forwards to the target group (ECS refuses target groups without one).
func (a *API) HasLoadBalancer(tgARN string) bool {
	info, err := a.TargetGroupInfo(tgARN)
	return err == nil && len(info.LoadBalancerARNs) > 0
}

// TargetGroupInfo is what ECS needs to know about a target group.
type TargetGroupInfo struct {
	ARN, Name           string
	TargetType          string // instance, ip or lambda
	Protocol            string
	Port                int32
	LoadBalancerARNs    []string
	DeregistrationDelay time.Duration
}

// TargetGroupInfo describes a target group, or returns
// *types.TargetGroupNotFoundException.
func (a *API) TargetGroupInfo(tgARN string) (TargetGroupInfo, error) {
	s, tg, unlock, err := a.lockedTG(tgARN)
	if err != nil {
		return TargetGroupInfo{}, err
	}
	defer unlock()
	return TargetGroupInfo{
		ARN:                 tgARN,
		Name:                deref(tg.view.TargetGroupName),
		TargetType:          string(tg.view.TargetType),
		Protocol:            string(tg.view.Protocol),
		Port:                deref(tg.view.Port),
		LoadBalancerARNs:    slices.Clone(s.used[tgARN]),
		DeregistrationDelay: time.Duration(atoiOr(tg.attrs["deregistration_delay.timeout_seconds"], 0)) * time.Second,
	}, nil
}
