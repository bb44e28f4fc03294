package alb

import (
	"io"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseMatcher(t *testing.T) {
	tests := []struct {
		in      string
		ok, bad []int
	}{
		{"200", []int{200}, []int{201, 404}},
		{"200-299", []int{200, 250, 299}, []int{199, 300}},
		{"200,202", []int{200, 202}, []int{201}},
		{"200-204, 301,404", []int{203, 301, 404}, []int{205, 302}},
	}
	for _, tc := range tests {
		m, err := parseMatcher(tc.in)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		for _, c := range tc.ok {
			if !m.match(c) {
				t.Errorf("%q should accept %d", tc.in, c)
			}
		}
		for _, c := range tc.bad {
			if m.match(c) {
				t.Errorf("%q should reject %d", tc.in, c)
			}
		}
	}
	for _, bad := range []string{"abc", "300-200", "200-x"} {
		if _, err := parseMatcher(bad); err == nil {
			t.Errorf("parseMatcher(%q) accepted", bad)
		}
	}
}

// TestHealthStateMachine drives observe with synthetic results and checks
// every reported transition, including those that must not happen.
func TestHealthStateMachine(t *testing.T) {
	pass := probeResult{ok: true}
	code500 := probeResult{reason: ReasonResponseCodeMismatch, description: "Health checks failed with these codes: [500]"}
	timeout := probeResult{reason: ReasonTimeout, description: descTimeout}
	cfg := HealthCheck{Enabled: true, HealthyThreshold: 3, UnhealthyThreshold: 2}

	type step struct {
		res  probeResult
		want string // state after the step
	}
	run := func(t *testing.T, initialPasses int, steps []step, wantEvents []TargetHealth) {
		q := newEventQueue()
		tg := newTarget("tg", TargetKey{"10.0.0.1", 80}, q)
		for i, s := range steps {
			tg.observe(s.res, cfg, initialPasses)
			if got := tg.currentHealth().State; got != s.want {
				t.Fatalf("step %d: state %s, want %s", i, got, s.want)
			}
			if wantRoutable := s.want == StateHealthy; tg.routable.Load() != wantRoutable {
				t.Fatalf("step %d: routable %v", i, !wantRoutable)
			}
		}
		var got []TargetHealth
		for _, e := range q.pending {
			got = append(got, e.health)
		}
		if !slices.Equal(got, wantEvents) {
			t.Fatalf("events\n got %v\nwant %v", got, wantEvents)
		}
	}

	t.Run("AWS default: one pass from initial", func(t *testing.T) {
		run(t, 1, []step{
			{pass, StateHealthy},
			{code500, StateHealthy}, // one failure is not enough
			{pass, StateHealthy},    // and a pass resets the count
			{code500, StateHealthy},
			{code500, StateUnhealthy}, // second consecutive failure
			{pass, StateUnhealthy},
			{pass, StateUnhealthy},
			{code500, StateUnhealthy}, // resets the pass count, same reason: no report
			{pass, StateUnhealthy},
			{pass, StateUnhealthy},
			{pass, StateHealthy}, // third consecutive pass
			{pass, StateHealthy},
			{timeout, StateHealthy},
			{timeout, StateUnhealthy},
			{code500, StateUnhealthy}, // reason changed while unhealthy: reported
		}, []TargetHealth{
			{State: StateHealthy},
			{StateUnhealthy, ReasonResponseCodeMismatch, "Health checks failed with these codes: [500]"},
			{State: StateHealthy},
			{StateUnhealthy, ReasonTimeout, "Request timed out"},
			{StateUnhealthy, ReasonResponseCodeMismatch, "Health checks failed with these codes: [500]"},
		})
	})

	t.Run("initial needs the healthy threshold", func(t *testing.T) {
		run(t, 3, []step{
			{pass, StateInitial},
			{pass, StateInitial},
			{pass, StateHealthy},
		}, []TargetHealth{{State: StateHealthy}})
	})

	t.Run("initial to unhealthy", func(t *testing.T) {
		run(t, 1, []step{
			{timeout, StateInitial},
			{timeout, StateUnhealthy},
		}, []TargetHealth{{StateUnhealthy, ReasonTimeout, "Request timed out"}})
	})
}

// TestHealthChecksAgainstBackend runs the checker against a real backend whose
// /health answer is switched, and asserts the exact sequence of reports.
func TestHealthChecksAgainstBackend(t *testing.T) {
	const (
		modeOK = iota
		mode500
		modeSlow
	)
	var mode atomic.Int32
	var okSince, failSince atomic.Int32 // probes since the last switch
	b := newBackend(t, "b", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" {
			io.WriteString(w, "app")
			return
		}
		if ua := r.Header.Get("User-Agent"); ua != "ELB-HealthChecker/2.0" {
			t.Errorf("health check User-Agent %q", ua)
		}
		switch mode.Load() {
		case modeOK:
			okSince.Add(1)
		case mode500:
			failSince.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
		case modeSlow:
			failSince.Add(1)
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		}
	})
	switchTo := func(m int32) {
		okSince.Store(0)
		failSince.Store(0)
		mode.Store(m)
	}

	rec := &recorder{}
	s := newServer(t, rec.options())
	hc := fastHealth("/health")
	hc.Matcher = "200-299"
	tg := TargetGroup{ARN: "tg", Protocol: "HTTP", Port: b.key.Port, HealthCheck: hc, Targets: []Target{b.target()}}
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))

	prefix := "tg 127.0.0.1:" + itoa(b.key.Port) + " "
	want := []string{prefix + "initial Elb.InitialHealthChecking Initial health checks in progress", prefix + "healthy"}
	waitEvents := func(n int) {
		t.Helper()
		eventually(t, 5*time.Second, "health events", func() bool { return len(rec.healthEvents()) >= n })
		if got := rec.healthEvents(); !slices.Equal(got, want) {
			t.Fatalf("events\n got %q\nwant %q", got, want)
		}
	}
	waitEvents(2)

	switchTo(mode500)
	want = append(want, prefix+"unhealthy Target.ResponseCodeMismatch Health checks failed with these codes: [500]")
	waitEvents(3)
	if n := failSince.Load(); n < 2 {
		t.Fatalf("unhealthy after %d failed checks, want 2", n)
	}

	switchTo(modeOK)
	want = append(want, prefix+"healthy")
	waitEvents(4)
	if n := okSince.Load(); n < 3 {
		t.Fatalf("healthy again after %d passes, want 3", n)
	}

	switchTo(modeSlow)
	want = append(want, prefix+"unhealthy Target.Timeout Request timed out")
	waitEvents(5)

	b.Close() // connection refused from now on
	want = append(want, prefix+"unhealthy Target.FailedHealthChecks Health checks failed")
	waitEvents(6)

	// Steady state: more probes, no more reports.
	time.Sleep(4 * hc.Interval)
	if got := rec.healthEvents(); len(got) != len(want) {
		t.Fatalf("extra reports while steady: %q", got[len(want):])
	}
	if h, _ := s.Health("tg", b.key); h.State != StateUnhealthy || h.Reason != ReasonFailedHealthChecks {
		t.Fatalf("Health = %+v", h)
	}
}

func TestHealthChecksDisabled(t *testing.T) {
	rec := &recorder{}
	s := newServer(t, rec.options())
	b := newBackend(t, "b", nil)
	tg := TargetGroup{ARN: "tg", Port: b.key.Port, HealthCheck: HealthCheck{Enabled: false}, Targets: []Target{b.target()}}
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	eventually(t, 2*time.Second, "unavailable report", func() bool { return len(rec.healthEvents()) == 1 })
	if got, want := rec.healthEvents()[0], "tg 127.0.0.1:"+itoa(b.key.Port)+" unavailable Target.HealthCheckDisabled Health checks are disabled"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	// Routable at once.
	if code, _, from := get(t, newClient(t), listenerURL(t, s, "l-1")); code != 200 || from != "b" {
		t.Fatalf("got %d from %q", code, from)
	}
	// Idempotent Update: no new report.
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	// Enabling checks restarts from initial.
	tg.HealthCheck = fastHealth("/")
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	eventually(t, 2*time.Second, "healthy", func() bool { return s.stateOf("tg", b.key) == StateHealthy })
	got := rec.healthEvents()
	want := []string{"unavailable", "initial", "healthy"}
	if len(got) != len(want) {
		t.Fatalf("events %q", got)
	}
	for i := range want {
		if !contains(got[i], " "+want[i]) {
			t.Fatalf("event %d = %q, want state %s", i, got[i], want[i])
		}
	}
}

// TestHealthCheckOnlyWhenInUse: a target group no listener forwards to is not
// checked (AWS reports it unused; that is the control plane's business).
func TestHealthCheckOnlyWhenInUse(t *testing.T) {
	var probes atomic.Int32
	b := newBackend(t, "b", func(w http.ResponseWriter, r *http.Request) { probes.Add(1) })
	s := newServer(t, Options{})
	tg := TargetGroup{ARN: "tg", Port: b.key.Port, HealthCheck: fastHealth("/"), Targets: []Target{b.target()}}
	mustUpdate(t, s, oneLB(0, fixed("200", "x"), tg))
	time.Sleep(200 * time.Millisecond)
	if n := probes.Load(); n != 0 {
		t.Fatalf("%d probes to an unused target group", n)
	}
	if _, ok := s.Health("tg", b.key); ok {
		t.Fatal("unused target group has live targets")
	}
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	eventually(t, 2*time.Second, "probes", func() bool { return probes.Load() > 0 })
}

func TestHealthCheckPortAndPath(t *testing.T) {
	// Traffic on one backend, health checks on another port.
	var hcPath atomic.Value
	hcb := newBackend(t, "hc", func(w http.ResponseWriter, r *http.Request) { hcPath.Store(r.URL.RequestURI()) })
	app := newBackend(t, "app", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	hc := fastHealth("/ping?deep=1")
	hc.Port = itoa(hcb.key.Port)
	tg := TargetGroup{ARN: "tg", Port: app.key.Port, HealthCheck: hc, Targets: []Target{app.target()}}
	s := newServer(t, Options{})
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	eventually(t, 2*time.Second, "healthy", func() bool { return s.stateOf("tg", app.key) == StateHealthy })
	if p, _ := hcPath.Load().(string); p != "/ping?deep=1" {
		t.Fatalf("health check path %q", p)
	}
}

// TestRestoredHealthyTargetServesAtOnce: a target the control plane last
// knew healthy (a restart) serves before any probe passes, and its probes
// count as a healthy target's: UnhealthyThreshold failures make it
// unhealthy, with one report.
func TestRestoredHealthyTargetServesAtOnce(t *testing.T) {
	var failing atomic.Bool
	b := newBackend(t, "b", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" && failing.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	rec := &recorder{}
	s := newServer(t, rec.options())
	hc := fastHealth("/health")
	hc.Interval = time.Hour // no probe but the first
	target := b.target()
	target.Healthy = true
	failing.Store(true)
	tg := TargetGroup{ARN: "tg", Port: b.key.Port, HealthCheck: hc, Targets: []Target{target}}
	mustUpdate(t, s, oneLB(0, forward("tg"), tg))
	if code, _, from := get(t, newClient(t), listenerURL(t, s, "l-1")); code != 200 || from != "b" {
		t.Fatalf("restored healthy target: got %d from %q, want 200 from b", code, from)
	}
	if st := s.stateOf("tg", b.key); st != StateHealthy {
		t.Fatalf("state %q after one failed probe, want healthy (threshold 2)", st)
	}

	// A new registration with the flag but checks disabled is unavailable,
	// as any target then.
	s2 := newServer(t, Options{})
	tg.HealthCheck = HealthCheck{Enabled: false}
	mustUpdate(t, s2, oneLB(0, forward("tg"), tg))
	if st := s2.stateOf("tg", b.key); st != StateUnavailable {
		t.Fatalf("checks disabled: state %q, want unavailable", st)
	}

	// With probes every 50 ms, two failures make it unhealthy.
	s3 := newServer(t, rec.options())
	tg.HealthCheck = fastHealth("/health")
	mustUpdate(t, s3, oneLB(0, forward("tg"), tg))
	eventually(t, 3*time.Second, "unhealthy", func() bool { return s3.stateOf("tg", b.key) == StateUnhealthy })
	got := rec.healthEvents()
	want := "tg 127.0.0.1:" + itoa(b.key.Port) + " unhealthy Target.ResponseCodeMismatch Health checks failed with these codes: [503]"
	if got[len(got)-1] != want || slices.ContainsFunc(got, func(e string) bool { return contains(e, " initial") }) {
		t.Fatalf("events %q: want no initial state and last %q", got, want)
	}
}
