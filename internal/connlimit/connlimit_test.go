package connlimit_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/localaws/ecsemu/internal/connlimit"
)

// dialFrom connects to addr from a given loopback source address.
func dialFrom(t *testing.T, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 2 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", src, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedByPeer reports whether the server closed c (a read ends in EOF
// or a reset rather than timing out).
func closedByPeer(c net.Conn, wait time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(wait))
	_, err := c.Read(make([]byte, 1))
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return err != nil
}

// A client over its cap has its new connections closed; another client is
// still admitted; a closed connection gives its place back.
func TestPerClientAndTotalCaps(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := connlimit.Wrap(ln, connlimit.Limits{Total: 5, PerClient: 3})
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	addr := ln.Addr().String()
	var held []net.Conn
	for range 3 {
		held = append(held, dialFrom(t, "127.0.0.2", addr))
	}
	if c := dialFrom(t, "127.0.0.2", addr); !closedByPeer(c, time.Second) {
		t.Error("a 4th connection from one client was kept; the cap is 3")
	}
	for range 2 {
		if c := dialFrom(t, "127.0.0.3", addr); closedByPeer(c, 200*time.Millisecond) {
			t.Error("another client was refused below the total cap")
		}
	}
	if c := dialFrom(t, "127.0.0.4", addr); !closedByPeer(c, time.Second) {
		t.Error("a 6th connection was kept; the total cap is 5")
	}
	held[0].Close()
	deadline := time.Now().Add(2 * time.Second)
	for l.Open() > 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if c := dialFrom(t, "127.0.0.2", addr); closedByPeer(c, 200*time.Millisecond) {
		t.Error("a closed connection did not give its place back")
	}
}

// IdleBody fails a body that stalls for the idle time, and reads one that
// keeps arriving, however long it takes in all.
func TestIdleBody(t *testing.T) {
	const idle = 300 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(connlimit.IdleBody(w, r, idle))
		if err != nil {
			http.Error(w, "stalled", http.StatusRequestTimeout)
			return
		}
		time.Sleep(2 * idle) // a handler outliving idle after the body is read
		_, _ = io.WriteString(w, strings.ToUpper(string(b)))
	}))
	defer srv.Close()

	pr, pw := io.Pipe()
	go func() {
		for range 6 { // 6 × idle/2 = 900 ms in all, never idle for 300 ms
			_, _ = pw.Write([]byte("ab"))
			time.Sleep(idle / 2)
		}
		pw.Close()
	}()
	resp, err := http.Post(srv.URL, "text/plain", pr)
	if err != nil {
		t.Fatalf("slow but steady body: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != strings.Repeat("AB", 6) {
		t.Errorf("slow but steady body: %d %q", resp.StatusCode, b)
	}

	c := dialFrom(t, "127.0.0.1", strings.TrimPrefix(srv.URL, "http://"))
	_, _ = io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf")
	start := time.Now()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, _ := io.ReadAll(c)
	if took := time.Since(start); took > 3*time.Second || !strings.Contains(string(got), "408") {
		t.Errorf("a stalled body was answered after %v with %q; want 408 after about %v", took, got, idle)
	}
}
