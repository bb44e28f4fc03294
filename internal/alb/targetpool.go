package alb

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"sync"
	"time"
)

// targetPool is the round tripper toward one load balancer's targets. The
// common request, a GET or HEAD without a body to a plain-HTTP target, is
// written and its answer read in the handler's own goroutine over a pooled
// keep-alive connection: http.Transport hands every request to a writer and
// a reader goroutine per connection, and those hand-offs were most of the
// proxy's cost. Everything else (bodies, upgrades, Expect, HTTPS targets)
// goes through the full Transport, which also owns dialing's settings.
type targetPool struct {
	full       *http.Transport
	dial       func(ctx context.Context, network, addr string) (net.Conn, error)
	headerWait time.Duration // ALB's idle timeout: a target that does not answer in time gets a 504

	mu   sync.Mutex
	idle map[string][]*targetConn // by host:port; the most recently used last
	tidy *time.Timer              // closes connections idle for too long
}

// Bounds of the idle connections kept, as the full Transport's.
const (
	poolIdlePerHost = 128
	poolIdleTimeout = 90 * time.Second
	max1xxResponses = 5        // as net/http's Transport allows before failing
	maxHeadBytes    = 10 << 20 // an answer's head, as net/http's Transport bounds it
)

func newTargetPool(idle time.Duration) *targetPool {
	full := newTargetTransport(idle)
	return &targetPool{full: full, dial: full.DialContext, headerWait: idle, idle: map[string][]*targetConn{}}
}

// targetConn is one keep-alive connection to a target.
type targetConn struct {
	conn   net.Conn
	lim    headLimit // under br: bounds what is read for an answer's head
	br     *bufio.Reader
	bw     *bufio.Writer
	host   string
	usedAt time.Time
}

// RoundTrip implements http.RoundTripper.
func (p *targetPool) RoundTrip(req *http.Request) (*http.Response, error) {
	if !handledInline(req) {
		return p.full.RoundTrip(req)
	}
	var got1xx func(int, textproto.MIMEHeader) error
	if trace := httptrace.ContextClientTrace(req.Context()); trace != nil {
		got1xx = trace.Got1xxResponse
	}
	return p.send(req.Context(), req.URL.Host, req, req.Write, got1xx)
}

// send runs one inline exchange with host over a pooled keep-alive
// connection: write puts the request on the wire (req only tells the
// method to the answer's parser), the answer's head is read and 1xx
// informational answers go to got1xx (nil: dropped).
func (p *targetPool) send(ctx context.Context, host string, req *http.Request, write func(io.Writer) error, got1xx func(int, textproto.MIMEHeader) error) (*http.Response, error) {
	for {
		tc, reused, err := p.get(ctx, host)
		if err != nil {
			return nil, err
		}
		resp, err := p.exchange(ctx, tc, req, write, got1xx)
		if err == nil {
			return resp, nil
		}
		tc.conn.Close()
		// A reused connection the target closed while it sat idle fails
		// before any answer; the request, safe to repeat, goes out on a
		// fresh one (as Transport does).
		if !reused || ctx.Err() != nil || !errors.Is(err, errNoAnswer) {
			return nil, err
		}
	}
}

// handledInline tells the requests RoundTrip serves itself: those that are
// safe to repeat on a fresh connection and need none of the Transport's
// concurrency (a body written while the answer is read, an upgraded
// connection, a 100-continue wait, TLS).
func handledInline(req *http.Request) bool {
	if req.URL.Scheme != "http" || (req.Body != nil && req.Body != http.NoBody) {
		return false
	}
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return false
	}
	h := req.Header
	return len(h["Upgrade"]) == 0 && len(h["Expect"]) == 0 && len(h["Trailer"]) == 0 && len(req.Trailer) == 0
}

// errNoAnswer wraps a failure before the first byte of an answer.
var errNoAnswer = errors.New("connection closed before any answer")

// exchange writes req on tc and reads the answer's head. The connection is
// closed if the request's context ends before the body is read; the body
// gives the connection back to the pool at its end.
func (p *targetPool) exchange(ctx context.Context, tc *targetConn, req *http.Request, write func(io.Writer) error, got1xx func(int, textproto.MIMEHeader) error) (*http.Response, error) {
	stop := context.AfterFunc(ctx, func() { tc.conn.Close() })
	if err := write(tc.bw); err != nil {
		stop()
		return nil, errors.Join(errNoAnswer, err)
	}
	if err := tc.bw.Flush(); err != nil {
		stop()
		return nil, errors.Join(errNoAnswer, err)
	}
	if p.headerWait > 0 {
		_ = tc.conn.SetReadDeadline(time.Now().Add(p.headerWait))
	}
	tc.lim.left = maxHeadBytes
	resp, err := p.readHead(tc, req, got1xx)
	if err != nil {
		stop()
		return nil, err
	}
	tc.lim.left = -1
	_ = tc.conn.SetReadDeadline(time.Time{})
	b := &targetBody{rc: resp.Body, p: p, tc: tc, stop: stop, reuse: !resp.Close && resp.StatusCode != http.StatusSwitchingProtocols}
	if resp.Body == http.NoBody {
		b.finish(b.reuse)
		return resp, nil
	}
	resp.Body = b
	return resp, nil
}

// readHead reads the answer's status and headers, passing 1xx
// informational answers (103 Early Hints) on to got1xx as Transport does
// to the request's client trace.
func (p *targetPool) readHead(tc *targetConn, req *http.Request, got1xx func(int, textproto.MIMEHeader) error) (*http.Response, error) {
	for n := 0; ; n++ {
		if n == 0 {
			if _, err := tc.br.Peek(1); err != nil && !isTimeout(err) {
				return nil, errors.Join(errNoAnswer, err)
			} else if err != nil {
				return nil, err
			}
		}
		resp, err := http.ReadResponse(tc.br, req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode < 100 || resp.StatusCode > 199 || resp.StatusCode == http.StatusSwitchingProtocols {
			return resp, nil
		}
		if n >= max1xxResponses {
			return nil, errors.New("net/http: too many 1xx informational responses")
		}
		if got1xx != nil {
			if err := got1xx(resp.StatusCode, textproto.MIMEHeader(resp.Header)); err != nil {
				return nil, err
			}
		}
	}
}

// targetBody is an answer's body; read to its end, it returns the
// connection to the pool, closed early, it closes it (the rest of the
// answer is still on the wire).
type targetBody struct {
	rc    io.ReadCloser
	p     *targetPool
	tc    *targetConn
	stop  func() bool
	reuse bool
	done  bool
}

func (b *targetBody) Read(buf []byte) (int, error) {
	n, err := b.rc.Read(buf)
	if err == io.EOF {
		b.finish(b.reuse)
	}
	return n, err
}

func (b *targetBody) Close() error {
	b.finish(false)
	return nil
}

// finish ends the exchange once: the connection goes back to the pool when
// reuse holds and the request's context did not close it meanwhile.
func (b *targetBody) finish(reuse bool) {
	if b.done {
		return
	}
	b.done = true
	if b.stop() && reuse {
		b.p.put(b.tc)
		return
	}
	b.tc.conn.Close()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// get returns an idle connection to host, or a new one.
func (p *targetPool) get(ctx context.Context, host string) (tc *targetConn, reused bool, err error) {
	p.mu.Lock()
	if list := p.idle[host]; len(list) > 0 {
		tc = list[len(list)-1]
		list[len(list)-1] = nil
		p.idle[host] = list[:len(list)-1]
	}
	p.mu.Unlock()
	if tc != nil {
		return tc, true, nil
	}
	conn, err := p.dial(ctx, "tcp", host)
	if err != nil {
		return nil, false, err
	}
	tc = &targetConn{conn: conn, lim: headLimit{r: conn, left: -1}, bw: bufio.NewWriter(conn), host: host}
	tc.br = bufio.NewReader(&tc.lim)
	return tc, false, nil
}

// headLimit fails reads once left bytes are read; a negative left means no
// limit.
type headLimit struct {
	r    io.Reader
	left int64
}

var errHeadTooLarge = errors.New("alb: target's answer head is too large")

func (l *headLimit) Read(b []byte) (int, error) {
	if l.left < 0 {
		return l.r.Read(b)
	}
	if l.left == 0 {
		return 0, errHeadTooLarge
	}
	if int64(len(b)) > l.left {
		b = b[:l.left]
	}
	n, err := l.r.Read(b)
	l.left -= int64(n)
	return n, err
}

// put keeps tc for the next request to its host.
func (p *targetPool) put(tc *targetConn) {
	tc.usedAt = time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[tc.host]
	if len(list) >= poolIdlePerHost || tc.br.Buffered() > 0 { // bytes nobody asked for: not reusable
		tc.conn.Close()
		return
	}
	p.idle[tc.host] = append(list, tc)
	if p.tidy == nil {
		p.tidy = time.AfterFunc(poolIdleTimeout, p.closeStale)
	}
}

// closeStale closes connections idle for poolIdleTimeout and, while any
// remain, looks again later.
func (p *targetPool) closeStale() {
	cutoff := time.Now().Add(-poolIdleTimeout)
	p.mu.Lock()
	defer p.mu.Unlock()
	for host, list := range p.idle {
		n := 0
		for n < len(list) && list[n].usedAt.Before(cutoff) {
			list[n].conn.Close()
			n++
		}
		if n == len(list) {
			delete(p.idle, host)
		} else {
			p.idle[host] = append(list[:0], list[n:]...)
		}
	}
	p.tidy = nil
	if len(p.idle) > 0 {
		p.tidy = time.AfterFunc(poolIdleTimeout/2, p.closeStale)
	}
}

// CloseIdleConnections closes every idle connection, the full Transport's
// too.
func (p *targetPool) CloseIdleConnections() {
	p.mu.Lock()
	for host, list := range p.idle {
		for _, tc := range list {
			tc.conn.Close()
		}
		delete(p.idle, host)
	}
	p.mu.Unlock()
	p.full.CloseIdleConnections()
}
