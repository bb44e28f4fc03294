package alb

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// pathsBackend is a target with one answer of each kind the fast path
// writes differently.
func pathsBackend(t *testing.T) *backend {
	return newBackend(t, "b", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		switch r.URL.Path {
		case "/echo": // what the target was sent
			var lines []string
			for k, vs := range r.Header {
				for _, v := range vs {
					lines = append(lines, k+": "+v)
				}
			}
			slices.Sort(lines)
			h.Set("Content-Type", "text/plain")
			fmt.Fprintf(w, "%s %s %s\nHost: %s\n%s\n", r.Method, r.RequestURI, r.Proto, r.Host, strings.Join(lines, "\n"))
		case "/chunked":
			h.Set("Content-Type", "text/plain")
			for i := range 3 {
				fmt.Fprintf(w, "part %d\n", i)
				w.(http.Flusher).Flush()
				time.Sleep(20 * time.Millisecond)
			}
		case "/sniff": // no Content-Type: net/http's server sniffs one
			h.Set("Content-Length", "20")
			io.WriteString(w, "<html><p>hi</p></htm")
		case "/empty":
			h.Set("Content-Length", "0")
		case "/204":
			w.WriteHeader(http.StatusNoContent)
		case "/304":
			h.Set("Content-Type", "text/plain")
			h.Set("Etag", `"x"`)
			w.WriteHeader(http.StatusNotModified)
		case "/418":
			w.WriteHeader(http.StatusTeapot)
			io.WriteString(w, "short and stout")
		case "/599":
			w.WriteHeader(599)
			io.WriteString(w, "odd")
		case "/trailer":
			h.Set("Trailer", "X-Sum")
			h.Set("Content-Type", "text/plain")
			io.WriteString(w, "body")
			h.Set("X-Sum", "42")
		case "/hints":
			h.Set("Link", "</a.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			h.Del("Link")
			io.WriteString(w, "after hints")
		case "/close":
			h.Set("Connection", "close")
			io.WriteString(w, "bye")
		case "/hop":
			h.Set("Connection", "X-Private")
			h.Set("X-Private", "hidden")
			h.Set("Keep-Alive", "timeout=5")
			h.Set("X-Public", "shown")
			io.WriteString(w, "hop")
		default:
			h.Set("Content-Type", "text/plain")
			io.WriteString(w, "ok "+r.URL.RequestURI())
		}
	})
}

// comparedServers starts the same listener on the fast path and on
// net/http's only; /fixed answers itself, /down forwards to nothing.
func comparedServers(t *testing.T) (fast, slow string) {
	b := pathsBackend(t)
	down := refusedKey(t)
	snap := oneLB(0, forward("tg"),
		TargetGroup{ARN: "tg", Targets: []Target{b.target()}},
		TargetGroup{ARN: "tg-down", Targets: []Target{{ID: down.ID, Port: down.Port}}})
	l := &snap.LoadBalancers[0].Listeners[0]
	l.Rules = []Rule{
		{ARN: "r-1", Priority: 1, Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/fixed"}}}, Actions: fixed("200", "fixed")},
		{ARN: "r-2", Priority: 2, Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/down"}}}, Actions: forward("tg-down")},
		{ARN: "r-3", Priority: 3, Conditions: []Condition{{Field: FieldHTTPHeader, HeaderName: "x-route", Values: []string{"FIX*"}}}, Actions: fixed("202", "by header")},
	}
	addr := func(opts Options) string {
		s := newServer(t, opts)
		mustUpdate(t, s, snap)
		a, _ := s.ListenerAddr("l-1")
		return a
	}
	return addr(Options{}), addr(Options{netHTTPOnly: true})
}

// exchange sends raw on a new connection, reads what comes back until the
// connection closes or stays quiet for quiet, and tells which.
func exchange(t *testing.T, addr, raw string, halfClose bool) (string, bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	if halfClose {
		_ = c.(*net.TCPConn).CloseWrite()
	}
	var got bytes.Buffer
	buf := make([]byte, 64<<10)
	for {
		_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, err := c.Read(buf)
		got.Write(buf[:n])
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return got.String(), true
		}
		if err != nil {
			return got.String(), false
		}
	}
}

var (
	dateLine = regexp.MustCompile(`(?m)^Date: .*\r$`)
	traceID  = regexp.MustCompile(`Root=1-[0-9a-f]{8}-[0-9a-f]{24}`)
	xffPort  = regexp.MustCompile(`X-Forwarded-Port: \d+`)
)

// normalize blanks what differs between any two runs: dates, trace IDs
// and the listener's port.
func normalize(s string) string {
	s = dateLine.ReplaceAllString(s, "Date: *\r")
	s = traceID.ReplaceAllString(s, "Root=*")
	return xffPort.ReplaceAllString(s, "X-Forwarded-Port: *")
}

// Every request, answered on the fast path or handed over, gets the same
// bytes back as on net/http's path, and leaves the connection open or
// closed alike.
func TestFastPathAnswersAsNetHTTP(t *testing.T) {
	fast, slow := comparedServers(t)
	const h = "Host: app.example\r\n"
	big := "X-Big: " + strings.Repeat("b", 5000) + "\r\n"
	cases := []struct {
		name, raw string
		halfClose bool
	}{
		{"get", "GET / HTTP/1.1\r\n" + h + "\r\n", false},
		{"get query", "GET /q/a%20b/c?x=1&y=%zz&z=/?# HTTP/1.1\r\n" + h + "\r\n", false},
		{"path re-escaped", "GET /a\"b{c}|^` HTTP/1.1\r\n" + h + "\r\n", false},
		{"head", "HEAD / HTTP/1.1\r\n" + h + "\r\n", false},
		{"http/1.0", "GET / HTTP/1.0\r\n" + h + "\r\n", false},
		{"http/1.0 no host", "GET / HTTP/1.0\r\n\r\n", false},
		{"http/1.0 keep-alive", "GET / HTTP/1.0\r\n" + h + "Connection: keep-alive\r\n\r\n", false},
		{"http/1.0 keep-alive chunked", "GET /chunked HTTP/1.0\r\n" + h + "Connection: Keep-Alive\r\n\r\n", false},
		{"http/1.0 keep-alive head", "HEAD /chunked HTTP/1.0\r\n" + h + "Connection: keep-alive\r\n\r\n", false},
		{"close", "GET / HTTP/1.1\r\n" + h + "Connection: close\r\n\r\n", false},
		{"close and keep-alive", "GET / HTTP/1.1\r\n" + h + "Connection: keep-alive, close\r\n\r\n", false},
		{"pipelined", "GET /1 HTTP/1.1\r\n" + h + "\r\nGET /2 HTTP/1.1\r\n" + h + "\r\nHEAD /3 HTTP/1.1\r\n" + h + "\r\n", false},
		{"pipelined to a fixed response", "GET /1 HTTP/1.1\r\n" + h + "\r\nGET /fixed HTTP/1.1\r\n" + h + "\r\nGET /3 HTTP/1.1\r\n" + h + "\r\n", false},
		{"rule on a header", "GET / HTTP/1.1\r\n" + h + "X-Route: fixme\r\n\r\n", false},
		{"rule on a header missed", "GET / HTTP/1.1\r\n" + h + "X-Route: other\r\n\r\n", false},
		{"echo", "GET /echo?a=b HTTP/1.1\r\n" + h + "user-agent: one\r\nUser-Agent: two\r\nX-Forwarded-For: 198.51.100.7\r\n" +
			"x-forwarded-for: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Host: h\r\nForwarded: for=x\r\n" +
			"Keep-Alive: 5\r\nProxy-Authorization: x\r\nProxy-Connection: x\r\nPragma: no-cache\r\nACCEPT:  */*  \r\nX-Empty:\r\n\r\n", false},
		{"echo http/1.0", "GET /echo HTTP/1.0\r\n" + h + "Connection: keep-alive\r\nCache-Control: max-age=0\r\nPragma: no-cache\r\n\r\n", false},
		{"echo trace kept", "GET /echo HTTP/1.1\r\n" + h + "X-Amzn-Trace-Id: Root=mine\r\nX-Amzn-Trace-Id: second\r\n\r\n", false},
		{"echo trace empty", "GET /echo HTTP/1.1\r\n" + h + "X-Amzn-Trace-Id:\r\nX-Amzn-Trace-Id: second\r\n\r\n", false},
		{"echo empty user agent", "GET /echo HTTP/1.1\r\n" + h + "User-Agent:\r\n\r\n", false},
		{"chunked", "GET /chunked HTTP/1.1\r\n" + h + "\r\n", false},
		{"chunked http/1.0", "GET /chunked HTTP/1.0\r\n" + h + "\r\n", false},
		{"sniffed", "GET /sniff HTTP/1.1\r\n" + h + "\r\n", false},
		{"sniffed head", "HEAD /sniff HTTP/1.1\r\n" + h + "\r\n", false},
		{"empty", "GET /empty HTTP/1.0\r\n" + h + "Connection: keep-alive\r\n\r\n", false},
		{"204", "GET /204 HTTP/1.1\r\n" + h + "\r\n", false},
		{"204 http/1.0 keep-alive", "GET /204 HTTP/1.0\r\n" + h + "Connection: keep-alive\r\n\r\n", false},
		{"304", "GET /304 HTTP/1.1\r\n" + h + "\r\n", false},
		{"418", "GET /418 HTTP/1.1\r\n" + h + "\r\n", false},
		{"599", "GET /599 HTTP/1.1\r\n" + h + "\r\n", false},
		{"trailer", "GET /trailer HTTP/1.1\r\n" + h + "\r\n", false},
		{"early hints", "GET /hints HTTP/1.1\r\n" + h + "\r\n", false},
		{"target closes", "GET /close HTTP/1.1\r\n" + h + "\r\n", false},
		{"hop-by-hop answer fields", "GET /hop HTTP/1.1\r\n" + h + "\r\n", false},
		{"502", "GET /down HTTP/1.1\r\n" + h + "\r\n", false},
		{"502 http/1.0", "GET /down HTTP/1.0\r\n" + h + "\r\n", false},
		{"fixed", "GET /fixed HTTP/1.1\r\n" + h + "\r\n", false},
		{"post", "POST /echo HTTP/1.1\r\n" + h + "Content-Length: 3\r\n\r\nabc", false},
		{"get with a body", "GET /echo HTTP/1.1\r\n" + h + "Content-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n" + h + "\r\n", false},
		{"expect", "GET / HTTP/1.1\r\n" + h + "Expect: 100-continue\r\n\r\n", false},
		{"absolute form", "GET http://other.example/abs HTTP/1.1\r\n" + h + "\r\n", false},
		{"big head", "GET / HTTP/1.1\r\n" + h + big + "\r\n", false},
		{"missing host", "GET / HTTP/1.1\r\n\r\n", false},
		{"two hosts", "GET / HTTP/1.1\r\n" + h + h + "\r\n", false},
		{"bad host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", false},
		{"space before colon", "GET / HTTP/1.1\r\n" + h + "X-A : b\r\n\r\n", false},
		{"folded field", "GET / HTTP/1.1\r\n" + h + "X-A: b\r\n c\r\n\r\n", false},
		{"bare LF", "GET / HTTP/1.1\n" + h + "\n", false},
		{"bad version", "GET / HTTP/1.2\r\n" + h + "\r\n", false},
		{"space in target", "GET /a b HTTP/1.1\r\n" + h + "\r\n", false},
		{"control byte", "GET / HTTP/1.1\r\n" + h + "X-A: \x01\r\n\r\n", false},
		{"leading blank line", "\r\nGET / HTTP/1.1\r\n" + h + "\r\n", false},
		{"cut head", "GET / HTTP/1.1\r\n" + h, true},
		{"cut after an answer", "GET / HTTP/1.1\r\n" + h + "\r\nGET /2 HTTP/1.1\r\nHo", false},
		{"connection token", "GET / HTTP/1.1\r\n" + h + "Connection: X-Foo\r\nX-Foo: 1\r\n\r\n", false},
		{"upgrade", "GET / HTTP/1.1\r\n" + h + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			gotFast, openFast := exchange(t, fast, c.raw, c.halfClose)
			gotSlow, openSlow := exchange(t, slow, c.raw, c.halfClose)
			if normalize(gotFast) != normalize(gotSlow) || openFast != openSlow {
				t.Errorf("fast path (open %v):\n%s\nnet/http (open %v):\n%s", openFast, gotFast, openSlow, gotSlow)
			}
			if gotSlow == "" && !c.halfClose {
				t.Errorf("no answer at all")
			}
		})
	}
}

// The fast path watches the client only once a request has run for
// watchDelay (net/http's server reads ahead in the background from the
// start), so a client that half-closes right after sending a quick
// request is still answered there, where net/http's path cancels the
// request (460). TestClientLeavingCancelsTheRequest covers slow requests.

// FuzzParseFastRequest: the parser never panics, and whatever it accepts
// net/http reads the same way: method, target as forwarded, version, host,
// fields (as rule conditions see them) and whether the connection closes.
func FuzzParseFastRequest(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"HEAD /x?y=%zz HTTP/1.0\r\nHost: a:80\r\nConnection: keep-alive\r\nPragma: no-cache\r\n\r\n",
		"GET /a%2Fb HTTP/1.1\r\nhost: [::1]:8080\r\nx-forwarded-for: 1.2.3.4\r\nConnection: close\r\nUser-Agent:\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
		"GET //x HTTP/1.1\r\nHost: a\r\nX-A:\tb \t\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	var req fastRequest
	f.Fuzz(func(t *testing.T, data []byte) {
		n := headEnd(data)
		if n < 0 {
			return
		}
		head := data[:n]
		if !parseFastRequest(head, &req) {
			return
		}
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head)))
		if err != nil {
			t.Fatalf("accepted what net/http refuses (%v): %q", err, head)
		}
		mine, ok := req.httpRequest("192.0.2.1:1234")
		if !ok {
			t.Fatalf("accepted a target that does not parse: %q", head)
		}
		switch {
		case r.Method != req.method, r.ProtoMinor != req.minor, r.ProtoMajor != 1:
			t.Fatalf("request line read as %s %d.%d, net/http %s %d.%d: %q", req.method, 1, req.minor, r.Method, r.ProtoMajor, r.ProtoMinor, head)
		case r.URL.RequestURI() != req.target, mine.URL.Path != r.URL.Path:
			t.Fatalf("target %q, net/http forwards %q: %q", req.target, r.URL.RequestURI(), head)
		case r.Host != req.host || r.Host == "":
			t.Fatalf("host %q, net/http %q", req.host, r.Host)
		case r.ContentLength != 0 || len(r.TransferEncoding) > 0:
			t.Fatalf("accepted a body: %q", head)
		case r.Close != req.close:
			t.Fatalf("close %v, net/http %v: %q", req.close, r.Close, head)
		case req.keepAlive10 != (r.ProtoMinor == 0 && strings.EqualFold(strings.TrimSpace(r.Header.Get("Connection")), "keep-alive")):
			t.Fatalf("HTTP/1.0 keep-alive %v: %q", req.keepAlive10, head)
		}
		if fmt.Sprint(mine.Header) != fmt.Sprint(r.Header) {
			t.Fatalf("fields\n%v\nnet/http\n%v\nfrom %q", mine.Header, r.Header, head)
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				if strings.ContainsAny(v, "\r\n\x00") || strings.ContainsAny(k, " :\r\n") {
					t.Fatalf("field %q: %q", k, v)
				}
			}
		}
	})
}

// A client that leaves while its request runs cancels it on both paths:
// the target sees its request end and the in-flight count goes back to 0.
// A client that stays gets its answer, and a pipelined request sent
// meanwhile is answered next.
func TestClientLeavingCancelsTheRequest(t *testing.T) {
	for _, opts := range []Options{{}, {netHTTPOnly: true}} {
		t.Run(fmt.Sprintf("net/http only %v", opts.netHTTPOnly), func(t *testing.T) {
			cancelled := make(chan bool, 4)
			b := newBackend(t, "b", func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/slow" {
					io.WriteString(w, "quick")
					return
				}
				select {
				case <-r.Context().Done():
					cancelled <- true
				case <-time.After(150 * time.Millisecond):
					cancelled <- false
					io.WriteString(w, "slow")
				}
			})
			s := newServer(t, opts)
			mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{b.target()}}))
			addr, _ := s.ListenerAddr("l-1")

			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(c, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
			time.Sleep(100 * time.Millisecond)
			c.Close()
			select {
			case got := <-cancelled:
				if !got {
					t.Fatal("the target's request ran to its end after the client left")
				}
			case <-time.After(2 * time.Second):
				t.Fatal("the target's request neither ended nor was cancelled")
			}
			eventually(t, 2*time.Second, "in flight back to 0", func() bool { return s.InFlight("tg", b.key) == 0 })

			got, open := exchange(t, addr, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", false)
			if !strings.HasSuffix(got, "slow") || !open || <-cancelled {
				t.Fatalf("a client that waits got %q (open %v)", got, open)
			}
			c, err = net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
			time.Sleep(100 * time.Millisecond)
			io.WriteString(c, "GET /quick HTTP/1.1\r\nHost: x\r\n\r\n")
			br := bufio.NewReader(c)
			for _, want := range []string{"slow", "quick"} {
				_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				if string(body) != want {
					t.Fatalf("got %q, want %q", body, want)
				}
			}
			<-cancelled
		})
	}
}

// On the fast path too a client connection idle for the load balancer's
// idle timeout is closed, before its first request and between two, and
// a changed timeout applies to the next idle spell.
func TestFastPathIdleTimeout(t *testing.T) {
	b := newBackend(t, "b", nil)
	s := newServer(t, Options{})
	snap := func(idle time.Duration) Snapshot {
		return oneLB(idle, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{b.target()}})
	}
	mustUpdate(t, s, snap(time.Second))
	addr, _ := s.ListenerAddr("l-1")
	// openFor sends requests (none, or one) and reports how long the
	// connection then stays open, idle (at most limit).
	openFor := func(request bool, limit time.Duration) time.Duration {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		br := bufio.NewReader(c)
		if request {
			io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
		}
		start := time.Now()
		_ = c.SetReadDeadline(start.Add(limit))
		if _, err := br.ReadByte(); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				return limit
			}
		}
		return time.Since(start)
	}
	for _, request := range []bool{false, true} {
		if d := openFor(request, 5*time.Second); d < 800*time.Millisecond || d > 3*time.Second {
			t.Fatalf("with a 1 s idle timeout (request sent: %v) the connection closed after %v", request, d)
		}
	}
	mustUpdate(t, s, snap(3*time.Second))
	if d := openFor(true, 6*time.Second); d < 2500*time.Millisecond || d > 5*time.Second {
		t.Fatalf("after the idle timeout went to 3 s a connection closed after %v", d)
	}
}
