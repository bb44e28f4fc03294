package alb

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/localaws/ecsemu/internal/connlimit"
)

// ErrServerClosed is returned by Update after Shutdown.
var ErrServerClosed = errors.New("alb: server closed")

// Options configures a Server. Every field is optional.
type Options struct {
	Logger *slog.Logger

	// HealthReporter receives every health transition the data plane
	// observes: initial/Elb.InitialHealthChecking when a target's first
	// check starts, healthy, unhealthy (with reason and description) and
	// unavailable/Target.HealthCheckDisabled. It is called from a single
	// goroutine, in order, never under the server's locks, so it may call
	// Update. It is not called for every probe.
	HealthReporter func(tgARN string, target TargetKey, state, reason, description string)

	// InitialUsesHealthyThreshold makes a newly registered target need
	// HealthyThreshold consecutive passes to become healthy. By default
	// one pass suffices: "After your target is registered, it must pass
	// one health check to be considered healthy" (ALB User Guide);
	// HealthyThreshold applies to unhealthy targets coming back.
	InitialUsesHealthyThreshold bool

	// Certificate serves HTTPS listeners that name no certificate the
	// lookup knows. Nil means a self-signed certificate generated on
	// first use.
	Certificate *tls.Certificate
	// CertificateLookup resolves a listener's certificate ARN (ACM, IAM
	// server certificates). Nil: every listener serves Certificate.
	CertificateLookup func(arn string) (*tls.Certificate, error)

	// netHTTPOnly serves every plain-HTTP request on net/http's path,
	// without the fast path (tests compare the two).
	netHTTPOnly bool
}

// Server is the data plane of every emulated load balancer.
type Server struct {
	opts    Options
	log     *slog.Logger
	errLog  *log.Logger
	ctx     context.Context // ends at Shutdown: checkers, event loop, listeners
	stop    context.CancelFunc
	events  *eventQueue
	buffers *bufferPool
	hcHTTP  *http.Client
	bg      sync.WaitGroup

	mu        sync.RWMutex
	closed    bool
	groups    map[string]*group
	lbs       map[string]*lbState
	listeners map[string]*listener

	certOnce sync.Once
	cert     *tls.Certificate
	certErr  error
}

// lbState is what persists per load balancer: its pool toward targets.
type lbState struct {
	idle      time.Duration
	transport *targetPool
}

// New returns a Server with nothing to serve; call Update.
func New(opts Options) *Server {
	lg := opts.Logger
	if lg == nil {
		lg = slog.New(slog.DiscardHandler)
	}
	lg = lg.With("service", "alb")
	ctx, stop := context.WithCancel(context.Background())
	hcTransport := &http.Transport{
		DisableKeepAlives: true, // ALB closes each health check connection
		DialContext:       (&net.Dialer{}).DialContext,
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // health checks do not verify certificates
	}
	s := &Server{
		opts:    opts,
		log:     lg,
		errLog:  slog.NewLogLogger(lg.Handler(), slog.LevelDebug),
		ctx:     ctx,
		stop:    stop,
		events:  newEventQueue(),
		buffers: newBufferPool(),
		hcHTTP: &http.Client{
			Transport:     hcTransport,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		groups:    map[string]*group{},
		lbs:       map[string]*lbState{},
		listeners: map[string]*listener{},
	}
	s.bg.Go(func() { s.events.run(ctx, s.deliver) })
	return s
}

func (s *Server) deliver(e event) {
	if s.opts.HealthReporter != nil {
		s.opts.HealthReporter(e.tg, e.key, e.health.State, e.health.Reason, e.health.Description)
	}
}

// Update converges the data plane to snap. It is idempotent: listeners whose
// address, port and protocol did not change keep their sockets and get a new
// routing table atomically (requests in flight keep the table they started
// with); targets keep their health and in-flight counts. Listeners that
// cannot bind are reported in the error while everything else is applied.
func (s *Server) Update(snap Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrServerClosed
	}
	var errs []error

	tgs := make(map[string]*TargetGroup, len(snap.TargetGroups))
	for i := range snap.TargetGroups {
		tg := &snap.TargetGroups[i]
		if _, dup := tgs[tg.ARN]; dup {
			errs = append(errs, fmt.Errorf("target group %s listed twice", tg.ARN))
			continue
		}
		tgs[tg.ARN] = tg
	}

	// Target groups: only those some listener forwards to are live.
	referenced := referencedGroups(snap)
	for arn := range referenced {
		tg, ok := tgs[arn]
		if !ok {
			errs = append(errs, fmt.Errorf("forward to unknown target group %s", arn))
			continue
		}
		g := s.groups[arn]
		if g == nil {
			g = &group{arn: arn, targets: map[TargetKey]*target{}}
			s.groups[arn] = g
		}
		if err := s.syncGroup(g, tg); err != nil {
			errs = append(errs, err)
		}
	}

	// Listeners that go away release their ports before new ones bind.
	wanted := map[string]bool{}
	for _, lb := range snap.LoadBalancers {
		for _, l := range lb.Listeners {
			wanted[l.ARN] = true
		}
	}
	for arn, l := range s.listeners {
		if !wanted[arn] {
			s.retire(l)
		}
	}

	// Load balancers and listeners.
	seenLBs := map[string]bool{}
	seenListeners := map[string]bool{}
	for _, lb := range snap.LoadBalancers {
		seenLBs[lb.ARN] = true
		st := s.syncLB(lb)
		for _, l := range lb.Listeners {
			if seenListeners[l.ARN] {
				errs = append(errs, fmt.Errorf("listener %s listed twice", l.ARN))
				continue
			}
			seenListeners[l.ARN] = true
			if err := s.syncListener(lb, l, st); err != nil {
				errs = append(errs, err)
			}
		}
	}

	// Removals.
	for arn, st := range s.lbs {
		if !seenLBs[arn] {
			st.transport.CloseIdleConnections()
			delete(s.lbs, arn)
		}
	}
	for arn, g := range s.groups {
		if referenced[arn] && tgs[arn] != nil {
			continue
		}
		s.dropGroup(g)
		delete(s.groups, arn)
	}
	return errors.Join(errs...)
}

// referencedGroups lists the target groups that forward actions name.
func referencedGroups(snap Snapshot) map[string]bool {
	out := map[string]bool{}
	add := func(actions []Action) {
		for _, a := range actions {
			if a.Type == ActionForward {
				for _, wt := range a.TargetGroups {
					out[wt.ARN] = true
				}
			}
		}
	}
	for _, lb := range snap.LoadBalancers {
		for _, l := range lb.Listeners {
			add(l.DefaultActions)
			for _, r := range l.Rules {
				add(r.Actions)
			}
		}
	}
	return out
}

// syncGroup applies a target group's settings and targets to its live state.
func (s *Server) syncGroup(g *group, tg *TargetGroup) error {
	hc := normalizeHealthCheck(*tg)
	scheme := "http"
	if strings.EqualFold(tg.Protocol, "HTTPS") {
		scheme = "https"
	}

	targets := make([]*target, 0, len(tg.Targets))
	seen := make(map[TargetKey]bool, len(tg.Targets))
	for _, tt := range tg.Targets {
		port := tt.Port
		if port == 0 {
			port = tg.Port
		}
		key := TargetKey{ID: tt.ID, Port: port}
		if seen[key] {
			continue
		}
		seen[key] = true
		t := g.targets[key]
		if t == nil {
			t = newTarget(g.arn, key, s.events)
			if tt.Healthy && hc.Enabled {
				t.resumeHealthy()
			}
			g.targets[key] = t
		}
		// Fence and set the health mode before the target becomes
		// visible to requests through the new view.
		t.setChecksDisabled(!hc.Enabled)
		t.setDraining(tt.Draining, tg.DeregistrationDelay)
		targets = append(targets, t)
	}
	for key, t := range g.targets {
		if !seen[key] {
			t.remove()
			delete(g.targets, key)
		}
	}
	g.view.Store(&groupView{scheme: scheme, targets: targets})

	var err error
	switch {
	case !hc.Enabled:
		if g.checker != nil {
			g.checker.stop()
			g.checker = nil
		}
	case g.checker == nil || g.checker.cfg != hc:
		if g.checker != nil {
			g.checker.stop()
		}
		g.checker, err = s.startChecker(g, hc)
	default:
		g.checker.poke() // probe new targets now
	}
	return err
}

func (s *Server) startChecker(g *group, hc HealthCheck) (*checker, error) {
	m, err := parseMatcher(hc.Matcher)
	if err != nil {
		m = codeMatcher{{200, 200}}
		err = fmt.Errorf("target group %s: %w", g.arn, err)
	}
	initial := 1
	if s.opts.InitialUsesHealthyThreshold {
		initial = hc.HealthyThreshold
	}
	ctx, cancel := context.WithCancel(s.ctx)
	c := &checker{
		cfg:     hc,
		match:   m,
		client:  s.hcHTTP,
		initial: initial,
		cancel:  cancel,
		kick:    make(chan struct{}, 1),
		log:     s.log,
	}
	s.bg.Go(func() { c.run(ctx, g) })
	return c, err
}

// dropGroup retires a target group no listener uses any more. Its view is
// left alone: a request that matched an older routing table a moment ago is
// still served by it, as the table swap promises.
func (s *Server) dropGroup(g *group) {
	if g.checker != nil {
		g.checker.stop()
		g.checker = nil
	}
	for key, t := range g.targets {
		t.remove()
		delete(g.targets, key)
	}
}

// syncLB keeps one target transport per load balancer, renewed when the idle
// timeout changes (requests in flight finish on the old one).
func (s *Server) syncLB(lb LoadBalancer) *lbState {
	idle := lb.IdleTimeout
	if idle <= 0 {
		idle = 60 * time.Second
	}
	st := s.lbs[lb.ARN]
	if st != nil && st.idle == idle {
		return st
	}
	if st != nil {
		st.transport.CloseIdleConnections()
	}
	st = &lbState{idle: idle, transport: newTargetPool(idle)}
	s.lbs[lb.ARN] = st
	return st
}

// bindSpec is what a listener socket depends on; any change rebinds it.
type bindSpec struct {
	address  string
	port     int
	protocol string
}

func (s *Server) syncListener(lb LoadBalancer, l Listener, st *lbState) error {
	spec := bindSpec{address: lb.Address, port: l.Port, protocol: strings.ToUpper(l.Protocol)}
	if spec.address == "" {
		spec.address = "127.0.0.1"
	}
	if spec.protocol == "" {
		spec.protocol = "HTTP"
	}
	if spec.protocol != "HTTP" && spec.protocol != "HTTPS" {
		return fmt.Errorf("listener %s: protocol %q is not served", l.ARN, l.Protocol)
	}

	cur := s.listeners[l.ARN]
	if cur != nil && cur.spec != spec {
		s.retire(cur)
		cur = nil
	}
	if cur == nil {
		var err error
		if cur, err = s.startListener(l.ARN, spec, st.idle); err != nil {
			return fmt.Errorf("listener %s: %w", l.ARN, err)
		}
		s.listeners[l.ARN] = cur
	}

	lt := &listenerTable{
		certs:     l.Certificates,
		address:   spec.address,
		protocol:  spec.protocol,
		scheme:    strings.ToLower(spec.protocol),
		port:      strconv.Itoa(cur.port),
		transport: st.transport,
		idle:      st.idle,
	}
	lt.schemeValue = []string{lt.scheme}
	lt.portValue = []string{lt.port}
	lt.proxy = s.newProxy(lt)
	var errs []error
	def, err := compileAction(l.DefaultActions, s.groups)
	if err != nil {
		errs = append(errs, fmt.Errorf("listener %s default action: %w", l.ARN, err))
	}
	lt.def = def
	rules, err := compileRules(l.Rules, func(a []Action) (*compiledAction, error) { return compileAction(a, s.groups) })
	if err != nil {
		errs = append(errs, fmt.Errorf("listener %s: %w", l.ARN, err))
	}
	lt.rules = rules
	cur.table.Store(lt)
	return errors.Join(errs...)
}

// listener is one bound socket with its HTTP server and routing table.
type listener struct {
	s      *Server
	arn    string
	spec   bindSpec
	port   int // the bound port (spec.port may be 0)
	ln     net.Listener
	srv    *http.Server
	ctx    context.Context    // the parent of every request context
	cancel context.CancelFunc // ends every request context, upgraded ones too

	// Plain HTTP: the fast path's connections, and the way to the server
	// for those it hands over. Nil for HTTPS (and with netHTTPOnly).
	fast    *fastConns
	handoff *handoffListener
	table   atomic.Pointer[listenerTable]
	active  atomic.Int64
}

// listenerTable is the immutable routing table of a listener.
type listenerTable struct {
	address   string
	protocol  string // HTTP or HTTPS
	scheme    string // http or https
	port      string
	certs     []string // certificate ARNs, the default first
	rules     []compiledRule
	def       *compiledAction
	transport *targetPool
	idle      time.Duration // the load balancer's idle timeout now
	proxy     *httputil.ReverseProxy

	// X-Forwarded-Proto and -Port values, shared read-only by every
	// request (Header.Write only reads them).
	schemeValue, portValue []string
}

// idle is the load balancer's current idle timeout (for request bodies and
// keep-alive idling; a header still has the one the listener started with).
func (l *listener) idle() time.Duration {
	if lt := l.table.Load(); lt != nil {
		return lt.idle
	}
	return 60 * time.Second
}

func (s *Server) startListener(arn string, spec bindSpec, idle time.Duration) (*listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(spec.address, strconv.Itoa(spec.port)))
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln = connlimit.Wrap(ln, listenerLimits)
	if spec.protocol == "HTTPS" {
		// Fail the bind now rather than every handshake later.
		if _, err := s.certificate(); err != nil {
			ln.Close()
			return nil, err
		}
	}
	ctx, cancel := context.WithCancel(s.ctx)
	l := &listener{s: s, arn: arn, spec: spec, port: port, ln: ln, ctx: ctx, cancel: cancel}
	if spec.protocol == "HTTPS" {
		l.ln = tls.NewListener(ln, &tls.Config{GetCertificate: l.getCertificate, MinVersion: tls.VersionTLS12})
		ln = l.ln
	}
	l.srv = &http.Server{
		Handler:           l,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ReadHeaderTimeout: idle,
		ConnState:         newIdleConns(l.idle).track, // keep-alive idling, at the current timeout
		ErrorLog:          s.errLog,
	}
	if spec.protocol == "HTTP" && !s.opts.netHTTPOnly {
		l.fast, l.handoff = newFastConns(), newHandoffListener(ln.Addr())
		tcp := ln
		s.bg.Go(func() { l.acceptFast(tcp) })
		ln = l.handoff
	}
	s.bg.Go(func() { _ = l.srv.Serve(ln) })
	s.log.Debug("listener started", "listener", arn, "addr", ln.Addr().String())
	return l, nil
}

// listenerLimits bound each listener's connections. An ALB has no
// per-client quota; the per-client cap here only keeps one local client
// (a runaway load test) from starving every other.
var listenerLimits = connlimit.Limits{Total: 16384, PerClient: 4096}

// ServeHTTP routes one request through the listener's current table.
func (l *listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.active.Add(1)
	defer l.active.Add(-1)
	r.Body = connlimit.IdleBody(w, r, l.idle())
	lt := l.table.Load()
	if lt == nil {
		writeALBResponse(w, http.StatusServiceUnavailable)
		return
	}
	a := matchRules(lt.rules, lt.def, r)
	switch a.kind {
	case kindForward:
		l.s.serveForward(w, r, lt, a.forward)
	case kindRedirect:
		serveRedirect(w, r, a, lt)
	case kindFixedResponse:
		serveFixedResponse(w, a)
	default:
		writeALBResponse(w, http.StatusServiceUnavailable)
	}
}

// retireGrace bounds how long a removed listener lets requests finish.
const retireGrace = 30 * time.Second

// retire closes a listener's socket now (so its port can be bound again at
// once) and lets its requests finish in the background.
func (s *Server) retire(l *listener) {
	delete(s.listeners, l.arn)
	_ = l.ln.Close()
	s.bg.Go(func() {
		ctx, cancel := context.WithTimeout(s.ctx, retireGrace)
		defer cancel()
		l.shutdown(ctx)
	})
}

// shutdown stops accepting, waits for requests until ctx ends, then cuts
// what remains, upgraded (hijacked) connections included, and waits for the
// handlers to return.
func (l *listener) shutdown(ctx context.Context) {
	_ = l.ln.Close() // also when Serve has not started yet
	if l.handoff != nil {
		_ = l.handoff.Close()
		l.fast.shutdown(ctx)
	}
	err := l.srv.Shutdown(ctx)
	l.cancel()
	if err != nil {
		_ = l.srv.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for l.active.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	if n := l.active.Load(); n > 0 {
		l.s.log.Warn("listener handlers still running after shutdown", "listener", l.arn, "active", n)
	}
}

// Shutdown closes every listener, letting requests in flight finish until
// ctx ends, then stops health checkers, timers and the callback goroutine.
// Callbacks still queued are dropped.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	listeners := s.listeners
	groups := s.groups
	lbs := s.lbs
	s.listeners, s.groups, s.lbs = map[string]*listener{}, map[string]*group{}, map[string]*lbState{}
	s.mu.Unlock()

	var wg sync.WaitGroup
	for _, l := range listeners {
		wg.Go(func() { l.shutdown(ctx) })
	}
	wg.Wait()
	for _, g := range groups {
		for _, t := range g.targets {
			t.stopDrainTimer()
		}
		s.dropGroup(g)
	}
	s.stop()

	done := make(chan struct{})
	go func() {
		s.bg.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	for _, st := range lbs {
		st.transport.CloseIdleConnections()
	}
	s.hcHTTP.CloseIdleConnections()
	return err
}

// ListenerAddr returns the host:port a listener is bound to, which tells
// tests the port picked for Port 0.
func (s *Server) ListenerAddr(listenerARN string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l := s.listeners[listenerARN]
	if l == nil {
		return "", false
	}
	return net.JoinHostPort(l.spec.address, strconv.Itoa(l.port)), true
}

// InFlight returns the number of requests running on a target (0 for a
// target the data plane does not know).
func (s *Server) InFlight(tgARN string, t TargetKey) int {
	if tg := s.lookup(tgARN, t); tg != nil {
		return int(tg.inflight.Load())
	}
	return 0
}

// Health returns the data plane's current view of a target's health; false
// when the target group is not in use or the target is not registered.
func (s *Server) Health(tgARN string, t TargetKey) (TargetHealth, bool) {
	if tg := s.lookup(tgARN, t); tg != nil {
		return tg.currentHealth(), true
	}
	return TargetHealth{}, false
}

func (s *Server) lookup(tgARN string, key TargetKey) *target {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if g := s.groups[tgARN]; g != nil {
		return g.targets[key]
	}
	return nil
}
