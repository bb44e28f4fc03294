package alb

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A keep-alive connection idle for the load balancer's idle timeout is
// closed, and a changed timeout applies to the next idle spell of every
// connection, without a new listener.
func TestIdleTimeoutFollowsTheAttribute(t *testing.T) {
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(time.Second, fixed("200", "ok")))
	addr := strings.TrimPrefix(listenerURL(t, s, "l-1"), "http://")

	// closedAfter sends one request on a new connection and reports how
	// long the connection then stays open, idle (at most limit).
	closedAfter := func(limit time.Duration) time.Duration {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(c)
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		start := time.Now()
		_ = c.SetReadDeadline(start.Add(limit))
		_, err = r.ReadByte()
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return limit
		}
		return time.Since(start)
	}
	if d := closedAfter(5 * time.Second); d < 800*time.Millisecond || d > 3*time.Second {
		t.Fatalf("with a 1 s idle timeout the connection closed after %v", d)
	}
	mustUpdate(t, s, oneLB(3*time.Second, fixed("200", "ok")))
	if d := closedAfter(6 * time.Second); d < 2500*time.Millisecond || d > 5*time.Second {
		t.Fatalf("after the idle timeout went to 3 s a connection closed after %v", d)
	}
}
