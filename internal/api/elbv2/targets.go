package elbv2

import (
	"context"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// TargetKey identifies a registration in a target group: the target ID
// (an IP address, an instance ID or a Lambda ARN) and the port (0 for
// Lambda targets). The same IP may be registered on several ports.
type TargetKey struct {
	ID   string
	Port int32
}

const maxTargetsPerGroup = 1000

// Target health states and reasons (spec §3.3.6).
const (
	StateInitial     = string(types.TargetHealthStateEnumInitial)
	StateHealthy     = string(types.TargetHealthStateEnumHealthy)
	StateUnhealthy   = string(types.TargetHealthStateEnumUnhealthy)
	StateUnused      = string(types.TargetHealthStateEnumUnused)
	StateDraining    = string(types.TargetHealthStateEnumDraining)
	StateUnavailable = string(types.TargetHealthStateEnumUnavailable)

	ReasonRegistrationInProgress   = string(types.TargetHealthReasonEnumRegistrationInProgress)
	ReasonInitialHealthChecking    = string(types.TargetHealthReasonEnumInitialHealthChecking)
	ReasonResponseCodeMismatch     = string(types.TargetHealthReasonEnumResponseCodeMismatch)
	ReasonTimeout                  = string(types.TargetHealthReasonEnumTimeout)
	ReasonFailedHealthChecks       = string(types.TargetHealthReasonEnumFailedHealthChecks)
	ReasonNotRegistered            = string(types.TargetHealthReasonEnumNotRegistered)
	ReasonNotInUse                 = string(types.TargetHealthReasonEnumNotInUse)
	ReasonDeregistrationInProgress = string(types.TargetHealthReasonEnumDeregistrationInProgress)
	ReasonHealthCheckDisabled      = string(types.TargetHealthReasonEnumHealthCheckDisabled)
	ReasonInternalError            = string(types.TargetHealthReasonEnumInternalError)
)

var instanceIDPattern = regexp.MustCompile(`^i-[0-9a-f]{8}([0-9a-f]{9})?$`)

// privateRanges are where AWS lets ip targets live outside the VPC
// (RFC 1918 and RFC 6598), plus loopback, which the emulator accepts
// because local containers may publish there.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("::1/128"),
}

// targetKey validates one target description against the group and
// returns its key. A missing port means the group's port. strictRange
// applies AWS's address ranges to ip targets (the wire API does; ECS's
// direct registration of task IPs does not).
func targetKey(tg *targetGroup, d types.TargetDescription, member string, strictRange bool) (TargetKey, error) {
	if d.Id == nil || *d.Id == "" {
		return TargetKey{}, errRequired(member + ".id")
	}
	id := *d.Id
	if tg.view.TargetType == types.TargetTypeEnumLambda {
		if d.Port != nil {
			return TargetKey{}, errValidation("A port cannot be specified for Lambda targets")
		}
		if !strings.HasPrefix(id, "arn:aws:lambda:") {
			return TargetKey{}, errInvalidTarget("The following targets are not valid Lambda functions: '%s'", id)
		}
		return TargetKey{ID: id}, nil
	}
	port := deref(tg.view.Port)
	if d.Port != nil {
		if err := validPort(d.Port, member+".port"); err != nil {
			return TargetKey{}, err
		}
		port = *d.Port
	}
	switch tg.view.TargetType {
	case types.TargetTypeEnumIp:
		addr, err := netip.ParseAddr(id)
		if err != nil || addr.Zone() != "" {
			return TargetKey{}, errInvalidTarget("The IP address '%s' is not a valid IP address", id)
		}
		wantV6 := tg.view.IpAddressType == types.TargetGroupIpAddressTypeEnumIpv6
		if addr.Is4In6() || addr.Is6() != wantV6 {
			return TargetKey{}, errInvalidTarget("The IP address '%s' is not a valid %s address for this target group", id, tg.view.IpAddressType)
		}
		if strictRange && !inPrivateRange(addr) {
			return TargetKey{}, errInvalidTarget("The IP address '%s' is not within the VPC CIDR or the private address ranges (RFC 1918, RFC 6598)", id)
		}
		id = addr.String()
	case types.TargetTypeEnumInstance:
		if !instanceIDPattern.MatchString(id) {
			return TargetKey{}, errInvalidTarget("The following targets are not in a running state and cannot be registered: '%s'", id)
		}
	}
	return TargetKey{ID: id, Port: port}, nil
}

func inPrivateRange(addr netip.Addr) bool {
	for _, p := range privateRanges {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// register adds registrations (or revives draining ones: they start over
// from initial).
func (s *Store) register(tg *targetGroup, keys []TargetKey, zones []string) error {
	fresh := 0
	for _, k := range keys {
		if tg.targets[k] == nil {
			fresh++
		}
	}
	if len(tg.targets)+fresh > maxTargetsPerGroup {
		return &types.TooManyTargetsException{Message: msgf("A target group can have at most %d targets", maxTargetsPerGroup)}
	}
	if tg.view.TargetType == types.TargetTypeEnumLambda && len(tg.targets)+fresh > 1 {
		return &types.TooManyTargetsException{Message: ptr("You can register only one Lambda function per target group")}
	}
	for i, k := range keys {
		t := tg.targets[k]
		if t == nil {
			t = &target{seq: s.nextSeq(), key: k}
			tg.targets[k] = t
		} else if t.draining {
			*t = target{seq: t.seq, key: k}
		}
		if zones[i] != "" {
			t.az = zones[i]
		}
		s.touchTarget(tg, k)
	}
	s.changed()
	return nil
}

// deregister starts draining registered targets, or removes them at once
// when the group serves no load balancer or its delay is 0.
func (s *Store) deregister(tg *targetGroup, keys []TargetKey) {
	now := s.now()
	delay := time.Duration(atoiOr(tg.attrs["deregistration_delay.timeout_seconds"], 0)) * time.Second
	used := len(s.used[*tg.view.TargetGroupArn]) > 0
	for _, k := range keys {
		t := tg.targets[k]
		if t == nil || t.draining {
			continue
		}
		if !used || delay <= 0 {
			delete(tg.targets, k)
		} else {
			t.draining, t.drainingSince, t.drainUntil = true, now, now.Add(delay)
			t.health, t.reason, t.description = "", "", ""
		}
		s.touchTarget(tg, k)
		s.changed()
	}
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// matching returns the registrations a target description names: with a
// port, that registration; without one, the registration on the group's
// port, else every registration of the ID.
func matching(tg *targetGroup, d types.TargetDescription, key TargetKey) []TargetKey {
	if d.Port != nil || tg.targets[key] != nil {
		return []TargetKey{key}
	}
	var out []TargetKey
	for _, t := range sortedTargets(tg) {
		if t.key.ID == key.ID {
			out = append(out, t.key)
		}
	}
	if len(out) == 0 {
		return []TargetKey{key}
	}
	return out
}

func sortedTargets(tg *targetGroup) []*target {
	out := make([]*target, 0, len(tg.targets))
	for _, t := range tg.targets {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// health is a target's health as DescribeTargetHealth reports it.
func (s *Store) health(tg *targetGroup, t *target) (state, reason, description string) {
	switch {
	case t == nil:
		return StateUnused, ReasonNotRegistered, "Target is not registered to the target group"
	case t.draining:
		return StateDraining, ReasonDeregistrationInProgress, "Target deregistration is in progress"
	case len(s.used[*tg.view.TargetGroupArn]) == 0:
		return StateUnused, ReasonNotInUse, "Target group is not configured to receive traffic from the load balancer"
	case !deref(tg.view.HealthCheckEnabled):
		return StateUnavailable, ReasonHealthCheckDisabled, "Health checks are disabled"
	case t.health != "":
		return t.health, t.reason, t.description
	}
	return StateInitial, ReasonRegistrationInProgress, "Target registration is in progress"
}

// RegisterTargets registers targets; registering a registered target again
// changes nothing, registering a draining one revives it.
func (s *Store) RegisterTargets(_ context.Context, in *sdk.RegisterTargetsInput) (*sdk.RegisterTargetsOutput, error) {
	if len(in.Targets) == 0 {
		return nil, errRequired("targets")
	}
	unlock := s.lock()
	defer unlock()
	tg, err := s.lookupTG(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return nil, err
	}
	keys := make([]TargetKey, len(in.Targets))
	zones := make([]string, len(in.Targets))
	for i, d := range in.Targets {
		if keys[i], err = targetKey(tg, d, "targets."+itoa(i+1)+".member", true); err != nil {
			return nil, err
		}
		zones[i] = deref(d.AvailabilityZone)
	}
	if err := s.register(tg, keys, zones); err != nil {
		return nil, err
	}
	return &sdk.RegisterTargetsOutput{}, nil
}

// DeregisterTargets starts deregistering targets: they drain for the
// group's whole deregistration delay, then disappear. Targets
// that are not registered are ignored.
func (s *Store) DeregisterTargets(_ context.Context, in *sdk.DeregisterTargetsInput) (*sdk.DeregisterTargetsOutput, error) {
	if len(in.Targets) == 0 {
		return nil, errRequired("targets")
	}
	unlock := s.lock()
	defer unlock()
	tg, err := s.lookupTG(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return nil, err
	}
	var keys []TargetKey
	for i, d := range in.Targets {
		k, err := targetKey(tg, d, "targets."+itoa(i+1)+".member", false)
		if err != nil {
			return nil, err
		}
		keys = append(keys, matching(tg, d, k)...)
	}
	s.deregister(tg, keys)
	return &sdk.DeregisterTargetsOutput{}, nil
}

// DescribeTargetHealth reports the health of the registered targets
// (draining ones included), or of the targets asked for: one that is not
// registered is unused/Target.NotRegistered.
func (s *Store) DescribeTargetHealth(_ context.Context, in *sdk.DescribeTargetHealthInput) (*sdk.DescribeTargetHealthOutput, error) {
	var anomaly, override bool
	for _, inc := range in.Include {
		switch inc {
		case types.DescribeTargetHealthInputIncludeEnumAnomaly:
			anomaly = true
		case types.DescribeTargetHealthInputIncludeEnumAll:
			anomaly, override = true, true
		default:
			return nil, errConstraint(inc, "include", "Member must satisfy enum value set: [AnomalyDetection, All]")
		}
	}
	unlock := s.lock()
	defer unlock()
	tg, err := s.lookupTG(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return nil, err
	}
	var keys []TargetKey
	if len(in.Targets) == 0 {
		for _, t := range sortedTargets(tg) {
			keys = append(keys, t.key)
		}
	}
	for i, d := range in.Targets {
		k, err := targetKey(tg, d, "targets."+itoa(i+1)+".member", false)
		if err != nil {
			return nil, err
		}
		keys = append(keys, matching(tg, d, k)...)
	}
	out := &sdk.DescribeTargetHealthOutput{TargetHealthDescriptions: make([]types.TargetHealthDescription, 0, len(keys))}
	for _, k := range keys {
		t := tg.targets[k]
		out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, s.healthDescription(tg, k, t, anomaly, override))
	}
	return out, nil
}

func (s *Store) healthDescription(tg *targetGroup, k TargetKey, t *target, anomaly, override bool) types.TargetHealthDescription {
	state, reason, desc := s.health(tg, t)
	d := types.TargetHealthDescription{
		Target:       &types.TargetDescription{Id: ptr(k.ID)},
		TargetHealth: &types.TargetHealth{State: types.TargetHealthStateEnum(state)},
	}
	if state != StateHealthy {
		d.TargetHealth.Reason = types.TargetHealthReasonEnum(reason)
		if desc != "" {
			d.TargetHealth.Description = ptr(desc)
		}
	}
	if tg.view.TargetType != types.TargetTypeEnumLambda {
		d.Target.Port = ptr(k.Port)
		d.HealthCheckPort = ptr(healthCheckPort(tg, k))
	}
	if t != nil && t.az != "" {
		d.Target.AvailabilityZone = ptr(t.az)
	}
	if anomaly {
		d.AnomalyDetection = &types.AnomalyDetection{Result: types.AnomalyResultEnumNormal, MitigationInEffect: types.MitigationInEffectEnumNo}
	}
	if override {
		d.AdministrativeOverride = &types.AdministrativeOverride{
			State:       types.TargetAdministrativeOverrideStateEnumNoOverride,
			Reason:      types.TargetAdministrativeOverrideReasonEnumNoOverrideEngaged,
			Description: ptr("No override is currently active on target"),
		}
	}
	return d
}

// healthCheckPort is the port health checks of a target go to.
func healthCheckPort(tg *targetGroup, k TargetKey) string {
	if p := deref(tg.view.HealthCheckPort); p != "" && p != trafficPort {
		return p
	}
	return strconv.Itoa(int(k.Port))
}
