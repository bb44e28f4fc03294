package dnsserver

import (
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func zoneSnap() *Snapshot {
	return &Snapshot{Zones: []Zone{{Name: "internal.svc.", SOATTL: 15}}}
}

// An address with an allow list answers its clients and REFUSES others,
// over UDP and TCP; an address without one answers anyone.
func TestAllowListRefusesOtherClients(t *testing.T) {
	_, addr := startServer(t, Options{Allow: map[string][]netip.Prefix{"127.0.0.1:0": {netip.MustParsePrefix("127.0.0.2/32")}}}, zoneSnap())
	ask := func(src, network string) int {
		t.Helper()
		m := new(dns.Msg).SetQuestion("internal.svc.", dns.TypeSOA)
		var local net.Addr = &net.UDPAddr{IP: net.ParseIP(src)}
		if network == "tcp" {
			local = &net.TCPAddr{IP: net.ParseIP(src)}
		}
		c := &dns.Client{Net: network, Timeout: 3 * time.Second, Dialer: &net.Dialer{LocalAddr: local, Timeout: 3 * time.Second}}
		r, _, err := c.Exchange(m, addr)
		if err != nil {
			t.Fatalf("%s from %s: %v", network, src, err)
		}
		return r.Rcode
	}
	for _, network := range []string{"udp", "tcp"} {
		if rc := ask("127.0.0.2", network); rc != dns.RcodeSuccess {
			t.Errorf("%s from the allowed client: %s", network, dns.RcodeToString[rc])
		}
		if rc := ask("127.0.0.3", network); rc != dns.RcodeRefused {
			t.Errorf("%s from another client: %s, want REFUSED", network, dns.RcodeToString[rc])
		}
	}
	_, open := startServer(t, Options{}, zoneSnap())
	if r := exchange(t, "udp", open, new(dns.Msg).SetQuestion("internal.svc.", dns.TypeSOA)); r.Rcode != dns.RcodeSuccess {
		t.Errorf("an address without an allow list: %s", dns.RcodeToString[r.Rcode])
	}
}

// TCP connections that send nothing: one client holds at most 64, each
// is closed within the read timeout, and another client is answered over
// TCP meanwhile.
func TestTCPConnectionsBounded(t *testing.T) {
	_, addr := startServer(t, Options{}, zoneSnap())
	const n = 100
	var refused, closed atomic.Int64
	var wg sync.WaitGroup
	for range n {
		c, err := (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}, Timeout: 2 * time.Second}).Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		t.Cleanup(func() { c.Close() })
		wg.Go(func() {
			start := time.Now()
			_ = c.SetReadDeadline(start.Add(10 * time.Second))
			_, err := io.Copy(io.Discard, c)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				return // still open after 10 s
			}
			if time.Since(start) < 500*time.Millisecond {
				refused.Add(1)
			}
			closed.Add(1)
		})
	}
	if r := exchange(t, "tcp", addr, new(dns.Msg).SetQuestion("internal.svc.", dns.TypeSOA)); r.Rcode != dns.RcodeSuccess {
		t.Errorf("another client over TCP: %s", dns.RcodeToString[r.Rcode])
	}
	wg.Wait()
	if closed.Load() != n || refused.Load() < n-int64(tcpLimits.PerClient) {
		t.Errorf("%d of %d silent connections closed, %d at once; want all, and at least %d at once", closed.Load(), n, refused.Load(), n-tcpLimits.PerClient)
	}
}
