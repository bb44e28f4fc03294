package awsproto

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

const (
	formContentType = "application/x-www-form-urlencoded"
	sigV4Algorithm  = "AWS4-HMAC-SHA256"
)

// Route says which service and operation a request is for.
type Route struct {
	Service     string   // ServiceSpec.Name of the service, or "" when no served service matches
	Operation   string   // PascalCase operation name; "" when the request names none
	Region      string   // from the SigV4 credential scope, else the default
	Protocol    Protocol // the protocol the request was sent in
	Target      string   // raw X-Amz-Target prefix, or the query Version
	SigningName string   // the SigV4 credential-scope service, if signed
	AccessKey   string   // the SigV4 access key ID, if signed
}

// Unserved names the service a request was meant for when no served
// service matched: its signing name, else its target prefix or version.
func (r Route) Unserved() string {
	switch {
	case r.SigningName != "":
		return r.SigningName
	case r.Target != "":
		return r.Target
	}
	return "the requested service"
}

// Classify routes a request by, in order, its X-Amz-Target header, its
// query-protocol Action/Version, and its SigV4 credential scope. The Host
// header is never consulted: SDKs prepend "data-" to it for Cloud Map
// discovery calls, and the emulator answers on any name. body is the
// already-read request body (needed for form-encoded query requests).
func (rt *Router) Classify(r *http.Request, body []byte, defaultRegion string) (Route, error) {
	scope := credentialScope(r)
	route, ok := rt.byTargetHeader(r.Header.Get("X-Amz-Target"))
	if !ok {
		route, ok = rt.byAction(r, body, scope.service)
	}
	if !ok {
		route, ok = rt.byScopeService(scope.service)
	}
	if !ok {
		return Route{}, errors.New("awsproto: unroutable request: no X-Amz-Target, Action or SigV4 credential scope")
	}
	route.Region = defaultRegion
	if scope.region != "" {
		route.Region = scope.region
	}
	route.SigningName, route.AccessKey = scope.service, scope.accessKey
	return route, nil
}

// REST returns the REST service (S3) a request is for, deciding before the
// body is read: a request signed for a REST service's signing name, or an
// unsigned one that names no operation and is not a POST to "/" (a browser
// or curl reading an object).
func (rt *Router) REST(r *http.Request) (ServiceSpec, bool) {
	if r.Header.Get("X-Amz-Target") != "" || r.URL.Query().Get("Action") != "" {
		return ServiceSpec{}, false
	}
	scope := credentialScope(r)
	if scope.service != "" {
		spec, ok := rt.bySigning[scope.service]
		return spec, ok && spec.Protocol == ProtocolREST
	}
	if r.Method == http.MethodPost && r.URL.Path == "/" {
		return ServiceSpec{}, false
	}
	for _, spec := range rt.bySigning {
		if spec.Protocol == ProtocolREST {
			return spec, true
		}
	}
	return ServiceSpec{}, false
}

// byTargetHeader handles the awsJson protocols: "<ServicePrefix>.<Operation>".
func (rt *Router) byTargetHeader(target string) (Route, bool) {
	if target == "" {
		return Route{}, false
	}
	prefix, op := target, ""
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		prefix, op = target[:i], target[i+1:]
	}
	return Route{Service: rt.byTarget[prefix], Operation: op, Protocol: ProtocolJSON, Target: prefix}, true
}

// byAction handles the query protocols: Action and Version in a
// form-encoded POST body or in the URL query. The Version picks the
// service (ELB classic, 2012-06-01, shares ELBv2's signing name but not its
// version, and is not served).
func (rt *Router) byAction(r *http.Request, body []byte, signing string) (Route, bool) {
	params := queryParams(r, body)
	action := params.Get("Action")
	if action == "" {
		return Route{}, false
	}
	version := params.Get("Version")
	route := Route{Operation: action, Protocol: ProtocolQuery, Target: version}
	if spec, ok := rt.byQueryVersion(version, signing); ok {
		route.Service, route.Protocol = spec.Name, spec.Protocol
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
func (rt *Router) byScopeService(service string) (Route, bool) {
	if service == "" {
		return Route{}, false
	}
	spec, ok := rt.bySigning[service]
	if !ok {
		return Route{Protocol: ProtocolJSON}, true
	}
	return Route{Service: spec.Name, Protocol: spec.Protocol}, true
}

// sigV4Scope is what a SigV4 credential says about a request.
type sigV4Scope struct{ accessKey, region, service string }

// credentialScope extracts access key, region and service from the SigV4
// credential "AKID/20250101/us-west-2/ecs/aws4_request", found in the
// Authorization header or, for presigned requests, the X-Amz-Credential
// query parameter. Signatures are never verified.
func credentialScope(r *http.Request) sigV4Scope {
	cred := credentialFromHeader(r.Header.Get("Authorization"))
	if cred == "" {
		q, _ := url.ParseQuery(r.URL.RawQuery)
		cred = q.Get("X-Amz-Credential")
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return sigV4Scope{}
	}
	return sigV4Scope{accessKey: parts[0], region: parts[2], service: parts[3]}
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

// RESTRoute describes a request that REST sent to spec: the region and
// access key from its signature, the default region when unsigned.
func (rt *Router) RESTRoute(r *http.Request, spec ServiceSpec, defaultRegion string) Route {
	scope := credentialScope(r)
	route := Route{Service: spec.Name, Operation: r.Method, Region: defaultRegion, Protocol: ProtocolREST,
		SigningName: scope.service, AccessKey: scope.accessKey}
	if scope.region != "" {
		route.Region = scope.region
	}
	return route
}

// Sniff guesses a request's protocol from its headers alone, before the
// body is read, so that a body that cannot be read (too large) is refused
// in the protocol the client speaks: JSON for an X-Amz-Target or a JSON
// content type, the protocol of the signing service when it is served,
// else awsQuery.
func (rt *Router) Sniff(r *http.Request) Protocol {
	if r.Header.Get("X-Amz-Target") != "" || IsJSONContentType(r.Header.Get("Content-Type")) {
		return ProtocolJSON
	}
	if spec, ok := rt.bySigning[credentialScope(r).service]; ok && spec.Protocol != ProtocolREST {
		return spec.Protocol
	}
	return ProtocolQuery
}

// IsJSONContentType reports whether a content type is one the awsJson
// protocols accept: application/x-amz-json-1.0 or -1.1 (what the SDKs
// send) or plain application/json.
func IsJSONContentType(contentType string) bool {
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch media {
	case "application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json":
		return true
	}
	return false
}
