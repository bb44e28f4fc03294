package dnsserver

import (
	"context"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startServer starts a server on 127.0.0.1:0 with snap loaded and returns
// it with its address. Without upstreams in opts, forwarding is off.
func startServer(t testing.TB, opts Options, snap *Snapshot) (*Server, string) {
	t.Helper()
	if len(opts.Addrs) == 0 {
		opts.Addrs = []string{"127.0.0.1:0"}
	}
	if len(opts.Upstreams) == 0 {
		opts.NoForward = true
	}
	if opts.Logger == nil {
		opts.Logger = discardLogger()
	}
	s := New(opts)
	if snap != nil {
		if err := s.Update(*snap); err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Start(ctx); err != nil {
		cancel()
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		if err := s.Shutdown(sctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s, s.Addrs()[0]
}

// exchange sends m over network ("udp" or "tcp") to addr.
func exchange(t testing.TB, network, addr string, m *dns.Msg) *dns.Msg {
	t.Helper()
	c := &dns.Client{Net: network, Timeout: 5 * time.Second, UDPSize: 65535}
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Fatalf("exchange %s %s %s: %v", network, m.Question[0].Name, dns.TypeToString[m.Question[0].Qtype], err)
	}
	return r
}

// query asks addr for name/qtype over UDP without EDNS0.
func query(t testing.TB, addr, name string, qtype uint16) *dns.Msg {
	t.Helper()
	return exchange(t, "udp", addr, new(dns.Msg).SetQuestion(name, qtype))
}

// rr normalises a record in presentation format.
func rr(t testing.TB, s string) string {
	t.Helper()
	r, err := dns.NewRR(s)
	if err != nil {
		t.Fatalf("bad test record %q: %v", s, err)
	}
	return r.String()
}

func rrStrings(t testing.TB, in ...string) []string {
	t.Helper()
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, rr(t, s))
	}
	slices.Sort(out)
	return out
}

// section renders records sorted, without OPT.
func section(rrs []dns.RR) []string {
	out := []string{}
	for _, r := range rrs {
		if r.Header().Rrtype == dns.TypeOPT {
			continue
		}
		out = append(out, r.String())
	}
	slices.Sort(out)
	return out
}

func diffSection(t testing.TB, what string, got []dns.RR, want []string) {
	t.Helper()
	g := section(got)
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(g, want) {
		t.Errorf("%s:\n got: %s\nwant: %s", what, strings.Join(g, "\n      "), strings.Join(want, "\n      "))
	}
}

// fakeWriter is a dns.ResponseWriter for calling ServeDNS directly.
type fakeWriter struct {
	remote net.Addr
	msg    *dns.Msg
}

func (w *fakeWriter) LocalAddr() net.Addr         { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 53} }
func (w *fakeWriter) RemoteAddr() net.Addr        { return w.remote }
func (w *fakeWriter) WriteMsg(m *dns.Msg) error   { w.msg = m; return nil }
func (w *fakeWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *fakeWriter) Close() error                { return nil }
func (w *fakeWriter) TsigStatus() error           { return nil }
func (w *fakeWriter) TsigTimersOnly(bool)         {}
func (w *fakeWriter) Hijack()                     {}

func udpWriter() *fakeWriter {
	return &fakeWriter{remote: &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}}
}

// startFake runs a plain miekg handler on 127.0.0.1:0 (UDP and TCP) and
// returns its address.
func startFake(t testing.TB, h dns.HandlerFunc) string {
	t.Helper()
	pc, l, err := listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	for _, srv := range []*dns.Server{
		{PacketConn: pc, Handler: h},
		{Listener: l, Handler: h},
	} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		done := make(chan struct{})
		go func() { defer close(done); _ = srv.ActivateAndServe() }()
		<-started
		t.Cleanup(func() { _ = srv.Shutdown(); <-done })
	}
	return pc.LocalAddr().String()
}

// closedPort returns a 127.0.0.1 address nothing listens on.
func closedPort(t testing.TB) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()
	return addr
}
