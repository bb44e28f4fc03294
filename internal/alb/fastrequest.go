package alb

import (
	"bytes"
	"strings"
)

// fastRequest is a request the listener's fast path answers itself (see
// fastConn): a GET or HEAD without a body, parsed from one buffered head.
// Every string is a piece of one copy of the head.
type fastRequest struct {
	method string // GET or HEAD
	target string // origin-form request target, as sent (and as net/http would forward it)
	minor  int    // HTTP/1.minor
	host   string
	header []headerField // the other fields in arrival order, keys canonical

	connection  string // the Connection field, if any
	close       bool   // the client asked to close after this answer (or HTTP/1.0 did not ask to keep)
	keepAlive10 bool   // an HTTP/1.0 client asked for keep-alive
}

type headerField struct{ key, value string }

// maxFastFields bounds the header fields of a fast request; more hands the
// connection over.
const maxFastFields = 64

// parseFastRequest parses head, a request's head up to and including the
// blank line that ends it. It returns false for anything outside the
// subset the fast path serves, or that net/http might read differently
// (or refuse with a 400): the connection then goes to net/http, so a
// false here is always safe and a true must mean exactly what net/http
// would have read. req.header is reused.
func parseFastRequest(head []byte, req *fastRequest) bool {
	s := string(head)
	line, rest, ok := cutCRLF(s)
	if !ok {
		return false
	}
	*req = fastRequest{header: req.header[:0]}
	if !req.parseRequestLine(line) {
		return false
	}
	var hosts, conns int
	var connection string
	for {
		line, rest, ok = cutCRLF(rest)
		if !ok {
			return false
		}
		if line == "" {
			break
		}
		key, value, ok := splitField(line)
		if !ok || len(req.header) == maxFastFields {
			return false
		}
		switch key {
		case "Host":
			hosts++
			req.host = value
			continue
		case "Connection":
			if value == "" {
				return false
			}
			conns++
			connection = value
			continue
		case "Content-Length", "Transfer-Encoding", "Expect", "Upgrade", "Te", "Trailer":
			return false // a body, an upgrade or a hop-by-hop field the fast path does not carry
		}
		req.header = append(req.header, headerField{key, value})
	}
	if rest != "" || hosts != 1 || conns > 1 || !validFastHost(req.host) {
		return false
	}
	switch {
	case connection == "":
	case strings.EqualFold(connection, "close"):
		req.close = true
	case strings.EqualFold(connection, "keep-alive"):
		req.keepAlive10 = req.minor == 0
	default:
		return false // other tokens name fields to drop: net/http's path does that
	}
	req.connection = connection
	if req.minor == 0 && !req.keepAlive10 {
		req.close = true
	}
	return true
}

// parseRequestLine reads "METHOD target HTTP/1.x".
func (req *fastRequest) parseRequestLine(line string) bool {
	method, rest, ok := strings.Cut(line, " ")
	if !ok || (method != "GET" && method != "HEAD") {
		return false
	}
	target, proto, ok := strings.Cut(rest, " ")
	if !ok || !validFastTarget(target) {
		return false
	}
	switch proto {
	case "HTTP/1.1":
		req.minor = 1
	case "HTTP/1.0":
		req.minor = 0
	default:
		return false
	}
	req.method, req.target = method, target
	return true
}

// cutCRLF splits off one line ended by CRLF; a bare CR or LF fails.
func cutCRLF(s string) (line, rest string, ok bool) {
	i := strings.IndexByte(s, '\n')
	if i < 1 || s[i-1] != '\r' {
		return "", "", false
	}
	line = s[:i-1]
	if strings.IndexByte(line, '\r') >= 0 {
		return "", "", false
	}
	return line, s[i+1:], true
}

// splitField splits "Key: value" into the canonical key and the value
// without surrounding blanks. Keys are tokens (no blank before the colon,
// no folded lines); values are visible ASCII, blanks and tabs.
func splitField(line string) (key, value string, ok bool) {
	k, v, ok := strings.Cut(line, ":")
	if !ok || k == "" {
		return "", "", false
	}
	for i := 0; i < len(k); i++ {
		if !isTokenByte(k[i]) {
			return "", "", false
		}
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c > '~' {
			return "", "", false
		}
	}
	return canonicalKey(k), strings.Trim(v, " \t"), true
}

// canonicalKey is textproto's canonical form of a token key: upper case
// at the start and after each hyphen, lower case elsewhere. An already
// canonical key is returned as is, without a copy.
func canonicalKey(k string) string {
	upper := true
	for i := 0; i < len(k); i++ {
		c := k[i]
		if (upper && 'a' <= c && c <= 'z') || (!upper && 'A' <= c && c <= 'Z') {
			return canonicalCopy(k)
		}
		upper = c == '-'
	}
	return k
}

func canonicalCopy(k string) string {
	b := []byte(k)
	upper := true
	for i, c := range b {
		switch {
		case upper && 'a' <= c && c <= 'z':
			b[i] = c - ('a' - 'A')
		case !upper && 'A' <= c && c <= 'Z':
			b[i] = c + ('a' - 'A')
		}
		upper = c == '-'
	}
	return string(b)
}

// isTokenByte tells the bytes of an HTTP token (RFC 9110 tchar).
func isTokenByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// validFastTarget accepts an origin-form target net/http forwards byte for
// byte: a path of unreserved and sub-delim characters, ':', '@', '/' and
// well-formed percent escapes, and an optional query of the same and '?'.
// Anything else (which net/http re-escapes, or refuses) is declined.
func validFastTarget(t string) bool {
	if t == "" || t[0] != '/' {
		return false
	}
	inQuery := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '?':
			inQuery = true
		case c == '%':
			if !inQuery && (i+2 >= len(t) || !isHex(t[i+1]) || !isHex(t[i+2])) {
				return false
			}
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// validFastHost accepts a plain host[:port]: letters, digits, '-', '.',
// '_', and ':' or brackets for ports and IPv6 literals (no zones, no
// non-ASCII names that would need punycode on the way out).
func validFastHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == ':' || c == '[' || c == ']':
		default:
			return false
		}
	}
	return true
}

// headEnd returns the length of the request head at the start of b (up to
// and including CRLF CRLF), or -1 if b holds no complete head.
func headEnd(b []byte) int {
	if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
		return i + 4
	}
	return -1
}
