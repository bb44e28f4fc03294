package alb

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The fast path writes answers as the reverse proxy and net/http's
// server together write them on the other path: the target's fields
// without the hop-by-hop ones, net/http's own status text, a Date when
// the target sent none, a sniffed Content-Type for a known-length body
// that has none, chunked bodies of unknown length to HTTP/1.1 clients
// (closed connections for HTTP/1.0 ones), the same keep-alive rules, and
// an abrupt close when the target's body fails midway.

// writeAnswer writes the target's answer; it reports whether the
// connection stays open.
func (fc *fastConn) writeAnswer(req *fastRequest, resp *http.Response) bool {
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// A switch nobody asked for: the reverse proxy refuses it too.
		resp.Body.Close()
		return fc.writeALB(req, http.StatusBadGateway)
	}
	h := resp.Header
	removeHopByHop(h)
	if len(resp.Trailer) > 0 {
		keys := make([]string, 0, len(resp.Trailer))
		for k := range resp.Trailer {
			keys = append(keys, k)
		}
		h.Add("Trailer", strings.Join(keys, ", "))
	}
	return fc.writeResponse(req, resp.StatusCode, h, resp.Body, resp)
}

// writeALB writes an answer of the load balancer's own (writeALBResponse).
func (fc *fastConn) writeALB(req *fastRequest, code int) bool {
	body := albPage(code)
	h := http.Header{
		"Server":         {serverHeader},
		"Content-Type":   {"text/html"},
		"Content-Length": {strconv.Itoa(len(body))},
	}
	return fc.writeResponse(req, code, h, io.NopCloser(strings.NewReader(body)), nil)
}

// write1xx passes an informational answer on at once, as net/http's
// server writes one for the reverse proxy: the target's fields but
// Content-Length and Transfer-Encoding.
func (fc *fastConn) write1xx(code int, h textproto.MIMEHeader) error {
	fc.writeStatusLine(code)
	fc.writeFields(http.Header(h), "Content-Length", "Transfer-Encoding")
	fc.bw.WriteString("\r\n")
	_ = fc.bw.Flush() // a failed write shows at the final answer
	return nil
}

// hopByHop are the fields the reverse proxy drops from answers, besides
// those the answer's Connection field names.
var hopByHop = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func removeHopByHop(h http.Header) {
	for _, v := range h["Connection"] {
		for f := range strings.SplitSeq(v, ",") {
			if f = textproto.TrimString(f); f != "" {
				h.Del(f)
			}
		}
	}
	for _, k := range hopByHop {
		delete(h, k)
	}
}

// sniffLen is how much of a body net/http's content sniffing looks at.
const sniffLen = 512

// writeResponse writes status, fields and body; resp, when not nil, is
// the target's answer (for its trailers). It reports whether the
// connection stays open.
func (fc *fastConn) writeResponse(req *fastRequest, code int, h http.Header, body io.ReadCloser, resp *http.Response) bool {
	defer body.Close()
	isHEAD := req.method == http.MethodHead
	bodyAllowed := bodyAllowedForStatus(code)
	length := int64(-1)
	if v := h.Get("Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			length = n
		} else {
			delete(h, "Content-Length")
		}
	}
	hasBody := !isHEAD && bodyAllowed

	// Content sniffing needs the body's first bytes before the head.
	var first []byte
	var sniffed string
	_, haveType := h["Content-Type"]
	if hasBody && length > 0 && !haveType && h.Get("Content-Encoding") == "" {
		var buf [sniffLen]byte
		n, err := io.ReadFull(body, buf[:min(length, sniffLen)])
		if err != nil {
			return false // the target's body failed: abort, as the proxy does
		}
		first = buf[:n]
		sniffed = http.DetectContentType(first)
	}

	// Keep-alive, as net/http's chunkWriter.writeHeader decides it.
	var connection string
	closeAfter := false
	if req.keepAlive10 && (isHEAD || length >= 0 || !bodyAllowed) {
		connection = "keep-alive"
	} else if req.minor == 0 || req.close {
		closeAfter = true
	}
	chunked := false
	switch {
	case !hasBody:
	case length >= 0:
	case req.minor == 1:
		chunked = true
	default:
		closeAfter = true // HTTP/1.0 without a length: the close ends the body
	}
	if closeAfter {
		connection = ""
		if req.minor == 1 {
			connection = "close"
		}
	}

	fc.writeStatusLine(code)
	if bodyAllowed {
		fc.writeFields(h)
	} else if code == http.StatusNotModified {
		fc.writeFields(h, "Content-Type", "Content-Length", "Transfer-Encoding")
	} else {
		fc.writeFields(h, "Content-Length", "Transfer-Encoding")
	}
	bw := fc.bw
	if _, ok := h["Date"]; !ok {
		var b [len("Date: ") + len(http.TimeFormat) + 2]byte
		out := append(b[:0], "Date: "...)
		out = append(time.Now().UTC().AppendFormat(out, http.TimeFormat), "\r\n"...)
		bw.Write(out)
	}
	if sniffed != "" {
		writeField(bw, "Content-Type", sniffed)
	}
	if connection != "" {
		writeField(bw, "Connection", connection)
	}
	if chunked {
		writeField(bw, "Transfer-Encoding", "chunked")
	}
	bw.WriteString("\r\n")

	if hasBody && !fc.copyBody(first, body, length, chunked, flushesEachWrite(h, length), resp) {
		return false
	}
	return bw.Flush() == nil && !closeAfter
}

// flushesEachWrite tells the answers the reverse proxy streams: unknown
// length, or server-sent events.
func flushesEachWrite(h http.Header, length int64) bool {
	if length < 0 {
		return true
	}
	const sse = "text/event-stream"
	ct := h.Get("Content-Type")
	if len(ct) < len(sse) || !strings.EqualFold(ct[:len(sse)], sse) {
		return false // spares parsing the common type
	}
	base, _, _ := mime.ParseMediaType(ct)
	return base == sse
}

// copyBody copies the body after its first (sniffed) bytes; false if the
// target's body or the client's connection failed (the connection is then
// closed, mid-answer).
func (fc *fastConn) copyBody(first []byte, body io.Reader, length int64, chunked, flush bool, resp *http.Response) bool {
	bw := fc.bw
	written := int64(len(first))
	bw.Write(first)
	if !chunked && !flush {
		n, err := io.Copy(bw, body)
		return err == nil && (length < 0 || written+n == length)
	}
	buf := fc.l.s.buffers.Get()
	defer fc.l.s.buffers.Put(buf)
	for {
		n, err := body.Read(buf)
		if n > 0 {
			if chunked {
				bw.WriteString(strconv.FormatInt(int64(n), 16))
				bw.WriteString("\r\n")
			}
			bw.Write(buf[:n])
			if chunked {
				bw.WriteString("\r\n")
			}
			written += int64(n)
			if bw.Flush() != nil {
				return false
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return false
		}
	}
	if length >= 0 && written != length {
		return false
	}
	if chunked {
		bw.WriteString("0\r\n")
		if resp != nil && len(resp.Trailer) > 0 {
			_ = resp.Trailer.Write(bw)
		}
		bw.WriteString("\r\n")
	}
	return true
}

// writeStatusLine writes net/http's status line (its own status text, not
// the target's) for the client's protocol version.
func (fc *fastConn) writeStatusLine(code int) {
	bw := fc.bw
	if fc.req.minor == 1 {
		bw.WriteString("HTTP/1.1 ")
	} else {
		bw.WriteString("HTTP/1.0 ")
	}
	text := http.StatusText(code)
	if text == "" {
		fmt.Fprintf(bw, "%03d status code %d\r\n", code, code)
		return
	}
	var b [3]byte
	bw.Write(strconv.AppendInt(b[:0], int64(code), 10))
	bw.WriteByte(' ')
	bw.WriteString(text)
	bw.WriteString("\r\n")
}

// writeFields writes h sorted by key, as Header.Write does, but the
// excluded keys.
func (fc *fastConn) writeFields(h http.Header, exclude ...string) {
	keys := fc.keys[:0]
	for k := range h {
		if !slices.Contains(exclude, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	fc.keys = keys
	for _, k := range keys {
		for _, v := range h[k] {
			if strings.ContainsAny(v, "\r\n") {
				v = fieldNewlines.Replace(v)
			}
			writeField(fc.bw, k, textproto.TrimString(v))
		}
	}
}

var fieldNewlines = strings.NewReplacer("\n", " ", "\r", " ")

// bodyAllowedForStatus is net/http's rule: 1xx, 204 and 304 have none.
func bodyAllowedForStatus(code int) bool {
	return !(code >= 100 && code <= 199) && code != http.StatusNoContent && code != http.StatusNotModified
}
