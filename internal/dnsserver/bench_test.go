package dnsserver

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// BenchmarkQueryA measures queries per second over real UDP on loopback,
// client and server in this process: this server answering a MULTIVALUE
// A query (two healthy records, shuffled), against a baseline miekg
// handler that returns the same two records from a fixed message.
//
//	go test -run '^$' -bench QueryA ./internal/dnsserver/
func BenchmarkQueryA(b *testing.B) {
	snap := fixture()
	_, ours := startServer(b, Options{}, &snap)
	fixedAnswer := []dns.RR{
		newA("worker.internal.svc.", 60, netip.MustParseAddr("10.0.0.1")),
		newA("worker.internal.svc.", 60, netip.MustParseAddr("10.0.0.2")),
	}
	baseline := startFake(b, func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg).SetReply(req)
		m.Authoritative = true
		m.Answer = fixedAnswer
		_ = w.WriteMsg(m)
	})

	for _, target := range []struct{ name, addr string }{{"ecsemu", ours}, {"baseline", baseline}} {
		b.Run("serial/"+target.name, func(b *testing.B) {
			conn, err := dns.Dial("udp", target.addr)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			q := new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA)
			for b.Loop() {
				if err := conn.WriteMsg(q); err != nil {
					b.Fatal(err)
				}
				m, err := conn.ReadMsg()
				if err != nil || len(m.Answer) != 2 {
					b.Fatalf("%v %v", m, err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "qps")
		})
		b.Run("parallel/"+target.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				conn, err := dns.Dial("udp", target.addr)
				if err != nil {
					b.Error(err)
					return
				}
				defer conn.Close()
				q := new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA)
				for pb.Next() {
					if err := conn.WriteMsg(q); err != nil {
						b.Error(err)
						return
					}
					m, err := conn.ReadMsg()
					if err != nil || len(m.Answer) != 2 {
						b.Errorf("%v %v", m, err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "qps")
		})
	}
}

// BenchmarkUpdate measures compiling a snapshot of 50 services with 20
// instances each (A and SRV records), the work of one Update.
func BenchmarkUpdate(b *testing.B) {
	var services []Service
	for i := range 50 {
		var insts []Instance
		for j := range 20 {
			insts = append(insts, Instance{
				ID: fmt.Sprintf("%032x", i*100+j), IPv4: fmt.Sprintf("10.%d.%d.1", i, j),
				Port: 8080, Healthy: j%5 != 0,
			})
		}
		services = append(services, Service{Name: fmt.Sprintf("svc%d", i),
			Records: []RecordSpec{{Type: TypeA, TTL: 10}, {Type: TypeSRV, TTL: 10}}, Instances: insts})
	}
	snap := Snapshot{Zones: []Zone{{Name: "internal.svc.", SOATTL: 15, Services: services}}}
	s := New(Options{NoForward: true, Logger: discardLogger()})
	for b.Loop() {
		if err := s.Update(snap); err != nil {
			b.Fatal(err)
		}
	}
}

// packWriter packs the reply as the network writer would, then drops it.
type packWriter struct {
	fakeWriter
	buf []byte
}

func (w *packWriter) WriteMsg(m *dns.Msg) error {
	b, err := m.PackBuffer(w.buf)
	w.buf = b
	return err
}

// BenchmarkServeDNS isolates the handler from the network: the same
// query through this server's ServeDNS and through the baseline handler,
// both packing their reply, and through the UDP fast path.
func BenchmarkServeDNS(b *testing.B) {
	snap := fixture()
	s := New(Options{NoForward: true, Logger: discardLogger()})
	if err := s.Update(snap); err != nil {
		b.Fatal(err)
	}
	fixedAnswer := []dns.RR{
		newA("worker.internal.svc.", 60, netip.MustParseAddr("10.0.0.1")),
		newA("worker.internal.svc.", 60, netip.MustParseAddr("10.0.0.2")),
	}
	baseline := dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg).SetReply(req)
		m.Authoritative = true
		m.Answer = fixedAnswer
		_ = w.WriteMsg(m)
	})
	for _, h := range []struct {
		name string
		h    dns.Handler
	}{{"ecsemu", s}, {"baseline", baseline}} {
		for _, qname := range []string{"worker.internal.svc.", "a1.api.internal.svc."} {
			b.Run(h.name+"/"+qname, func(b *testing.B) {
				if h.name == "baseline" && qname != "worker.internal.svc." {
					b.Skip("baseline answers one name")
				}
				w := &packWriter{fakeWriter: *udpWriter()}
				q := new(dns.Msg).SetQuestion(qname, dns.TypeA)
				b.ReportAllocs()
				for b.Loop() {
					h.h.ServeDNS(w, q)
				}
			})
		}
	}
	// The UDP fast path's share of the same work (fastpath.go): from the
	// query's bytes to the reply's.
	for _, qname := range []string{"worker.internal.svc.", "a1.api.internal.svc."} {
		b.Run("fastpath/"+qname, func(b *testing.B) {
			pkt, err := new(dns.Msg).SetQuestion(qname, dns.TypeA).Pack()
			if err != nil {
				b.Fatal(err)
			}
			var a fastAnswer
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := s.answer(&a, s.table.Load(), pkt); !ok {
					b.Fatal("fast path declined")
				}
			}
		})
	}
}

// BenchmarkLoad measures the servers rather than the client: many
// goroutines, each with its own UDP socket, send a query packed once and
// check only the reply's header, so that the client costs little more than
// its two system calls (as dnsperf does). ecsemu answers the MULTIVALUE A
// query of BenchmarkQueryA; baseline is a bare miekg server answering the
// same two records from a fixed message. Compare the qps of the two in
// one run: the machine's load moves both.
//
//	go test -run '^$' -bench Load ./internal/dnsserver/
func BenchmarkLoad(b *testing.B) {
	snap := fixture()
	_, ours := startServer(b, Options{}, &snap)
	fixedAnswer := []dns.RR{
		newA("worker.internal.svc.", 60, netip.MustParseAddr("10.0.0.1")),
		newA("worker.internal.svc.", 60, netip.MustParseAddr("10.0.0.2")),
	}
	baseline := startFake(b, func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg).SetReply(req)
		m.Authoritative = true
		m.Answer = fixedAnswer
		_ = w.WriteMsg(m)
	})
	for _, target := range []struct{ name, addr string }{{"ecsemu", ours}, {"baseline", baseline}} {
		b.Run(target.name, func(b *testing.B) {
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				conn, err := net.Dial("udp", target.addr)
				if err != nil {
					b.Error(err)
					return
				}
				defer conn.Close()
				q, _ := new(dns.Msg).SetQuestion("worker.internal.svc.", dns.TypeA).Pack()
				buf := make([]byte, 512)
				for pb.Next() {
					if _, err := conn.Write(q); err != nil {
						b.Error(err)
						return
					}
					conn.SetReadDeadline(time.Now().Add(5 * time.Second))
					n, err := conn.Read(buf)
					// Same ID, QR set, NOERROR, two answers.
					if err != nil || n < 12 || buf[0] != q[0] || buf[1] != q[1] || buf[2]&0x80 == 0 || buf[3]&0xF != 0 || buf[7] != 2 {
						b.Errorf("bad reply %x: %v", buf[:n], err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "qps")
		})
	}
}
