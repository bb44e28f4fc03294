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

	mu     sync.Mutex
	timers map[net.Conn]*time.Timer
}

func newIdleConns(idle func() time.Duration) *idleConns {
	return &idleConns{idle: idle, timers: map[net.Conn]*time.Timer{}}
}

// track is the http.Server's ConnState hook. It runs twice per request
// (active, then idle), so a connection keeps one timer, reset rather than
// made anew.
func (c *idleConns) track(conn net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.timers[conn]
	switch state {
	case http.StateNew, http.StateIdle:
		if t == nil {
			c.timers[conn] = time.AfterFunc(c.idle(), func() { _ = conn.Close() })
		} else {
			t.Reset(c.idle())
		}
	case http.StateActive:
		if t != nil {
			t.Stop()
		}
	default: // hijacked or closed: no longer ours to time
		if t != nil {
			t.Stop()
			delete(c.timers, conn)
		}
	}
}
