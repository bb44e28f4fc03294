package elbv2

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

const (
	maxTargetGroups = 3000
	trafficPort     = "traffic-port"
)

// healthCheckInput is the health check part of CreateTargetGroup and
// ModifyTargetGroup.
type healthCheckInput struct {
	enabled                      *bool
	protocol                     types.ProtocolEnum
	port, path                   *string
	interval, timeout            *int32
	healthyCount, unhealthyCount *int32
	matcher                      *types.Matcher
}

func isLambda(tg *types.TargetGroup) bool { return tg.TargetType == types.TargetTypeEnumLambda }

func isGRPC(tg *types.TargetGroup) bool { return deref(tg.ProtocolVersion) == "GRPC" }

// healthCheckDefaults fills the defaults of spec §3.3.3 into a new target
// group.
func healthCheckDefaults(tg *types.TargetGroup) {
	if isLambda(tg) {
		tg.HealthCheckEnabled = ptr(false)
		tg.HealthCheckPath = ptr("/")
		tg.HealthCheckIntervalSeconds = ptr[int32](35)
		tg.HealthCheckTimeoutSeconds = ptr[int32](30)
		tg.HealthyThresholdCount = ptr[int32](5)
		tg.UnhealthyThresholdCount = ptr[int32](5)
		tg.Matcher = &types.Matcher{HttpCode: ptr("200")}
		return
	}
	tg.HealthCheckEnabled = ptr(true)
	tg.HealthCheckProtocol = tg.Protocol
	tg.HealthCheckPort = ptr(trafficPort)
	tg.HealthCheckPath = ptr("/")
	tg.HealthCheckIntervalSeconds = ptr[int32](30)
	tg.HealthCheckTimeoutSeconds = ptr[int32](5)
	tg.HealthyThresholdCount = ptr[int32](5)
	tg.UnhealthyThresholdCount = ptr[int32](2)
	tg.Matcher = &types.Matcher{HttpCode: ptr("200")}
	if isGRPC(tg) {
		tg.HealthCheckPath = ptr("/AWS.ALB/healthcheck")
		tg.Matcher = &types.Matcher{GrpcCode: ptr("12")}
	}
}

// applyHealthCheck overlays the given health check settings on tg and
// validates the result.
func applyHealthCheck(tg *types.TargetGroup, in healthCheckInput) error {
	if err := validRange(in.interval, "healthCheckIntervalSeconds", 5, 300); err != nil {
		return err
	}
	if err := validRange(in.timeout, "healthCheckTimeoutSeconds", 2, 120); err != nil {
		return err
	}
	if err := validRange(in.healthyCount, "healthyThresholdCount", 2, 10); err != nil {
		return err
	}
	if err := validRange(in.unhealthyCount, "unhealthyThresholdCount", 2, 10); err != nil {
		return err
	}
	if isLambda(tg) && (in.protocol != "" || in.port != nil) {
		return errValidation("Health check protocol and port cannot be specified for target groups with target type 'lambda'")
	}
	if in.protocol != "" {
		switch in.protocol {
		case types.ProtocolEnumHttp, types.ProtocolEnumHttps:
			tg.HealthCheckProtocol = in.protocol
		default:
			return errValidation("Health check protocol '%s' is not supported for target groups with the %s protocol", in.protocol, tg.Protocol)
		}
	}
	if in.port != nil {
		if *in.port != trafficPort {
			if n, err := strconv.Atoi(*in.port); err != nil || n < 1 || n > 65535 {
				return errValidation("Health check port '%s' must be 'traffic-port' or a port between 1 and 65535", *in.port)
			}
		}
		tg.HealthCheckPort = ptr(*in.port)
	}
	if in.path != nil {
		if !strings.HasPrefix(*in.path, "/") || len(*in.path) > 1024 {
			return errValidation("Health check path '%s' must start with '/' and be at most 1024 characters long", *in.path)
		}
		tg.HealthCheckPath = ptr(*in.path)
	}
	if in.enabled != nil {
		if !*in.enabled && !isLambda(tg) {
			return errInvalidConfig("Health checks cannot be disabled for target groups with target type '%s'", tg.TargetType)
		}
		tg.HealthCheckEnabled = ptr(*in.enabled)
	}
	for _, p := range []struct {
		in  *int32
		out **int32
	}{{in.interval, &tg.HealthCheckIntervalSeconds}, {in.timeout, &tg.HealthCheckTimeoutSeconds}, {in.healthyCount, &tg.HealthyThresholdCount}, {in.unhealthyCount, &tg.UnhealthyThresholdCount}} {
		if p.in != nil {
			*p.out = ptr(*p.in)
		}
	}
	if in.matcher != nil {
		m, err := validMatcher(in.matcher, isGRPC(tg))
		if err != nil {
			return err
		}
		tg.Matcher = m
	}
	if t, i := deref(tg.HealthCheckTimeoutSeconds), deref(tg.HealthCheckIntervalSeconds); t >= i {
		return errValidation("Health check timeout '%d' must be smaller than the interval '%d'", t, i)
	}
	return nil
}

func validMatcher(m *types.Matcher, grpc bool) (*types.Matcher, error) {
	switch {
	case grpc && m.HttpCode != nil, !grpc && m.GrpcCode != nil:
		return nil, errValidation("Use GrpcCode for target groups with protocol version GRPC and HttpCode otherwise")
	case grpc:
		if m.GrpcCode == nil || !validCodes(*m.GrpcCode, 0, 99) {
			return nil, errValidation("GrpcCode must be like 12 | 0-99 | 0,12 ... (codes between 0 and 99)")
		}
		return &types.Matcher{GrpcCode: ptr(*m.GrpcCode)}, nil
	default:
		if m.HttpCode == nil || !validCodes(*m.HttpCode, 200, 499) {
			return nil, errValidation("HttpCode must be like 200 | 200-399 | 200,201 ... (codes between 200 and 499)")
		}
		return &types.Matcher{HttpCode: ptr(*m.HttpCode)}, nil
	}
}

// validCodes accepts "200", "200,202" and "200-299" with every code in
// [lo, hi].
func validCodes(s string, lo, hi int) bool {
	if s == "" {
		return false
	}
	for item := range strings.SplitSeq(s, ",") {
		from, to, isRange := strings.Cut(item, "-")
		a, ok := parseIntIn(from, lo, hi)
		if !ok {
			return false
		}
		if isRange {
			b, ok := parseIntIn(to, lo, hi)
			if !ok || b < a {
				return false
			}
		}
	}
	return true
}

// newTargetGroup validates a CreateTargetGroup input and builds the wire
// view with every default applied (no ARN yet).
func newTargetGroup(in *sdk.CreateTargetGroupInput) (types.TargetGroup, error) {
	if err := validResourceName("Target group", in.Name); err != nil {
		return types.TargetGroup{}, err
	}
	if strings.Contains(*in.Name, "--") {
		return types.TargetGroup{}, errValidation("Target group name '%s' cannot contain '--'", *in.Name)
	}
	tg := types.TargetGroup{TargetGroupName: ptr(*in.Name), TargetType: in.TargetType}
	switch tg.TargetType {
	case "":
		tg.TargetType = types.TargetTypeEnumInstance
	case types.TargetTypeEnumInstance, types.TargetTypeEnumIp, types.TargetTypeEnumLambda:
	case types.TargetTypeEnumAlb:
		return tg, errInvalidConfig("Target type 'alb' is for Network Load Balancer target groups, which this emulator does not implement")
	default:
		return tg, errConstraint(tg.TargetType, "targetType", "Member must satisfy enum value set: [instance, ip, lambda, alb]")
	}
	if isLambda(&tg) {
		if in.Protocol != "" || in.Port != nil || in.VpcId != nil || in.ProtocolVersion != nil {
			return tg, errValidation("Protocol, port, protocol version and VPC ID cannot be specified for target groups with target type 'lambda'")
		}
		if in.IpAddressType != "" {
			return tg, errValidation("An IP address type cannot be specified for target groups with target type 'lambda'")
		}
	} else {
		switch {
		case in.Protocol == "":
			return tg, errValidation("A protocol must be specified")
		case in.Port == nil:
			return tg, errValidation("A port must be specified")
		case in.VpcId == nil || *in.VpcId == "":
			return tg, errValidation("A VPC ID must be specified")
		}
		switch in.Protocol {
		case types.ProtocolEnumHttp, types.ProtocolEnumHttps:
		case types.ProtocolEnumTcp, types.ProtocolEnumTls, types.ProtocolEnumUdp, types.ProtocolEnumTcpUdp,
			types.ProtocolEnumGeneve, types.ProtocolEnumQuic, types.ProtocolEnumTcpQuic:
			return tg, errInvalidConfig("Protocol '%s' is for Network and Gateway Load Balancer target groups, which this emulator does not implement", in.Protocol)
		default:
			return tg, errConstraint(in.Protocol, "protocol", "Member must satisfy enum value set: [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE, QUIC, TCP_QUIC]")
		}
		if err := validPort(in.Port, "port"); err != nil {
			return tg, err
		}
		tg.Protocol, tg.Port, tg.VpcId = in.Protocol, ptr(*in.Port), ptr(*in.VpcId)
		tg.ProtocolVersion = ptr("HTTP1")
		if in.ProtocolVersion != nil {
			switch v := strings.ToUpper(*in.ProtocolVersion); v {
			case "HTTP1", "HTTP2", "GRPC":
				tg.ProtocolVersion = ptr(v)
			default:
				return tg, errValidation("Protocol version '%s' must be one of 'HTTP1, HTTP2, GRPC'", *in.ProtocolVersion)
			}
		}
		switch in.IpAddressType {
		case "", types.TargetGroupIpAddressTypeEnumIpv4:
			tg.IpAddressType = types.TargetGroupIpAddressTypeEnumIpv4
		case types.TargetGroupIpAddressTypeEnumIpv6:
			if tg.TargetType != types.TargetTypeEnumIp {
				return tg, errValidation("The IP address type 'ipv6' is only supported for target groups with target type 'ip'")
			}
			tg.IpAddressType = in.IpAddressType
		default:
			return tg, errConstraint(in.IpAddressType, "ipAddressType", "Member must satisfy enum value set: [ipv4, ipv6]")
		}
	}
	if err := validPort(in.TargetControlPort, "targetControlPort"); err != nil {
		return tg, err
	}
	if in.TargetControlPort != nil {
		tg.TargetControlPort = ptr(*in.TargetControlPort)
	}
	healthCheckDefaults(&tg)
	err := applyHealthCheck(&tg, healthCheckInput{
		enabled: in.HealthCheckEnabled, protocol: in.HealthCheckProtocol, port: in.HealthCheckPort, path: in.HealthCheckPath,
		interval: in.HealthCheckIntervalSeconds, timeout: in.HealthCheckTimeoutSeconds,
		healthyCount: in.HealthyThresholdCount, unhealthyCount: in.UnhealthyThresholdCount, matcher: in.Matcher,
	})
	return tg, err
}

// sameSettings compares two target group views, ignoring identity.
func sameSettings(a, b types.TargetGroup) bool {
	a.TargetGroupArn, b.TargetGroupArn = nil, nil
	a.LoadBalancerArns, b.LoadBalancerArns = nil, nil
	return reflect.DeepEqual(a, b)
}

// CreateTargetGroup creates a target group with the defaults of its
// protocol and target type. A second call with the same name and the same
// settings returns the existing group; other settings are
// DuplicateTargetGroupName.
func (s *Store) CreateTargetGroup(_ context.Context, in *sdk.CreateTargetGroupInput) (*sdk.CreateTargetGroupOutput, error) {
	view, err := newTargetGroup(in)
	if err == nil && view.VpcId != nil && s.api.opts.Network != nil && !s.api.opts.Network.VPCExists(s.region, *view.VpcId) {
		err = errValidation("The VPC ID '%s' is not found", *view.VpcId)
	}
	if err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	for _, tg := range s.tgs {
		if deref(tg.view.TargetGroupName) != *in.Name {
			continue
		}
		if sameSettings(tg.view, view) {
			return &sdk.CreateTargetGroupOutput{TargetGroups: []types.TargetGroup{s.tgView(tg)}}, nil
		}
		return nil, &types.DuplicateTargetGroupNameException{Message: msgf("A target group with the same name '%s' exists, but with different settings", *in.Name)}
	}
	if len(s.tgs) >= maxTargetGroups {
		return nil, &types.TooManyTargetGroupsException{Message: msgf("You have reached the limit of %d target groups", maxTargetGroups)}
	}
	arn := targetGroupARN(s.region, s.account, *in.Name, s.api.opts.IDs.ResourceID())
	view.TargetGroupArn = ptr(arn)
	tg := &targetGroup{seq: s.nextSeq(), view: view, attrs: defaults(tgAttrSpecs(isLambda(&view))), targets: map[TargetKey]*target{}}
	s.tgs[arn] = tg
	s.setInitialTags(arn, in.Tags)
	s.touchARN(arn)
	s.changed()
	return &sdk.CreateTargetGroupOutput{TargetGroups: []types.TargetGroup{s.tgView(tg)}}, nil
}

// tgView is a copy of the wire view with the load balancers using it.
func (s *Store) tgView(tg *targetGroup) types.TargetGroup {
	v := clone.Of(tg.view)
	v.LoadBalancerArns = slices.Clone(s.used[*v.TargetGroupArn])
	if v.LoadBalancerArns == nil {
		v.LoadBalancerArns = []string{}
	}
	return v
}

func (s *Store) lookupTG(arn *string, member string) (*targetGroup, error) {
	if arn == nil {
		return nil, errRequired(member)
	}
	tg := s.tgs[*arn]
	if tg == nil {
		return nil, errTargetGroupNotFound()
	}
	return tg, nil
}

// DeleteTargetGroup deletes a target group that no listener or rule
// forwards to; deleting one that does not exist succeeds.
func (s *Store) DeleteTargetGroup(_ context.Context, in *sdk.DeleteTargetGroupInput) (*sdk.DeleteTargetGroupOutput, error) {
	if in.TargetGroupArn == nil {
		return nil, errRequired("targetGroupArn")
	}
	unlock := s.lock()
	defer unlock()
	arn := *in.TargetGroupArn
	if s.tgs[arn] == nil {
		return &sdk.DeleteTargetGroupOutput{}, nil
	}
	if s.referenced(arn) {
		return nil, errResourceInUse("Target group '%s' is currently in use by a listener or a rule", arn)
	}
	for k := range s.tgs[arn].targets {
		s.touchTarget(s.tgs[arn], k)
	}
	delete(s.tgs, arn)
	delete(s.tags, arn)
	s.touchARN(arn)
	s.changed()
	return &sdk.DeleteTargetGroupOutput{}, nil
}

// referenced reports whether any listener or rule action names the target
// group.
func (s *Store) referenced(tgARN string) bool {
	for _, r := range s.rules {
		if slices.Contains(forwardTargets(r.actions), tgARN) {
			return true
		}
	}
	return false
}

func (s *Store) sortedTGs() []*targetGroup {
	out := make([]*targetGroup, 0, len(s.tgs))
	for _, tg := range s.tgs {
		out = append(out, tg)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// DescribeTargetGroups lists target groups: all, those of a load balancer,
// or those named by ARN or name (any unknown one is TargetGroupNotFound).
func (s *Store) DescribeTargetGroups(_ context.Context, in *sdk.DescribeTargetGroupsInput) (*sdk.DescribeTargetGroupsOutput, error) {
	filters := 0
	for _, set := range []bool{in.LoadBalancerArn != nil, len(in.TargetGroupArns) > 0, len(in.Names) > 0} {
		if set {
			filters++
		}
	}
	if filters > 1 {
		return nil, errValidation("A load balancer ARN, target group ARNs and target group names cannot be combined")
	}
	unlock := s.lock()
	defer unlock()
	var picked []*targetGroup
	switch {
	case in.LoadBalancerArn != nil:
		if s.lbs[*in.LoadBalancerArn] == nil {
			return nil, errLoadBalancerNotFound()
		}
		for _, tg := range s.sortedTGs() {
			if slices.Contains(s.used[*tg.view.TargetGroupArn], *in.LoadBalancerArn) {
				picked = append(picked, tg)
			}
		}
	case len(in.TargetGroupArns) > 0:
		for _, arn := range dedupe(in.TargetGroupArns) {
			tg := s.tgs[arn]
			if tg == nil {
				return nil, errTargetGroupNotFound()
			}
			picked = append(picked, tg)
		}
	case len(in.Names) > 0:
		byName := map[string]*targetGroup{}
		for _, tg := range s.tgs {
			byName[deref(tg.view.TargetGroupName)] = tg
		}
		for _, name := range dedupe(in.Names) {
			tg := byName[name]
			if tg == nil {
				return nil, errTargetGroupNotFound()
			}
			picked = append(picked, tg)
		}
	default:
		picked = s.sortedTGs()
	}
	pg, next, err := page(picked, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &sdk.DescribeTargetGroupsOutput{TargetGroups: make([]types.TargetGroup, 0, len(pg)), NextMarker: next}
	for _, tg := range pg {
		out.TargetGroups = append(out.TargetGroups, s.tgView(tg))
	}
	return out, nil
}

// ModifyTargetGroup changes the health check settings.
func (s *Store) ModifyTargetGroup(_ context.Context, in *sdk.ModifyTargetGroupInput) (*sdk.ModifyTargetGroupOutput, error) {
	unlock := s.lock()
	defer unlock()
	tg, err := s.lookupTG(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return nil, err
	}
	view := clone.Of(tg.view)
	err = applyHealthCheck(&view, healthCheckInput{
		enabled: in.HealthCheckEnabled, protocol: in.HealthCheckProtocol, port: in.HealthCheckPort, path: in.HealthCheckPath,
		interval: in.HealthCheckIntervalSeconds, timeout: in.HealthCheckTimeoutSeconds,
		healthyCount: in.HealthyThresholdCount, unhealthyCount: in.UnhealthyThresholdCount, matcher: in.Matcher,
	})
	if err != nil {
		return nil, err
	}
	tg.view = view
	s.touchARN(*in.TargetGroupArn)
	s.changed()
	return &sdk.ModifyTargetGroupOutput{TargetGroups: []types.TargetGroup{s.tgView(tg)}}, nil
}

func tgAttributeList(tg *targetGroup) []types.TargetGroupAttribute {
	specs := tgAttrSpecs(isLambda(&tg.view))
	out := make([]types.TargetGroupAttribute, 0, len(specs))
	for _, a := range specs {
		out = append(out, types.TargetGroupAttribute{Key: ptr(a.key), Value: ptr(tg.attrs[a.key])})
	}
	return out
}

// DescribeTargetGroupAttributes returns every attribute of the group's
// target type.
func (s *Store) DescribeTargetGroupAttributes(_ context.Context, in *sdk.DescribeTargetGroupAttributesInput) (*sdk.DescribeTargetGroupAttributesOutput, error) {
	unlock := s.lock()
	defer unlock()
	tg, err := s.lookupTG(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return nil, err
	}
	return &sdk.DescribeTargetGroupAttributesOutput{Attributes: tgAttributeList(tg)}, nil
}

// ModifyTargetGroupAttributes changes attributes and returns all of them.
// A new deregistration delay applies to later deregistrations.
func (s *Store) ModifyTargetGroupAttributes(_ context.Context, in *sdk.ModifyTargetGroupAttributesInput) (*sdk.ModifyTargetGroupAttributesOutput, error) {
	unlock := s.lock()
	defer unlock()
	tg, err := s.lookupTG(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return nil, err
	}
	changes := make([]attrChange, len(in.Attributes))
	for i, a := range in.Attributes {
		changes[i] = attrChange{a.Key, a.Value}
	}
	merged, err := applyAttrs(tg.attrs, tgAttrSpecs(isLambda(&tg.view)), knownTGAttr, changes)
	if err != nil {
		return nil, err
	}
	if err := checkTGAttrs(merged); err != nil {
		return nil, err
	}
	tg.attrs = merged
	s.touchARN(*in.TargetGroupArn)
	s.changed()
	return &sdk.ModifyTargetGroupAttributesOutput{Attributes: tgAttributeList(tg)}, nil
}
