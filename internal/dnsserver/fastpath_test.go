package dnsserver

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/miekg/dns"
)

// replayRand is an Options.Rand whose sequence restarts on reset, so that
// the fast path and ServeDNS shuffle one query the same way.
type replayRand struct{ r *rand.Rand }

func (p *replayRand) reset()         { p.r = rand.New(rand.NewPCG(1, 2)) }
func (p *replayRand) intN(n int) int { return p.r.IntN(n) }

// fastFixture is fixture() plus an SRV service whose answer does not fit
// in 512 bytes.
func fastFixture() Snapshot {
	snap := fixture()
	var big []Instance
	for i := range 4 {
		big = append(big, Instance{ID: fmt.Sprintf("big-instance-%d", i), IPv4: fmt.Sprintf("10.0.7.%d", i),
			IPv6: fmt.Sprintf("fd00::7:%d", i), Port: 9000, Healthy: true})
	}
	snap.Zones[0].Services = append(snap.Zones[0].Services,
		Service{Name: "big", Records: []RecordSpec{{Type: TypeSRV, TTL: 10}}, Instances: big})
	return snap
}

// fastServer is a server with fastFixture loaded, not started; with
// forwarding, its forwarder only sets RA (the fast path never forwards).
func fastServer(t testing.TB, forwarding bool) (*Server, *replayRand) {
	t.Helper()
	rnd := &replayRand{}
	rnd.reset()
	s := New(Options{NoForward: true, Logger: discardLogger(), Rand: rnd.intN})
	if err := s.Update(fastFixture()); err != nil {
		t.Fatal(err)
	}
	if forwarding {
		s.fwd = newForwarder([]string{closedPort(t)}, defaultForwardTimeout, defaultForwardBudget, s.log)
	}
	return s, rnd
}

// viaHandler is what ServeDNS sends for pkt over UDP, packed, as miekg
// would serve it.
func viaHandler(t testing.TB, s *Server, pkt []byte) []byte {
	t.Helper()
	req := new(dns.Msg)
	if err := req.Unpack(pkt); err != nil {
		t.Fatalf("the fast path answered a query miekg cannot unpack (%v): %x", err, pkt)
	}
	w := &packWriter{fakeWriter: *udpWriter()}
	s.ServeDNS(w, req)
	if w.buf == nil {
		t.Fatalf("ServeDNS sent nothing for %x", pkt)
	}
	return w.buf
}

// viaFast is the fast path's reply to pkt, nil when it declines.
func viaFast(s *Server, pkt []byte) []byte {
	var a fastAnswer
	reply, ok := s.answer(&a, s.table.Load().forLocal(udpWriter().LocalAddr()), pkt)
	if !ok {
		return nil
	}
	return bytes.Clone(reply)
}

// sameReply fails t unless the fast path's reply and the handler's are
// the same message, section by section, and the same bytes.
func sameReply(t *testing.T, fast, handler []byte) {
	t.Helper()
	var f, h dns.Msg
	if err := f.Unpack(fast); err != nil {
		t.Fatalf("fast path reply does not parse: %v", err)
	}
	if err := h.Unpack(handler); err != nil {
		t.Fatalf("handler reply does not parse: %v", err)
	}
	if f.String() != h.String() {
		t.Errorf("fast path:\n%s\nhandler:\n%s", &f, &h)
	}
	if !bytes.Equal(fast, handler) {
		t.Errorf("bytes differ:\nfast    %x\nhandler %x", fast, handler)
	}
}

type fastCase struct {
	name  string
	qtype uint16
	edns  uint16 // the client's UDP size; 0: no OPT
	rd    bool
	cd    bool
}

func (c fastCase) pack(t testing.TB) []byte {
	t.Helper()
	m := new(dns.Msg).SetQuestion(c.name, c.qtype)
	m.Id = 0xBEEF
	m.RecursionDesired, m.CheckingDisabled = c.rd, c.cd
	if c.edns != 0 {
		m.SetEdns0(c.edns, false)
	}
	pkt, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return pkt
}

// The fast path answers the common queries exactly as ServeDNS does.
func TestFastPathAnswersAsHandler(t *testing.T) {
	cases := []fastCase{
		{name: "worker.internal.svc.", qtype: dns.TypeA, rd: true},
		{name: "WoRkEr.InTeRnAl.SvC.", qtype: dns.TypeA},
		{name: "dual.internal.svc.", qtype: dns.TypeAAAA, cd: true},
		{name: "api.internal.svc.", qtype: dns.TypeSRV},
		{name: "API.internal.svc.", qtype: dns.TypeSRV, edns: 4096},
		{name: "_http._tcp.internal.svc.", qtype: dns.TypeSRV},
		{name: "big.internal.svc.", qtype: dns.TypeSRV, edns: 1232},
		{name: "a2.api.internal.svc.", qtype: dns.TypeAAAA},
		{name: "alias.internal.svc.", qtype: dns.TypeCNAME},
		{name: "toalb.internal.svc.", qtype: dns.TypeCNAME, edns: 512},
		{name: "nope.internal.svc.", qtype: dns.TypeA},                  // NXDOMAIN
		{name: "deep.nope.internal.svc.", qtype: dns.TypeA, edns: 1232}, // NXDOMAIN
		{name: "worker.internal.svc.", qtype: dns.TypeAAAA},             // NODATA
		{name: "empty.internal.svc.", qtype: dns.TypeA},                 // NODATA
		{name: "_tcp.internal.svc.", qtype: dns.TypeSRV},                // empty non-terminal
		{name: "worker.internal.svc.", qtype: dns.TypeTXT},              // NODATA
		{name: "many.internal.svc.", qtype: dns.TypeA},                  // 8 of 20 healthy
		{name: "sickmany.internal.svc.", qtype: dns.TypeA, edns: 1232},  // 8 of 12 unhealthy
		{name: "sick.internal.svc.", qtype: dns.TypeA},
		{name: "one.internal.svc.", qtype: dns.TypeA},
		{name: "internal.svc.", qtype: dns.TypeSOA},
		{name: "internal.svc.", qtype: dns.TypeNS},
		{name: "my-alb.elb.local.", qtype: dns.TypeA},
		{name: "my-alb.elb.local.", qtype: dns.TypeAAAA}, // NODATA in an exact zone
		{name: "gw.internal.svc.", qtype: dns.TypeAAAA},
	}
	for _, forwarding := range []bool{false, true} {
		s, rnd := fastServer(t, forwarding)
		for _, c := range cases {
			t.Run(fmt.Sprintf("forwarding=%v/%s/%s/edns=%d", forwarding, c.name, dns.TypeToString[c.qtype], c.edns), func(t *testing.T) {
				pkt := c.pack(t)
				for range 5 { // several shuffles
					rnd.reset()
					fast := viaFast(s, pkt)
					if fast == nil {
						t.Fatal("fast path declined")
					}
					rnd.reset()
					sameReply(t, fast, viaHandler(t, s, pkt))
					rnd.intN(1000) // the next round shuffles differently
				}
			})
		}
	}
}

// Whatever the fast path does not know goes to ServeDNS.
func TestFastPathDeclines(t *testing.T) {
	s, _ := fastServer(t, true)
	withOption := func() []byte {
		m := new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA)
		m.SetEdns0(1232, false)
		m.IsEdns0().Option = append(m.IsEdns0().Option, &dns.EDNS0_COOKIE{Code: dns.EDNS0COOKIE, Cookie: "0123456789abcdef"})
		pkt, _ := m.Pack()
		return pkt
	}
	modify := func(c fastCase, f func(m *dns.Msg)) []byte {
		m := new(dns.Msg).SetQuestion(c.name, c.qtype)
		f(m)
		pkt, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		return pkt
	}
	worker := fastCase{name: "worker.internal.svc.", qtype: dns.TypeA}
	tests := map[string][]byte{
		"forwarded name":           fastCase{name: "example.com.", qtype: dns.TypeA}.pack(t),
		"CNAME to follow":          fastCase{name: "alias.internal.svc.", qtype: dns.TypeA}.pack(t),
		"ANY":                      fastCase{name: "worker.internal.svc.", qtype: dns.TypeANY}.pack(t),
		"AXFR":                     fastCase{name: "internal.svc.", qtype: dns.TypeAXFR}.pack(t),
		"too large without EDNS":   fastCase{name: "big.internal.svc.", qtype: dns.TypeSRV}.pack(t),
		"too large for the client": fastCase{name: "big.internal.svc.", qtype: dns.TypeSRV, edns: 600}.pack(t),
		"EDNS0 option":             withOption(),
		"EDNS1":                    modify(worker, func(m *dns.Msg) { m.SetEdns0(1232, false); m.IsEdns0().SetVersion(1) }),
		"class CHAOS":              modify(worker, func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassCHAOS }),
		"class ANY":                modify(worker, func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassANY }),
		"opcode NOTIFY":            modify(worker, func(m *dns.Msg) { m.Opcode = dns.OpcodeNotify }),
		"response":                 modify(worker, func(m *dns.Msg) { m.Response = true }),
		"two questions":            modify(worker, func(m *dns.Msg) { m.Question = append(m.Question, m.Question[0]) }),
		"escaped name":             fastCase{name: `wor\.ker.internal.svc.`, qtype: dns.TypeA}.pack(t),
		"an answer":                modify(worker, func(m *dns.Msg) { m.Answer = []dns.RR{newA("x.", 1, netip.MustParseAddr("10.0.0.1"))} }),
		"short":                    []byte{0xBE, 0xEF, 0, 0},
	}
	tests["trailing bytes"] = append(worker.pack(t), 0)
	full := worker.pack(t)
	tests["truncated question"] = full[:len(full)-2]
	for name, pkt := range tests {
		if reply := viaFast(s, pkt); reply != nil {
			t.Errorf("%s: fast path answered %x", name, reply)
		}
	}
}

// FuzzFastPath: whatever query the fast path answers, ServeDNS answers
// with the same bytes.
//
//	go test -run '^$' -fuzz FastPath -fuzztime 1m ./internal/dnsserver/
func FuzzFastPath(f *testing.F) {
	for _, c := range []fastCase{
		{name: "worker.internal.svc.", qtype: dns.TypeA},
		{name: "Api.internal.svc.", qtype: dns.TypeSRV, edns: 1232},
		{name: "nope.internal.svc.", qtype: dns.TypeAAAA},
		{name: "alias.internal.svc.", qtype: dns.TypeCNAME, rd: true, cd: true},
		{name: "many.internal.svc.", qtype: dns.TypeA, edns: 700},
	} {
		f.Add(c.pack(f))
	}
	s, rnd := fastServer(f, false)
	f.Fuzz(func(t *testing.T, pkt []byte) {
		rnd.reset()
		fast := viaFast(s, pkt)
		if fast == nil {
			return
		}
		be := binary.BigEndian
		h := dns.Header{Id: be.Uint16(pkt), Bits: be.Uint16(pkt[2:]), Qdcount: be.Uint16(pkt[4:]),
			Ancount: be.Uint16(pkt[6:]), Nscount: be.Uint16(pkt[8:]), Arcount: be.Uint16(pkt[10:])}
		if dns.DefaultMsgAcceptFunc(h) != dns.MsgAccept {
			t.Fatalf("answered a query miekg does not pass to the handler: %x", pkt)
		}
		rnd.reset()
		sameReply(t, fast, viaHandler(t, s, pkt))
	})
}
