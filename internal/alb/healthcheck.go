package alb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Descriptions ELB publishes with its reason codes (ALB User Guide, "Health
// check reason codes").
const (
	descInitialHealthChecking = "Initial health checks in progress"
	descTimeout               = "Request timed out"
	descFailedHealthChecks    = "Health checks failed"
	descHealthCheckDisabled   = "Health checks are disabled"
	descCodeMismatchFormat    = "Health checks failed with these codes: [%d]"
)

// healthCheckUserAgent is the User-Agent of ALB health check requests.
const healthCheckUserAgent = "ELB-HealthChecker/2.0"

// normalizeHealthCheck fills the ALB defaults for HTTP/HTTPS target groups
// into zero fields, so that two configurations compare equal exactly when
// they behave the same.
func normalizeHealthCheck(tg TargetGroup) HealthCheck {
	hc := tg.HealthCheck
	if hc.Protocol == "" {
		hc.Protocol = tg.Protocol
	}
	hc.Protocol = strings.ToUpper(hc.Protocol)
	if hc.Protocol != "HTTPS" {
		hc.Protocol = "HTTP"
	}
	if hc.Port == "" {
		hc.Port = "traffic-port"
	}
	if hc.Path == "" {
		hc.Path = "/"
	} else if !strings.HasPrefix(hc.Path, "/") {
		hc.Path = "/" + hc.Path
	}
	if hc.Interval <= 0 {
		hc.Interval = 30 * time.Second
	}
	if hc.Timeout <= 0 {
		hc.Timeout = 5 * time.Second
	}
	if hc.HealthyThreshold <= 0 {
		hc.HealthyThreshold = 5
	}
	if hc.UnhealthyThreshold <= 0 {
		hc.UnhealthyThreshold = 2
	}
	if strings.TrimSpace(hc.Matcher) == "" {
		hc.Matcher = "200"
	}
	return hc
}

// codeMatcher holds the inclusive status ranges of a Matcher.
type codeMatcher [][2]int

// parseMatcher reads "200", "200-299", "200,202" and mixes of them.
func parseMatcher(s string) (codeMatcher, error) {
	var m codeMatcher
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		if err != nil {
			return nil, fmt.Errorf("health check matcher %q: %w", s, err)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil {
				return nil, fmt.Errorf("health check matcher %q: %w", s, err)
			}
		}
		if a > b {
			return nil, fmt.Errorf("health check matcher %q: empty range", s)
		}
		m = append(m, [2]int{a, b})
	}
	return m, nil
}

func (m codeMatcher) match(code int) bool {
	for _, r := range m {
		if code >= r[0] && code <= r[1] {
			return true
		}
	}
	return false
}

// checker probes the targets of one target group: one goroutine, a ticker,
// and one short-lived goroutine per target per round.
type checker struct {
	cfg     HealthCheck
	match   codeMatcher
	client  *http.Client
	initial int // passes that make an initial target healthy
	cancel  context.CancelFunc
	kick    chan struct{}
	log     *slog.Logger
}

func (c *checker) stop() { c.cancel() }

// poke asks the checker to probe targets it has never probed, now rather
// than at the next tick.
func (c *checker) poke() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checker) run(ctx context.Context, g *group) {
	c.round(ctx, g, true)
	tick := time.NewTicker(c.cfg.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			c.round(ctx, g, false)
		case <-c.kick:
			c.round(ctx, g, true)
		}
	}
}

// round probes the group's targets concurrently and waits for all probes
// (each bounded by the timeout). Draining targets are not checked.
func (c *checker) round(ctx context.Context, g *group, onlyNew bool) {
	v := g.view.Load()
	if v == nil {
		return
	}
	var wg sync.WaitGroup
	for _, t := range v.targets {
		if t.draining.Load() || t.removed.Load() || !t.beginProbe(onlyNew) {
			continue
		}
		wg.Go(func() {
			res := c.probe(ctx, t)
			if ctx.Err() != nil {
				return // checker replaced or stopped: the result is stale
			}
			t.observe(res, c.cfg, c.initial)
		})
	}
	wg.Wait()
}

type probeResult struct {
	ok          bool
	reason      string
	description string
}

// probe sends one health check request: GET with the configured path to the
// target's IP on the health check port, no keep-alive, redirects not followed.
func (c *checker) probe(ctx context.Context, t *target) probeResult {
	port := c.cfg.Port
	if port == "traffic-port" {
		port = strconv.Itoa(t.key.Port)
	}
	url := strings.ToLower(c.cfg.Protocol) + "://" + net.JoinHostPort(t.key.ID, port) + c.cfg.Path

	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return probeResult{reason: ReasonFailedHealthChecks, description: descFailedHealthChecks}
	}
	req.Header.Set("User-Agent", healthCheckUserAgent)
	resp, err := c.client.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}
	if err != nil {
		c.log.Debug("health check failed", "target_group", t.tg, "target", t.addr, "err", err)
		var ne net.Error
		if errors.Is(ctx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			return probeResult{reason: ReasonTimeout, description: descTimeout}
		}
		return probeResult{reason: ReasonFailedHealthChecks, description: descFailedHealthChecks}
	}
	if !c.match.match(resp.StatusCode) {
		return probeResult{reason: ReasonResponseCodeMismatch, description: fmt.Sprintf(descCodeMismatchFormat, resp.StatusCode)}
	}
	return probeResult{ok: true}
}

// beginProbe decides whether the target is probed in this round. The first
// probe of a target in initial state reports Elb.InitialHealthChecking.
func (t *target) beginProbe(onlyNew bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.health.State == StateUnavailable || (onlyNew && t.probed) {
		return false
	}
	if !t.probed {
		t.probed = true
		if t.health.State == StateInitial && t.health.Reason != ReasonInitialHealthChecking {
			t.setHealth(TargetHealth{StateInitial, ReasonInitialHealthChecking, descInitialHealthChecking})
		}
	}
	return true
}

// observe feeds one probe result into the target's state machine:
//
//	initial   --initial passes-->         healthy
//	initial   --UnhealthyThreshold fails--> unhealthy
//	healthy   --UnhealthyThreshold fails--> unhealthy
//	unhealthy --HealthyThreshold passes-->  healthy
//
// Counters count consecutive results only. A target that stays unhealthy for
// a different reason (a new status code, a timeout) is reported again
// because DescribeTargetHealth would show it; nothing else is reported twice.
func (t *target) observe(res probeResult, cfg HealthCheck, initialPasses int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.health.State == StateUnavailable {
		return // health checks were disabled while this probe ran
	}
	if res.ok {
		t.fails = 0
		t.passes++
		need := cfg.HealthyThreshold
		if t.health.State == StateInitial {
			need = initialPasses
		}
		if t.health.State != StateHealthy && t.passes >= need {
			t.setHealth(TargetHealth{State: StateHealthy})
		}
		return
	}
	t.passes = 0
	t.fails++
	bad := TargetHealth{StateUnhealthy, res.reason, res.description}
	if t.health.State == StateUnhealthy || t.fails >= cfg.UnhealthyThreshold {
		t.setHealth(bad)
	}
}

// resumeHealthy starts a new target healthy (see Target.Healthy). Its
// probes then count as for any healthy target: UnhealthyThreshold
// failures make it unhealthy.
func (t *target) resumeHealthy() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.setHealth(TargetHealth{State: StateHealthy})
}

// setChecksDisabled turns health checking off or back on for a target.
// Disabled targets are unavailable/Target.HealthCheckDisabled and routable;
// re-enabled ones start over in initial.
func (t *target) setChecksDisabled(disabled bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case disabled && t.health.State != StateUnavailable:
		t.setHealth(TargetHealth{StateUnavailable, ReasonHealthCheckDisabled, descHealthCheckDisabled})
	case !disabled && t.health.State == StateUnavailable:
		t.passes, t.fails, t.probed = 0, 0, false
		t.setHealth(TargetHealth{StateInitial, ReasonInitialHealthChecking, descInitialHealthChecking})
	}
}

// setHealth records a transition and queues its report. Caller holds t.mu.
func (t *target) setHealth(h TargetHealth) {
	if h == t.health {
		return
	}
	t.health = h
	t.routable.Store(h.State == StateHealthy || h.State == StateUnavailable)
	if !t.removed.Load() {
		t.events.push(event{tg: t.tg, key: t.key, health: h})
	}
}

func (t *target) currentHealth() TargetHealth {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.health
}
