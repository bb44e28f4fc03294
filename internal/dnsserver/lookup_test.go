package dnsserver

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

const soaLine = "internal.svc. 15 IN SOA ns1.internal.svc. hostmaster.internal.svc. 1 7200 900 1209600 15"

func hostsA(prefix string, n int, healthy bool) []Instance {
	var out []Instance
	for i := 1; i <= n; i++ {
		out = append(out, Instance{ID: fmt.Sprintf("%s%d", prefix, i), IPv4: fmt.Sprintf("10.0.4.%d", i), Healthy: healthy})
	}
	return out
}

// fixture is the snapshot most tests query.
func fixture() Snapshot {
	a := func(ttl uint32) []RecordSpec { return []RecordSpec{{Type: TypeA, TTL: ttl}} }
	return Snapshot{
		Zones: []Zone{{
			Name:   "Internal.SVC", // normalised to internal.svc.
			SOATTL: 15,
			Services: []Service{
				{Name: "worker", Routing: RoutingMultivalue, Records: a(60), Instances: []Instance{
					{ID: "w1", IPv4: "10.0.0.1", Healthy: true},
					{ID: "w2", IPv4: "10.0.0.2", Healthy: true},
					{ID: "w3", IPv4: "10.0.0.3", Healthy: false},
				}},
				{Name: "dual", Records: []RecordSpec{{Type: TypeA, TTL: 30}, {Type: TypeAAAA, TTL: 30}}, Instances: []Instance{
					{ID: "d1", IPv4: "10.0.1.1", IPv6: "fd00::1", Healthy: true},
				}},
				{Name: "api", Routing: RoutingMultivalue, Records: []RecordSpec{{Type: TypeSRV, TTL: 10}}, Instances: []Instance{
					{ID: "a1", IPv4: "10.0.2.1", Port: 8080, Healthy: true},
					{ID: "A2", IPv4: "10.0.2.2", IPv6: "fd00::2", Port: 8081, Healthy: true},
					{ID: "a3", IPv4: "10.0.2.3", Port: 8082, Healthy: false},
				}},
				{Name: "sick", Records: a(60), Instances: []Instance{
					{ID: "s1", IPv4: "10.0.3.1"},
					{ID: "s2", IPv4: "10.0.3.2"},
				}},
				{Name: "many", Records: a(60), Instances: append(hostsA("m", 20, true), Instance{ID: "mx", IPv4: "10.0.4.99"})},
				{Name: "sickmany", Records: a(60), Instances: hostsA("sm", 12, false)},
				{Name: "one", Routing: RoutingWeighted, Records: a(60), Instances: []Instance{
					{ID: "o1", IPv4: "10.0.5.1", Healthy: true},
					{ID: "o2", IPv4: "10.0.5.2", Healthy: true},
					{ID: "o3", IPv4: "10.0.5.3", Healthy: false},
				}},
				{Name: "alias", Routing: RoutingWeighted, Records: []RecordSpec{{Type: TypeCNAME, TTL: 300}}, Instances: []Instance{
					{ID: "c1", CNAME: "worker.internal.svc", Healthy: true},
				}},
				{Name: "toalb", Routing: RoutingWeighted, Records: []RecordSpec{{Type: TypeCNAME, TTL: 300}}, Instances: []Instance{
					{ID: "c1", CNAME: "my-alb.elb.local.", Healthy: true},
				}},
				{Name: "empty", Records: a(60)},
				{Name: "_http._tcp", Records: []RecordSpec{{Type: TypeSRV, TTL: 5}}, Instances: []Instance{
					{ID: "h1", IPv4: "10.0.6.1", Port: 80, Healthy: true},
				}},
			},
		}},
		Static: map[string][]string{
			"my-alb.elb.local": {"192.0.2.10"},
			"gw.internal.svc.": {"10.0.0.254", "fd00::254"},
		},
	}
}

func TestLookup(t *testing.T) {
	snap := fixture()
	// Rand always 0: WEIGHTED takes the first healthy record, MULTIVALUE
	// the first eight.
	_, addr := startServer(t, Options{Rand: func(int) int { return 0 }}, &snap)

	soa := []string{rr(t, soaLine)}
	m8 := []string{}
	for i := 1; i <= 8; i++ {
		m8 = append(m8, rr(t, fmt.Sprintf("many.internal.svc. 60 IN A 10.0.4.%d", i)))
	}
	slices.Sort(m8)
	sm8 := []string{}
	for i := 1; i <= 8; i++ {
		sm8 = append(sm8, rr(t, fmt.Sprintf("sickmany.internal.svc. 60 IN A 10.0.4.%d", i)))
	}
	slices.Sort(sm8)

	tests := []struct {
		name   string
		qname  string
		qtype  uint16
		rcode  int
		answer []string
		ns     []string
		extra  []string
	}{
		{name: "A multivalue healthy only", qname: "worker.internal.svc.", qtype: dns.TypeA,
			answer: rrStrings(t, "worker.internal.svc. 60 IN A 10.0.0.1", "worker.internal.svc. 60 IN A 10.0.0.2")},
		{name: "case-insensitive", qname: "WoRkEr.InTeRnAl.SvC.", qtype: dns.TypeA,
			answer: rrStrings(t, "worker.internal.svc. 60 IN A 10.0.0.1", "worker.internal.svc. 60 IN A 10.0.0.2")},
		{name: "AAAA of an A-only service is NODATA", qname: "worker.internal.svc.", qtype: dns.TypeAAAA, ns: soa},
		{name: "A of A+AAAA", qname: "dual.internal.svc.", qtype: dns.TypeA,
			answer: rrStrings(t, "dual.internal.svc. 30 IN A 10.0.1.1")},
		{name: "AAAA of A+AAAA", qname: "dual.internal.svc.", qtype: dns.TypeAAAA,
			answer: rrStrings(t, "dual.internal.svc. 30 IN AAAA fd00::1")},
		{name: "TXT is NODATA", qname: "dual.internal.svc.", qtype: dns.TypeTXT, ns: soa},
		{name: "SRV with targets in Additional", qname: "api.internal.svc.", qtype: dns.TypeSRV,
			answer: rrStrings(t,
				"api.internal.svc. 10 IN SRV 1 1 8080 a1.api.internal.svc.",
				"api.internal.svc. 10 IN SRV 1 1 8081 a2.api.internal.svc."),
			extra: rrStrings(t,
				"a1.api.internal.svc. 10 IN A 10.0.2.1",
				"a2.api.internal.svc. 10 IN A 10.0.2.2",
				"a2.api.internal.svc. 10 IN AAAA fd00::2")},
		{name: "A of an SRV-only service is NODATA", qname: "api.internal.svc.", qtype: dns.TypeA, ns: soa},
		{name: "SRV target A", qname: "a2.api.internal.svc.", qtype: dns.TypeA,
			answer: rrStrings(t, "a2.api.internal.svc. 10 IN A 10.0.2.2")},
		{name: "SRV target AAAA", qname: "A2.api.internal.svc.", qtype: dns.TypeAAAA,
			answer: rrStrings(t, "a2.api.internal.svc. 10 IN AAAA fd00::2")},
		{name: "SRV target without IPv6 is NODATA", qname: "a1.api.internal.svc.", qtype: dns.TypeAAAA, ns: soa},
		{name: "unhealthy SRV target still resolves", qname: "a3.api.internal.svc.", qtype: dns.TypeA,
			answer: rrStrings(t, "a3.api.internal.svc. 10 IN A 10.0.2.3")},
		{name: "none healthy: unhealthy records", qname: "sick.internal.svc.", qtype: dns.TypeA,
			answer: rrStrings(t, "sick.internal.svc. 60 IN A 10.0.3.1", "sick.internal.svc. 60 IN A 10.0.3.2")},
		{name: "multivalue capped at 8", qname: "many.internal.svc.", qtype: dns.TypeA, answer: m8},
		{name: "none healthy: capped at 8 too", qname: "sickmany.internal.svc.", qtype: dns.TypeA, answer: sm8},
		{name: "weighted: one healthy record", qname: "one.internal.svc.", qtype: dns.TypeA,
			answer: rrStrings(t, "one.internal.svc. 60 IN A 10.0.5.1")},
		{name: "CNAME", qname: "alias.internal.svc.", qtype: dns.TypeCNAME,
			answer: rrStrings(t, "alias.internal.svc. 300 IN CNAME worker.internal.svc.")},
		{name: "CNAME chased inside the zone", qname: "alias.internal.svc.", qtype: dns.TypeA,
			answer: rrStrings(t, "alias.internal.svc. 300 IN CNAME worker.internal.svc.",
				"worker.internal.svc. 60 IN A 10.0.0.1", "worker.internal.svc. 60 IN A 10.0.0.2")},
		{name: "CNAME chased, target NODATA", qname: "alias.internal.svc.", qtype: dns.TypeAAAA,
			answer: rrStrings(t, "alias.internal.svc. 300 IN CNAME worker.internal.svc."), ns: soa},
		{name: "CNAME chased to a static name", qname: "toalb.internal.svc.", qtype: dns.TypeA,
			answer: rrStrings(t, "toalb.internal.svc. 300 IN CNAME my-alb.elb.local.", "my-alb.elb.local. 60 IN A 192.0.2.10")},
		{name: "service without instances is NODATA", qname: "empty.internal.svc.", qtype: dns.TypeA, ns: soa},
		{name: "SRV service with two labels", qname: "_http._tcp.internal.svc.", qtype: dns.TypeSRV,
			answer: rrStrings(t, "_http._tcp.internal.svc. 5 IN SRV 1 1 80 h1._http._tcp.internal.svc."),
			extra:  rrStrings(t, "h1._http._tcp.internal.svc. 5 IN A 10.0.6.1")},
		{name: "empty non-terminal is NODATA", qname: "_tcp.internal.svc.", qtype: dns.TypeA, ns: soa},
		{name: "NXDOMAIN with SOA", qname: "nope.internal.svc.", qtype: dns.TypeA, rcode: dns.RcodeNameError, ns: soa},
		{name: "NXDOMAIN below a service", qname: "x.worker.internal.svc.", qtype: dns.TypeA, rcode: dns.RcodeNameError, ns: soa},
		{name: "NXDOMAIN below an SRV target", qname: "x.a1.api.internal.svc.", qtype: dns.TypeSRV, rcode: dns.RcodeNameError, ns: soa},
		{name: "apex SOA", qname: "internal.svc.", qtype: dns.TypeSOA, answer: soa},
		{name: "apex NS", qname: "INTERNAL.svc.", qtype: dns.TypeNS,
			answer: rrStrings(t, "internal.svc. 15 IN NS ns1.internal.svc.")},
		{name: "apex A is NODATA", qname: "internal.svc.", qtype: dns.TypeA, ns: soa},
		{name: "ANY", qname: "worker.internal.svc.", qtype: dns.TypeANY,
			answer: rrStrings(t, "worker.internal.svc. 60 IN A 10.0.0.1", "worker.internal.svc. 60 IN A 10.0.0.2")},
		{name: "static name inside a zone, A", qname: "gw.internal.svc.", qtype: dns.TypeA,
			answer: rrStrings(t, "gw.internal.svc. 60 IN A 10.0.0.254")},
		{name: "static name inside a zone, AAAA", qname: "gw.internal.svc.", qtype: dns.TypeAAAA,
			answer: rrStrings(t, "gw.internal.svc. 60 IN AAAA fd00::254")},
		{name: "static name outside the zones", qname: "My-Alb.elb.local.", qtype: dns.TypeA,
			answer: rrStrings(t, "my-alb.elb.local. 60 IN A 192.0.2.10")},
		{name: "static name outside the zones, AAAA is NODATA with SOA", qname: "my-alb.elb.local.", qtype: dns.TypeAAAA,
			ns: rrStrings(t, "my-alb.elb.local. 60 IN SOA ns1.my-alb.elb.local. hostmaster.my-alb.elb.local. 1 7200 900 1209600 60")},
		{name: "below a static name is not ours", qname: "x.my-alb.elb.local.", qtype: dns.TypeA, rcode: dns.RcodeRefused},
		{name: "outside every zone without upstreams", qname: "example.com.", qtype: dns.TypeA, rcode: dns.RcodeRefused},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, network := range []string{"udp", "tcp"} {
				m := exchange(t, network, addr, new(dns.Msg).SetQuestion(tc.qname, tc.qtype))
				if m.Rcode != tc.rcode {
					t.Fatalf("%s: rcode %s, want %s", network, dns.RcodeToString[m.Rcode], dns.RcodeToString[tc.rcode])
				}
				if m.Question[0].Name != tc.qname {
					t.Errorf("%s: question %q, want the client's %q", network, m.Question[0].Name, tc.qname)
				}
				wantAA := tc.rcode != dns.RcodeRefused
				if m.Authoritative != wantAA || m.Truncated {
					t.Errorf("%s: AA=%v TC=%v, want AA=%v TC=false", network, m.Authoritative, m.Truncated, wantAA)
				}
				diffSection(t, network+" answer", m.Answer, tc.answer)
				diffSection(t, network+" authority", m.Ns, tc.ns)
				diffSection(t, network+" additional", m.Extra, tc.extra)
			}
		})
	}
}

// TestRouting checks the policies with the default random source.
func TestRouting(t *testing.T) {
	snap := fixture()
	_, addr := startServer(t, Options{}, &snap)

	t.Run("WEIGHTED picks one random healthy record", func(t *testing.T) {
		seen := map[string]int{}
		for range 100 {
			m := query(t, addr, "one.internal.svc.", dns.TypeA)
			if len(m.Answer) != 1 {
				t.Fatalf("%d records, want 1", len(m.Answer))
			}
			seen[m.Answer[0].(*dns.A).A.String()]++
		}
		if len(seen) != 2 || seen["10.0.5.3"] != 0 {
			t.Errorf("picked %v, want both healthy 10.0.5.1 and 10.0.5.2 and never 10.0.5.3", seen)
		}
	})
	t.Run("MULTIVALUE returns 8 distinct healthy records, shuffled", func(t *testing.T) {
		orders := map[string]bool{}
		for range 50 {
			m := query(t, addr, "many.internal.svc.", dns.TypeA)
			if len(m.Answer) != maxMultivalue {
				t.Fatalf("%d records, want %d", len(m.Answer), maxMultivalue)
			}
			var order string
			seen := map[string]bool{}
			for _, r := range m.Answer {
				ip := r.(*dns.A).A.String()
				if ip == "10.0.4.99" || seen[ip] {
					t.Fatalf("unhealthy or duplicate record %s in %v", ip, m.Answer)
				}
				seen[ip] = true
				order += ip + " "
			}
			orders[order] = true
		}
		if len(orders) < 10 {
			t.Errorf("only %d different answers in 50 queries", len(orders))
		}
	})
}

// TestProtocol covers odd messages: they get an error code, never a crash.
func TestProtocol(t *testing.T) {
	snap := fixture()
	_, addr := startServer(t, Options{}, &snap)

	q := func(name string, qtype uint16) *dns.Msg { return new(dns.Msg).SetQuestion(name, qtype) }
	tests := []struct {
		name  string
		msg   func() *dns.Msg
		rcode int
	}{
		{"CHAOS class", func() *dns.Msg {
			m := q("version.bind.", dns.TypeTXT)
			m.Question[0].Qclass = dns.ClassCHAOS
			return m
		}, dns.RcodeNotImplemented},
		{"class ANY is answered as IN", func() *dns.Msg {
			m := q("worker.internal.svc.", dns.TypeA)
			m.Question[0].Qclass = dns.ClassANY
			return m
		}, dns.RcodeSuccess},
		{"NOTIFY", func() *dns.Msg { return new(dns.Msg).SetNotify("internal.svc.") }, dns.RcodeNotImplemented},
		{"UPDATE", func() *dns.Msg { return new(dns.Msg).SetUpdate("internal.svc.") }, dns.RcodeNotImplemented},
		{"AXFR", func() *dns.Msg { return q("internal.svc.", dns.TypeAXFR) }, dns.RcodeRefused},
		{"EDNS version 1", func() *dns.Msg {
			m := q("worker.internal.svc.", dns.TypeA)
			m.SetEdns0(1232, false)
			m.IsEdns0().SetVersion(1)
			return m
		}, dns.RcodeBadVers},
		{"two OPT records", func() *dns.Msg {
			m := q("worker.internal.svc.", dns.TypeA)
			m.SetEdns0(1232, false)
			m.SetEdns0(1232, false)
			return m
		}, dns.RcodeFormatError},
		{"qtype OPT", func() *dns.Msg { return q("worker.internal.svc.", dns.TypeOPT) }, dns.RcodeFormatError},
		{"EDNS query", func() *dns.Msg { return q("worker.internal.svc.", dns.TypeA).SetEdns0(4096, true) }, dns.RcodeSuccess},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.msg()
			m := exchange(t, "udp", addr, req)
			if m.Rcode != tc.rcode {
				t.Fatalf("rcode %s, want %s", dns.RcodeToString[m.Rcode], dns.RcodeToString[tc.rcode])
			}
			if m.Id != req.Id || !m.Response {
				t.Errorf("id %d response %v, want id %d response true", m.Id, m.Response, req.Id)
			}
			if req.IsEdns0() != nil && tc.rcode != dns.RcodeFormatError {
				opt := m.IsEdns0()
				if opt == nil || opt.UDPSize() != udpSize || opt.Do() {
					t.Errorf("reply OPT %v, want one advertising %d without DO", opt, udpSize)
				}
			}
		})
	}

	t.Run("handler alone copes with zero questions", func(t *testing.T) {
		s := New(Options{NoForward: true, Logger: discardLogger()})
		w := udpWriter()
		s.ServeDNS(w, &dns.Msg{MsgHdr: dns.MsgHdr{Id: 7}})
		if w.msg == nil || w.msg.Rcode != dns.RcodeFormatError || w.msg.Id != 7 {
			t.Fatalf("reply %v, want FORMERR", w.msg)
		}
		w = udpWriter()
		s.ServeDNS(w, &dns.Msg{MsgHdr: dns.MsgHdr{Response: true}})
		if w.msg != nil {
			t.Fatalf("replied %v to a response", w.msg)
		}
	})
}

func TestUpdateReportsSkippedEntries(t *testing.T) {
	s := New(Options{NoForward: true, Logger: discardLogger()})
	err := s.Update(Snapshot{
		Zones: []Zone{
			{Name: "z.test.", SOATTL: 5, Services: []Service{
				{Name: "ok", Records: []RecordSpec{{Type: TypeA, TTL: 1}}, Instances: []Instance{
					{ID: "i1", IPv4: "10.1.1.1", Healthy: true},
					{ID: "i2", IPv4: "not-an-ip", Healthy: true},
					{ID: "i3", IPv4: "fd00::1", Healthy: true},
				}},
				{Name: "OK", Records: []RecordSpec{{Type: TypeA, TTL: 1}}},
				{Name: "bad", Records: []RecordSpec{{Type: "MX", TTL: 1}}},
			}},
			{Name: "Z.test", SOATTL: 5},
		},
		Static: map[string][]string{"ok.z.test.": {"10.9.9.9"}, "s.test.": {"bogus"}},
	})
	if err == nil {
		t.Fatal("no error for invalid entries")
	}
	for _, want := range []string{`"not-an-ip"`, `"fd00::1"`, `duplicate name`, `"MX"`, `zone "z.test.": duplicate`, `"bogus"`, `already has records`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	// The valid part is served.
	w := udpWriter()
	s.ServeDNS(w, new(dns.Msg).SetQuestion("ok.z.test.", dns.TypeA))
	diffSection(t, "answer", w.msg.Answer, rrStrings(t, "ok.z.test. 1 IN A 10.1.1.1"))
}

func TestRRSetPick(t *testing.T) {
	mk := func(n int) []entry {
		var out []entry
		for i := range n {
			out = append(out, entry{rr: newA("x.", 1, netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}))})
		}
		return out
	}
	tests := []struct {
		name      string
		set       rrset
		want      int
		unhealthy bool
	}{
		{"multi under cap", rrset{policy: policyMulti, healthy: mk(3), unhealthy: mk(2)}, 3, false},
		{"multi over cap", rrset{policy: policyMulti, healthy: mk(30)}, 8, false},
		{"multi fallback", rrset{policy: policyMulti, unhealthy: mk(9)}, 8, true},
		{"weighted", rrset{policy: policyWeighted, healthy: mk(5), unhealthy: mk(5)}, 1, false},
		{"weighted fallback", rrset{policy: policyWeighted, unhealthy: mk(5)}, 1, true},
		{"all", rrset{policy: policyAll, healthy: mk(20)}, 20, false},
		{"empty", rrset{policy: policyMulti}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.set.pick(func(n int) int { return n - 1 }, nil)
			if len(got) != tc.want {
				t.Fatalf("%d entries, want %d", len(got), tc.want)
			}
			pool := tc.set.healthy
			if tc.unhealthy {
				pool = tc.set.unhealthy
			}
			for _, e := range got {
				if !slices.ContainsFunc(pool, func(p entry) bool { return p.rr == e.rr }) {
					t.Errorf("entry %v not from the expected pool", e.rr)
				}
			}
		})
	}
}
