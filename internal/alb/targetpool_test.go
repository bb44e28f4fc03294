package alb

import (
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync/atomic"
	"testing"
)

// countingBackend is a target that counts the connections made to it.
func countingBackend(t *testing.T, h http.HandlerFunc) (*backend, *atomic.Int32) {
	var conns atomic.Int32
	b := newBackendConfig(t, "b", h, func(srv *http.Server) {
		srv.ConnState = func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				conns.Add(1)
			}
		}
	})
	return b, &conns
}

// A kept connection the target has closed meanwhile is not the client's
// problem: the request goes out again on a fresh one.
func TestClosedIdleTargetConnectionRetried(t *testing.T) {
	b, conns := countingBackend(t, nil)
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{b.target()}}))
	c, url := newClient(t), listenerURL(t, s, "l-1")
	for i := range 3 {
		if code, body, _ := get(t, c, url); code != 200 || body != "ok" {
			t.Fatalf("request %d: %d %q", i, code, body)
		}
		b.CloseClientConnections()
	}
	if n := conns.Load(); n != 3 {
		t.Errorf("%d connections to the target, want 3 (one per closed one)", n)
	}
}

// A target's "Connection: close" ends that connection; a HEAD answer has no
// body to wait for and leaves its connection reusable.
func TestTargetConnectionReuse(t *testing.T) {
	b, conns := countingBackend(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/close" {
			w.Header().Set("Connection", "close")
		}
		w.Header().Set("Content-Length", "2")
		io.WriteString(w, "ok")
	})
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{b.target()}}))
	c, url := newClient(t), listenerURL(t, s, "l-1")
	for _, m := range []string{http.MethodHead, http.MethodGet, http.MethodHead} {
		req, _ := http.NewRequest(m, url, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := map[string]string{"HEAD": "", "GET": "ok"}[m]; resp.StatusCode != 200 || string(body) != want || resp.ContentLength != 2 {
			t.Fatalf("%s: %d %q length %d", m, resp.StatusCode, body, resp.ContentLength)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections to the target after HEAD, GET, HEAD; want 1", n)
	}
	for i := range 2 {
		if code, _, _ := get(t, c, url+"/close"); code != 200 {
			t.Fatalf("close %d: %d", i, code)
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections to the target, want 2: each Connection: close answer ends its own", n)
	}
}

// A 103 Early Hints answer reaches the client ahead of the final one.
func TestEarlyHintsForwarded(t *testing.T) {
	b := newBackend(t, "b", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Del("Link")
		io.WriteString(w, "ok")
	})
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{b.target()}}))
	var hints []string
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		hints = append(hints, itoa(code)+" "+h.Get("Link"))
		return nil
	}}
	req, _ := http.NewRequest(http.MethodGet, listenerURL(t, s, "l-1"), nil)
	resp, err := newClient(t).Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok" || len(hints) != 1 || hints[0] != "103 </style.css>; rel=preload" {
		t.Fatalf("got %d %q after 1xx %q", resp.StatusCode, body, hints)
	}
}

// A target whose answer's head never ends is cut off (502) once the head
// outgrows the bound, rather than read into the proxy's memory.
func TestEndlessAnswerHead(t *testing.T) {
	wroteAll := make(chan bool, 1)
	b := newBackend(t, "b", func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 200 OK\r\nX-Long: ")
		line := strings.Repeat("a", 64<<10)
		for range 3 * maxHeadBytes / len(line) {
			if _, err := brw.WriteString(line); err != nil {
				wroteAll <- false
				return
			}
		}
		wroteAll <- brw.Flush() == nil
	})
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{b.target()}}))
	if code, _, _ := get(t, newClient(t), listenerURL(t, s, "l-1")); code != 502 {
		t.Fatalf("status %d, want 502", code)
	}
	if <-wroteAll {
		t.Fatal("the proxy read three times the head bound without cutting the target off")
	}
}
