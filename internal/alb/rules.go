package alb

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// compiledRule is a listener rule ready for matching: conditions turned into
// closures with their patterns pre-lowered and CIDRs pre-parsed.
type compiledRule struct {
	arn      string
	priority int
	conds    []condition
	action   *compiledAction
}

// condition reports whether a request satisfies one rule condition.
type condition func(*requestView) bool

// requestView caches the parts of a request several conditions look at.
type requestView struct {
	r *http.Request

	hostDone bool
	host     string // lower-cased, without port
	hostPort string // lower-cased, as sent

	queryDone bool
	query     url.Values

	ipDone bool
	ip     netip.Addr
}

func (v *requestView) hostname() (host, withPort string) {
	if !v.hostDone {
		v.hostDone = true
		v.hostPort = strings.ToLower(v.r.Host)
		v.host = stripPort(v.hostPort)
	}
	return v.host, v.hostPort
}

func (v *requestView) queryValues() url.Values {
	if !v.queryDone {
		v.queryDone = true
		v.query, _ = url.ParseQuery(v.r.URL.RawQuery) // keep what parses, as ALB does
	}
	return v.query
}

func (v *requestView) clientIP() netip.Addr {
	if !v.ipDone {
		v.ipDone = true
		v.ip = remoteIP(v.r.RemoteAddr)
	}
	return v.ip
}

// match returns the action of the first rule (by priority) whose conditions
// all hold, or def.
func matchRules(rules []compiledRule, def *compiledAction, r *http.Request) *compiledAction {
	if len(rules) == 0 {
		return def
	}
	v := requestView{r: r}
next:
	for i := range rules {
		for _, c := range rules[i].conds {
			if !c(&v) {
				continue next
			}
		}
		return rules[i].action
	}
	return def
}

// compileRules compiles and sorts a listener's rules. A rule with an invalid
// condition is dropped (it could never match) and reported in the error.
func compileRules(rules []Rule, compileAction func([]Action) (*compiledAction, error)) ([]compiledRule, error) {
	var errs []error
	out := make([]compiledRule, 0, len(rules))
	for _, r := range rules {
		cr := compiledRule{arn: r.ARN, priority: r.Priority}
		ok := true
		for _, c := range r.Conditions {
			fn, err := compileCondition(c)
			if err != nil {
				errs = append(errs, fmt.Errorf("rule %s: %w", r.ARN, err))
				ok = false
				break
			}
			cr.conds = append(cr.conds, fn)
		}
		if !ok {
			continue
		}
		act, err := compileAction(r.Actions)
		if err != nil {
			errs = append(errs, fmt.Errorf("rule %s: %w", r.ARN, err))
		}
		cr.action = act
		out = append(out, cr)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].priority < out[j].priority })
	return out, errors.Join(errs...)
}

func compileCondition(c Condition) (condition, error) {
	switch c.Field {
	case FieldPathPattern:
		pats := append([]string(nil), c.Values...)
		return func(v *requestView) bool {
			p := v.r.URL.Path
			for _, pat := range pats {
				if wildcardMatch(pat, p, false) {
					return true
				}
			}
			return false
		}, nil

	case FieldHostHeader:
		pats := lowerAll(c.Values)
		return func(v *requestView) bool {
			host, withPort := v.hostname()
			for _, pat := range pats {
				if wildcardMatch(pat, host, false) || (withPort != host && wildcardMatch(pat, withPort, false)) {
					return true
				}
			}
			return false
		}, nil

	case FieldHTTPHeader:
		if c.HeaderName == "" {
			return nil, fmt.Errorf("http-header condition without a header name")
		}
		name := http.CanonicalHeaderKey(c.HeaderName)
		pats := lowerAll(c.Values)
		return func(v *requestView) bool {
			// Repeated headers are searched in order until one matches.
			for _, hv := range v.r.Header[name] {
				hv = strings.ToLower(hv)
				for _, pat := range pats {
					if wildcardMatch(pat, hv, false) {
						return true
					}
				}
			}
			return false
		}, nil

	case FieldHTTPRequestMethod:
		methods := append([]string(nil), c.Values...)
		return func(v *requestView) bool {
			for _, m := range methods {
				if v.r.Method == m { // exact and case-sensitive, no wildcards
					return true
				}
			}
			return false
		}, nil

	case FieldQueryString:
		type pair struct {
			key, value string
			anyKey     bool
		}
		pairs := make([]pair, 0, len(c.QueryStrings))
		for _, q := range c.QueryStrings {
			pairs = append(pairs, pair{key: strings.ToLower(q.Key), value: strings.ToLower(q.Value), anyKey: q.Key == ""})
		}
		return func(v *requestView) bool {
			q := v.queryValues()
			for _, p := range pairs {
				for k, vals := range q {
					if !p.anyKey && !wildcardMatch(p.key, strings.ToLower(k), true) {
						continue
					}
					for _, val := range vals {
						if wildcardMatch(p.value, strings.ToLower(val), true) {
							return true
						}
					}
				}
			}
			return false
		}, nil

	case FieldSourceIP:
		prefixes := make([]netip.Prefix, 0, len(c.Values))
		for _, s := range c.Values {
			p, err := parseCIDR(s)
			if err != nil {
				return nil, fmt.Errorf("source-ip condition: %w", err)
			}
			prefixes = append(prefixes, p)
		}
		return func(v *requestView) bool {
			ip := v.clientIP()
			if !ip.IsValid() {
				return false
			}
			for _, p := range prefixes {
				if p.Contains(ip) {
					return true
				}
			}
			return false
		}, nil
	}
	return nil, fmt.Errorf("unsupported condition field %q", c.Field)
}

func parseCIDR(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()).Masked(), nil
}

// wildcardMatch matches s against pattern, where '*' matches any run of
// characters (including none) and '?' exactly one character. With escapes,
// a backslash makes the next pattern character literal (query-string
// conditions). Callers lower-case both sides for case-insensitive fields.
func wildcardMatch(pattern, s string, escapes bool) bool {
	p, i := 0, 0
	starP, starI := -1, -1
	for i < len(s) {
		if p < len(pattern) {
			switch c := pattern[p]; {
			case c == '*':
				starP, starI = p, i
				p++
				continue
			case c == '?':
				_, w := utf8.DecodeRuneInString(s[i:])
				p++
				i += w
				continue
			default:
				lit := pattern[p:]
				if escapes && c == '\\' && len(lit) > 1 {
					lit = lit[1:]
				}
				_, w := utf8.DecodeRuneInString(lit)
				if strings.HasPrefix(s[i:], lit[:w]) {
					p += len(pattern[p:]) - len(lit) + w
					i += w
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last star swallow one more character and retry.
		_, w := utf8.DecodeRuneInString(s[starI:])
		starI += w
		p, i = starP+1, starI
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func lowerAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(s)
	}
	return out
}

// stripPort removes a trailing ":port" from a Host header value.
func stripPort(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]")
}

// remoteIP parses the IP of an http.Request.RemoteAddr.
func remoteIP(remoteAddr string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	if a, err := netip.ParseAddr(remoteAddr); err == nil {
		return a.Unmap()
	}
	return netip.Addr{}
}
