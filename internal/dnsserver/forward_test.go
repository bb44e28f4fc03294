package dnsserver

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// fakeUpstream answers a few names the way a recursive resolver would and
// counts the queries it sees by name.
type fakeUpstream struct {
	mu     sync.Mutex
	counts map[string]int
	sawDO  atomic.Bool
}

func (f *fakeUpstream) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[name]
}

func (f *fakeUpstream) serve(w dns.ResponseWriter, req *dns.Msg) {
	q := req.Question[0]
	q.Name = strings.ToLower(q.Name)
	f.mu.Lock()
	f.counts[q.Name]++
	f.mu.Unlock()
	if opt := req.IsEdns0(); opt != nil && opt.Do() {
		f.sawDO.Store(true)
	}
	m := new(dns.Msg).SetReply(req)
	m.RecursionAvailable = true
	switch q.Name {
	case "example.org.":
		if q.Qtype == dns.TypeA {
			m.Answer = append(m.Answer, &dns.A{Hdr: hdr(q.Name, dns.TypeA, 300), A: []byte{192, 0, 2, 1}})
		}
	case "slow.example.org.":
		time.Sleep(300 * time.Millisecond)
		m.Answer = append(m.Answer, &dns.A{Hdr: hdr(q.Name, dns.TypeA, 300), A: []byte{192, 0, 2, 2}})
	case "big.example.org.":
		if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
			m.Truncated = true // "too big for UDP": the forwarder must retry over TCP
			break
		}
		for i := range 60 {
			m.Answer = append(m.Answer, &dns.TXT{Hdr: hdr(q.Name, dns.TypeTXT, 300), Txt: []string{fmt.Sprintf("record number %02d of a big answer", i)}})
		}
	case "fail.example.org.":
		m.Rcode = dns.RcodeServerFailure
	default:
		m.Rcode = dns.RcodeNameError
		m.Ns = append(m.Ns, newSOA("example.org.", 30, 1))
	}
	_ = w.WriteMsg(m)
}

func startUpstream(t *testing.T) (*fakeUpstream, string) {
	f := &fakeUpstream{counts: map[string]int{}}
	return f, startFake(t, f.serve)
}

func TestForward(t *testing.T) {
	up, upAddr := startUpstream(t)
	snap := Snapshot{Zones: []Zone{{Name: "internal.svc.", SOATTL: 15, Services: []Service{
		{Name: "ext", Routing: RoutingWeighted, Records: []RecordSpec{{Type: TypeCNAME, TTL: 30}}, Instances: []Instance{
			{ID: "e1", CNAME: "example.org", Healthy: true},
		}},
		{Name: "extnx", Routing: RoutingWeighted, Records: []RecordSpec{{Type: TypeCNAME, TTL: 30}}, Instances: []Instance{
			{ID: "e1", CNAME: "nx.example.org", Healthy: true},
		}},
	}}}}
	_, addr := startServer(t, Options{Upstreams: []string{upAddr}, ForwardTimeout: time.Second}, &snap)

	tests := []struct {
		name   string
		qname  string
		qtype  uint16
		rcode  int
		aa     bool
		answer []string
	}{
		{"A passed through", "Example.ORG.", dns.TypeA, dns.RcodeSuccess, false,
			rrStrings(t, "example.org. 300 IN A 192.0.2.1")},
		{"NXDOMAIN passed through", "nx.example.org.", dns.TypeA, dns.RcodeNameError, false, nil},
		{"upstream SERVFAIL", "fail.example.org.", dns.TypeA, dns.RcodeServerFailure, false, nil},
		{"CNAME to an outside name is chased", "ext.internal.svc.", dns.TypeA, dns.RcodeSuccess, true,
			rrStrings(t, "ext.internal.svc. 30 IN CNAME example.org.", "example.org. 300 IN A 192.0.2.1")},
		{"CNAME to an outside NXDOMAIN", "extnx.internal.svc.", dns.TypeA, dns.RcodeNameError, true,
			rrStrings(t, "extnx.internal.svc. 30 IN CNAME nx.example.org.")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := new(dns.Msg).SetQuestion(tc.qname, tc.qtype)
			m := exchange(t, "udp", addr, req)
			if m.Rcode != tc.rcode || m.Authoritative != tc.aa || !m.RecursionAvailable {
				t.Fatalf("rcode %s AA %v RA %v, want %s AA %v RA true",
					dns.RcodeToString[m.Rcode], m.Authoritative, m.RecursionAvailable, dns.RcodeToString[tc.rcode], tc.aa)
			}
			if m.Question[0].Name != tc.qname || m.IsEdns0() != nil {
				t.Errorf("question %q, OPT %v: want the client's question and no OPT", m.Question[0].Name, m.IsEdns0())
			}
			diffSection(t, "answer", m.Answer, tc.answer)
		})
	}

	t.Run("DO bit is passed on", func(t *testing.T) {
		m := exchange(t, "udp", addr, new(dns.Msg).SetQuestion("example.org.", dns.TypeA).SetEdns0(1232, true))
		if m.Rcode != dns.RcodeSuccess || !up.sawDO.Load() || m.IsEdns0() == nil {
			t.Fatalf("rcode %s, upstream saw DO %v, reply OPT %v", dns.RcodeToString[m.Rcode], up.sawDO.Load(), m.IsEdns0())
		}
	})

	t.Run("truncated upstream answer is fetched over TCP", func(t *testing.T) {
		m := exchange(t, "tcp", addr, new(dns.Msg).SetQuestion("big.example.org.", dns.TypeTXT))
		if m.Truncated || len(m.Answer) != 60 {
			t.Fatalf("TC %v, %d records over TCP, want the full 60", m.Truncated, len(m.Answer))
		}
		m = exchange(t, "udp", addr, new(dns.Msg).SetQuestion("big.example.org.", dns.TypeTXT))
		if !m.Truncated || len(m.Answer) >= 60 {
			t.Fatalf("TC %v, %d records over UDP, want a truncated answer", m.Truncated, len(m.Answer))
		}
	})

	t.Run("identical questions in flight share one exchange", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				m := exchange(t, "udp", addr, new(dns.Msg).SetQuestion("slow.example.org.", dns.TypeA))
				if len(m.Answer) != 1 {
					t.Errorf("answer %v", m.Answer)
				}
			})
		}
		wg.Wait()
		if n := up.count("slow.example.org."); n != 1 {
			t.Errorf("upstream asked %d times, want 1", n)
		}
	})
}

func TestForwardFailures(t *testing.T) {
	_, upAddr := startUpstream(t)

	t.Run("upstream down: SERVFAIL", func(t *testing.T) {
		_, addr := startServer(t, Options{Upstreams: []string{closedPort(t)}, ForwardTimeout: 500 * time.Millisecond}, nil)
		start := time.Now()
		m := query(t, addr, "example.org.", dns.TypeA)
		if m.Rcode != dns.RcodeServerFailure {
			t.Fatalf("rcode %s, want SERVFAIL", dns.RcodeToString[m.Rcode])
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("upstream too slow: SERVFAIL within the budget", func(t *testing.T) {
		_, addr := startServer(t, Options{Upstreams: []string{upAddr}, ForwardTimeout: 100 * time.Millisecond, ForwardBudget: 150 * time.Millisecond}, nil)
		start := time.Now()
		m := query(t, addr, "slow.example.org.", dns.TypeA)
		if m.Rcode != dns.RcodeServerFailure {
			t.Fatalf("rcode %s, want SERVFAIL", dns.RcodeToString[m.Rcode])
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("next upstream when the first is down", func(t *testing.T) {
		_, addr := startServer(t, Options{Upstreams: []string{closedPort(t), upAddr}, ForwardTimeout: 500 * time.Millisecond}, nil)
		m := query(t, addr, "example.org.", dns.TypeA)
		diffSection(t, "answer", m.Answer, rrStrings(t, "example.org. 300 IN A 192.0.2.1"))
	})
	t.Run("no upstreams: REFUSED", func(t *testing.T) {
		_, addr := startServer(t, Options{NoForward: true}, nil)
		if m := query(t, addr, "example.org.", dns.TypeA); m.Rcode != dns.RcodeRefused {
			t.Fatalf("rcode %s, want REFUSED", dns.RcodeToString[m.Rcode])
		}
	})
	t.Run("upstream that forwards back to us: the loop ends", func(t *testing.T) {
		// A "host resolver" configured to use this server for everything.
		var self atomic.Value
		var relayed atomic.Int32
		loopAddr := startFake(t, func(w dns.ResponseWriter, req *dns.Msg) {
			relayed.Add(1)
			c := &dns.Client{Timeout: 2 * time.Second}
			r, _, err := c.Exchange(req, self.Load().(string))
			if err != nil {
				r = new(dns.Msg).SetRcode(req, dns.RcodeServerFailure)
			}
			_ = w.WriteMsg(r)
		})
		_, addr := startServer(t, Options{Upstreams: []string{loopAddr}, ForwardTimeout: 300 * time.Millisecond, ForwardBudget: 400 * time.Millisecond}, nil)
		self.Store(addr)
		start := time.Now()
		m := query(t, addr, "loop.example.", dns.TypeA)
		if m.Rcode != dns.RcodeServerFailure {
			t.Fatalf("rcode %s, want SERVFAIL", dns.RcodeToString[m.Rcode])
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
		if n := relayed.Load(); n > 2 {
			t.Errorf("the query went round %d times", n)
		}
	})
}

func TestUpstreamConfig(t *testing.T) {
	t.Run("resolv.conf", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "resolv.conf")
		content := "# generated\nnameserver 127.0.0.53\nnameserver 2001:db8::1\noptions edns0 trust-ad\nsearch example.com\n"
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readResolvConf(path)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"127.0.0.53:53", "[2001:db8::1]:53"}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if _, err := readResolvConf(filepath.Join(t.TempDir(), "missing")); err == nil {
			t.Error("no error for a missing file")
		}
	})

	t.Run("parse", func(t *testing.T) {
		for in, want := range map[string]string{
			"1.1.1.1":            "1.1.1.1:53",
			"1.1.1.1:5353":       "1.1.1.1:5353",
			"::1":                "[::1]:53",
			"[::1]":              "[::1]:53",
			"[2001:db8::1]:5300": "[2001:db8::1]:5300",
			"::ffff:10.0.0.1":    "10.0.0.1:53",
		} {
			ap, err := parseUpstream(in)
			if err != nil || ap.String() != want {
				t.Errorf("%q: got %v, %v; want %s", in, ap, err, want)
			}
		}
		for _, in := range []string{"", "dns.google", "1.1.1.1:x"} {
			if _, err := parseUpstream(in); err == nil {
				t.Errorf("%q: no error", in)
			}
		}
	})

	t.Run("filterSelf", func(t *testing.T) {
		ap := netip.MustParseAddrPort
		local := func() []netip.Addr {
			return []netip.Addr{netip.MustParseAddr("172.18.0.1"), netip.MustParseAddr("10.0.0.5")}
		}
		tests := []struct {
			name  string
			up    string
			bound []string
			self  bool
		}{
			{"systemd-resolved stub is kept", "127.0.0.53:53", []string{"127.0.0.1:53", "172.18.0.1:53"}, false},
			{"same address and port", "127.0.0.1:53", []string{"127.0.0.1:53"}, true},
			{"same address, other port", "127.0.0.1:53", []string{"127.0.0.1:8053"}, false},
			{"gateway listener", "172.18.0.1:53", []string{"127.0.0.1:8053", "172.18.0.1:53"}, true},
			{"wildcard listener, loopback upstream", "127.0.0.53:53", []string{"0.0.0.0:53"}, true},
			{"wildcard listener, local upstream", "10.0.0.5:53", []string{"[::]:53"}, true},
			{"wildcard listener, remote upstream", "10.0.0.6:53", []string{"0.0.0.0:53"}, false},
			{"unspecified upstream", "0.0.0.0:53", []string{"127.0.0.1:53"}, true},
			{"remote upstream", "192.0.2.53:53", []string{"127.0.0.1:53"}, false},
		}
		for _, tc := range tests {
			var bound []netip.AddrPort
			for _, b := range tc.bound {
				bound = append(bound, ap(b))
			}
			kept, dropped := filterSelf([]netip.AddrPort{ap(tc.up)}, bound, local)
			if got := len(dropped) == 1; got != tc.self || len(kept)+len(dropped) != 1 {
				t.Errorf("%s: dropped=%v kept=%v, want self=%v", tc.name, dropped, kept, tc.self)
			}
		}
	})

	t.Run("the server drops itself and keeps the others", func(t *testing.T) {
		s := New(Options{Upstreams: []string{"127.0.0.1:8053", "192.0.2.53"}, Logger: discardLogger()})
		kept, err := s.upstreams([]netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:8053")})
		if err != nil || !slices.Equal(kept, []string{"192.0.2.53:53"}) {
			t.Fatalf("kept %v (%v), want [192.0.2.53:53]", kept, err)
		}
		s = New(Options{Upstreams: []string{"dns.google"}, Logger: discardLogger()})
		if _, err := s.upstreams(nil); err == nil {
			t.Error("no error for a host name upstream")
		}
		s = New(Options{ResolvConf: filepath.Join(t.TempDir(), "missing"), Logger: discardLogger()})
		if kept, err := s.upstreams(nil); err != nil || len(kept) != 0 {
			t.Errorf("missing resolv.conf: %v, %v; want no upstreams, no error", kept, err)
		}
	})
}
