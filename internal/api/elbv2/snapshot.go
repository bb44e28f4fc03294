package elbv2

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// Snapshot is the data plane's view of the ELBv2 configuration at one
// moment. It is built fresh by every call and shares no memory with the
// store, so it can be published with an atomic.Pointer and read by many
// goroutines; readers must treat it as immutable.
type Snapshot struct {
	// Version grows with every change announced through OnChange; equal
	// versions mean equal configuration (time-based transitions aside).
	Version uint64
	// Taken is the store clock's time of the snapshot: States and target
	// health were evaluated then.
	Taken   time.Time
	Regions []RegionSnapshot // sorted by region
}

// Region returns the snapshot of one region, or nil.
func (s Snapshot) Region(name string) *RegionSnapshot {
	for i := range s.Regions {
		if s.Regions[i].Region == name {
			return &s.Regions[i]
		}
	}
	return nil
}

// RegionSnapshot is one region's load balancers and target groups.
type RegionSnapshot struct {
	Region        string
	LoadBalancers []LoadBalancer          // creation order
	TargetGroups  map[string]*TargetGroup // by ARN, every target group (used or not)
}

// LoadBalancer is an Application Load Balancer.
type LoadBalancer struct {
	ARN, Name, DNSName string
	Scheme             string // internet-facing or internal
	IPAddressType      string
	// State is provisioning or active at Snapshot.Taken; ActiveAt is when
	// it becomes (or became) active.
	State          string
	ActiveAt       time.Time
	SecurityGroups []string
	Attributes     map[string]string // every key of spec §3.3.2
	Listeners      []Listener        // by port
	// Address is where the data plane serves it, as last given to
	// SetLoadBalancerAddress ("" before that).
	Address string
}

// Listener is an HTTP or HTTPS listener.
type Listener struct {
	ARN        string
	Port       int32
	Protocol   string // HTTP or HTTPS
	SSLPolicy  string
	Certs      []string // certificate ARNs, the default one first
	Attributes map[string]string
	// Rules in evaluation order: ascending priority, the default rule last.
	Rules []Rule
}

// Rule is a listener rule.
type Rule struct {
	ARN        string
	Priority   int // 1–50000; 0 for the default rule
	IsDefault  bool
	Conditions []Condition // all must match; none for the default rule
	Actions    []Action    // in Order; the last one is forward, redirect or fixed-response
}

// Condition is one rule condition. Values holds the patterns of
// host-header and path-pattern (wildcards * and ?), the header values of
// http-header, the methods of http-request-method and the CIDR blocks of
// source-ip; RegexValues the regular expressions of the first three.
type Condition struct {
	Field       string // host-header, path-pattern, http-header, http-request-method, query-string, source-ip
	Values      []string
	RegexValues []string
	HeaderName  string      // http-header
	Query       []QueryPair // query-string: any pair matches
}

// QueryPair is a query-string condition value; an empty Key matches any
// key.
type QueryPair struct {
	Key, Value string
}

// Action is a rule action. Authentication and JWT validation actions carry
// only their Type: the emulator's data plane does not authenticate.
type Action struct {
	Type          string // forward, redirect, fixed-response, authenticate-oidc, authenticate-cognito, jwt-validation
	Order         int32  // 0 when not given (single action)
	Forward       *Forward
	Redirect      *Redirect
	FixedResponse *FixedResponse
}

// Forward spreads requests over target groups by weight.
type Forward struct {
	TargetGroups []WeightedTargetGroup
	// Stickiness binds a client to a target group for StickinessDuration.
	Stickiness         bool
	StickinessDuration time.Duration
}

// WeightedTargetGroup is one target group of a forward action.
type WeightedTargetGroup struct {
	ARN    string
	Weight int32 // 0–999
}

// Redirect is a redirect action; the components may contain the
// placeholders #{protocol}, #{host}, #{port}, #{path} and #{query}.
type Redirect struct {
	Protocol, Port, Host, Path, Query string
	StatusCode                        int // 301 or 302
}

// FixedResponse is a fixed-response action.
type FixedResponse struct {
	StatusCode  int
	ContentType string
	MessageBody string
}

// TargetGroup is a target group with its health check and targets.
type TargetGroup struct {
	ARN, Name        string
	Protocol         string // HTTP or HTTPS; "" for lambda
	ProtocolVersion  string // HTTP1, HTTP2 or GRPC
	TargetType       string // instance, ip or lambda
	IPAddressType    string
	Port             int32
	LoadBalancerARNs []string // empty: the group receives no traffic
	HealthCheck      HealthCheck
	Attributes       map[string]string // every key of spec §3.3.4 for the type
	// DeregistrationDelay is deregistration_delay.timeout_seconds.
	DeregistrationDelay time.Duration
	Targets             []Target // registration order, draining ones included
}

// HealthCheck is a target group's health check configuration.
type HealthCheck struct {
	Enabled  bool
	Protocol string // HTTP or HTTPS
	// Port is "traffic-port" or a port number; Target.HealthCheckPort
	// resolves it.
	Port               string
	Path               string
	Interval, Timeout  time.Duration
	HealthyThreshold   int
	UnhealthyThreshold int
	// HTTPCodes is the matcher: "200", "200,202" or "200-299"; GRPCCodes
	// the same for GRPC target groups.
	HTTPCodes, GRPCCodes string
}

// Target is one registration with its health.
type Target struct {
	TargetKey
	AvailabilityZone string
	HealthCheckPort  int32
	// State, Reason and Description are what DescribeTargetHealth shows
	// (draining and unused included).
	State, Reason, Description string
	// DrainingSince and DrainDeadline are set while State is draining: the
	// target should get no new requests, and its deregistration completes
	// at DrainDeadline.
	DrainingSince, DrainDeadline time.Time
}

// Snapshot returns the current configuration of every region. Call it
// when OnChange fires (and, to drop expired draining targets without
// waiting for another change, when a DrainDeadline passes).
func (a *API) Snapshot() Snapshot {
	snap := Snapshot{Taken: a.opts.Now()}
	for _, s := range a.stores() {
		snap.Regions = append(snap.Regions, s.snapshot())
	}
	// Read after the stores: a change racing with this call has bumped the
	// version already or will fire OnChange again.
	snap.Version = a.version.Load()
	return snap
}

func (s *Store) snapshot() RegionSnapshot {
	unlock := s.lock()
	defer unlock()
	rs := RegionSnapshot{Region: s.region, TargetGroups: make(map[string]*TargetGroup, len(s.tgs))}
	for _, lb := range s.sortedLBs() {
		rs.LoadBalancers = append(rs.LoadBalancers, s.snapLB(lb))
	}
	for arn, tg := range s.tgs {
		rs.TargetGroups[arn] = s.snapTG(tg)
	}
	return rs
}

func (s *Store) snapLB(lb *loadBalancer) LoadBalancer {
	out := LoadBalancer{
		ARN:            deref(lb.view.LoadBalancerArn),
		Name:           deref(lb.view.LoadBalancerName),
		DNSName:        deref(lb.view.DNSName),
		Scheme:         string(lb.view.Scheme),
		IPAddressType:  string(lb.view.IpAddressType),
		State:          string(s.lbState(lb)),
		ActiveAt:       lb.created.Add(s.api.opts.ProvisioningDelay),
		SecurityGroups: slices.Clone(lb.view.SecurityGroups),
		Attributes:     maps.Clone(lb.attrs),
		Address:        lb.address,
	}
	for _, l := range s.listenersOf(out.ARN) {
		sl := Listener{
			ARN:        deref(l.view.ListenerArn),
			Port:       deref(l.view.Port),
			Protocol:   string(l.view.Protocol),
			SSLPolicy:  deref(l.view.SslPolicy),
			Attributes: maps.Clone(l.attrs),
		}
		for _, c := range l.view.Certificates {
			sl.Certs = append(sl.Certs, deref(c.CertificateArn))
		}
		sl.Certs = append(sl.Certs, l.extraCerts...)
		for _, r := range s.rulesOf(sl.ARN) {
			sl.Rules = append(sl.Rules, snapRule(r))
		}
		out.Listeners = append(out.Listeners, sl)
	}
	return out
}

func snapRule(r *rule) Rule {
	out := Rule{ARN: r.arn, Priority: r.priority, IsDefault: r.isDefault}
	for _, c := range r.conditions {
		out.Conditions = append(out.Conditions, snapCondition(c))
	}
	for _, a := range r.actions {
		out.Actions = append(out.Actions, snapAction(a))
	}
	return out
}

func snapCondition(c types.RuleCondition) Condition {
	out := Condition{Field: deref(c.Field)}
	switch out.Field {
	case "host-header":
		if h := c.HostHeaderConfig; h != nil {
			out.Values, out.RegexValues = slices.Clone(h.Values), slices.Clone(h.RegexValues)
		}
	case "path-pattern":
		if p := c.PathPatternConfig; p != nil {
			out.Values, out.RegexValues = slices.Clone(p.Values), slices.Clone(p.RegexValues)
		}
	case "http-header":
		if h := c.HttpHeaderConfig; h != nil {
			out.HeaderName = deref(h.HttpHeaderName)
			out.Values, out.RegexValues = slices.Clone(h.Values), slices.Clone(h.RegexValues)
		}
	case "http-request-method":
		if m := c.HttpRequestMethodConfig; m != nil {
			out.Values = slices.Clone(m.Values)
		}
	case "query-string":
		if q := c.QueryStringConfig; q != nil {
			for _, kv := range q.Values {
				out.Query = append(out.Query, QueryPair{Key: deref(kv.Key), Value: deref(kv.Value)})
			}
		}
	case "source-ip":
		if sip := c.SourceIpConfig; sip != nil {
			out.Values = slices.Clone(sip.Values)
		}
	}
	return out
}

func snapAction(a types.Action) Action {
	out := Action{Type: string(a.Type), Order: deref(a.Order)}
	switch {
	case a.ForwardConfig != nil:
		f := &Forward{}
		for _, t := range a.ForwardConfig.TargetGroups {
			f.TargetGroups = append(f.TargetGroups, WeightedTargetGroup{ARN: deref(t.TargetGroupArn), Weight: deref(t.Weight)})
		}
		if st := a.ForwardConfig.TargetGroupStickinessConfig; st != nil && deref(st.Enabled) {
			f.Stickiness = true
			f.StickinessDuration = time.Duration(deref(st.DurationSeconds)) * time.Second
		}
		out.Forward = f
	case a.RedirectConfig != nil:
		r := a.RedirectConfig
		code := 301
		if r.StatusCode == types.RedirectActionStatusCodeEnumHttp302 {
			code = 302
		}
		out.Redirect = &Redirect{Protocol: deref(r.Protocol), Port: deref(r.Port), Host: deref(r.Host), Path: deref(r.Path), Query: deref(r.Query), StatusCode: code}
	case a.FixedResponseConfig != nil:
		f := a.FixedResponseConfig
		code, _ := strconv.Atoi(deref(f.StatusCode))
		out.FixedResponse = &FixedResponse{StatusCode: code, ContentType: deref(f.ContentType), MessageBody: deref(f.MessageBody)}
	}
	return out
}

func (s *Store) snapTG(tg *targetGroup) *TargetGroup {
	v := tg.view
	out := &TargetGroup{
		ARN:                 deref(v.TargetGroupArn),
		Name:                deref(v.TargetGroupName),
		Protocol:            string(v.Protocol),
		ProtocolVersion:     deref(v.ProtocolVersion),
		TargetType:          string(v.TargetType),
		IPAddressType:       string(v.IpAddressType),
		Port:                deref(v.Port),
		LoadBalancerARNs:    slices.Clone(s.used[deref(v.TargetGroupArn)]),
		Attributes:          maps.Clone(tg.attrs),
		DeregistrationDelay: time.Duration(atoiOr(tg.attrs["deregistration_delay.timeout_seconds"], 0)) * time.Second,
		HealthCheck: HealthCheck{
			Enabled:            deref(v.HealthCheckEnabled),
			Protocol:           string(v.HealthCheckProtocol),
			Port:               deref(v.HealthCheckPort),
			Path:               deref(v.HealthCheckPath),
			Interval:           time.Duration(deref(v.HealthCheckIntervalSeconds)) * time.Second,
			Timeout:            time.Duration(deref(v.HealthCheckTimeoutSeconds)) * time.Second,
			HealthyThreshold:   int(deref(v.HealthyThresholdCount)),
			UnhealthyThreshold: int(deref(v.UnhealthyThresholdCount)),
		},
	}
	if m := v.Matcher; m != nil {
		out.HealthCheck.HTTPCodes, out.HealthCheck.GRPCCodes = deref(m.HttpCode), deref(m.GrpcCode)
	}
	for _, t := range sortedTargets(tg) {
		st := Target{TargetKey: t.key, AvailabilityZone: t.az}
		st.State, st.Reason, st.Description = s.health(tg, t)
		if v.TargetType != types.TargetTypeEnumLambda {
			port, _ := strconv.Atoi(healthCheckPort(tg, t.key))
			st.HealthCheckPort = int32(port)
		}
		if t.draining {
			st.DrainingSince, st.DrainDeadline = t.drainingSince, t.drainUntil
		}
		out.Targets = append(out.Targets, st)
	}
	return out
}
