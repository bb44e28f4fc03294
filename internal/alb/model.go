// Package alb is the data plane of the emulated Application Load Balancer:
// real HTTP listeners, listener-rule matching, weighted forwarding to target
// groups, active health checks and connection draining.
//
// It knows nothing about the ELBv2 wire format. The control plane describes
// the desired world as an immutable Snapshot and hands it to Server.Update;
// the server converges sockets, routing tables and health checkers to it and
// reports target health transitions and idle draining targets back through
// callbacks.
package alb

import "time"

// Snapshot is the complete desired configuration of every load balancer the
// data plane serves. Update always receives a whole snapshot, never a delta.
type Snapshot struct {
	LoadBalancers []LoadBalancer
	TargetGroups  []TargetGroup
}

// LoadBalancer is one Application Load Balancer.
type LoadBalancer struct {
	ARN  string
	Name string
	// Address is the local IP every listener of this load balancer binds,
	// for example "127.0.0.2". The caller allocates one loopback address
	// per load balancer so that two load balancers can both use port 80.
	// Empty means 127.0.0.1.
	Address string
	// IdleTimeout is idle_timeout.timeout_seconds. A target that does not
	// start answering within it gets a 504. Zero means the AWS default, 60s.
	IdleTimeout time.Duration
	Listeners   []Listener
}

// Listener is a port of a load balancer with its rules.
type Listener struct {
	ARN string
	// Port to bind on the load balancer's Address. 0 picks a free port
	// (see Server.ListenerAddr), which tests use.
	Port int
	// Protocol is "HTTP" or "HTTPS". HTTPS listeners terminate TLS with
	// the certificate of Certificates that matches the client's server
	// name (the first when none does), else Options.Certificate or a
	// self-signed certificate.
	Protocol string
	// Certificates are the listener's certificate ARNs, the default one
	// first, resolved through Options.CertificateLookup.
	Certificates   []string
	DefaultActions []Action
	Rules          []Rule
}

// Rule is a non-default listener rule. Rules are evaluated by ascending
// Priority; the first whose conditions all match decides the action.
type Rule struct {
	ARN        string
	Priority   int
	Conditions []Condition
	Actions    []Action
}

// Condition fields, as in ELBv2.
const (
	FieldPathPattern       = "path-pattern"
	FieldHostHeader        = "host-header"
	FieldHTTPHeader        = "http-header"
	FieldHTTPRequestMethod = "http-request-method"
	FieldQueryString       = "query-string"
	FieldSourceIP          = "source-ip"
)

// Condition is one rule condition. The conditions of a rule are AND-ed; the
// values inside one condition are OR-ed.
type Condition struct {
	Field string
	// HeaderName is the header an http-header condition inspects.
	HeaderName string
	// Values holds the patterns of path-pattern, host-header, http-header,
	// the methods of http-request-method and the CIDRs of source-ip.
	Values []string
	// QueryStrings holds the key/value patterns of a query-string
	// condition. An empty Key matches a value under any key.
	QueryStrings []QueryStringPair
}

// QueryStringPair is one key/value pattern of a query-string condition.
type QueryStringPair struct {
	Key   string
	Value string
}

// Action types, as in ELBv2. Authentication actions are not emulated.
const (
	ActionForward       = "forward"
	ActionRedirect      = "redirect"
	ActionFixedResponse = "fixed-response"
)

// Action is what a matching rule does. Only the last action by Order that is
// forward, redirect or fixed-response is executed.
type Action struct {
	Type  string
	Order int
	// TargetGroups is the forward target; with more than one group the
	// weights split the traffic. Stickiness is not emulated.
	TargetGroups  []WeightedTargetGroup
	Redirect      *RedirectConfig
	FixedResponse *FixedResponseConfig
}

// WeightedTargetGroup is one entry of a forward action. The weight is
// ignored when the action has a single target group.
type WeightedTargetGroup struct {
	ARN    string
	Weight int
}

// RedirectConfig is a redirect action. Empty fields keep the request's
// component; every field may use the placeholders #{protocol}, #{host},
// #{port}, #{path} (without its leading "/") and #{query}.
type RedirectConfig struct {
	Protocol   string // HTTP, HTTPS or #{protocol}
	Host       string
	Port       string
	Path       string
	Query      string
	StatusCode string // HTTP_301 or HTTP_302
}

// FixedResponseConfig is a fixed-response action.
type FixedResponseConfig struct {
	StatusCode  string // "200", "404", "503", ...
	ContentType string
	MessageBody string
}

// TargetGroup is a target group referenced by forward actions. A target
// group that no listener references is neither health checked nor routed to.
type TargetGroup struct {
	ARN      string
	Name     string
	Protocol string // HTTP or HTTPS; HTTPS targets are not verified, as in AWS
	Port     int
	// HealthCheck settings; see HealthCheck for the defaults of zero fields.
	HealthCheck HealthCheck
	// DeregistrationDelay is deregistration_delay.timeout_seconds. When it
	// is positive, requests still running on a draining target that long
	// after draining started are aborted (502), which also ends draining.
	// Zero sets no deadline in the data plane. Removing a target from the
	// snapshot stops new requests but never cuts running ones.
	DeregistrationDelay time.Duration
	Targets             []Target
}

// HealthCheck holds a target group's health check settings. Zero values take
// the ALB defaults for HTTP target groups: protocol of the target group,
// port "traffic-port", path "/", interval 30s, timeout 5s, healthy threshold
// 5, unhealthy threshold 2, matcher "200".
type HealthCheck struct {
	// Enabled false reports every target unavailable/Target.HealthCheckDisabled
	// and routes to all of them.
	Enabled  bool
	Protocol string
	Port     string // "traffic-port" or a port number
	Path     string
	Interval time.Duration
	Timeout  time.Duration
	// HealthyThreshold is the number of consecutive passes that bring an
	// unhealthy target back.
	HealthyThreshold int
	// UnhealthyThreshold is the number of consecutive failures that make a
	// target unhealthy.
	UnhealthyThreshold int
	// Matcher lists the successful codes: "200", "200-299", "200,202".
	Matcher string
}

// Target is a registered target.
type Target struct {
	ID   string // IP address
	Port int    // 0 means the target group's port
	// Draining marks a deregistering target: it gets no new requests and
	// its requests in flight run to completion.
	Draining bool
	// Healthy says the control plane last knew the target healthy. A
	// target new to this server (after a restart) then starts healthy
	// instead of initial: it keeps serving while the checks go on, as it
	// did before the restart.
	Healthy bool
}

// TargetKey identifies a registered target inside a target group. Port is the
// effective port (the target group's port when the target gave none).
type TargetKey struct {
	ID   string
	Port int
}

// Target health states and reason codes as DescribeTargetHealth shows them.
const (
	StateInitial     = "initial"
	StateHealthy     = "healthy"
	StateUnhealthy   = "unhealthy"
	StateUnavailable = "unavailable"

	ReasonInitialHealthChecking = "Elb.InitialHealthChecking"
	ReasonResponseCodeMismatch  = "Target.ResponseCodeMismatch"
	ReasonTimeout               = "Target.Timeout"
	ReasonFailedHealthChecks    = "Target.FailedHealthChecks"
	ReasonHealthCheckDisabled   = "Target.HealthCheckDisabled"
)

// TargetHealth is the data plane's view of one target's health.
type TargetHealth struct {
	State       string
	Reason      string
	Description string
}
