package dnsserver

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestTruncation(t *testing.T) {
	var ips []string
	for i := 1; i <= 100; i++ {
		ips = append(ips, fmt.Sprintf("10.9.0.%d", i))
	}
	var wide []Instance
	for i := range 8 {
		wide = append(wide, Instance{
			ID:   fmt.Sprintf("%032x", i+1), // an ECS task ID
			IPv4: fmt.Sprintf("10.8.0.%d", i+1), IPv6: fmt.Sprintf("fd00::8:%d", i+1),
			Port: 8080, Healthy: true,
		})
	}
	snap := Snapshot{
		Zones: []Zone{{Name: "internal.svc.", SOATTL: 15, Services: []Service{
			{Name: "wide", Records: []RecordSpec{{Type: TypeSRV, TTL: 10}}, Instances: wide},
		}}},
		Static: map[string][]string{"big.internal.svc.": ips},
	}
	_, addr := startServer(t, Options{}, &snap)

	tests := []struct {
		name    string
		network string
		qname   string
		qtype   uint16
		edns    uint16 // 0: none
		tc      bool
		answers int // exact when !tc
		extra   int
		maxSize int
	}{
		{"UDP without EDNS0 is cut at 512 bytes", "udp", "big.internal.svc.", dns.TypeA, 0, true, 0, 0, 512},
		{"TCP carries everything", "tcp", "big.internal.svc.", dns.TypeA, 0, false, 100, 0, 0},
		{"EDNS0 4096 is capped at 1232", "udp", "big.internal.svc.", dns.TypeA, 4096, true, 0, 0, 1232},
		{"EDNS0 below 512 counts as 512", "udp", "big.internal.svc.", dns.TypeA, 100, true, 0, 0, 512},
		{"SRV with Additional over UDP", "udp", "wide.internal.svc.", dns.TypeSRV, 0, true, 0, 0, 512},
		{"SRV with Additional over TCP", "tcp", "wide.internal.svc.", dns.TypeSRV, 0, false, 8, 16, 0},
		{"SRV with Additional fits EDNS0 1232", "udp", "wide.internal.svc.", dns.TypeSRV, 1232, false, 8, 16, 1232},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := new(dns.Msg).SetQuestion(tc.qname, tc.qtype)
			if tc.edns != 0 {
				req.SetEdns0(tc.edns, false)
			}
			m := exchange(t, tc.network, addr, req)
			extra := len(section(m.Extra))
			if m.Truncated != tc.tc {
				t.Fatalf("TC %v, want %v (%d answers)", m.Truncated, tc.tc, len(m.Answer))
			}
			if !tc.tc && (len(m.Answer) != tc.answers || extra != tc.extra) {
				t.Errorf("%d answers and %d additional, want %d and %d", len(m.Answer), extra, tc.answers, tc.extra)
			}
			if tc.tc && len(m.Answer) == 0 && tc.qtype == dns.TypeA {
				t.Errorf("truncated answer holds no record")
			}
			if tc.maxSize > 0 {
				m.Compress = true
				if b, _ := m.Pack(); len(b) > tc.maxSize {
					t.Errorf("reply of %d bytes, limit %d", len(b), tc.maxSize)
				}
			}
		})
	}
}

func TestMalformedPackets(t *testing.T) {
	snap := fixture()
	_, addr := startServer(t, Options{}, &snap)

	header := func(id, flags, qd, an, ns, ar uint16) []byte {
		b := make([]byte, 12)
		for i, v := range []uint16{id, flags, qd, an, ns, ar} {
			binary.BigEndian.PutUint16(b[2*i:], v)
		}
		return b
	}
	question, _ := new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA).Pack()
	question = question[12:]

	rnd := rand.New(rand.NewPCG(1, 2))
	packets := map[string][]byte{
		"empty":                {},
		"one byte":             {0x42},
		"short header":         make([]byte, 11),
		"zero questions":       header(1, 0x0100, 0, 0, 0, 0),
		"question count lies":  header(2, 0x0100, 1, 0, 0, 0),
		"two questions":        append(append(header(3, 0x0100, 2, 0, 0, 0), question...), question...),
		"a response":           append(header(4, 0x8180, 1, 0, 0, 0), question...),
		"compression loop":     append(header(5, 0x0100, 1, 0, 0, 0), 0xC0, 12, 0, 1, 0, 1),
		"label too long":       append(append(header(6, 0x0100, 1, 0, 0, 0), 64), make([]byte, 70)...),
		"answer count lies":    append(header(7, 0x0100, 1, 1, 0, 0), question...),
		"additional count lie": append(header(8, 0x0100, 1, 0, 0, 2), question...),
		"unknown opcode":       append(header(9, 0x7100, 1, 0, 0, 0), question...),
	}
	for i := range 50 {
		b := make([]byte, 1+rnd.IntN(600))
		for j := range b {
			b[j] = byte(rnd.UintN(256))
		}
		packets[fmt.Sprintf("random %d", i)] = b
	}

	// Every packet from its own socket, all sent before any reply is
	// awaited: a dropped packet costs one shared deadline.
	conns := map[string]net.Conn{}
	for name, pkt := range packets {
		conn, err := net.Dial("udp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.Write(pkt); err != nil {
			t.Fatal(err)
		}
		conns[name] = conn
	}
	deadline := time.Now().Add(300 * time.Millisecond)
	var mu sync.Mutex
	replies := map[string][]byte{}
	var wg sync.WaitGroup
	for name, conn := range conns {
		wg.Go(func() {
			_ = conn.SetReadDeadline(deadline)
			buf := make([]byte, 65535)
			if n, err := conn.Read(buf); err == nil {
				mu.Lock()
				replies[name] = buf[:n]
				mu.Unlock()
			} // else dropped: fine
		})
	}
	wg.Wait()
	for name, reply := range replies {
		pkt := packets[name]
		m := new(dns.Msg)
		if err := m.Unpack(reply); err != nil {
			t.Errorf("%s: unparsable reply: %v", name, err)
			continue
		}
		if !m.Response || (len(pkt) >= 2 && m.Id != binary.BigEndian.Uint16(pkt)) {
			t.Errorf("%s: reply %v does not answer the packet", name, m.MsgHdr)
		}
		switch name {
		case "zero questions", "two questions", "question count lies":
			if m.Rcode != dns.RcodeFormatError {
				t.Errorf("%s: rcode %s, want FORMERR", name, dns.RcodeToString[m.Rcode])
			}
		case "unknown opcode":
			if m.Rcode != dns.RcodeNotImplemented {
				t.Errorf("%s: rcode %s, want NOTIMP", name, dns.RcodeToString[m.Rcode])
			}
		}
	}
	for _, name := range []string{"zero questions", "two questions", "unknown opcode"} {
		if replies[name] == nil {
			t.Errorf("%s: no reply", name)
		}
	}

	t.Run("tcp garbage", func(t *testing.T) {
		for _, pkt := range [][]byte{
			{0xFF, 0xFF, 1, 2, 3},                       // claims 65535 bytes, sends 3
			{0, 5, 1, 2, 3, 4, 5},                       // 5 bytes of nonsense
			{0, 12, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // zero questions
			[]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
		} {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = conn.Write(pkt)
			_ = conn.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
			_, _ = conn.Read(make([]byte, 512))
			conn.Close()
		}
	})

	// Still serving.
	for _, network := range []string{"udp", "tcp"} {
		m := exchange(t, network, addr, new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA))
		if len(m.Answer) != 2 {
			t.Fatalf("%s after garbage: %v", network, m)
		}
	}
}

// TestUpdateWhileQuerying swaps two snapshots while clients query: every
// answer comes whole from one of them. Run with -race.
func TestUpdateWhileQuerying(t *testing.T) {
	mk := func(prefix string) Snapshot {
		var insts []Instance
		for i := 1; i <= 4; i++ {
			insts = append(insts, Instance{ID: fmt.Sprintf("i%d", i), IPv4: fmt.Sprintf("%s.%d", prefix, i), Port: 80, Healthy: true})
		}
		return Snapshot{Zones: []Zone{{Name: "internal.svc.", SOATTL: 15, Services: []Service{
			{Name: "worker", Records: []RecordSpec{{Type: TypeA, TTL: 60}, {Type: TypeSRV, TTL: 60}}, Instances: insts},
		}}}}
	}
	snaps := []Snapshot{mk("10.1.0"), mk("10.2.0")}
	s, addr := startServer(t, Options{}, &snaps[0])

	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	var updates atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			if err := s.Update(snaps[i%2]); err != nil {
				t.Error(err)
				return
			}
			updates.Add(1)
		}
	})
	var queries atomic.Int64
	for range 8 {
		wg.Go(func() {
			c := &dns.Client{Timeout: 2 * time.Second}
			for ctx.Err() == nil {
				qtype := dns.TypeA
				if queries.Add(1)%2 == 0 {
					qtype = dns.TypeSRV
				}
				m, _, err := c.Exchange(new(dns.Msg).SetQuestion("worker.internal.svc.", qtype), addr)
				if err != nil {
					t.Error(err)
					return
				}
				var ips []string
				for _, r := range append(m.Answer, m.Extra...) {
					if a, ok := r.(*dns.A); ok {
						ips = append(ips, a.A.String())
					}
				}
				if len(ips) != 4 {
					t.Errorf("%d addresses, want 4: %v", len(ips), m)
					return
				}
				for _, ip := range ips {
					if ip[:6] != ips[0][:6] {
						t.Errorf("answer mixes snapshots: %v", ips)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if updates.Load() < 10 || queries.Load() < 10 {
		t.Errorf("only %d updates and %d queries", updates.Load(), queries.Load())
	}
	// The SOA serial counts updates.
	m := query(t, addr, "internal.svc.", dns.TypeSOA)
	if got := m.Answer[0].(*dns.SOA).Serial; int64(got) != updates.Load()+1 {
		t.Errorf("serial %d, want %d", got, updates.Load()+1)
	}
}

func TestConcurrentUpdatesLastStartedWins(t *testing.T) {
	s := New(Options{NoForward: true, Logger: discardLogger()})
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			_ = s.Update(Snapshot{Zones: []Zone{{Name: fmt.Sprintf("z%d.test.", i)}}})
		})
	}
	wg.Wait()
	if got := s.table.Load().serial; got != 50 {
		t.Fatalf("live serial %d, want the last generation 50", got)
	}
}

func TestLifecycle(t *testing.T) {
	before := runtime.NumGoroutine()
	snap := fixture()
	s := New(Options{Addrs: []string{"127.0.0.1:0", "127.0.0.1:0"}, NoForward: true, Logger: discardLogger()})
	_ = s.Update(snap)
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err == nil || !strings.Contains(err.Error(), "already started") {
		t.Errorf("second Start: %v", err)
	}
	addrs := s.Addrs()
	if len(addrs) != 2 || addrs[0] == addrs[1] {
		t.Fatalf("Addrs() = %v, want two distinct addresses", addrs)
	}
	for _, a := range addrs {
		if !strings.HasPrefix(a, "127.0.0.1:") || strings.HasSuffix(a, ":0") {
			t.Errorf("address %q is not a bound loopback address", a)
		}
		for _, network := range []string{"udp", "tcp"} {
			if m := exchange(t, network, a, new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA)); len(m.Answer) != 2 {
				t.Errorf("%s %s: %v", network, a, m)
			}
		}
	}
	// An idle TCP connection must not hold up the shutdown.
	idle, err := net.Dial("tcp", addrs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()

	cancel()
	sctx, scancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer scancel()
	start := time.Now()
	if err := s.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if err := s.Shutdown(sctx); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
	for _, a := range addrs {
		if c, err := net.DialTimeout("tcp", a, 200*time.Millisecond); err == nil {
			c.Close()
			t.Errorf("%s still accepts TCP", a)
		}
		c := &dns.Client{Timeout: 200 * time.Millisecond}
		if _, _, err := c.Exchange(new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA), a); err == nil {
			t.Errorf("%s still answers UDP", a)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines left, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}

	t.Run("errors", func(t *testing.T) {
		if err := New(Options{Logger: discardLogger()}).Start(context.Background()); err == nil {
			t.Error("Start without addresses succeeded")
		}
		if err := New(Options{Addrs: []string{"127.0.0.1"}, Logger: discardLogger()}).Start(context.Background()); err == nil {
			t.Error("Start with a bad address succeeded")
		}
		// Shutdown before Start is a no-op.
		if err := New(Options{Logger: discardLogger()}).Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	})
}
