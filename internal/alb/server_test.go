package alb

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// freePortOn returns a port currently free on both addresses.
func freePortOn(t *testing.T, addrs ...string) int {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", addrs[0]+":0")
		if err != nil {
			t.Skipf("cannot bind %s: %v", addrs[0], err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ok := true
		var others []net.Listener
		for _, a := range addrs[1:] {
			l2, err := net.Listen("tcp", fmt.Sprintf("%s:%d", a, port))
			if err != nil {
				ok = false
				break
			}
			others = append(others, l2)
		}
		ln.Close()
		for _, l := range others {
			l.Close()
		}
		if ok {
			return port
		}
	}
	t.Fatal("no common free port")
	return 0
}

func TestTwoLoadBalancersSamePort(t *testing.T) {
	port := freePortOn(t, "127.0.0.2", "127.0.0.3")
	lb := func(n, addr string) LoadBalancer {
		return LoadBalancer{ARN: "lb-" + n, Name: n, Address: addr, Listeners: []Listener{{
			ARN: "l-" + n, Port: port, Protocol: "HTTP", DefaultActions: fixed("200", "I am "+n),
		}}}
	}
	s := newServer(t, Options{})
	mustUpdate(t, s, Snapshot{LoadBalancers: []LoadBalancer{lb("a", "127.0.0.2"), lb("b", "127.0.0.3")}})
	c := newClient(t)
	for _, tc := range []struct{ addr, want string }{{"127.0.0.2", "I am a"}, {"127.0.0.3", "I am b"}} {
		_, body, _ := get(t, c, fmt.Sprintf("http://%s:%d/", tc.addr, port))
		if body != tc.want {
			t.Fatalf("%s answered %q, want %q", tc.addr, body, tc.want)
		}
	}
}

func TestListenersComeAndGo(t *testing.T) {
	s := newServer(t, Options{})
	port := freePortOn(t, "127.0.0.1")
	snap := Snapshot{LoadBalancers: []LoadBalancer{{ARN: "lb", Address: "127.0.0.1", Listeners: []Listener{
		{ARN: "l-80", Port: port, Protocol: "HTTP", DefaultActions: fixed("200", "v1")},
	}}}}
	mustUpdate(t, s, snap)
	c := newClient(t)
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	if _, body, _ := get(t, c, url); body != "v1" {
		t.Fatalf("got %q", body)
	}

	// Same socket, new table.
	snap.LoadBalancers[0].Listeners[0].DefaultActions = fixed("200", "v2")
	mustUpdate(t, s, snap)
	if _, body, _ := get(t, c, url); body != "v2" {
		t.Fatalf("after swap got %q", body)
	}

	// Listener removed: the port is closed and can be bound again at once.
	snap.LoadBalancers[0].Listeners = nil
	mustUpdate(t, s, snap)
	c.Transport.(*http.Transport).CloseIdleConnections()
	if _, err := c.Get(url); err == nil {
		t.Fatal("removed listener still answers")
	}
	snap.LoadBalancers[0].Listeners = []Listener{{ARN: "l-80b", Port: port, Protocol: "HTTP", DefaultActions: fixed("200", "v3")}}
	mustUpdate(t, s, snap)
	if _, body, _ := get(t, c, url); body != "v3" {
		t.Fatalf("re-added listener got %q", body)
	}

	// One listener replaced by another on the same port in one Update, and
	// a protocol change that rebinds the same port.
	snap.LoadBalancers[0].Listeners = []Listener{{ARN: "l-80c", Port: port, Protocol: "HTTP", DefaultActions: fixed("200", "v4")}}
	mustUpdate(t, s, snap)
	c.Transport.(*http.Transport).CloseIdleConnections()
	if _, body, _ := get(t, c, url); body != "v4" {
		t.Fatalf("replacement listener got %q", body)
	}
	snap.LoadBalancers[0].Listeners[0].Protocol = "HTTPS"
	mustUpdate(t, s, snap)
	snap.LoadBalancers[0].Listeners[0].Protocol = "HTTP"
	mustUpdate(t, s, snap)
	c.Transport.(*http.Transport).CloseIdleConnections()
	if _, body, _ := get(t, c, url); body != "v4" {
		t.Fatalf("after rebinds got %q", body)
	}

	// A port collision is reported; the rest of the snapshot still applies.
	snap.LoadBalancers = append(snap.LoadBalancers, LoadBalancer{ARN: "lb2", Address: "127.0.0.1", Listeners: []Listener{
		{ARN: "l-dup", Port: port, Protocol: "HTTP", DefaultActions: fixed("200", "dup")},
		{ARN: "l-ok", Port: 0, Protocol: "HTTP", DefaultActions: fixed("200", "ok")},
	}})
	err := s.Update(snap)
	if err == nil || !strings.Contains(err.Error(), "l-dup") {
		t.Fatalf("Update error = %v, want the colliding listener", err)
	}
	if _, body, _ := get(t, c, listenerURL(t, s, "l-ok")); body != "ok" {
		t.Fatalf("other listener got %q", body)
	}
}

// TestUpdateWhileRequestsRun swaps routing tables and target sets while
// clients hammer the listener; every request must succeed with one of the
// configurations' answers. Run with -race.
func TestUpdateWhileRequestsRun(t *testing.T) {
	a, b := newBackend(t, "a", nil), newBackend(t, "b", nil)
	s := newServer(t, Options{})
	off := HealthCheck{}
	configs := []Snapshot{
		oneLB(0, forward("tg"), TargetGroup{ARN: "tg", HealthCheck: off, Targets: []Target{a.target(), b.target()}}),
		oneLB(0, fixed("200", "fixed"), TargetGroup{ARN: "tg", HealthCheck: off, Targets: []Target{a.target()}}),
		oneLB(0, forward("tg2"), TargetGroup{ARN: "tg2", HealthCheck: off, Targets: []Target{b.target()}}),
		oneLB(0, forward("tg"), TargetGroup{ARN: "tg", HealthCheck: fastHealth("/"), Targets: []Target{b.target(), a.target()}}),
	}
	mustUpdate(t, s, configs[0])
	url := listenerURL(t, s, "l-1")

	var stop atomic.Bool
	var total atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 4 {
		wg.Go(func() {
			c := newClient(t)
			for i := 0; i < 500 && !stop.Load(); i++ {
				code, body, _ := get(t, c, url)
				total.Add(1)
				if code != 200 || (body != "ok" && body != "fixed") {
					select {
					case errs <- fmt.Sprintf("%d %q", code, body):
					default:
					}
					return
				}
			}
		})
	}
	deadline := time.Now().Add(3 * time.Second)
	for i := 0; i < 200 && time.Now().Before(deadline); i++ {
		mustUpdate(t, s, configs[i%len(configs)])
		time.Sleep(time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if total.Load() == 0 {
		t.Fatal("no requests ran")
	}
}

func TestShutdownLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()

	ws := make(chan struct{})
	b := newBackend(t, "b", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") == "" {
			io.WriteString(w, "ok")
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n")
		brw.Flush()
		close(ws)
		io.Copy(io.Discard, brw) // until the proxy closes the tunnel
	})
	s := New(Options{HealthReporter: func(string, TargetKey, string, string, string) {}})
	snap := oneLB(0, forward("tg"), TargetGroup{ARN: "tg", HealthCheck: fastHealth("/"), DeregistrationDelay: time.Hour, Targets: []Target{b.target()}})
	snap.LoadBalancers = append(snap.LoadBalancers, LoadBalancer{ARN: "lb-2", Address: "127.0.0.1", Listeners: []Listener{
		{ARN: "l-2", Protocol: "HTTPS", DefaultActions: fixed("200", "x")},
	}})
	mustUpdate(t, s, snap)
	url := listenerURL(t, s, "l-1")
	c := &http.Client{Transport: &http.Transport{}}
	for range 5 {
		get(t, c, url)
	}
	// An upgraded connection that never ends on its own.
	addr, _ := s.ListenerAddr("l-1")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n")
	<-ws
	// A draining target with a pending deadline timer.
	snap.TargetGroups[0].Targets[0].Draining = true
	mustUpdate(t, s, snap)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := s.Update(snap); err != ErrServerClosed {
		t.Fatalf("Update after Shutdown = %v", err)
	}
	c.CloseIdleConnections()
	conn.Close()
	b.Close()

	deadline := time.Now().Add(3 * time.Second)
	for {
		now := runtime.NumGoroutine()
		if now <= before+1 {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines before, %d after Shutdown:\n%s", before, now, buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestShutdownWaitsForRequests(t *testing.T) {
	release := make(chan struct{})
	b := newBackend(t, "b", func(w http.ResponseWriter, r *http.Request) {
		<-release
		io.WriteString(w, "finished")
	})
	s := New(Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{b.target()}}))
	url := listenerURL(t, s, "l-1")
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			got <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(body)
	}()
	eventually(t, 2*time.Second, "in flight", func() bool { return s.InFlight("tg", b.key) == 1 })
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		shut <- s.Shutdown(ctx)
	}()
	time.Sleep(50 * time.Millisecond)
	close(release)
	if body := <-got; body != "finished" {
		t.Fatalf("request during Shutdown: %q", body)
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
}
