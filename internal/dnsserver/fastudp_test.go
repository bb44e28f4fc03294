package dnsserver

import (
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// A burst of queries, sent without waiting so that the server reads them
// in batches, gets one reply each: those the fast path takes and those it
// leaves to ServeDNS (EDNS0 options, ANY, names to forward) alike.
func TestFastReaderBurst(t *testing.T) {
	snap := fixture()
	_, addr := startServer(t, Options{}, &snap)
	conn, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	type want struct {
		rcode, answers int
	}
	kinds := []struct {
		query func() *dns.Msg
		want  want
	}{
		{func() *dns.Msg { return new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA) }, want{dns.RcodeSuccess, 2}},
		{func() *dns.Msg {
			m := new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA)
			m.SetEdns0(1232, false)
			m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_COOKIE{Code: dns.EDNS0COOKIE, Cookie: "0123456789abcdef"}}
			return m
		}, want{dns.RcodeSuccess, 2}},
		{func() *dns.Msg { return new(dns.Msg).SetQuestion("api.internal.svc.", dns.TypeSRV) }, want{dns.RcodeSuccess, 2}},
		{func() *dns.Msg { return new(dns.Msg).SetQuestion("dual.internal.svc.", dns.TypeANY) }, want{dns.RcodeSuccess, 2}},
		{func() *dns.Msg { return new(dns.Msg).SetQuestion("nope.internal.svc.", dns.TypeA) }, want{dns.RcodeNameError, 0}},
		{func() *dns.Msg { return new(dns.Msg).SetQuestion("example.com.", dns.TypeA) }, want{dns.RcodeRefused, 0}},
	}
	// Rounds small enough for the sockets' buffers: UDP drops what
	// overflows them.
	const rounds, n = 5, 48
	buf := make([]byte, 4096)
	for round := range rounds {
		wants := map[uint16]want{}
		for i := range n {
			k := kinds[i%len(kinds)]
			m := k.query()
			m.Id = uint16(round*n + i + 1)
			pkt, err := m.Pack()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Write(pkt); err != nil {
				t.Fatal(err)
			}
			wants[m.Id] = k.want
		}
		for range n {
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			k, err := conn.Read(buf)
			if err != nil {
				t.Fatalf("round %d: %d replies missing: %v", round, len(wants), err)
			}
			var r dns.Msg
			if err := r.Unpack(buf[:k]); err != nil {
				t.Fatalf("reply does not parse: %v", err)
			}
			w, ok := wants[r.Id]
			if !ok {
				t.Fatalf("reply to no query, or a second one: %v", &r)
			}
			delete(wants, r.Id)
			if r.Rcode != w.rcode || len(r.Answer) != w.answers {
				t.Errorf("query %d: %s with %d answers, want %s with %d", r.Id, dns.RcodeToString[r.Rcode], len(r.Answer),
					dns.RcodeToString[w.rcode], w.answers)
			}
		}
	}
}

// The fast reader of an IPv6 socket answers as the IPv4 one does.
func TestFastReaderIPv6(t *testing.T) {
	if pc, err := net.ListenPacket("udp", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	} else {
		pc.Close()
	}
	snap := fixture()
	_, addr := startServer(t, Options{Addrs: []string{"[::1]:0"}}, &snap)
	r := query(t, addr, "worker.internal.svc.", dns.TypeA)
	diffSection(t, "answer", r.Answer, rrStrings(t,
		"worker.internal.svc. 60 IN A 10.0.0.1", "worker.internal.svc. 60 IN A 10.0.0.2"))
	if r := query(t, addr, "example.com.", dns.TypeA); r.Rcode != dns.RcodeRefused {
		t.Errorf("forwarded name without upstreams: %s, want REFUSED", dns.RcodeToString[r.Rcode])
	}
}
