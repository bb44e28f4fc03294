package alb

import (
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestDrainingSlowRequest: the request in flight on a draining target runs to
// completion and new requests go elsewhere.
func TestDrainingSlowRequest(t *testing.T) {
	release := make(chan struct{})
	var finishedAt time.Time
	var mu sync.Mutex
	old := newBackend(t, "old", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
			mu.Lock()
			finishedAt = time.Now()
			mu.Unlock()
		}
		io.WriteString(w, "old")
	})
	replacement := newBackend(t, "new", nil)

	s := newServer(t, Options{})
	off := HealthCheck{}
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", HealthCheck: off, Targets: []Target{old.target()}}))
	url := listenerURL(t, s, "l-1")
	c := newClient(t)

	type result struct {
		code int
		body string
	}
	slow := make(chan result, 1)
	go func() {
		resp, err := c.Get(url + "/slow")
		if err != nil {
			slow <- result{body: err.Error()}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		slow <- result{resp.StatusCode, string(b)}
	}()
	eventually(t, 2*time.Second, "slow request in flight", func() bool { return s.InFlight("tg", old.key) == 1 })

	// Deregister old (draining), register its replacement.
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{
		ARN: "tg", HealthCheck: off, DeregistrationDelay: time.Minute,
		Targets: []Target{{ID: old.key.ID, Port: old.key.Port, Draining: true}, replacement.target()},
	}))
	for range 5 {
		if code, _, from := get(t, c, url); code != 200 || from != "new" {
			t.Fatalf("new request: %d from %q", code, from)
		}
	}
	close(release)
	res := <-slow
	if res.code != 200 || res.body != "old" {
		t.Fatalf("slow request: %d %q", res.code, res.body)
	}
	mu.Lock()
	defer mu.Unlock()
	if finishedAt.IsZero() {
		t.Fatal("the slow request's handler did not finish")
	}
	if n := s.InFlight("tg", old.key); n != 0 {
		t.Fatalf("InFlight = %d", n)
	}
	// Idle but still within its delay, the target stays fenced.
	for range 3 {
		if _, _, from := get(t, c, url); from != "new" {
			t.Fatalf("a request reached the idle draining target (%q)", from)
		}
	}
}

// TestDrainingDeadline: requests still running when the deregistration delay
// expires are cut, which ends draining.
func TestDrainingDeadline(t *testing.T) {
	stuck := newBackend(t, "stuck", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	rec := &recorder{}
	s := newServer(t, rec.options())
	tg := TargetGroup{ARN: "tg", DeregistrationDelay: 200 * time.Millisecond, Targets: []Target{stuck.target()}}
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	url := listenerURL(t, s, "l-1")
	done := make(chan int, 1)
	go func() {
		resp, err := newClient(t).Get(url)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	eventually(t, 2*time.Second, "in flight", func() bool { return s.InFlight("tg", stuck.key) == 1 })
	start := time.Now()
	tg.Targets[0].Draining = true
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	select {
	case code := <-done:
		if code != 502 {
			t.Fatalf("cut request status %d, want 502", code)
		}
		if el := time.Since(start); el < 150*time.Millisecond {
			t.Fatalf("cut after %v, before the delay", el)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("request not cut at the deregistration deadline")
	}
}

// TestRemovedTargetFinishesRequests: removing a target from the snapshot
// sends no new requests to it but lets running ones finish.
func TestRemovedTargetFinishesRequests(t *testing.T) {
	release := make(chan struct{})
	old := newBackend(t, "old", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
		io.WriteString(w, "old")
	})
	other := newBackend(t, "other", nil)
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{old.target()}}))
	url := listenerURL(t, s, "l-1")
	done := make(chan string, 1)
	go func() {
		resp, err := newClient(t).Get(url + "/slow")
		if err != nil {
			done <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- string(b)
	}()
	eventually(t, 2*time.Second, "in flight", func() bool { return s.InFlight("tg", old.key) == 1 })
	mustUpdate(t, s, oneLB(0, forward("tg"), TargetGroup{ARN: "tg", Targets: []Target{other.target()}}))
	c := newClient(t)
	for range 3 {
		if _, _, from := get(t, c, url); from != "other" {
			t.Fatalf("new request went to %q", from)
		}
	}
	close(release)
	if body := <-done; body != "old" {
		t.Fatalf("running request on the removed target: %q", body)
	}
}
