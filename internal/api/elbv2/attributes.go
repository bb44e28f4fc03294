package elbv2

import (
	"strings"
)

// attrSpec is one attribute key: its default and its check, which returns
// the complaint for a bad value ("" when the value is fine).
type attrSpec struct {
	key   string
	def   string
	check func(v string) string
}

func boolAttr(v string) string {
	if _, ok := parseBool(v); !ok {
		return "must be 'true' or 'false'"
	}
	return ""
}

func intAttr(lo, hi int) func(string) string {
	return func(v string) string {
		if _, ok := parseIntIn(v, lo, hi); !ok {
			return "must be between '" + itoa(lo) + "-" + itoa(hi) + "' inclusive"
		}
		return ""
	}
}

func oneOf(values ...string) func(string) string {
	return func(v string) string {
		for _, ok := range values {
			if v == ok {
				return ""
			}
		}
		return "must be one of '" + strings.Join(values, ", ") + "'"
	}
}

func anyString(maxLen int) func(string) string {
	return func(v string) string {
		if len(v) > maxLen {
			return "must be at most " + itoa(maxLen) + " characters long"
		}
		return ""
	}
}

// offOr accepts "off" or what check accepts.
func offOr(check func(string) string) func(string) string {
	return func(v string) string {
		if v == "off" {
			return ""
		}
		if msg := check(v); msg != "" {
			return "must be 'off' or " + strings.TrimPrefix(msg, "must be ")
		}
		return ""
	}
}

// loadBalancerAttrs are the ALB attributes and their defaults (spec §3.3.2).
// ipv6.deny_all_igw_traffic defaults to true for internal load balancers
// (see lbAttrDefaults).
var loadBalancerAttrs = []attrSpec{
	{"access_logs.s3.enabled", "false", boolAttr},
	{"access_logs.s3.bucket", "", anyString(255)},
	{"access_logs.s3.prefix", "", anyString(1024)},
	{"client_keep_alive.seconds", "3600", intAttr(60, 604800)},
	{"connection_logs.s3.enabled", "false", boolAttr},
	{"connection_logs.s3.bucket", "", anyString(255)},
	{"connection_logs.s3.prefix", "", anyString(1024)},
	{"deletion_protection.enabled", "false", boolAttr},
	{"health_check_logs.s3.enabled", "false", boolAttr},
	{"health_check_logs.s3.bucket", "", anyString(255)},
	{"health_check_logs.s3.prefix", "", anyString(1024)},
	{"idle_timeout.timeout_seconds", "60", intAttr(1, 4000)},
	{"ipv6.deny_all_igw_traffic", "false", boolAttr},
	{"load_balancing.cross_zone.enabled", "true", boolAttr},
	{"routing.http.desync_mitigation_mode", "defensive", oneOf("monitor", "defensive", "strictest")},
	{"routing.http.drop_invalid_header_fields.enabled", "false", boolAttr},
	{"routing.http.preserve_host_header.enabled", "false", boolAttr},
	{"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false", boolAttr},
	{"routing.http.xff_client_port.enabled", "false", boolAttr},
	{"routing.http.xff_header_processing.mode", "append", oneOf("append", "preserve", "remove")},
	{"routing.http2.enabled", "true", boolAttr},
	{"waf.fail_open.enabled", "false", boolAttr},
	{"zonal_shift.config.enabled", "false", boolAttr},
}

func lbAttrDefaults(internal bool) map[string]string {
	m := defaults(loadBalancerAttrs)
	if internal {
		m["ipv6.deny_all_igw_traffic"] = "true"
	}
	return m
}

// checkLBAttrs validates the attributes a ModifyLoadBalancerAttributes
// call would leave: unknown keys and malformed values are ValidationError,
// inconsistent combinations InvalidConfigurationRequest.
func checkLBAttrs(merged map[string]string) error {
	if merged["load_balancing.cross_zone.enabled"] != "true" {
		return errInvalidConfig("Cross-zone load balancing cannot be disabled for Application Load Balancers")
	}
	for _, kind := range []string{"access_logs", "connection_logs", "health_check_logs"} {
		if merged[kind+".s3.enabled"] == "true" && merged[kind+".s3.bucket"] == "" {
			return errInvalidConfig("The value of '%s.s3.bucket' cannot be empty when '%s.s3.enabled' is 'true'", kind, kind)
		}
	}
	return nil
}

// targetGroupAttrs are the ALB target group attributes (spec §3.3.4) with
// the target types they apply to ("" = all ALB types).
var targetGroupAttrs = []struct {
	attrSpec
	lambda, instanceIP bool
}{
	{attrSpec{"deregistration_delay.timeout_seconds", "300", intAttr(0, 3600)}, false, true},
	{attrSpec{"stickiness.enabled", "false", boolAttr}, true, true},
	{attrSpec{"stickiness.type", "lb_cookie", oneOf("lb_cookie", "app_cookie", "source_ip", "source_ip_dest_ip", "source_ip_dest_ip_proto")}, true, true},
	{attrSpec{"stickiness.lb_cookie.duration_seconds", "86400", intAttr(1, 604800)}, true, true},
	{attrSpec{"stickiness.app_cookie.cookie_name", "", anyString(255)}, false, true},
	{attrSpec{"stickiness.app_cookie.duration_seconds", "86400", intAttr(1, 604800)}, false, true},
	{attrSpec{"slow_start.duration_seconds", "0", slowStart}, false, true},
	{attrSpec{"load_balancing.algorithm.type", "round_robin", oneOf("round_robin", "least_outstanding_requests", "weighted_random")}, false, true},
	{attrSpec{"load_balancing.algorithm.anomaly_mitigation", "off", oneOf("on", "off")}, false, true},
	{attrSpec{"load_balancing.cross_zone.enabled", "use_load_balancer_configuration", oneOf("true", "false", "use_load_balancer_configuration")}, false, true},
	{attrSpec{"target_group_health.dns_failover.minimum_healthy_targets.count", "1", offOr(intAttr(1, 1000))}, false, true},
	{attrSpec{"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off", offOr(intAttr(1, 100))}, false, true},
	{attrSpec{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1", intAttr(1, 1000)}, false, true},
	{attrSpec{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off", offOr(intAttr(1, 100))}, false, true},
	{attrSpec{"lambda.multi_value_headers.enabled", "false", boolAttr}, true, false},
}

func slowStart(v string) string {
	if v == "0" {
		return ""
	}
	if _, ok := parseIntIn(v, 30, 900); !ok {
		return "must be '0' or between '30-900' inclusive"
	}
	return ""
}

// tgAttrSpecs returns the attributes of a target group of the given type.
func tgAttrSpecs(lambda bool) []attrSpec {
	var out []attrSpec
	for _, a := range targetGroupAttrs {
		if lambda && a.lambda || !lambda && a.instanceIP {
			out = append(out, a.attrSpec)
		}
	}
	return out
}

// checkTGAttrs validates a target group's attributes after a change.
func checkTGAttrs(merged map[string]string) error {
	switch merged["stickiness.type"] {
	case "source_ip", "source_ip_dest_ip", "source_ip_dest_ip_proto":
		return errInvalidConfig("Stickiness type '%s' is not supported for target groups with the HTTP protocol", merged["stickiness.type"])
	case "app_cookie":
		if merged["stickiness.enabled"] == "true" && merged["stickiness.app_cookie.cookie_name"] == "" {
			return errInvalidConfig("You must set an application cookie name to enable stickiness of type 'app_cookie'")
		}
	}
	name := merged["stickiness.app_cookie.cookie_name"]
	for _, reserved := range []string{"AWSALB", "AWSALBAPP", "AWSALBTG"} {
		if name != "" && strings.HasPrefix(name, reserved) {
			return errInvalidConfig("The application cookie name cannot start with '%s'", reserved)
		}
	}
	if merged["load_balancing.algorithm.anomaly_mitigation"] == "on" && merged["load_balancing.algorithm.type"] != "weighted_random" {
		return errInvalidConfig("Anomaly mitigation is only supported with the 'weighted_random' load balancing algorithm")
	}
	if merged["slow_start.duration_seconds"] != "" && merged["slow_start.duration_seconds"] != "0" &&
		merged["load_balancing.algorithm.type"] == "weighted_random" {
		return errInvalidConfig("Slow start is not supported with the 'weighted_random' load balancing algorithm")
	}
	return nil
}

// listenerAttrs are the ALB listener attributes ([BC] ListenerAttribute.Key).
var listenerAttrs = []attrSpec{
	{"routing.http.request.x_amzn_mtls_clientcert_serial_number.header_name", "X-Amzn-Mtls-Clientcert-Serial-Number", headerName},
	{"routing.http.request.x_amzn_mtls_clientcert_issuer.header_name", "X-Amzn-Mtls-Clientcert-Issuer", headerName},
	{"routing.http.request.x_amzn_mtls_clientcert_subject.header_name", "X-Amzn-Mtls-Clientcert-Subject", headerName},
	{"routing.http.request.x_amzn_mtls_clientcert_validity.header_name", "X-Amzn-Mtls-Clientcert-Validity", headerName},
	{"routing.http.request.x_amzn_mtls_clientcert_leaf.header_name", "X-Amzn-Mtls-Clientcert-Leaf", headerName},
	{"routing.http.request.x_amzn_mtls_clientcert.header_name", "X-Amzn-Mtls-Clientcert", headerName},
	{"routing.http.request.x_amzn_tls_version.header_name", "X-Amzn-Tls-Version", headerName},
	{"routing.http.request.x_amzn_tls_cipher_suite.header_name", "X-Amzn-Tls-Cipher-Suite", headerName},
	{"routing.http.response.server.enabled", "true", boolAttr},
	{"routing.http.response.strict_transport_security.header_value", "", anyString(1024)},
	{"routing.http.response.access_control_allow_origin.header_value", "", anyString(1024)},
	{"routing.http.response.access_control_allow_methods.header_value", "", anyString(1024)},
	{"routing.http.response.access_control_allow_headers.header_value", "", anyString(1024)},
	{"routing.http.response.access_control_allow_credentials.header_value", "", oneOf("", "true")},
	{"routing.http.response.access_control_expose_headers.header_value", "", anyString(1024)},
	{"routing.http.response.access_control_max_age.header_value", "", func(v string) string {
		if v == "" {
			return ""
		}
		return intAttr(0, 86400)(v)
	}},
	{"routing.http.response.content_security_policy.header_value", "", anyString(1024)},
	{"routing.http.response.x_content_type_options.header_value", "", oneOf("", "nosniff")},
	{"routing.http.response.x_frame_options.header_value", "", func(v string) string {
		if v == "" || v == "DENY" || v == "SAMEORIGIN" || strings.HasPrefix(v, "ALLOW-FROM ") {
			return ""
		}
		return "must be 'DENY', 'SAMEORIGIN' or 'ALLOW-FROM <uri>'"
	}},
}

func headerName(v string) string {
	if v == "" || len(v) > 40 {
		return "must be a header name of 1 to 40 characters"
	}
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return "must be a header name of letters, digits and hyphens"
		}
	}
	return ""
}

func defaults(specs []attrSpec) map[string]string {
	m := make(map[string]string, len(specs))
	for _, a := range specs {
		m[a.key] = a.def
	}
	return m
}

// attrChange is one Key/Value pair of a Modify*Attributes call.
type attrChange struct {
	key, value *string
}

// applyAttrs validates changes against specs and returns the merged map;
// have is not modified. A key the service knows for another kind of
// resource is InvalidConfigurationRequest; an unknown key or a bad value is
// ValidationError.
func applyAttrs(have map[string]string, specs []attrSpec, known func(string) bool, changes []attrChange) (map[string]string, error) {
	if len(changes) == 0 {
		return nil, errRequired("attributes")
	}
	byKey := make(map[string]attrSpec, len(specs))
	for _, a := range specs {
		byKey[a.key] = a
	}
	merged := make(map[string]string, len(have))
	for k, v := range have {
		merged[k] = v
	}
	for i, c := range changes {
		member := "attributes." + itoa(i+1) + ".member"
		if err := validAttributeKey(c.key, member); err != nil {
			return nil, err
		}
		spec, ok := byKey[*c.key]
		if !ok {
			if known != nil && known(*c.key) {
				return nil, errInvalidConfig("Attribute key '%s' is not supported on this resource", *c.key)
			}
			return nil, errValidation("Attribute key '%s' is not recognized", *c.key)
		}
		v := deref(c.value)
		if msg := spec.check(v); msg != "" {
			return nil, errValidation("'%s' value '%s' %s", *c.key, v, msg)
		}
		merged[*c.key] = v
	}
	return merged, nil
}

// knownTGAttr reports keys valid for some ALB target group type, or for
// NLB/GWLB target groups.
func knownTGAttr(key string) bool {
	for _, a := range targetGroupAttrs {
		if a.key == key {
			return true
		}
	}
	switch key {
	case "deregistration_delay.connection_termination.enabled", "preserve_client_ip.enabled", "proxy_protocol_v2.enabled",
		"target_health_state.unhealthy.connection_termination.enabled", "target_health_state.unhealthy.draining_interval_seconds",
		"target_failover.on_deregistration", "target_failover.on_unhealthy":
		return true
	}
	return false
}

func knownLBAttr(key string) bool {
	return key == "dns_record.client_routing_policy" || key == "secondary_ips.auto_assigned.per_subnet"
}

func knownListenerAttr(key string) bool {
	return key == "tcp.idle_timeout.seconds"
}
