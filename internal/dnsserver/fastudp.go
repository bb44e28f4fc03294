package dnsserver

import (
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/miekg/dns"
)

// A UDP socket of a specific address is read by a fastReader, which
// answers what the fast path (fastpath.go) can in its own goroutine, one
// query after the other, and hands every other packet to miekg/dns to
// serve as it always does (a goroutine, ServeDNS). miekg reads through a
// reader of ours only when the socket is not a *net.UDPConn, hence
// fastConn.
//
// A socket bound to a wildcard address keeps miekg's own reader: replies
// there must leave from the address each query came to, which miekg does
// with the socket's control messages.

// fastConn hides a UDP socket's type from miekg.
type fastConn struct{ *net.UDPConn }

// fastReader reads one UDP socket for one dns.Server.
type fastReader struct {
	dns.Reader // miekg's, for the reads of TCP servers (unused here)
	s          *Server
	conn       *net.UDPConn
	local      net.Addr       // conn's address, to choose the view
	allow      []netip.Prefix // the address's clients, none: anyone
	in         []byte
	fast       fastAnswer
}

// udpServer is the miekg server of one UDP socket, with the fast path
// unless the socket is bound to a wildcard address.
func (s *Server) udpServer(addr string, pc net.PacketConn) *dns.Server {
	srv := &dns.Server{PacketConn: pc, Handler: s.handlerFor(addr), UDPSize: dns.DefaultMsgSize}
	conn, ok := pc.(*net.UDPConn)
	if !ok || conn.LocalAddr().(*net.UDPAddr).IP.IsUnspecified() {
		return srv
	}
	srv.PacketConn = fastConn{conn}
	srv.DecorateReader = func(next dns.Reader) dns.Reader {
		return &fastReader{
			Reader: next, s: s, conn: conn, local: conn.LocalAddr(),
			allow: s.opts.Allow[addr], in: make([]byte, srv.UDPSize),
		}
	}
	return srv
}

// ReadPacketConn returns the next packet the fast path does not answer.
// It sets no deadline: Shutdown unblocks it with one in the past, and
// then it returns the error as miekg's reader does.
func (r *fastReader) ReadPacketConn(net.PacketConn, time.Duration) ([]byte, net.Addr, error) {
	for {
		n, from, err := r.conn.ReadFromUDPAddrPort(r.in)
		if err != nil {
			return nil, nil, err
		}
		pkt := r.in[:n]
		if reply, ok := r.answer(pkt, from); ok {
			if _, err := r.conn.WriteToUDPAddrPort(reply, from); err != nil {
				r.s.log.Debug("dns: writing reply failed", "remote", from.String(), "err", err)
			}
			continue
		}
		return slices.Clone(pkt), net.UDPAddrFromAddrPort(from), nil
	}
}

func (r *fastReader) answer(pkt []byte, from netip.AddrPort) ([]byte, bool) {
	if len(r.allow) > 0 && !allowedIP(r.allow, from.Addr().Unmap()) {
		return nil, false // ServeDNS refuses
	}
	return r.s.answer(&r.fast, r.s.table.Load().forLocal(r.local), pkt)
}
