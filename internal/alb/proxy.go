package alb

import (
	"context"
	"crypto/tls"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"strings"
	"sync"
	"time"
)

// serveForward runs a forward action: choose the target group by weight, a
// target in it, and proxy the request there while counting it in flight.
func (s *Server) serveForward(w http.ResponseWriter, r *http.Request, lt *listenerTable, fa *forwardAction) {
	g := fa.choose()
	if g == nil {
		writeALBResponse(w, http.StatusServiceUnavailable)
		return
	}
	t := g.acquire()
	if t == nil {
		// No registered target that may take new requests.
		writeALBResponse(w, http.StatusServiceUnavailable)
		return
	}
	defer t.release()

	scheme := "http"
	if v := g.view.Load(); v != nil {
		scheme = v.scheme
	}
	ctx, done := t.requestContext(r.Context())
	defer done()

	// The listener's one proxy serves every target: the target travels in
	// the inbound URL (origin-form on a server, so Scheme and Host are
	// empty and free), which the proxy's clone of the request keeps. That
	// spares a proxy and two closures per request.
	r = r.WithContext(ctx)
	r.URL.Scheme, r.URL.Host = scheme, t.addr
	lt.proxy.ServeHTTP(w, r)
}

// newProxy returns the reverse proxy of one routing table.
func (s *Server) newProxy(lt *listenerTable) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite:    lt.rewrite,
		Transport:  lt.transport,
		BufferPool: s.buffers,
		ErrorLog:   s.errLog,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			code := proxyErrorStatus(r.Context(), err)
			s.log.Debug("proxy error", "target", r.URL.Host, "status", code, "err", err)
			writeALBResponse(w, code)
		},
	}
}

// rewrite adds the headers ALB adds; the target is already in the URL (see
// serveForward). The client's Host header is kept.
func (lt *listenerTable) rewrite(pr *httputil.ProxyRequest) {
	h := pr.Out.Header
	// ReverseProxy strips X-Forwarded-* from Out; rebuild them from In.
	// The keys are canonical already, so the map is written directly.
	client := stripPort(pr.In.RemoteAddr)
	xff := client
	if prior := pr.In.Header["X-Forwarded-For"]; len(prior) > 0 {
		xff = strings.Join(prior, ", ") + ", " + client
	}
	h["X-Forwarded-For"] = []string{xff}
	h["X-Forwarded-Proto"] = lt.schemeValue
	h["X-Forwarded-Port"] = lt.portValue
	if v := h["X-Amzn-Trace-Id"]; len(v) == 0 || v[0] == "" {
		h["X-Amzn-Trace-Id"] = []string{newTraceID(time.Now())}
	}
}

// proxyErrorStatus maps a failed round trip to the status ALB would send:
// 504 when the target did not answer in time, 460 when the client left
// first, 502 for everything else (refused, reset, malformed, aborted at the
// end of a deregistration delay). ctx is the request's context from
// target.requestContext, whose cause tells an abort from a client leaving.
func proxyErrorStatus(ctx context.Context, err error) int {
	if ctx.Err() != nil && !errors.Is(context.Cause(ctx), errTargetAborted) {
		return statusClientClosed
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}

// newTraceID returns an X-Amzn-Trace-Id value: Root=1-<epoch hex>-<96 bits>.
// It is formatted by hand: it is made for nearly every request.
func newTraceID(now time.Time) string {
	var b [traceIDLen]byte
	return string(appendTraceID(b[:0], now))
}

const traceIDLen = len("Root=1-") + 8 + 1 + 24

// appendTraceID appends a new X-Amzn-Trace-Id value to b.
func appendTraceID(b []byte, now time.Time) []byte {
	const prefix = "Root=1-"
	n := len(b)
	b = append(b, make([]byte, traceIDLen)...)
	n += copy(b[n:], prefix)
	n = putHex(b, n, uint64(uint32(now.Unix())), 8)
	b[n] = '-'
	n = putHex(b, n+1, uint64(rand.Uint32()), 8)
	putHex(b, n, rand.Uint64(), 16)
	return b
}

// putHex writes the low digits*4 bits of v as lower-case hex at b[i:] and
// returns the index after them.
func putHex(b []byte, i int, v uint64, digits int) int {
	const hex = "0123456789abcdef"
	for k := digits - 1; k >= 0; k-- {
		b[i+k] = hex[v&0xf]
		v >>= 4
	}
	return i + digits
}

// newTargetTransport returns the full Transport toward one load balancer's
// targets (see targetPool for the requests it serves). Keep-alive is on; a target that does not start answering within
// the idle timeout fails with a timeout (504); target certificates are not
// verified, as ALB does not verify them either. Compression is left to the
// client and the target: by default Go's transport would ask for gzip on a
// client's behalf and unzip the answer, changing what the client gets.
func newTargetTransport(idle time.Duration) *http.Transport {
	dial := 10 * time.Second // ALB's connect timeout toward targets
	if idle < dial {
		dial = idle
	}
	return &http.Transport{
		DialContext:           (&net.Dialer{Timeout: dial, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   128,
		DisableCompression:    true,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: idle,
		ExpectContinueTimeout: time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // targets are not verified by ALB
	}
}

// bufferPool recycles ReverseProxy copy buffers.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (b *bufferPool) Get() []byte  { return *b.p.Get().(*[]byte) }
func (b *bufferPool) Put(p []byte) { b.p.Put(&p) }
