package alb

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// idleConns closes a listener's client connections that stay idle (no
// request, between keep-alive requests or before the first) for the load
// balancer's idle timeout as it is at that moment, so that a changed
// idle_timeout.timeout_seconds applies to every connection's next idle
// spell without restarting the listener. net/http's own IdleTimeout is
// fixed for a server's life.
type idleConns struct {
	idle func() time.Duration

	// net.Conn → *time.Timer. Each connection's entry is written once and
	// then only read, twice per request, by its own goroutine: sync.Map
	// reads take no lock shared by the listener's connections.
	timers sync.Map
}

func newIdleConns(idle func() time.Duration) *idleConns {
	return &idleConns{idle: idle}
}

// track is the http.Server's ConnState hook. It runs twice per request
// (active, then idle), so a connection keeps one timer, reset rather than
// made anew.
func (c *idleConns) track(conn net.Conn, state http.ConnState) {
	switch state {
	case http.StateNew:
		c.timers.Store(conn, time.AfterFunc(c.idle(), func() { _ = conn.Close() }))
	case http.StateIdle:
		if t, ok := c.timers.Load(conn); ok {
			t.(*time.Timer).Reset(c.idle())
		}
	case http.StateActive:
		if t, ok := c.timers.Load(conn); ok {
			t.(*time.Timer).Stop()
		}
	default: // hijacked or closed: no longer ours to time
		if t, ok := c.timers.LoadAndDelete(conn); ok {
			t.(*time.Timer).Stop()
		}
	}
}
