package alb

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"time"
)

// forward serves a fast request's forward action as serveForward and the
// reverse proxy do on net/http's path: the same choice of target, in-flight
// count and request context, the same headers toward the target, the same
// error answers. It reports whether the connection stays open.
func (fc *fastConn) forward(req *fastRequest, lt *listenerTable, fa *forwardAction) bool {
	l := fc.l
	l.active.Add(1)
	defer l.active.Add(-1)
	g := fa.choose()
	if g == nil {
		return fc.writeALB(req, http.StatusServiceUnavailable)
	}
	t := g.acquire()
	if t == nil {
		return fc.writeALB(req, http.StatusServiceUnavailable)
	}
	defer t.release()
	ctx, done := t.requestContext(fc.ctx)
	defer done()
	fc.watch.start()
	keep := fc.exchange(ctx, req, lt, t)
	fc.watch.stop()
	return keep && !fc.watch.gone
}

// exchange proxies the request to t and writes the answer.
func (fc *fastConn) exchange(ctx context.Context, req *fastRequest, lt *listenerTable, t *target) bool {
	fc.lt = lt
	resp, err := lt.transport.send(ctx, t.addr, inlineRequest(req.method), fc.writeReq, fc.got1xx)
	if err != nil {
		code := proxyErrorStatus(ctx, err)
		fc.l.s.log.Debug("proxy error", "target", t.addr, "status", code, "err", err)
		return fc.writeALB(req, code)
	}
	return fc.writeAnswer(req, resp)
}

// inlineRequest tells the answer's parser the method (a HEAD answer has no
// body). The requests are shared and never changed.
func inlineRequest(method string) *http.Request {
	if method == http.MethodHead {
		return headRequest
	}
	return getRequest
}

var (
	getRequest  = &http.Request{Method: http.MethodGet}
	headRequest = &http.Request{Method: http.MethodHead}
)

// plainHTTP tells whether every group the action may choose has plain-HTTP
// targets (the fast path's inline exchange; HTTPS goes through Transport).
func (f *forwardAction) plainHTTP() bool {
	for _, g := range f.groups {
		if v := g.view.Load(); v != nil && v.scheme != "http" {
			return false
		}
	}
	return true
}

// droppedFields are the client's fields that do not go to the target:
// hop-by-hop ones and those the reverse proxy removes or replaces.
var droppedFields = map[string]bool{
	"Keep-Alive": true, "Proxy-Connection": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Forwarded": true, "X-Forwarded-For": true, "X-Forwarded-Host": true, "X-Forwarded-Proto": true,
	"X-Forwarded-Port": true, "User-Agent": true,
}

// writeRequest writes the current request toward the target as
// Request.Write writes the reverse proxy's outgoing request: HTTP/1.1,
// Host then the first User-Agent, the client's other fields, Cache-Control
// where net/http's server derives it from Pragma, a trace ID unless the
// client sent one, and the X-Forwarded fields.
func (fc *fastConn) writeRequest(w io.Writer) error {
	bw := w.(*bufio.Writer)
	req, lt := &fc.req, fc.lt
	var ua, trace, pragma string
	var haveUA, haveTrace, havePragma, haveCacheControl bool
	for _, f := range req.header {
		switch f.key {
		case "User-Agent":
			if !haveUA {
				ua, haveUA = f.value, true
			}
		case "X-Amzn-Trace-Id":
			if !haveTrace {
				trace, haveTrace = f.value, true
			}
		case "Pragma":
			if !havePragma {
				pragma, havePragma = f.value, true
			}
		case "Cache-Control":
			haveCacheControl = true
		}
	}
	keepTrace := trace != ""

	bw.WriteString(req.method)
	bw.WriteByte(' ')
	bw.WriteString(req.target)
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	bw.WriteString(req.host)
	bw.WriteString("\r\n")
	if ua != "" {
		writeField(bw, "User-Agent", ua)
	}
	for _, f := range req.header {
		if droppedFields[f.key] || (f.key == "X-Amzn-Trace-Id" && !keepTrace) {
			continue
		}
		writeField(bw, f.key, f.value)
	}
	if pragma == "no-cache" && !haveCacheControl {
		writeField(bw, "Cache-Control", "no-cache")
	}
	if !keepTrace {
		var b [len("X-Amzn-Trace-Id: ") + traceIDLen + 2]byte
		out := append(b[:0], "X-Amzn-Trace-Id: "...)
		out = append(appendTraceID(out, time.Now()), "\r\n"...)
		bw.Write(out)
	}
	bw.WriteString("X-Forwarded-For: ")
	for _, f := range req.header {
		if f.key == "X-Forwarded-For" {
			bw.WriteString(f.value)
			bw.WriteString(", ")
		}
	}
	bw.WriteString(fc.client)
	bw.WriteString("\r\n")
	writeField(bw, "X-Forwarded-Port", lt.port)
	writeField(bw, "X-Forwarded-Proto", lt.scheme)
	_, err := bw.WriteString("\r\n")
	return err
}

func writeField(bw *bufio.Writer, key, value string) {
	bw.WriteString(key)
	bw.WriteString(": ")
	bw.WriteString(value)
	bw.WriteString("\r\n")
}

// httpRequest is the request as net/http's server would have read it, for
// the listener's rule conditions; false if its target does not parse
// (which parseFastRequest should already have declined).
func (req *fastRequest) httpRequest(remoteAddr string) (*http.Request, bool) {
	u, err := url.ParseRequestURI(req.target)
	if err != nil {
		return nil, false
	}
	h := make(http.Header, len(req.header))
	for _, f := range req.header {
		h[f.key] = append(h[f.key], f.value)
	}
	if req.connection != "" {
		h["Connection"] = []string{req.connection}
	}
	if v := h["Pragma"]; len(v) > 0 && v[0] == "no-cache" && len(h["Cache-Control"]) == 0 {
		h["Cache-Control"] = []string{"no-cache"}
	}
	r := &http.Request{
		Method:     req.method,
		URL:        u,
		Proto:      "HTTP/1." + string(rune('0'+req.minor)),
		ProtoMajor: 1,
		ProtoMinor: req.minor,
		Header:     h,
		Host:       req.host,
		RemoteAddr: remoteAddr,
		RequestURI: req.target,
		Close:      req.close,
	}
	return r, true
}
