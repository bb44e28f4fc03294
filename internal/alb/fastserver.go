package alb

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/textproto"
	"sync"
	"sync/atomic"
	"time"
)

// A plain-HTTP listener accepts its connections itself. Each connection's
// goroutine reads request heads from a pooled buffer and answers the
// common request (see parseFastRequest and fastConn.route) in place: no
// background reader, response writer, header maps or request clones,
// which were most of the proxy's cost on net/http's server side. From the
// first request outside that subset on, the whole connection, with the
// bytes already read, goes to the listener's net/http server through a
// handoffListener, so every other behaviour (bodies, upgrades, Expect,
// redirects, fixed responses, malformed requests and their 400s) stays on
// that path.

// fastBufSize is the read and write buffer of a fast connection, as
// net/http's server uses; a request head that does not fit is handed over.
const fastBufSize = 4 << 10

var fastBufs = sync.Pool{New: func() any {
	return &fastBuffers{r: bufio.NewReaderSize(nil, fastBufSize), w: bufio.NewWriterSize(nil, fastBufSize)}
}}

type fastBuffers struct {
	r *bufio.Reader
	w *bufio.Writer
}

// Connection states, for shutdown: only an idle connection (waiting for a
// request) is closed at once; an active one finishes its request.
const (
	fastIdle int32 = iota
	fastActive
	fastClosed
)

// fastConn is one client connection on the fast path.
type fastConn struct {
	l      *listener
	conn   net.Conn
	bufs   *fastBuffers
	br     *bufio.Reader
	bw     *bufio.Writer
	client string // the client's IP, for X-Forwarded-For
	state  atomic.Int32

	req       fastRequest
	lt        *listenerTable // the current request's table (for its forwarded headers)
	writeReq  func(w io.Writer) error
	got1xx    func(int, textproto.MIMEHeader) error
	keys      []string // scratch for sorting answer headers
	handedOff bool

	ctx   context.Context // the parent of its requests' contexts: ends when the client goes away
	watch *clientWatch
}

// acceptFast runs the listener's accept loop until ln is closed.
func (l *listener) acceptFast(ln net.Listener) {
	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of descriptors and the like: retry, as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			l.s.log.Debug("listener accept", "listener", l.arn, "err", err)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		go l.serveFast(conn)
	}
}

func (l *listener) serveFast(conn net.Conn) {
	fc := &fastConn{l: l, conn: conn, bufs: fastBufs.Get().(*fastBuffers)}
	fc.br, fc.bw = fc.bufs.r, fc.bufs.w
	ctx, cancel := context.WithCancel(l.ctx)
	defer cancel()
	fc.ctx, fc.watch = ctx, newClientWatch(fc, cancel)
	fc.br.Reset(fc.watch)
	fc.bw.Reset(conn)
	fc.client = stripPort(conn.RemoteAddr().String())
	fc.writeReq = fc.writeRequest
	fc.got1xx = fc.write1xx
	if l.fast.add(fc) {
		fc.serve()
		l.fast.remove(fc)
	}
	if !fc.handedOff {
		_ = conn.Close()
	}
	fc.br.Reset(nil)
	fc.bw.Reset(nil)
	fastBufs.Put(fc.bufs)
}

// serve answers requests until the connection closes or is handed over.
func (fc *fastConn) serve() {
	for {
		n, err := fc.nextHead()
		switch {
		case errors.Is(err, errHandOver):
			fc.handOver()
			return
		case err != nil:
			return
		}
		if !fc.state.CompareAndSwap(fastIdle, fastActive) {
			return // closed by shutdown meanwhile
		}
		head, _ := fc.br.Peek(n)
		if !parseFastRequest(head, &fc.req) {
			fc.handOver()
			return
		}
		lt, fa := fc.route(&fc.req)
		if fa == nil {
			fc.handOver()
			return
		}
		_, _ = fc.br.Discard(n)
		if !fc.forward(&fc.req, lt, fa) {
			return
		}
		fc.state.Store(fastIdle)
		if fc.l.fast.closing.Load() {
			return
		}
	}
}

// errHandOver makes nextHead's caller give the connection to net/http.
var errHandOver = errors.New("hand the connection over")

// nextHead waits for a whole request head in the buffer and returns its
// length. A head that does not fit, or a connection that ends in the
// middle of one (net/http answers that with a 400), is handed over. The
// listener's idle timeout bounds the wait, as net/http's path does: no
// answer, the connection just closes.
func (fc *fastConn) nextHead() (int, error) {
	_ = fc.conn.SetReadDeadline(time.Now().Add(fc.l.idle()))
	for {
		if buffered := fc.br.Buffered(); buffered > 0 {
			b, _ := fc.br.Peek(buffered)
			if n := headEnd(b); n >= 0 {
				return n, nil
			}
			if bytes.Contains(b, []byte("\n\n")) || bytes.Contains(b, []byte("\n\r\n")) {
				return 0, errHandOver // a head ended by bare LFs, which net/http reads
			}
			if buffered == fc.br.Size() {
				return 0, errHandOver
			}
		}
		if _, err := fc.br.Peek(fc.br.Buffered() + 1); err != nil {
			var ne net.Error
			if fc.br.Buffered() == 0 || (errors.As(err, &ne) && ne.Timeout()) {
				return 0, err
			}
			return 0, errHandOver
		}
	}
}

// handOver gives the connection, with what is buffered of it, to the
// listener's net/http server.
func (fc *fastConn) handOver() {
	buffered, _ := fc.br.Peek(fc.br.Buffered())
	_ = fc.conn.SetReadDeadline(time.Time{})
	c := &replayConn{Conn: fc.conn, replay: append(bytes.Clone(buffered), fc.watch.pending()...)}
	fc.l.fast.remove(fc)
	fc.handedOff = true
	fc.l.handoff.give(c)
}

// route returns the forward action the fast path serves the request with,
// or nil when it is not one: no table yet, a redirect, a fixed response,
// a misconfigured action or a forward that may reach an HTTPS group.
// Nothing is chosen or counted yet, so net/http's path can start afresh.
func (fc *fastConn) route(req *fastRequest) (*listenerTable, *forwardAction) {
	lt := fc.l.table.Load()
	if lt == nil {
		return nil, nil
	}
	a := lt.def
	if len(lt.rules) > 0 {
		r, ok := req.httpRequest(fc.conn.RemoteAddr().String())
		if !ok {
			return nil, nil
		}
		a = matchRules(lt.rules, lt.def, r)
	}
	if a.kind != kindForward || !a.forward.plainHTTP() {
		return nil, nil
	}
	return lt, a.forward
}

// replayConn is a handed-over connection: reads return the bytes the fast
// path had buffered first.
type replayConn struct {
	net.Conn
	replay []byte
}

func (c *replayConn) Read(b []byte) (int, error) {
	if len(c.replay) > 0 {
		n := copy(b, c.replay)
		c.replay = c.replay[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// handoffListener is what the listener's net/http server accepts from:
// the connections the fast path hands over.
type handoffListener struct {
	addr net.Addr
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
}

func newHandoffListener(addr net.Addr) *handoffListener {
	return &handoffListener{addr: addr, ch: make(chan net.Conn), done: make(chan struct{})}
}

func (h *handoffListener) Accept() (net.Conn, error) {
	select {
	case c := <-h.ch:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	}
}

func (h *handoffListener) Close() error {
	h.once.Do(func() { close(h.done) })
	return nil
}

func (h *handoffListener) Addr() net.Addr { return h.addr }

// give passes c to the server, or closes it once the server is gone.
func (h *handoffListener) give(c net.Conn) {
	select {
	case h.ch <- c:
	case <-h.done:
		_ = c.Close()
	}
}

// fastConns tracks a listener's fast connections for shutdown.
type fastConns struct {
	closing atomic.Bool
	mu      sync.Mutex
	conns   map[*fastConn]struct{}
}

func newFastConns() *fastConns { return &fastConns{conns: map[*fastConn]struct{}{}} }

// add tracks fc; false once shutdown has begun.
func (f *fastConns) add(fc *fastConn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closing.Load() {
		return false
	}
	f.conns[fc] = struct{}{}
	return true
}

func (f *fastConns) remove(fc *fastConn) {
	f.mu.Lock()
	delete(f.conns, fc)
	f.mu.Unlock()
}

// shutdown closes idle connections, lets active ones finish their request
// until ctx ends, then closes what remains.
func (f *fastConns) shutdown(ctx context.Context) {
	f.closing.Store(true)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		f.mu.Lock()
		for fc := range f.conns {
			if fc.state.CompareAndSwap(fastIdle, fastClosed) {
				_ = fc.conn.Close()
			}
		}
		left := len(f.conns)
		f.mu.Unlock()
		if left == 0 {
			return
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			f.mu.Lock()
			for fc := range f.conns {
				_ = fc.conn.Close()
			}
			f.mu.Unlock()
			return
		}
	}
}
