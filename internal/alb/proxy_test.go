package alb

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRoundRobinAcrossThreeBackends(t *testing.T) {
	s := newServer(t, Options{})
	var bs []*backend
	// A generous timeout: a check timed out on a loaded machine would take a
	// target out of the rotation and skew the exact spread this test checks.
	hc := fastHealth("/")
	hc.Interval, hc.Timeout = 300*time.Millisecond, 250*time.Millisecond
	tg := TargetGroup{ARN: "tg", Protocol: "HTTP", HealthCheck: hc}
	for _, name := range []string{"a", "b", "c"} {
		b := newBackend(t, name, nil)
		bs = append(bs, b)
		tg.Targets = append(tg.Targets, b.target())
	}
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	for _, b := range bs {
		eventually(t, 3*time.Second, b.name+" healthy", func() bool { return s.stateOf("tg", b.key) == StateHealthy })
	}
	c, url := newClient(t), listenerURL(t, s, "l-1")
	counts := map[string]int{}
	for range 30 {
		code, _, from := get(t, c, url)
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		counts[from]++
	}
	for _, b := range bs {
		if counts[b.name] != 10 {
			t.Fatalf("spread %v, want 10 each", counts)
		}
	}
}

func TestWeightedForward(t *testing.T) {
	s := newServer(t, Options{})
	blue, green := newBackend(t, "blue", nil), newBackend(t, "green", nil)
	off := HealthCheck{} // disabled: routable at once
	snap := oneLB(0, []Action{{Type: ActionForward, TargetGroups: []WeightedTargetGroup{{ARN: "blue", Weight: 3}, {ARN: "green", Weight: 1}}}},
		TargetGroup{ARN: "blue", HealthCheck: off, Targets: []Target{blue.target()}},
		TargetGroup{ARN: "green", HealthCheck: off, Targets: []Target{green.target()}},
	)
	mustUpdate(t, s, snap)
	c, url := newClient(t), listenerURL(t, s, "l-1")
	counts := map[string]int{}
	for range 40 {
		_, _, from := get(t, c, url)
		counts[from]++
	}
	if counts["blue"] != 30 || counts["green"] != 10 {
		t.Fatalf("spread %v, want blue 30 green 10", counts)
	}

	// Weight 0 takes a group out of rotation.
	snap.LoadBalancers[0].Listeners[0].DefaultActions[0].TargetGroups[0].Weight = 0
	mustUpdate(t, s, snap)
	for range 5 {
		if _, _, from := get(t, c, url); from != "green" {
			t.Fatalf("request went to %q with weight 0", from)
		}
	}
}

func TestFailOpenWhenNoTargetIsHealthy(t *testing.T) {
	s := newServer(t, Options{})
	sick := func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "still serving")
	}
	a, b := newBackend(t, "a", sick), newBackend(t, "b", sick)
	tg := TargetGroup{ARN: "tg", HealthCheck: fastHealth("/health"), Targets: []Target{a.target(), b.target()}}
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	for _, bk := range []*backend{a, b} {
		eventually(t, 3*time.Second, "unhealthy", func() bool { return s.stateOf("tg", bk.key) == StateUnhealthy })
	}
	c, url := newClient(t), listenerURL(t, s, "l-1")
	counts := map[string]int{}
	for range 10 {
		code, body, from := get(t, c, url)
		if code != 200 || body != "still serving" {
			t.Fatalf("fail-open: %d %q", code, body)
		}
		counts[from]++
	}
	if counts["a"] != 5 || counts["b"] != 5 {
		t.Fatalf("fail-open spread %v", counts)
	}
}

func TestUnhealthyTargetSkipped(t *testing.T) {
	s := newServer(t, Options{})
	good := newBackend(t, "good", nil)
	bad := newBackend(t, "bad", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	tg := TargetGroup{ARN: "tg", HealthCheck: fastHealth("/"), Targets: []Target{good.target(), bad.target()}}
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	eventually(t, 3*time.Second, "states", func() bool {
		return s.stateOf("tg", good.key) == StateHealthy && s.stateOf("tg", bad.key) == StateUnhealthy
	})
	c, url := newClient(t), listenerURL(t, s, "l-1")
	for range 6 {
		if _, _, from := get(t, c, url); from != "good" {
			t.Fatalf("request routed to %q", from)
		}
	}
}

func TestErrorStatuses(t *testing.T) {
	off := HealthCheck{}
	slow := newBackend(t, "slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	tests := []struct {
		name string
		tg   TargetGroup
		idle time.Duration
		want int
		max  time.Duration
	}{
		{name: "503 no registered targets", tg: TargetGroup{ARN: "tg", HealthCheck: off}, want: 503, max: time.Second},
		{name: "503 all draining", tg: TargetGroup{ARN: "tg", HealthCheck: off, Targets: []Target{{ID: "127.0.0.1", Port: 1, Draining: true}}}, want: 503, max: time.Second},
		{name: "502 connection refused", tg: TargetGroup{ARN: "tg", HealthCheck: off, Targets: []Target{{ID: "127.0.0.1", Port: refusedKey(t).Port}}}, want: 502, max: time.Second},
		{name: "504 idle timeout", tg: TargetGroup{ARN: "tg", HealthCheck: off, Targets: []Target{slow.target()}}, idle: 200 * time.Millisecond, want: 504, max: 2 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, Options{})
			mustUpdate(t, s, oneLB(tc.idle, forward("tg"), tc.tg))
			start := time.Now()
			resp, err := newClient(t).Get(listenerURL(t, s, "l-1"))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
			if el := time.Since(start); el > tc.max {
				t.Fatalf("took %v", el)
			}
			if resp.Header.Get("Server") != "awselb/2.0" || !strings.Contains(string(body), fmt.Sprint(tc.want)) {
				t.Fatalf("not an ALB error page: %q %q", resp.Header.Get("Server"), body)
			}
		})
	}
}

func Test502OnReset(t *testing.T) {
	reset := newBackend(t, "reset", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		conn.(*net.TCPConn).SetLinger(0) // RST instead of FIN
		conn.Close()
	})
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{reset.target()}}))
	if code, _, _ := get(t, newClient(t), listenerURL(t, s, "l-1")); code != 502 {
		t.Fatalf("status %d, want 502", code)
	}
}

func TestForwardedHeaders(t *testing.T) {
	echo := newBackend(t, "echo", func(w http.ResponseWriter, r *http.Request) {
		for _, h := range []string{"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Amzn-Trace-Id"} {
			fmt.Fprintf(w, "%s=%s\n", h, r.Header.Get(h))
		}
		fmt.Fprintf(w, "Host=%s\n", r.Host)
	})
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{echo.target()}}))
	url := listenerURL(t, s, "l-1")
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(url, "http://"))

	req, _ := http.NewRequest(http.MethodGet, url+"/x", nil)
	req.Host = "app.example.com"
	req.Header.Set("X-Forwarded-For", "198.51.100.7")
	req.Header.Set("X-Forwarded-Proto", "https") // client values are replaced
	resp, err := newClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	got := string(b)
	for _, want := range []string{
		"X-Forwarded-For=198.51.100.7, 127.0.0.1\n",
		"X-Forwarded-Proto=http\n",
		"X-Forwarded-Port=" + port + "\n",
		"Host=app.example.com\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if !regexp.MustCompile(`X-Amzn-Trace-Id=Root=1-[0-9a-f]{8}-[0-9a-f]{24}\n`).MatchString(got) {
		t.Errorf("bad trace id in\n%s", got)
	}
}

func TestKeepAlive(t *testing.T) {
	var backendConns atomic.Int32
	b := newBackendConfig(t, "b", nil, func(srv *http.Server) {
		srv.ConnState = func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				backendConns.Add(1)
			}
		}
	})
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{b.target()}}))
	c, url := newClient(t), listenerURL(t, s, "l-1")

	var reused int
	for i := range 10 {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
			if info.Reused {
				reused++
			}
		}}
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if reused != 9 {
		t.Errorf("client connection reused %d times, want 9", reused)
	}
	if n := backendConns.Load(); n != 1 {
		t.Errorf("%d connections to the target, want 1", n)
	}
}

func TestUpgradePassesThrough(t *testing.T) {
	ws := newBackend(t, "ws", func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Upgrade"), "echo") {
			http.Error(w, "upgrade required", http.StatusUpgradeRequired)
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		brw.Flush()
		for {
			line, err := brw.ReadString('\n')
			if err != nil {
				return
			}
			brw.WriteString("echo: " + line)
			brw.Flush()
		}
	})
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{ws.target()}}))
	addr, _ := s.ListenerAddr("l-1")

	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET /chat HTTP/1.1\r\nHost: app\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols || !strings.EqualFold(resp.Header.Get("Upgrade"), "echo") {
		t.Fatalf("handshake: %d %v", resp.StatusCode, resp.Header)
	}
	for _, msg := range []string{"hello\n", "world\n"} {
		io.WriteString(conn, msg)
		line, err := br.ReadString('\n')
		if err != nil || line != "echo: "+msg {
			t.Fatalf("got %q, %v", line, err)
		}
	}
	if n := s.InFlight("tg", ws.key); n != 1 {
		t.Fatalf("in flight during the upgraded connection = %d, want 1", n)
	}
	conn.Close()
	eventually(t, 2*time.Second, "in-flight back to 0", func() bool { return s.InFlight("tg", ws.key) == 0 })
}

func TestHTTPSListener(t *testing.T) {
	echo := newBackend(t, "echo", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Header.Get("X-Forwarded-Proto"))
	})
	s := newServer(t, Options{})
	snap := oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{echo.target()}})
	snap.LoadBalancers[0].Listeners[0].Protocol = "HTTPS"
	mustUpdate(t, s, snap)
	addr, _ := s.ListenerAddr("l-1")
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	defer tr.CloseIdleConnections()
	code, body, _ := get(t, &http.Client{Transport: tr}, "https://"+addr)
	if code != 200 || body != "https" {
		t.Fatalf("got %d %q", code, body)
	}
}

func TestFixedResponseAndRules(t *testing.T) {
	api := newBackend(t, "api", nil)
	s := newServer(t, Options{})
	snap := oneLB(0, fixed("404", "no route"), TargetGroup{ARN: "api", Targets: []Target{api.target()}})
	snap.LoadBalancers[0].Listeners[0].Rules = []Rule{
		{ARN: "r-api", Priority: 10, Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/api/*"}}}, Actions: forward("api")},
		{ARN: "r-old", Priority: 5, Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/old"}}},
			Actions: []Action{{Type: ActionRedirect, Redirect: &RedirectConfig{Path: "/api/new", StatusCode: "HTTP_301"}}}},
	}
	mustUpdate(t, s, snap)
	url := listenerURL(t, s, "l-1")
	c := newClient(t)
	if code, body, _ := get(t, c, url+"/nothing"); code != 404 || body != "no route" {
		t.Fatalf("default: %d %q", code, body)
	}
	if code, _, from := get(t, c, url+"/api/x"); code != 200 || from != "api" {
		t.Fatalf("rule: %d %q", code, from)
	}
	// The client follows the 301 to /api/new, which the api rule forwards.
	if code, _, from := get(t, c, url+"/old"); code != 200 || from != "api" {
		t.Fatalf("redirect: %d %q", code, from)
	}
}

// TestEncodingUntouched: the proxy neither asks a target for gzip on a
// client's behalf nor unzips what the target sends, as ALB passes both
// through (Go's transport does both by default).
func TestEncodingUntouched(t *testing.T) {
	b := newBackend(t, "gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Accept-Encoding", r.Header.Get("Accept-Encoding"))
		if r.URL.Path == "/gz" {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", "4")
			io.WriteString(w, "zzzz") // not real gzip: it must arrive as sent
		}
	})
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{b.target()}}))
	url := listenerURL(t, s, "l-1")

	raw, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	br := bufio.NewReader(raw)
	for _, path := range []string{"/", "/gz"} {
		fmt.Fprintf(raw, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := resp.Header.Get("X-Accept-Encoding"); got != "" {
			t.Errorf("%s: target saw Accept-Encoding %q, the client sent none", path, got)
		}
		if path == "/gz" && (resp.Header.Get("Content-Encoding") != "gzip" || string(body) != "zzzz" || resp.ContentLength != 4) {
			t.Errorf("%s: got encoding %q length %d body %q, want it as the target sent it",
				path, resp.Header.Get("Content-Encoding"), resp.ContentLength, body)
		}
	}
}
