package awsproto

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Values of Route.Service and Route.Protocol.
const (
	ServiceECS      = "ecs"
	ServiceELBv2    = "elbv2"
	ServiceCloudMap = "servicediscovery"
	ProtocolJSON    = "json"
	ProtocolQuery   = "query"
)

const (
	ecsTargetPrefix      = "AmazonEC2ContainerServiceV20141113"
	cloudMapTargetPrefix = "Route53AutoNaming_v20170314"
	elbv2APIVersion      = "2015-12-01"
	formContentType      = "application/x-www-form-urlencoded"
	sigV4Algorithm       = "AWS4-HMAC-SHA256"
)

// Route says which service and operation a request is for.
type Route struct {
	Service   string // ServiceECS, ServiceELBv2, ServiceCloudMap, or "" for unsupported
	Operation string // PascalCase operation name; "" when the request names none
	Region    string // from the SigV4 credential scope, else the default
	Protocol  string // ProtocolJSON or ProtocolQuery
	Target    string // raw X-Amz-Target prefix, or the query Version
}

// Classify routes a request by, in order, its X-Amz-Target header, its
// query-protocol Action/Version, and its SigV4 credential scope. The Host
// header is never consulted: SDKs prepend "data-" to it for Cloud Map
// discovery calls, and the emulator answers on any name. body is the
// already-read request body (needed for form-encoded query requests).
func Classify(r *http.Request, body []byte, defaultRegion string) (Route, error) {
	scopeRegion, scopeService := credentialScope(r)
	route, ok := byTarget(r.Header.Get("X-Amz-Target"))
	if !ok {
		route, ok = byAction(r, body)
	}
	if !ok {
		route, ok = byScopeService(scopeService)
	}
	if !ok {
		return Route{}, errors.New("awsproto: unroutable request: no X-Amz-Target, Action or SigV4 credential scope")
	}
	route.Region = defaultRegion
	if scopeRegion != "" {
		route.Region = scopeRegion
	}
	return route, nil
}

// byTarget handles the awsJson protocols: "<ServicePrefix>.<Operation>".
func byTarget(target string) (Route, bool) {
	if target == "" {
		return Route{}, false
	}
	prefix, op := target, ""
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		prefix, op = target[:i], target[i+1:]
	}
	route := Route{Operation: op, Protocol: ProtocolJSON, Target: prefix}
	switch prefix {
	case ecsTargetPrefix:
		route.Service = ServiceECS
	case cloudMapTargetPrefix:
		route.Service = ServiceCloudMap
	}
	return route, true
}

// byAction handles the awsQuery protocol: Action and Version in a
// form-encoded POST body or in the URL query. Only Version 2015-12-01 is
// ELBv2; ELB classic (2012-06-01) and other query services share the
// signing name or the shape but are not served.
func byAction(r *http.Request, body []byte) (Route, bool) {
	params := queryParams(r, body)
	action := params.Get("Action")
	if action == "" {
		return Route{}, false
	}
	version := params.Get("Version")
	route := Route{Operation: action, Protocol: ProtocolQuery, Target: version}
	if version == elbv2APIVersion {
		route.Service = ServiceELBv2
	}
	return route, true
}

// queryParams returns the form body of a form-encoded POST, falling back to
// the URL query (GET requests, presigned URLs). A partly malformed form
// still yields the pairs that parsed.
func queryParams(r *http.Request, body []byte) url.Values {
	if r.Method == http.MethodPost && isForm(r.Header.Get("Content-Type")) {
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") != "" {
			return form
		}
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	return q
}

func isForm(contentType string) bool {
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		media = strings.TrimSpace(strings.ToLower(strings.Split(contentType, ";")[0]))
	}
	return media == formContentType
}

// byScopeService is the last resort: the service a request was signed for.
func byScopeService(service string) (Route, bool) {
	switch service {
	case "ecs":
		return Route{Service: ServiceECS, Protocol: ProtocolJSON}, true
	case "servicediscovery":
		return Route{Service: ServiceCloudMap, Protocol: ProtocolJSON}, true
	case "elasticloadbalancing":
		return Route{Service: ServiceELBv2, Protocol: ProtocolQuery}, true
	}
	return Route{}, false
}

// credentialScope extracts region and service from the SigV4 credential
// "AKID/20250101/us-west-2/ecs/aws4_request", found in the Authorization
// header or, for presigned requests, the X-Amz-Credential query parameter.
// Signatures are never verified.
func credentialScope(r *http.Request) (region, service string) {
	cred := credentialFromHeader(r.Header.Get("Authorization"))
	if cred == "" {
		q, _ := url.ParseQuery(r.URL.RawQuery)
		cred = q.Get("X-Amz-Credential")
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return "", ""
	}
	return parts[2], parts[3]
}

// credentialFromHeader reads the Credential= element of
// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
func credentialFromHeader(auth string) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(auth), sigV4Algorithm)
	if !ok {
		return ""
	}
	for elem := range strings.SplitSeq(rest, ",") {
		if cred, ok := strings.CutPrefix(strings.TrimSpace(elem), "Credential="); ok {
			return cred
		}
	}
	return ""
}
