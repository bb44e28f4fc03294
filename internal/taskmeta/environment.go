package taskmeta

import (
	"net"
	"net/url"
)

// LinkLocalAddress is where ECS serves task metadata and credentials; the
// SDKs' container credential providers fetch
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI from port 80 of it.
const LinkLocalAddress = "169.254.170.2"

// Variable is one environment variable of a container.
type Variable struct{ Name, Value string }

// Variables are the environment variables ECS sets in a container of the
// task so that it finds the endpoint: the metadata URIs, and for a task
// with a role its credentials. Where the endpoint has ECS's address (port
// 80 of 169.254.170.2) credentials get ECS's relative URI; elsewhere a
// full URI with an authorization token, which SDKs accept over plain HTTP
// only on 169.254.170.2 (any port) or loopback.
func (s *Server) Variables(taskARN, container string, hasRole bool) []Variable {
	if s.ln == nil {
		return nil
	}
	base := "http://" + s.host()
	token := url.PathEscape(taskID(taskARN) + "-" + container)
	vars := []Variable{
		{"ECS_CONTAINER_METADATA_URI_V4", base + "/v4/" + token},
		{"ECS_CONTAINER_METADATA_URI", base + "/v3/" + token},
	}
	if !hasRole {
		return vars
	}
	path := "/v2/credentials/" + s.credentialsID(taskARN)
	if !s.needsToken() {
		return append(vars, Variable{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", path})
	}
	return append(vars,
		Variable{"AWS_CONTAINER_CREDENTIALS_FULL_URI", base + path},
		Variable{"AWS_CONTAINER_AUTHORIZATION_TOKEN", s.authToken(taskARN)})
}

// host is the listener's address as URLs write it, without ":80".
func (s *Server) host() string {
	h, p, _ := net.SplitHostPort(s.ln.Addr().String())
	if p == "80" {
		return h
	}
	return net.JoinHostPort(h, p)
}

// needsToken reports whether the endpoint is away from ECS's address, so
// that credentials are served at a full URI with a token.
func (s *Server) needsToken() bool {
	return s.ln == nil || s.host() != LinkLocalAddress
}
