package alb

import (
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestDrainingSlowRequest: the request in flight on a draining target runs to
// completion, new requests go elsewhere, and OnIdle fires only after it.
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

	idle := make(chan time.Time, 4)
	opts := Options{OnIdle: func(tg string, k TargetKey) {
		if tg == "tg" && k == old.key {
			idle <- time.Now()
		}
	}}
	s := newServer(t, opts)
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
	select {
	case <-idle:
		t.Fatal("OnIdle while a request is still in flight")
	case <-time.After(100 * time.Millisecond):
	}

	close(release)
	res := <-slow
	if res.code != 200 || res.body != "old" {
		t.Fatalf("slow request: %d %q", res.code, res.body)
	}
	select {
	case at := <-idle:
		mu.Lock()
		defer mu.Unlock()
		if at.Before(finishedAt) {
			t.Fatal("OnIdle before the request finished")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no OnIdle after the last request finished")
	}
	if n := s.InFlight("tg", old.key); n != 0 {
		t.Fatalf("InFlight = %d", n)
	}
	select {
	case <-idle:
		t.Fatal("OnIdle delivered twice")
	case <-time.After(50 * time.Millisecond):
	}
}

func TestDrainingIdleTargetNotifiesAtOnce(t *testing.T) {
	rec := &recorder{}
	s := newServer(t, rec.options())
	b := newBackend(t, "b", nil)
	tg := TargetGroup{ARN: "tg", Targets: []Target{b.target()}}
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	tg.Targets[0].Draining = true
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	mustUpdate(t, s, oneLB(0, forward("tg"), tg)) // idempotent: no second notification
	eventually(t, time.Second, "OnIdle", func() bool { return len(rec.idleEvents()) == 1 })
	time.Sleep(50 * time.Millisecond)
	if got := rec.idleEvents(); !slices.Equal(got, []TargetKey{b.key}) {
		t.Fatalf("idle events %v", got)
	}
	// Undrain then drain again: a new draining episode notifies again.
	tg.Targets[0].Draining = false
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	tg.Targets[0].Draining = true
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	eventually(t, time.Second, "second OnIdle", func() bool { return len(rec.idleEvents()) == 2 })
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
	eventually(t, time.Second, "OnIdle", func() bool { return len(rec.idleEvents()) == 1 })
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
