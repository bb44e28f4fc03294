package dnsserver

import (
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// A UDP socket of a specific address is read by a fastReader, which
// answers what the fast path (fastpath.go) can in its own goroutine and
// hands every other packet to miekg/dns to serve as it always does (a
// goroutine, ServeDNS). miekg reads through a reader of ours only when the
// socket is not a *net.UDPConn, hence fastConn.
//
// The reader takes up to batchSize packets with one system call
// (recvmmsg) and sends their replies with one more (sendmmsg): under load
// the queue of a busy socket holds many queries, and the system calls,
// not the answers, are then most of the work.
//
// A socket bound to a wildcard address keeps miekg's own reader: replies
// there must leave from the address each query came to, which miekg does
// with the socket's control messages.

const batchSize = 32

// fastConn hides a UDP socket's type from miekg.
type fastConn struct{ *net.UDPConn }

// batchConn is the batch I/O of ipv4.PacketConn and ipv6.PacketConn.
type batchConn interface {
	ReadBatch(ms []ipv4.Message, flags int) (int, error)
	WriteBatch(ms []ipv4.Message, flags int) (int, error)
}

// fastReader reads one UDP socket for one dns.Server.
type fastReader struct {
	dns.Reader // miekg's, for the reads of TCP servers (unused here)
	s          *Server
	conn       batchConn
	local      net.Addr       // the socket's address, to choose the view
	allow      []netip.Prefix // the address's clients, none: anyone
	in, out    []ipv4.Message // a batch of queries, and of replies
	answers    []fastAnswer   // the state of each query's reply
	declined   []declined     // for miekg, in the order they came
	next       int            // the first of declined not yet returned
}

type declined struct {
	pkt  []byte
	from net.Addr
}

// udpServer is the miekg server of one UDP socket, with the fast path
// unless the socket is bound to a wildcard address.
func (s *Server) udpServer(addr string, pc net.PacketConn) *dns.Server {
	srv := &dns.Server{PacketConn: pc, Handler: s.handlerFor(addr), UDPSize: dns.DefaultMsgSize}
	conn, ok := pc.(*net.UDPConn)
	if !ok {
		return srv
	}
	local := conn.LocalAddr().(*net.UDPAddr)
	if local.IP.IsUnspecified() {
		return srv
	}
	var bc batchConn = ipv4.NewPacketConn(conn)
	if local.IP.To4() == nil {
		bc = ipv6.NewPacketConn(conn)
	}
	srv.PacketConn = fastConn{conn}
	srv.DecorateReader = func(next dns.Reader) dns.Reader {
		return newFastReader(next, s, bc, local, s.opts.Allow[addr], srv.UDPSize)
	}
	return srv
}

func newFastReader(next dns.Reader, s *Server, conn batchConn, local net.Addr, allow []netip.Prefix, size int) *fastReader {
	r := &fastReader{Reader: next, s: s, conn: conn, local: local, allow: allow,
		in: make([]ipv4.Message, batchSize), out: make([]ipv4.Message, batchSize), answers: make([]fastAnswer, batchSize)}
	for i := range batchSize {
		r.in[i].Buffers = [][]byte{make([]byte, size)}
		r.out[i].Buffers = make([][]byte, 1)
	}
	return r
}

// ReadPacketConn returns the next packet the fast path does not answer.
// It sets no deadline: Shutdown unblocks it with one in the past, and
// then it returns the error as miekg's reader does.
func (r *fastReader) ReadPacketConn(net.PacketConn, time.Duration) ([]byte, net.Addr, error) {
	for r.next == len(r.declined) {
		r.declined, r.next = r.declined[:0], 0
		if err := r.serveBatch(); err != nil {
			return nil, nil, err
		}
	}
	d := r.declined[r.next]
	r.declined[r.next] = declined{} // miekg owns the packet now
	r.next++
	return d.pkt, d.from, nil
}

// serveBatch reads the queries waiting on the socket (at least one) and
// answers those it can.
func (r *fastReader) serveBatch() error {
	n, err := r.conn.ReadBatch(r.in, 0)
	if err != nil {
		return err
	}
	replies := 0
	for i := range r.in[:n] {
		m := &r.in[i]
		pkt := m.Buffers[0][:m.N]
		if reply, ok := r.answer(&r.answers[i], pkt, m.Addr); ok {
			r.out[replies].Buffers[0], r.out[replies].Addr = reply, m.Addr
			replies++
			continue
		}
		r.declined = append(r.declined, declined{slices.Clone(pkt), m.Addr})
	}
	r.write(r.out[:replies])
	return nil
}

// write sends replies; one that fails is dropped, as a lost datagram.
func (r *fastReader) write(replies []ipv4.Message) {
	for len(replies) > 0 {
		n, err := r.conn.WriteBatch(replies, 0)
		if err != nil {
			n = max(n, 0)
			r.s.log.Debug("dns: writing reply failed", "remote", replies[n].Addr.String(), "err", err)
			n++
		}
		replies = replies[n:]
	}
}

func (r *fastReader) answer(a *fastAnswer, pkt []byte, from net.Addr) ([]byte, bool) {
	if len(r.allow) > 0 {
		udp, ok := from.(*net.UDPAddr)
		if !ok || !allowedIP(r.allow, udp.AddrPort().Addr().Unmap()) {
			return nil, false // ServeDNS refuses
		}
	}
	return r.s.answer(a, r.s.table.Load().forLocal(r.local), pkt)
}
