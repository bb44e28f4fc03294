package alb

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
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

	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			lt.rewrite(pr, scheme, t.addr)
		},
		Transport:  lt.transport,
		BufferPool: s.buffers,
		ErrorLog:   s.errLog,
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			code := proxyErrorStatus(r.Context(), err)
			s.log.Debug("proxy error", "target_group", t.tg, "target", t.addr, "status", code, "err", err)
			writeALBResponse(w, code)
		},
	}
	rp.ServeHTTP(w, r.WithContext(ctx))
}

// rewrite points the outgoing request at the target and adds the headers ALB
// adds. The client's Host header is kept.
func (lt *listenerTable) rewrite(pr *httputil.ProxyRequest, scheme, addr string) {
	out := pr.Out
	out.URL.Scheme = scheme
	out.URL.Host = addr

	// ReverseProxy strips X-Forwarded-* from Out; rebuild them from In.
	client := stripPort(pr.In.RemoteAddr)
	xff := client
	if prior := pr.In.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		xff = strings.Join(prior, ", ") + ", " + client
	}
	out.Header.Set("X-Forwarded-For", xff)
	out.Header.Set("X-Forwarded-Proto", lt.scheme)
	out.Header.Set("X-Forwarded-Port", lt.port)
	if out.Header.Get("X-Amzn-Trace-Id") == "" {
		out.Header.Set("X-Amzn-Trace-Id", newTraceID(time.Now()))
	}
}

// proxyErrorStatus maps a failed round trip to the status ALB would send:
// 504 when the target did not answer in time, 460 when the client left
// first, 502 for everything else (refused, reset, malformed, aborted).
func proxyErrorStatus(clientCtx context.Context, err error) int {
	if clientCtx.Err() != nil {
		return statusClientClosed
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}

// newTraceID returns an X-Amzn-Trace-Id value: Root=1-<epoch hex>-<96 bits>.
func newTraceID(now time.Time) string {
	return fmt.Sprintf("Root=1-%08x-%08x%016x", uint32(now.Unix()), rand.Uint32(), rand.Uint64())
}

// newTargetTransport returns the connection pool toward targets for one load
// balancer. Keep-alive is on; a target that does not start answering within
// the idle timeout fails with a timeout (504); target certificates are not
// verified, as ALB does not verify them either.
func newTargetTransport(idle time.Duration) *http.Transport {
	dial := 10 * time.Second // ALB's connect timeout toward targets
	if idle < dial {
		dial = idle
	}
	return &http.Transport{
		DialContext:           (&net.Dialer{Timeout: dial, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   128,
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
