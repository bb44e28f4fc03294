package alb

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// newServer returns a Server shut down at the end of the test.
func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s := New(opts)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s
}

// backend is an httptest server on 127.0.0.1 that names itself in the
// X-Backend response header.
type backend struct {
	*httptest.Server
	name string
	key  TargetKey
}

func newBackend(t *testing.T, name string, h http.HandlerFunc) *backend {
	t.Helper()
	return newBackendConfig(t, name, h, nil)
}

// newBackendConfig lets the test adjust the http.Server before it starts.
func newBackendConfig(t *testing.T, name string, h http.HandlerFunc, configure func(*http.Server)) *backend {
	t.Helper()
	if h == nil {
		h = func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Backend", name)
		h(w, r)
	}))
	if configure != nil {
		configure(srv.Config)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return &backend{Server: srv, name: name, key: keyOf(t, srv.Listener.Addr())}
}

func keyOf(t *testing.T, a net.Addr) TargetKey {
	t.Helper()
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return TargetKey{ID: host, Port: p}
}

func (b *backend) target() Target { return Target{ID: b.key.ID, Port: b.key.Port} }

// refusedKey returns a loopback address where nothing listens.
func refusedKey(t *testing.T) TargetKey {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	k := keyOf(t, ln.Addr())
	ln.Close()
	return k
}

// fastHealth is a health check that converges in a few hundred milliseconds.
func fastHealth(path string) HealthCheck {
	return HealthCheck{
		Enabled:            true,
		Path:               path,
		Interval:           50 * time.Millisecond,
		Timeout:            40 * time.Millisecond,
		HealthyThreshold:   3,
		UnhealthyThreshold: 2,
	}
}

func forward(arns ...string) []Action {
	a := Action{Type: ActionForward}
	for _, arn := range arns {
		a.TargetGroups = append(a.TargetGroups, WeightedTargetGroup{ARN: arn, Weight: 1})
	}
	return []Action{a}
}

func fixed(code, body string) []Action {
	return []Action{{Type: ActionFixedResponse, FixedResponse: &FixedResponseConfig{StatusCode: code, ContentType: "text/plain", MessageBody: body}}}
}

// oneLB is a snapshot with one load balancer on 127.0.0.1, one listener on a
// free port forwarding to the given groups.
func oneLB(idle time.Duration, actions []Action, tgs ...TargetGroup) Snapshot {
	return Snapshot{
		LoadBalancers: []LoadBalancer{{
			ARN: "lb-1", Name: "lb-1", Address: "127.0.0.1", IdleTimeout: idle,
			Listeners: []Listener{{ARN: "l-1", Port: 0, Protocol: "HTTP", DefaultActions: actions}},
		}},
		TargetGroups: tgs,
	}
}

func mustUpdate(t *testing.T, s *Server, snap Snapshot) {
	t.Helper()
	if err := s.Update(snap); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func listenerURL(t *testing.T, s *Server, arn string) string {
	t.Helper()
	addr, ok := s.ListenerAddr(arn)
	if !ok {
		t.Fatalf("listener %s not bound", arn)
	}
	return "http://" + addr
}

// get performs a request and returns status, body and the X-Backend header.
func get(t *testing.T, c *http.Client, url string) (int, string, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("X-Backend")
}

func newClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// eventually polls cond every few milliseconds until it holds or d passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// recorder collects HealthReporter callbacks.
type recorder struct {
	mu     sync.Mutex
	health []string
}

func (r *recorder) options() Options {
	return Options{
		HealthReporter: func(tg string, k TargetKey, state, reason, desc string) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.health = append(r.health, strings.TrimSpace(fmt.Sprintf("%s %s:%d %s %s %s", tg, k.ID, k.Port, state, reason, desc)))
		},
	}
}

func (r *recorder) healthEvents() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.health...)
}

func (s *Server) stateOf(tg string, k TargetKey) string {
	h, _ := s.Health(tg, k)
	return h.State
}

func itoa(i int) string { return strconv.Itoa(i) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
