package dnsserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// DefaultResolvConf is where upstreams are read from when
// Options.Upstreams is empty.
const DefaultResolvConf = "/etc/resolv.conf"

// Options configure a Server.
type Options struct {
	// Addrs are the "ip:port" addresses to serve, each on UDP and TCP:
	// typically the host's 127.0.0.1 and the task network's gateway IP.
	// Port 0 picks a free port (the same one for UDP and TCP); Addrs()
	// reports it. Docker's --dns option takes an IP only, so the address
	// containers use must be on port 53, which needs root,
	// CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep <binary>) or
	// sysctl net.ipv4.ip_unprivileged_port_start=53.
	Addrs []string
	// Allow maps an address of Addrs to the client networks it answers;
	// others get REFUSED. An address without an entry answers anyone who
	// can reach it.
	Allow map[string][]netip.Prefix
	// Upstreams are the resolvers names outside every zone are forwarded
	// to, "ip" or "ip:port", tried in order. Empty: the nameservers of
	// ResolvConf. See forward.go for why loopback stubs are kept and how
	// loops are avoided.
	Upstreams []string
	// ResolvConf is read when Upstreams is empty; default
	// DefaultResolvConf.
	ResolvConf string
	// NoForward disables forwarding: names outside every zone get REFUSED.
	NoForward bool
	// ForwardTimeout bounds one exchange with one upstream (default 2s);
	// ForwardBudget bounds a whole forward (default 3.5s).
	ForwardTimeout time.Duration
	ForwardBudget  time.Duration
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Rand returns a uniform int in [0, n); it picks WEIGHTED records and
	// shuffles MULTIVALUE ones. It must be safe for concurrent use.
	// Default: math/rand/v2's IntN.
	Rand func(n int) int
}

// Server is an authoritative DNS server for the Cloud Map zones that
// forwards every other name. Queries read an immutable table through an
// atomic pointer; Update builds a new one and swaps it in.
type Server struct {
	opts  Options
	log   *slog.Logger
	rnd   func(int) int
	table atomic.Pointer[table]
	gen   atomic.Uint32 // generation of the last Update: the SOA serial

	// ctx ends when the server shuts down; forwards run under it.
	ctx    context.Context
	cancel context.CancelFunc
	fwd    *forwarder // set by Start before serving; nil: REFUSED outside the zones

	mu       sync.Mutex // guards the lifecycle fields below
	started  bool
	addrs    []string
	servers  []*dns.Server
	stop     chan struct{} // closed by Shutdown
	released chan struct{} // closed once the servers are shut down
	done     chan struct{} // closed when every goroutine has ended
}

// New returns a server that answers nothing until Update and serves
// nothing until Start.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Rand == nil {
		opts.Rand = rand.IntN
	}
	if opts.ForwardTimeout <= 0 {
		opts.ForwardTimeout = defaultForwardTimeout
	}
	if opts.ForwardBudget <= 0 {
		opts.ForwardBudget = defaultForwardBudget
	}
	if opts.ResolvConf == "" {
		opts.ResolvConf = DefaultResolvConf
	}
	s := &Server{
		opts:     opts,
		log:      opts.Logger,
		rnd:      opts.Rand,
		stop:     make(chan struct{}),
		released: make(chan struct{}),
		done:     make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.table.Store(emptyTable())
	return s
}

// Update compiles snap and makes it the answer to every later query. The
// tables are built outside any lock and published with one atomic swap,
// so a query sees the old snapshot or the new one, never a mix. Of
// concurrent Updates, the last one started wins. Entries that cannot be
// served (invalid names or addresses, duplicates) are skipped and
// reported in the error; everything else is published regardless.
func (s *Server) Update(snap Snapshot) error {
	gen := s.gen.Add(1)
	t, err := compile(snap, gen)
	for {
		cur := s.table.Load()
		if cur.serial > gen {
			break // a newer snapshot is already live
		}
		if s.table.CompareAndSwap(cur, t) {
			break
		}
	}
	return err
}

// Start binds every address on UDP and TCP, then serves until ctx ends or
// Shutdown is called. It returns once every listener is serving.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("dnsserver: already started")
	}
	if len(s.opts.Addrs) == 0 {
		return errors.New("dnsserver: no listen address")
	}

	var (
		pcs   []net.PacketConn
		lns   []net.Listener
		bound []netip.AddrPort
	)
	closeAll := func() {
		for _, pc := range pcs {
			pc.Close()
		}
		for _, l := range lns {
			l.Close()
		}
	}
	for _, addr := range s.opts.Addrs {
		pc, l, err := listen(addr)
		if err != nil {
			closeAll()
			s.addrs = nil
			return fmt.Errorf("dnsserver: listen %s: %w", addr, err)
		}
		pcs, lns = append(pcs, pc), append(lns, l)
		ap := pc.LocalAddr().(*net.UDPAddr).AddrPort()
		bound = append(bound, netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()))
		s.addrs = append(s.addrs, pc.LocalAddr().String())
	}

	upstreams, err := s.upstreams(bound)
	if err != nil {
		closeAll()
		s.addrs = nil
		return err
	}
	if len(upstreams) > 0 {
		s.fwd = newForwarder(upstreams, s.opts.ForwardTimeout, s.opts.ForwardBudget, s.log)
	}

	// One miekg server per socket; Start returns when all of them serve.
	started := make(chan *dns.Server)
	exited := make(chan serveResult)
	var wg sync.WaitGroup
	run := func(srv *dns.Server) {
		srv.NotifyStartedFunc = func() {
			select {
			case started <- srv:
			case <-s.released:
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := srv.ActivateAndServe()
			select {
			case exited <- serveResult{srv, err}:
			case <-s.released:
			}
		}()
	}
	for i, addr := range s.opts.Addrs {
		run(s.udpServer(addr, pcs[i]))
		run(s.tcpServer(addr, lns[i]))
	}
	var servers []*dns.Server
	for len(servers) < 2*len(pcs) {
		select {
		case srv := <-started:
			servers = append(servers, srv)
		case r := <-exited:
			// A server died before serving. Closing the sockets ends
			// the others. The Server is spent: Start fails from now on,
			// Shutdown returns at once.
			closeAll()
			close(s.released)
			wg.Wait()
			close(s.done)
			s.started, s.addrs = true, nil
			return fmt.Errorf("dnsserver: serve: %w", r.err)
		}
	}
	s.servers = servers
	s.started = true

	go s.run(ctx, exited, &wg)
	s.log.Info("dns: serving", "addrs", s.addrs, "upstreams", upstreams)
	return nil
}

type serveResult struct {
	srv *dns.Server
	err error
}

// run waits for the end, then shuts every server down and waits for
// every goroutine. A server that stops on its own is logged; the others
// go on serving.
func (s *Server) run(ctx context.Context, exited <-chan serveResult, wg *sync.WaitGroup) {
	defer close(s.done)
wait:
	for {
		select {
		case r := <-exited:
			if r.err != nil {
				s.log.Error("dns: listener stopped", "addr", addrOf(r.srv), "err", r.err)
			}
		case <-ctx.Done():
			break wait
		case <-s.stop:
			break wait
		}
	}
	s.cancel() // abort forwards, so that handlers finish
	for _, srv := range s.servers {
		// Closes the socket, waits for the server's handlers. A server
		// that already stopped returns at once.
		_ = srv.ShutdownContext(context.Background())
	}
	close(s.released)
	wg.Wait()
	s.log.Info("dns: stopped", "addrs", s.addrs)
}

func addrOf(srv *dns.Server) string {
	if srv.PacketConn != nil {
		return "udp " + srv.PacketConn.LocalAddr().String()
	}
	return "tcp " + srv.Listener.Addr().String()
}

// Shutdown stops serving (if the context given to Start has not already)
// and waits until every goroutine of the server has ended, or ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	started := s.started
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	s.mu.Unlock()
	if !started {
		return nil
	}
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Addrs returns the bound "ip:port" of every address, in Options.Addrs
// order; each serves both UDP and TCP.
func (s *Server) Addrs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.addrs...)
}

// upstreams resolves the forwarding targets, minus this server itself.
func (s *Server) upstreams(bound []netip.AddrPort) ([]string, error) {
	if s.opts.NoForward {
		return nil, nil
	}
	raw := s.opts.Upstreams
	if len(raw) == 0 {
		var err error
		raw, err = readResolvConf(s.opts.ResolvConf)
		if err != nil {
			s.log.Warn("dns: no upstreams, names outside the zones will be refused", "resolv_conf", s.opts.ResolvConf, "err", err)
			return nil, nil
		}
	}
	var aps []netip.AddrPort
	for _, u := range raw {
		ap, err := parseUpstream(u)
		if err != nil {
			return nil, fmt.Errorf("dnsserver: %w", err)
		}
		aps = append(aps, ap)
	}
	kept, dropped := filterSelf(aps, bound, interfaceAddrs)
	for _, d := range dropped {
		s.log.Warn("dns: ignoring upstream that is this server", "upstream", d.String())
	}
	out := make([]string, len(kept))
	for i, ap := range kept {
		out[i] = ap.String()
	}
	return out, nil
}

// listen binds addr on UDP and TCP. With port 0 both get the same free
// port.
func listen(addr string) (net.PacketConn, net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, err
	}
	if port != "0" {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, nil, err
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			pc.Close()
			return nil, nil, err
		}
		return pc, l, nil
	}
	for range 20 {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, nil, err
		}
		p := pc.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err == nil {
			return pc, l, nil
		}
		pc.Close()
		if !errors.Is(err, syscall.EADDRINUSE) {
			return nil, nil, err
		}
	}
	return nil, nil, errors.New("no port free on both UDP and TCP")
}
