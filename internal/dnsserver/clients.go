package dnsserver

import (
	"net"
	"net/netip"
	"time"

	"github.com/miekg/dns"

	"github.com/localaws/ecsemu/internal/connlimit"
)

// tcpLimits bound the TCP connections of each listening address, and
// tcp* the time one may take: a client that opens connections and sends
// nothing holds them for tcpIdle at most, and cannot take them all.
var tcpLimits = connlimit.Limits{Total: 512, PerClient: 64}

const (
	tcpRead  = 2 * time.Second // one query, once it has started
	tcpWrite = 2 * time.Second
	tcpIdle  = 8 * time.Second // between queries on one connection (RFC 7766's advice: seconds)
)

// handlerFor is the handler of one listening address: the server itself,
// or, when the address has an allow list, the server behind a check that
// answers REFUSED to any client outside it. The resolver on the task
// network's gateway answers tasks only: it would otherwise resolve, and
// forward to the host's upstreams, for anyone who can reach that address.
func (s *Server) handlerFor(addr string) dns.Handler {
	allow := s.opts.Allow[addr]
	if len(allow) == 0 {
		return s
	}
	return dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		if !allowed(allow, w.RemoteAddr()) {
			if !req.Response {
				s.write(w, req, rcode(req, dns.RcodeRefused))
			}
			return
		}
		s.ServeDNS(w, req)
	})
}

func allowed(allow []netip.Prefix, remote net.Addr) bool {
	var ip netip.Addr
	switch a := remote.(type) {
	case *net.UDPAddr:
		ip = a.AddrPort().Addr().Unmap()
	case *net.TCPAddr:
		ip = a.AddrPort().Addr().Unmap()
	default:
		return false
	}
	return allowedIP(allow, ip)
}

func allowedIP(allow []netip.Prefix, ip netip.Addr) bool {
	for _, p := range allow {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// tcpServer is the miekg server of one TCP listener, with its limits.
func (s *Server) tcpServer(addr string, ln net.Listener) *dns.Server {
	return &dns.Server{
		Listener:     connlimit.Wrap(ln, tcpLimits),
		Handler:      s.handlerFor(addr),
		ReadTimeout:  tcpRead,
		WriteTimeout: tcpWrite,
		IdleTimeout:  func() time.Duration { return tcpIdle },
	}
}
