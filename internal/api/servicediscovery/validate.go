package servicediscovery

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

// Quotas (Cloud Map Developer Guide, "Cloud Map quotas"; spec §3.4).
const (
	maxNamespaces           = 50 // per account and region
	maxServicesPerNamespace = 2000
	maxInstancesPerService  = 1000
	maxCustomAttributes     = 30 // per instance
	maxAttributesLength     = 5000
	maxServiceAttributes    = 30
	maxTagsPerResource      = 50
	maxTagsPerCall          = 200
)

// Model constraints (spec §4.3).
var (
	printable       = regexp.MustCompile(`^[!-~]+$`)
	publicDNSName   = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$`)
	serviceLabel    = `([a-zA-Z0-9_][a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])`
	serviceName     = regexp.MustCompile(`^` + serviceLabel + `(\.` + serviceLabel + `)*$`)
	instanceIDChars = regexp.MustCompile(`^[0-9a-zA-Z_/:.@-]+$`)
)

// validNamespaceName applies the name pattern of each namespace type: HTTP
// ^(?!arn:)[!-~]{1,1024}$, private DNS ^(?!arn:)[!-~]{1,253}$, public DNS a
// domain name of at least two labels.
func validNamespaceName(typ types.NamespaceType, name *string) error {
	if name == nil {
		return errRequired("name")
	}
	n := *name
	switch typ {
	case types.NamespaceTypeDnsPublic:
		if len(n) > 253 || !publicDNSName.MatchString(n) {
			return errValidation(n, "name", "Member must satisfy regular expression pattern: ^([a-zA-Z0-9]([a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z0-9]([a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?$")
		}
		return nil
	case types.NamespaceTypeDnsPrivate:
		if len(n) > 253 || !printable.MatchString(n) || strings.HasPrefix(n, "arn:") {
			return errValidation(n, "name", "Member must satisfy regular expression pattern: ^(?!arn:)[!-~]{1,253}$")
		}
		return nil
	default:
		if len(n) > 1024 || !printable.MatchString(n) || strings.HasPrefix(n, "arn:") {
			return errValidation(n, "name", "Member must satisfy regular expression pattern: ^(?!arn:)[!-~]{1,1024}$")
		}
		return nil
	}
}

// validServiceName applies the service name pattern: labels of up to 63
// letters, digits, '_' and '-' (not at either end) joined by dots, at most
// 127 characters in all, or a single ".".
func validServiceName(name *string) error {
	if name == nil {
		return errRequired("name")
	}
	n := *name
	if n == "." || (len(n) <= 127 && serviceName.MatchString(n)) {
		return nil
	}
	return errValidation(n, "name", "Member must satisfy regular expression pattern: ((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(\\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\\.$)")
}

// validLength checks an optional string member's maximum length.
func validLength(p *string, member string, max int) error {
	if p != nil && utf8.RuneCountInString(*p) > max {
		return errValidation(*p, member, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
	return nil
}

// validRequiredID checks a required ID-or-ARN member (≤ 64 characters for
// IDs; ARNs may be longer).
func validRequiredID(p *string, member string) error {
	if p == nil || *p == "" {
		return errRequired(member)
	}
	if !strings.HasPrefix(*p, "arn:") {
		return validLength(p, member, 64)
	}
	return validLength(p, member, 255)
}

// validInstanceID checks an instance ID: ≤ 64 of [0-9a-zA-Z_/:.@-].
func validInstanceID(p *string) error {
	if p == nil {
		return errRequired("instanceId")
	}
	if len(*p) > 64 || !instanceIDChars.MatchString(*p) {
		return errValidation(*p, "instanceId", "Member must satisfy regular expression pattern: ^[0-9a-zA-Z_/:.@-]+$")
	}
	return nil
}

func validTTL(ttl *int64, member string) error {
	if ttl == nil {
		return errRequired(member)
	}
	if *ttl < 0 || *ttl > 2147483647 {
		return errValidation(*ttl, member, "Member must have value between 0 and 2147483647")
	}
	return nil
}

func validFailureThreshold(p *int32, member string) error {
	if p != nil && (*p < 1 || *p > 10) {
		return errValidation(*p, member, "Member must have value between 1 and 10")
	}
	return nil
}

// validOwnerAccount checks an optional OwnerAccount: 12 characters.
func validOwnerAccount(p *string) error {
	if p != nil && len(*p) != 12 {
		return errValidation(*p, "ownerAccount", "Member must have length of 12")
	}
	return nil
}

// validTags checks the format of tags (keys 1–128, values 0–256, at most
// 200 per call, no "aws:" keys). The per-resource quota of 50 is
// TooManyTagsException, checked where the tags are applied.
func validTags(tags []types.Tag) error {
	if len(tags) > maxTagsPerCall {
		return errValidation(len(tags), "tags", "Member must have length less than or equal to 200")
	}
	for _, t := range tags {
		if t.Key == nil {
			return errRequired("tags.member.key")
		}
		if t.Value == nil {
			return errRequired("tags.member.value")
		}
		if n := utf8.RuneCountInString(*t.Key); n < 1 || n > 128 {
			return errValidation(*t.Key, "tags.member.key", "Member must have length between 1 and 128")
		}
		if utf8.RuneCountInString(*t.Value) > 256 {
			return errValidation(*t.Value, "tags.member.value", "Member must have length less than or equal to 256")
		}
		if strings.HasPrefix(strings.ToLower(*t.Key), "aws:") {
			return errInvalidInput("Tag keys starting with 'aws:' are reserved for system use: %s", *t.Key)
		}
	}
	return nil
}

// validAttributeKey checks an instance, service or query attribute key:
// ≤ 255 printable ASCII characters without spaces.
func validAttributeKey(k, member string) error {
	if len(k) > 255 || !printable.MatchString(k) {
		return errValidation(k, member, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9!-~]+$")
	}
	return nil
}

// validAttributeValue checks an attribute value: ≤ 1024 printable ASCII
// characters; spaces and tabs only after the first character.
func validAttributeValue(v, member string) error {
	ok := len(v) <= 1024
	for i := 0; ok && i < len(v); i++ {
		c := v[i]
		ok = (c >= '!' && c <= '~') || (i > 0 && (c == ' ' || c == '\t'))
	}
	if !ok {
		return errValidation(v, member, "Member must satisfy regular expression pattern: ^([a-zA-Z0-9!-~][ \\ta-zA-Z0-9!-~]*){0,1}[a-zA-Z0-9!-~]{0,1}$")
	}
	return nil
}

// Reserved instance attributes (RegisterInstance, spec §3.4.3).
const (
	AttrIPv4             = "AWS_INSTANCE_IPV4"
	AttrIPv6             = "AWS_INSTANCE_IPV6"
	AttrPort             = "AWS_INSTANCE_PORT"
	AttrCNAME            = "AWS_INSTANCE_CNAME"
	AttrAliasDNSName     = "AWS_ALIAS_DNS_NAME"
	AttrEC2InstanceID    = "AWS_EC2_INSTANCE_ID"
	AttrInitHealthStatus = "AWS_INIT_HEALTH_STATUS"
)

var reservedAttributes = map[string]bool{
	AttrIPv4: true, AttrIPv6: true, AttrPort: true, AttrCNAME: true,
	AttrAliasDNSName: true, AttrEC2InstanceID: true, AttrInitHealthStatus: true,
}

// validInstanceAttributes checks what does not depend on the service: key
// and value formats, the reserved attributes' values, the number of custom
// attributes and the total size.
func validInstanceAttributes(attrs map[string]string) error {
	total, custom := 0, 0
	for k, v := range attrs {
		if err := validAttributeKey(k, "attributes.key"); err != nil {
			return err
		}
		if err := validAttributeValue(v, "attributes.value"); err != nil {
			return err
		}
		total += len(k) + len(v)
		if !reservedAttributes[k] {
			custom++
		}
	}
	if custom > maxCustomAttributes {
		return errInvalidInput("An instance can have at most %d custom attributes, got %d", maxCustomAttributes, custom)
	}
	if total > maxAttributesLength {
		return errInvalidInput("The total size of all attributes (keys and values) must not exceed %d characters, got %d", maxAttributesLength, total)
	}
	if v, ok := attrs[AttrIPv4]; ok {
		if a, err := netip.ParseAddr(v); err != nil || !a.Is4() {
			return errInvalidInput("%s must be an IPv4 address: %s", AttrIPv4, v)
		}
	}
	if v, ok := attrs[AttrIPv6]; ok {
		if a, err := netip.ParseAddr(v); err != nil || !a.Is6() || a.Is4In6() {
			return errInvalidInput("%s must be an IPv6 address: %s", AttrIPv6, v)
		}
	}
	if v, ok := attrs[AttrPort]; ok {
		if p, err := strconv.Atoi(v); err != nil || p < 0 || p > 65535 {
			return errInvalidInput("%s must be a port number between 0 and 65535: %s", AttrPort, v)
		}
	}
	if v, ok := attrs[AttrInitHealthStatus]; ok && v != string(types.CustomHealthStatusHealthy) && v != string(types.CustomHealthStatusUnhealthy) {
		return errInvalidInput("%s must be HEALTHY or UNHEALTHY: %s", AttrInitHealthStatus, v)
	}
	if v, ok := attrs[AttrCNAME]; ok && v == "" {
		return errInvalidInput("%s must not be empty", AttrCNAME)
	}
	if v, ok := attrs[AttrAliasDNSName]; ok && v == "" {
		return errInvalidInput("%s must not be empty", AttrAliasDNSName)
	}
	return nil
}

// validAttributesForService checks the attributes the service's DNS and
// health check configuration require (RegisterInstance's Attributes doc).
func validAttributesForService(attrs map[string]string, svc *service, ns *namespace) error {
	has := func(k string) bool { _, ok := attrs[k]; return ok }
	if has(AttrEC2InstanceID) {
		if ns.Type != types.NamespaceTypeHttp {
			return errInvalidInput("%s is supported only for HTTP namespaces", AttrEC2InstanceID)
		}
		for k := range attrs {
			if reservedAttributes[k] && k != AttrEC2InstanceID && k != AttrInitHealthStatus {
				return errInvalidInput("%s can only be combined with %s, not %s", AttrEC2InstanceID, AttrInitHealthStatus, k)
			}
		}
	}
	records := map[types.RecordType]bool{}
	var routing types.RoutingPolicy
	if svc.servesDNS() && svc.DnsConfig != nil {
		routing = svc.DnsConfig.RoutingPolicy
		for _, r := range svc.DnsConfig.DnsRecords {
			records[r.Type] = true
		}
	}
	if has(AttrAliasDNSName) {
		if !svc.servesDNS() || routing != types.RoutingPolicyWeighted || !(records[types.RecordTypeA] || records[types.RecordTypeAaaa]) {
			return errInvalidInput("%s requires a service with the WEIGHTED routing policy and an A or AAAA record", AttrAliasDNSName)
		}
		for _, k := range []string{AttrIPv4, AttrIPv6, AttrPort, AttrCNAME} {
			if has(k) {
				return errInvalidInput("%s cannot be combined with %s", AttrAliasDNSName, k)
			}
		}
		return nil
	}
	if records[types.RecordTypeA] && !has(AttrIPv4) {
		return errInvalidInput("%s is required: the service has an A record", AttrIPv4)
	}
	if records[types.RecordTypeAaaa] && !has(AttrIPv6) {
		return errInvalidInput("%s is required: the service has an AAAA record", AttrIPv6)
	}
	if records[types.RecordTypeCname] && !has(AttrCNAME) {
		return errInvalidInput("%s is required: the service has a CNAME record", AttrCNAME)
	}
	if records[types.RecordTypeSrv] {
		if !has(AttrPort) {
			return errInvalidInput("%s is required: the service has an SRV record", AttrPort)
		}
		if !has(AttrIPv4) && !has(AttrIPv6) {
			return errInvalidInput("%s or %s is required: the service has an SRV record", AttrIPv4, AttrIPv6)
		}
	}
	if svc.HealthCheckConfig != nil && !has(AttrPort) {
		return errInvalidInput("%s is required: the service has a health check", AttrPort)
	}
	return nil
}
