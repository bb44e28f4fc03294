package dnsserver

import (
	"net"
	"strings"

	"github.com/miekg/dns"
)

const (
	// udpSize is the EDNS0 payload size this server advertises, and the
	// largest UDP answer it sends even to clients that advertise more
	// (DNS flag day 2020): larger answers are truncated, the client
	// retries over TCP.
	udpSize = 1232
	// maxChase bounds how many CNAMEs one answer follows.
	maxChase = 8
)

// ServeDNS answers one query, always in the same order: check the
// message, load the current table, find the zone, answer from the table
// (or forward), write the reply sized for the transport.
func (s *Server) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	// 1. Check. miekg/dns's default accept function already turns away
	// responses, wrong opcodes and question counts other than one; these
	// checks keep the handler safe on its own.
	if req.Response {
		return
	}
	if req.Opcode != dns.OpcodeQuery {
		s.write(w, req, rcode(req, dns.RcodeNotImplemented))
		return
	}
	if len(req.Question) != 1 || countOPT(req) > 1 {
		s.write(w, req, rcode(req, dns.RcodeFormatError))
		return
	}
	if opt := req.IsEdns0(); opt != nil && opt.Version() != 0 {
		s.write(w, req, rcode(req, dns.RcodeBadVers))
		return
	}
	q := req.Question[0]
	switch q.Qclass {
	case dns.ClassINET, dns.ClassANY:
	default: // CHAOS, HESIOD, ...
		s.write(w, req, rcode(req, dns.RcodeNotImplemented))
		return
	}
	switch q.Qtype {
	case dns.TypeAXFR, dns.TypeIXFR:
		s.write(w, req, rcode(req, dns.RcodeRefused))
		return
	case dns.TypeOPT, dns.TypeTSIG, dns.TypeTKEY, dns.TypeNone:
		s.write(w, req, rcode(req, dns.RcodeFormatError))
		return
	}

	// 2. Snapshot and zone.
	t := s.table.Load().forLocal(w.LocalAddr())
	qname := strings.ToLower(q.Name)
	z, n := t.lookup(qname)
	if z == nil {
		s.forward(w, req)
		return
	}

	// 3. Answer from the table, following CNAMEs.
	m := reply(req)
	m.Authoritative = true
	target := s.local(m, z, n, q.Qtype)
	for range maxChase {
		if target == "" {
			break
		}
		z, n = t.lookup(target)
		if z == nil {
			s.chase(m, target, q.Qtype)
			break
		}
		target = s.local(m, z, n, q.Qtype)
	}

	// 4. Reply.
	s.write(w, req, m)
}

// local adds the answer for one name of zone z to m and returns the CNAME
// target to follow, if any.
func (s *Server) local(m *dns.Msg, z *zone, n *node, qtype uint16) (chase string) {
	if n == nil {
		m.Rcode = dns.RcodeNameError
		m.Ns = []dns.RR{z.soa}
		return ""
	}
	if cn := n.sets[dns.TypeCNAME]; cn != nil {
		picked := cn.pick(s.rnd, nil)
		if len(picked) > 0 {
			m.Answer = append(m.Answer, picked[0].rr)
			if qtype == dns.TypeCNAME || qtype == dns.TypeANY {
				return ""
			}
			return strings.ToLower(picked[0].rr.(*dns.CNAME).Target)
		}
	}
	before := len(m.Answer)
	if qtype == dns.TypeANY {
		for _, rt := range []uint16{dns.TypeSOA, dns.TypeNS, dns.TypeA, dns.TypeAAAA, dns.TypeSRV} {
			addSet(m, n.sets[rt], s.rnd)
		}
	} else {
		addSet(m, n.sets[qtype], s.rnd)
	}
	if len(m.Answer) == before {
		// NODATA: the name exists, the type does not.
		m.Ns = []dns.RR{z.soa}
	}
	return ""
}

func addSet(m *dns.Msg, set *rrset, rnd func(int) int) {
	if set == nil {
		return
	}
	for _, e := range set.pick(rnd, nil) {
		m.Answer = append(m.Answer, e.rr)
		m.Extra = append(m.Extra, e.extra...)
	}
}

// chase resolves a CNAME target outside every zone through the upstreams,
// as the recursive resolver the client takes this server for would. When
// that fails the client gets the CNAME alone and may chase it itself.
func (s *Server) chase(m *dns.Msg, target string, qtype uint16) {
	if s.fwd == nil || qtype == dns.TypeCNAME {
		return
	}
	up, err := s.fwd.resolve(s.ctx, target, qtype, dns.ClassINET, false, false)
	if err != nil {
		s.log.Debug("dns: chasing CNAME failed", "qname", target, "qtype", dns.TypeToString[qtype], "err", err)
		return
	}
	m.Answer = append(m.Answer, up.Answer...)
	if up.Rcode == dns.RcodeNameError || len(up.Answer) == 0 {
		m.Rcode = up.Rcode
		m.Ns = append(m.Ns, withoutOPT(up.Ns)...)
	}
}

// forward answers a name outside every zone from the upstreams: REFUSED
// when there are none, SERVFAIL when none answers.
func (s *Server) forward(w dns.ResponseWriter, req *dns.Msg) {
	if s.fwd == nil {
		s.write(w, req, rcode(req, dns.RcodeRefused))
		return
	}
	q := req.Question[0]
	do, cd := false, req.CheckingDisabled
	if opt := req.IsEdns0(); opt != nil {
		do = opt.Do()
	}
	up, err := s.fwd.resolve(s.ctx, q.Name, q.Qtype, q.Qclass, do, cd)
	if err != nil {
		s.log.Debug("dns: forwarding failed", "qname", q.Name, "qtype", dns.TypeToString[q.Qtype], "err", err)
		s.write(w, req, rcode(req, dns.RcodeServerFailure))
		return
	}
	m := reply(req)
	m.Rcode = up.Rcode
	m.Authoritative = up.Authoritative
	m.AuthenticatedData = up.AuthenticatedData
	// The upstream answer is shared by every query that joined the same
	// exchange: copy the sections, never the records' contents.
	m.Answer = append([]dns.RR(nil), up.Answer...)
	m.Ns = append([]dns.RR(nil), up.Ns...)
	m.Extra = withoutOPT(up.Extra)
	if m.Rcode > 0xF && req.IsEdns0() == nil {
		m = rcode(req, dns.RcodeServerFailure) // extended rcodes need EDNS0
	}
	s.write(w, req, m)
}

// write sends m sized for the transport: the client's EDNS0 buffer size
// (at most udpSize, at least 512) over UDP, where anything bigger is
// truncated with TC set so the client retries over TCP; up to 64 KiB over
// TCP. Recursion is available when there are upstreams.
func (s *Server) write(w dns.ResponseWriter, req, m *dns.Msg) {
	m.RecursionAvailable = s.fwd != nil
	size := dns.MinMsgSize
	if opt := req.IsEdns0(); opt != nil {
		m.SetEdns0(udpSize, false)
		size = min(max(int(opt.UDPSize()), dns.MinMsgSize), udpSize)
	}
	if _, tcp := w.RemoteAddr().(*net.TCPAddr); tcp {
		size = dns.MaxMsgSize
	}
	m.Truncate(size)
	if err := w.WriteMsg(m); err != nil {
		s.log.Debug("dns: writing reply failed", "remote", w.RemoteAddr().String(), "err", err)
	}
}

// reply starts the reply to req.
func reply(req *dns.Msg) *dns.Msg {
	return new(dns.Msg).SetReply(req)
}

// rcode is an empty reply with the given response code.
func rcode(req *dns.Msg, code int) *dns.Msg {
	m := new(dns.Msg)
	m.SetRcode(req, code)
	if req.Opcode != dns.OpcodeQuery {
		m.Question = nil // the question of an unknown opcode may mean anything
	}
	return m
}

func countOPT(req *dns.Msg) int {
	n := 0
	for _, rr := range req.Extra {
		if rr.Header().Rrtype == dns.TypeOPT {
			n++
		}
	}
	return n
}

func withoutOPT(rrs []dns.RR) []dns.RR {
	out := make([]dns.RR, 0, len(rrs))
	for _, rr := range rrs {
		if rr.Header().Rrtype != dns.TypeOPT {
			out = append(out, rr)
		}
	}
	return out
}
