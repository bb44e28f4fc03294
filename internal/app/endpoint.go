package app

import (
	"net"
	"net/http"
	"time"

	"github.com/localaws/ecsemu/internal/connlimit"
)

// The AWS endpoint's connection limits. One client (an IP address) may
// hold endpointPerClient connections: far more than an SDK's pool or a
// test's parallel clients, and few enough that one misbehaving client
// cannot take every connection from the others.
var endpointLimits = connlimit.Limits{Total: 4096, PerClient: 256}

const (
	// endpointWriteTimeout bounds writing one response (and so one
	// handler); the largest are S3 objects read over loopback.
	endpointWriteTimeout = 5 * time.Minute
	// endpointHeaderTimeout bounds reading a request's headers.
	endpointHeaderTimeout = 10 * time.Second
)

// newEndpoint is the HTTP server of the AWS endpoint. A connection that
// sends nothing for idle is closed: between requests (IdleTimeout) and
// within a request body (connlimit.IdleBody), so a half-sent body holds
// its connection no longer than an idle one.
func newEndpoint(h http.Handler, idle time.Duration) *http.Server {
	return &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = connlimit.IdleBody(w, r, idle)
			h.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: min(endpointHeaderTimeout, idle),
		WriteTimeout:      endpointWriteTimeout,
		IdleTimeout:       idle,
	}
}

// limitEndpoint bounds the endpoint listener's connections.
func limitEndpoint(ln net.Listener) net.Listener { return connlimit.Wrap(ln, endpointLimits) }
