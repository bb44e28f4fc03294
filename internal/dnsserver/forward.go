package dnsserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

const (
	// defaultForwardTimeout bounds one exchange with one upstream.
	defaultForwardTimeout = 2 * time.Second
	// defaultForwardBudget bounds a whole forward, every upstream tried.
	// It stays under the 4 s Docker's embedded DNS waits for us, so a
	// container sees our SERVFAIL rather than its own timeout.
	defaultForwardBudget = 3500 * time.Millisecond
	// maxForwards bounds the upstream exchanges in flight at once.
	maxForwards = 512
)

var errBusy = errors.New("too many forwarded queries in flight")

// forwarder sends names outside every zone to the upstream resolvers.
//
// Identical questions in flight share one upstream exchange. Besides
// sparing the upstreams, this breaks forwarding loops: if an upstream
// sends a question back to this server (a host resolver configured to use
// it for every name), the question joins its own exchange instead of being
// forwarded again, and the loop ends with SERVFAIL after one timeout.
type forwarder struct {
	upstreams []string // "ip:port", tried in order
	timeout   time.Duration
	budget    time.Duration
	log       *slog.Logger
	sem       chan struct{}

	mu      sync.Mutex
	flights map[flightKey]*flight
}

type flightKey struct {
	name          string // lower-case
	qtype, qclass uint16
	do, cd        bool
}

type flight struct {
	done chan struct{}
	msg  *dns.Msg // read-only once done is closed
	err  error
}

func newForwarder(upstreams []string, timeout, budget time.Duration, log *slog.Logger) *forwarder {
	return &forwarder{
		upstreams: upstreams,
		timeout:   timeout,
		budget:    budget,
		log:       log,
		sem:       make(chan struct{}, maxForwards),
		flights:   map[flightKey]*flight{},
	}
}

// resolve returns the upstream answer to one question: NOERROR or
// NXDOMAIN from the first upstream that gives either. The message is
// shared and must not be modified.
func (f *forwarder) resolve(ctx context.Context, qname string, qtype, qclass uint16, do, cd bool) (*dns.Msg, error) {
	key := flightKey{name: strings.ToLower(qname), qtype: qtype, qclass: qclass, do: do, cd: cd}
	f.mu.Lock()
	if fl := f.flights[key]; fl != nil {
		f.mu.Unlock()
		select {
		case <-fl.done:
			return fl.msg, fl.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	select {
	case f.sem <- struct{}{}:
	default:
		f.mu.Unlock()
		return nil, errBusy
	}
	fl := &flight{done: make(chan struct{})}
	f.flights[key] = fl
	f.mu.Unlock()

	fl.msg, fl.err = f.exchange(ctx, key, qname)

	f.mu.Lock()
	delete(f.flights, key)
	f.mu.Unlock()
	<-f.sem
	close(fl.done)
	return fl.msg, fl.err
}

// exchange tries the upstreams in order within the budget.
func (f *forwarder) exchange(ctx context.Context, key flightKey, qname string) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, f.budget)
	defer cancel()
	var errs []error
	for _, up := range f.upstreams {
		if ctx.Err() != nil {
			break
		}
		actx, acancel := context.WithTimeout(ctx, f.timeout)
		m, err := f.exchangeOne(actx, up, key, qname)
		acancel()
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", up, err))
		case m.Rcode == dns.RcodeSuccess || m.Rcode == dns.RcodeNameError:
			return m, nil
		default:
			errs = append(errs, fmt.Errorf("%s: %s", up, dns.RcodeToString[m.Rcode]))
		}
	}
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// exchangeOne asks one upstream over UDP and again over TCP when the UDP
// answer is truncated.
func (f *forwarder) exchangeOne(ctx context.Context, upstream string, key flightKey, qname string) (*dns.Msg, error) {
	q := new(dns.Msg)
	q.Id = dns.Id()
	q.RecursionDesired = true
	q.CheckingDisabled = key.cd
	q.Question = []dns.Question{{Name: qname, Qtype: key.qtype, Qclass: key.qclass}}
	q.SetEdns0(udpSize, key.do)

	m, err := f.do(ctx, "udp", upstream, q)
	if err != nil || !m.Truncated {
		return m, err
	}
	q.Id = dns.Id()
	if full, err := f.do(ctx, "tcp", upstream, q); err == nil {
		return full, nil
	}
	return m, nil // the truncated answer; the client retries over TCP
}

func (f *forwarder) do(ctx context.Context, network, upstream string, q *dns.Msg) (*dns.Msg, error) {
	c := &dns.Client{Net: network, UDPSize: udpSize, Timeout: f.timeout}
	conn, err := c.DialContext(ctx, upstream)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// The client honours the context's deadline but not its cancellation:
	// unblock the read on shutdown.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	m, _, err := c.ExchangeWithConnContext(ctx, q, conn)
	if err != nil {
		return nil, err
	}
	if len(m.Question) != 1 || m.Question[0].Qtype != q.Question[0].Qtype ||
		!strings.EqualFold(m.Question[0].Name, q.Question[0].Name) {
		return nil, errors.New("answer does not match the question")
	}
	return m, nil
}

// Upstream discovery.
//
// With no Options.Upstreams, the servers of /etc/resolv.conf are used,
// loopback stub resolvers included (systemd-resolved's 127.0.0.53,
// Docker's 127.0.0.11, a local dnsmasq). This server runs in the
// emulator's own network namespace, where those stubs are reachable, and
// they carry the host's real configuration (VPN split DNS, per-link
// servers) that /run/systemd/resolve/resolv.conf would lose. The classic
// loop, a forwarder inside a container sending to 127.0.0.53 of the host,
// cannot happen here because the containers never see the upstreams: they
// query this server, and this server queries the upstreams from the host.
//
// Two loops remain possible and are handled:
//   - an upstream that is this server itself (resolv.conf naming the
//     address we listen on): dropped at Start (filterSelf);
//   - an upstream that sends names back to this server (a host resolver
//     configured to use it for every name): broken by sharing in-flight
//     exchanges (see forwarder).

// readResolvConf returns the "ip:port" of every nameserver in path.
func readResolvConf(path string) ([]string, error) {
	cfg, err := dns.ClientConfigFromFile(path)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(cfg.Servers))
	for _, s := range cfg.Servers {
		out = append(out, net.JoinHostPort(s, cfg.Port))
	}
	return out, nil
}

// parseUpstream accepts "ip" or "ip:port" ("[v6]:port"); the port
// defaults to 53.
func parseUpstream(s string) (netip.AddrPort, error) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), nil
	}
	ip, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("upstream %q: want an IP address, optionally with a port", s)
	}
	return netip.AddrPortFrom(ip.Unmap(), 53), nil
}

// filterSelf drops the upstreams that are this server: the same address
// and port as a listener, or, for a listener on the unspecified address,
// any local address on its port. local returns this host's addresses.
func filterSelf(upstreams []netip.AddrPort, bound []netip.AddrPort, local func() []netip.Addr) (kept, dropped []netip.AddrPort) {
	var locals []netip.Addr
	loaded := false
	isLocal := func(ip netip.Addr) bool {
		if ip.IsLoopback() || ip.IsUnspecified() {
			return true
		}
		if !loaded {
			locals, loaded = local(), true
		}
		for _, l := range locals {
			if l == ip {
				return true
			}
		}
		return false
	}
	for _, up := range upstreams {
		self := false
		for _, b := range bound {
			if b.Port() != up.Port() {
				continue
			}
			bip := b.Addr().Unmap()
			if bip == up.Addr().WithZone("") || (bip.IsUnspecified() && isLocal(up.Addr())) ||
				(up.Addr().IsUnspecified() && isLocal(bip)) {
				self = true
				break
			}
		}
		if self {
			dropped = append(dropped, up)
		} else {
			kept = append(kept, up)
		}
	}
	return kept, dropped
}

// interfaceAddrs lists this host's addresses.
func interfaceAddrs() []netip.Addr {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out = append(out, p.Addr().Unmap())
		}
	}
	return out
}
