package logs

import (
	"strings"
	"testing"
)

func TestPatternMatch(t *testing.T) {
	t.Parallel()
	const (
		plain = `2025-01-02 ERROR [main] Failed to process order 42: timeout`
		info  = `2025-01-02 INFO [main] order 42 done`
		warn  = `WARN disk almost full`
		js    = `{"level":"error","code":503,"user":{"name":"ann","roles":["admin","dev"]},"ok":false,"gone":null,"msg":"upstream timeout"}`
		js2   = `{"level":"info","code":200,"user":{"name":"bob"},"ok":true}`
		space = `127.0.0.1 frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326`
	)
	all := []string{plain, info, warn, js, js2, space}
	tests := []struct {
		pattern string
		want    []string // the messages of all that match
	}{
		{"", all},
		{"   ", all},
		{"ERROR", []string{plain}},
		{"error", []string{js}}, // case-sensitive
		{"ERROR timeout", []string{plain}},
		{"ERROR done", nil},
		{`"Failed to process"`, []string{plain}},
		{`"failed to process"`, nil},
		{"?ERROR ?WARN", []string{plain, warn}},
		{`?"disk almost" ?done`, []string{info, warn}},
		{"order -ERROR", []string{info}},
		{"-main", []string{warn, js, js2, space}},
		{`order ?ERROR ?done`, []string{plain, info}},
		{`{ $.level = "error" }`, []string{js}},
		{`{$.level=error}`, []string{js}},
		{`{ $.level = "err*" }`, []string{js}},
		{`{ $.msg = "*timeout" }`, []string{js}},
		{`{ $.msg = "*stream*" }`, []string{js}},
		{`{ $.level != "error" }`, []string{js2}},
		{`{ $.code > 500 }`, []string{js}},
		{`{ $.code >= 200 && $.code < 300 }`, []string{js2}},
		{`{ $.code = 503 }`, []string{js}},
		{`{ $.code != 503 }`, []string{js2}},
		{`{ $.user.name = "bob" || $.level = "error" }`, []string{js, js2}},
		{`{ ($.user.name = "bob" || $.level = "error") && $.code > 300 }`, []string{js}},
		{`{ $.user.roles[0] = "admin" }`, []string{js}},
		{`{ $.user.roles[*] = "dev" }`, []string{js}},
		{`{ $.user.roles[5] = "dev" }`, nil},
		{`{ $.ok IS TRUE }`, []string{js2}},
		{`{ $.ok IS FALSE }`, []string{js}},
		{`{ $.gone IS NULL }`, []string{js}},
		{`{ $.user.roles NOT EXISTS }`, []string{js2}},
		{`{ $.missing = "x" }`, nil},
		{`[ip, user, timestamp, request, status_code, bytes]`, []string{info, space}}, // six fields each
		{`[ip, user, timestamp, request, status_code = 404, bytes]`, []string{space}},
		{`[ip, user, timestamp, request, status_code = 4*, bytes > 1000]`, []string{space}},
		{`[ip, user, timestamp, request, status_code = 5*, bytes]`, nil},
		{`[ip, user = frank, ...]`, []string{space}},
		{`[..., status_code != 200, bytes < 3000]`, []string{space}},
		{`[ip = "127.*", ...]`, []string{space}},
		{`[..., request = "*gif*", ..., bytes]`, []string{space}},
		{`[a, b]`, []string{js}}, // split at the space in "upstream timeout"
		{`[a, b, c, d]`, []string{warn}},
		{`%ERROR|WARN%`, []string{plain, warn}},
		{`%order [0-9]+ done%`, []string{info}},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			p, err := compilePattern(tc.pattern)
			if err != nil {
				t.Fatalf("compile: %v", err)
			}
			var got []string
			for _, m := range all {
				if p.match(m) {
					got = append(got, m)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("matched\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestPatternInvalid(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		`"unterminated`, `?`, `-`, `ERROR ?`, `a"b`, `{ $.a = "x"`, `{ }`, `{ $.a }`, `{ $.a = }`, `{ $.a > "x" }`,
		`{ $.a = 1 && }`, `{ ($.a = 1 }`, `{ a = 1 }`, `{ $.a IS MAYBE }`, `{ $..a = 1 }`, `{ $.a[x] = 1 }`, `{ $.a = 1 ! }`,
		`[a, b`, `[a, a]`, `[a > x]`, `[= 1]`, `[a = "x]`, `%(%`, `%%`, `{ $.a & $.b }`,
		strings.Repeat("a", 1025),
	} {
		if _, err := compilePattern(s); err == nil {
			t.Errorf("%q compiled", s)
		}
	}
}

func TestSplitFields(t *testing.T) {
	t.Parallel()
	got := splitFields(`a  "b c" [d e] f "unterminated`)
	want := []string{"a", "b c", "d e", "f", "unterminated"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("fields = %q, want %q", got, want)
	}
}

func TestGlobMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		glob, s string
		want    bool
	}{
		{"abc", "abc", true}, {"abc", "abcd", false}, {"a*", "abc", true}, {"*c", "abc", true}, {"*", "", true},
		{"a*c", "ac", true}, {"a*b*c", "aXbYc", true}, {"a*b*c", "acb", false}, {"ab*ba", "aba", false}, {"**", "x", true},
	}
	for _, tc := range tests {
		if got := globMatch(tc.glob, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.glob, tc.s, got)
		}
	}
}

// FuzzPattern: any pattern compiles or is refused, never panics, and a
// compiled one matches any message without panicking.
func FuzzPattern(f *testing.F) {
	for _, s := range []string{"", "ERROR", `"a b" ?c -d`, `{ $.a.b[0] = "x*" && ($.n > 5 || $.m NOT EXISTS) }`,
		`[ip, ..., status = 4*, bytes > 10]`, `%a+%`, `{ $.* = 1 }`} {
		f.Add(s, `{"a":{"b":["xy"]},"n":6} 1.2.3.4 - 404 20`)
	}
	f.Fuzz(func(t *testing.T, pat, msg string) {
		p, err := compilePattern(pat)
		if err != nil {
			return
		}
		p.match(msg)
	})
}
