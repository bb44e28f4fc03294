package alb

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		escapes    bool
		want       bool
	}{
		{"/api/*", "/api/users/1", false, true},
		{"/api/*", "/api", false, false},
		{"/api*", "/api", false, true},
		{"*", "", false, true},
		{"*", "/anything/at/all", false, true},
		{"/img/*.png", "/img/a/b.png", false, true},
		{"/img/*.png", "/img/a/b.jpg", false, false},
		{"/v?/x", "/v1/x", false, true},
		{"/v?/x", "/v10/x", false, false},
		{"/v?/x", "/v/x", false, false},
		{"/é?", "/éü", false, true}, // ? is one character, not one byte
		{"*.example.com", "api.example.com", false, true},
		{"*.example.com", "example.com", false, false},
		{"a*b*c", "axxbyyc", false, true},
		{"a*b*c", "axxbyy", false, false},
		{"**", "x", false, true},
		{"exact", "exact", false, true},
		{"exact", "exactly", false, false},
		{`a\*b`, "a*b", true, true},
		{`a\*b`, "axxb", true, false},
		{`a\?`, "a?", true, true},
		{`a\?`, "ab", true, false},
		{`a\*b`, `a\xxb`, false, true}, // no escapes: backslash is literal, * a wildcard
	}
	for _, tc := range tests {
		if got := wildcardMatch(tc.pattern, tc.s, tc.escapes); got != tc.want {
			t.Errorf("wildcardMatch(%q, %q, %v) = %v, want %v", tc.pattern, tc.s, tc.escapes, got, tc.want)
		}
	}
}

// ruleBody makes a rule that answers 200 with its name.
func ruleBody(name string, prio int, conds ...Condition) Rule {
	return Rule{ARN: name, Priority: prio, Conditions: conds, Actions: fixed("200", name)}
}

func TestRuleMatching(t *testing.T) {
	rules := []Rule{
		// Listed out of order: priority decides.
		ruleBody("api-v2", 5, Condition{Field: FieldPathPattern, Values: []string{"/api/v2/*"}}),
		ruleBody("api", 10, Condition{Field: FieldPathPattern, Values: []string{"/api/*", "/API-LEGACY"}}),
		ruleBody("host", 20, Condition{Field: FieldHostHeader, Values: []string{"*.Example.com", "exact.test"}}),
		ruleBody("header", 30, Condition{Field: FieldHTTPHeader, HeaderName: "x-ENV", Values: []string{"stag?ng", "canary-*"}}),
		ruleBody("method", 40, Condition{Field: FieldHTTPRequestMethod, Values: []string{"PUT", "DELETE"}}),
		ruleBody("query", 50, Condition{Field: FieldQueryString, QueryStrings: []QueryStringPair{{Key: "ver*", Value: "b?ta"}, {Value: "magic"}}}),
		ruleBody("source", 60, Condition{Field: FieldSourceIP, Values: []string{"10.1.0.0/16", "192.0.2.7"}}),
		ruleBody("and", 70,
			Condition{Field: FieldPathPattern, Values: []string{"/both"}},
			Condition{Field: FieldHTTPRequestMethod, Values: []string{"POST"}}),
		ruleBody("v6", 80, Condition{Field: FieldSourceIP, Values: []string{"2001:db8::/32"}}),
	}
	compiled, err := compileRules(rules, func(a []Action) (*compiledAction, error) { return compileAction(a, nil) })
	if err != nil {
		t.Fatal(err)
	}
	def, _ := compileAction(fixed("404", "default"), nil)

	tests := []struct {
		name    string
		method  string
		target  string
		host    string
		headers map[string][]string
		remote  string
		want    string
	}{
		{name: "priority wins over list order", target: "/api/v2/x", want: "api-v2"},
		{name: "path wildcard", target: "/api/users", want: "api"},
		{name: "path OR value", target: "/API-LEGACY", want: "api"},
		{name: "path is case-sensitive", target: "/Api/users", want: "default"},
		{name: "path ignores the query", target: "/x?p=/api/1", want: "default"},
		{name: "host wildcard, case-insensitive", target: "/", host: "WWW.example.COM", want: "host"},
		{name: "host with port", target: "/", host: "exact.test:8080", want: "host"},
		{name: "host no match", target: "/", host: "example.org", want: "default"},
		{name: "header name and value case-insensitive", target: "/", headers: map[string][]string{"X-Env": {"STAGING"}}, want: "header"},
		{name: "header wildcard", target: "/", headers: map[string][]string{"X-Env": {"canary-7"}}, want: "header"},
		{name: "repeated header searched in order", target: "/", headers: map[string][]string{"X-Env": {"prod", "staging"}}, want: "header"},
		{name: "header no match", target: "/", headers: map[string][]string{"X-Env": {"prod"}}, want: "default"},
		{name: "method exact", method: "DELETE", target: "/", want: "method"},
		{name: "method is case-sensitive", method: "delete", target: "/", want: "default"},
		{name: "query key and value wildcards", target: "/?version=BETA", want: "query"},
		{name: "query value under any key", target: "/?a=1&b=Magic", want: "query"},
		{name: "query decoded", target: "/?x=ma%67ic", want: "query"},
		{name: "query key mismatch", target: "/?other=beta", want: "default"},
		{name: "source CIDR", target: "/", remote: "10.1.200.3:5555", want: "source"},
		{name: "source single IP", target: "/", remote: "192.0.2.7:1", want: "source"},
		{name: "source outside", target: "/", remote: "10.2.0.1:1", want: "default"},
		{name: "source ignores X-Forwarded-For", target: "/", headers: map[string][]string{"X-Forwarded-For": {"10.1.0.1"}}, want: "default"},
		{name: "source IPv6", target: "/", remote: "[2001:db8::1]:443", want: "v6"},
		{name: "conditions AND-ed: both", method: "POST", target: "/both", want: "and"},
		{name: "conditions AND-ed: one", method: "GET", target: "/both", want: "default"},
		{name: "default action", target: "/nothing", want: "default"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			r := httptest.NewRequest(method, tc.target, nil)
			r.Method = method // NewRequest does not normalise, but be explicit
			if tc.host != "" {
				r.Host = tc.host
			}
			for k, vs := range tc.headers {
				for _, v := range vs {
					r.Header.Add(k, v)
				}
			}
			r.RemoteAddr = "203.0.113.9:40000"
			if tc.remote != "" {
				r.RemoteAddr = tc.remote
			}
			a := matchRules(compiled, def, r)
			if got := a.fixed.MessageBody; got != tc.want {
				t.Errorf("matched %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	rules := []Rule{
		ruleBody("bad-field", 1, Condition{Field: "cookie", Values: []string{"x"}}),
		ruleBody("bad-cidr", 2, Condition{Field: FieldSourceIP, Values: []string{"not-an-ip"}}),
		ruleBody("ok", 3, Condition{Field: FieldPathPattern, Values: []string{"*"}}),
	}
	compiled, err := compileRules(rules, func(a []Action) (*compiledAction, error) { return compileAction(a, nil) })
	if err == nil || !strings.Contains(err.Error(), "cookie") || !strings.Contains(err.Error(), "not-an-ip") {
		t.Fatalf("err = %v, want both bad rules reported", err)
	}
	if len(compiled) != 1 || compiled[0].arn != "ok" {
		t.Fatalf("compiled %d rules, want only the valid one", len(compiled))
	}
	if _, err := compileAction([]Action{{Type: "authenticate-oidc"}}, nil); err == nil {
		t.Error("an action list without a final action must be reported")
	}
}

func TestRedirect(t *testing.T) {
	lt := &listenerTable{address: "127.0.0.1", protocol: "HTTP", scheme: "http", port: "8080"}
	tests := []struct {
		name   string
		cfg    RedirectConfig
		target string
		host   string
		code   int
		want   string
	}{
		{
			name: "to https keeping everything else", target: "/a/b?x=1", host: "app.test:8080",
			cfg:  RedirectConfig{Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301"},
			code: 301, want: "https://app.test:443/a/b?x=1",
		},
		{
			name: "placeholders", target: "/old/page?q=2", host: "app.test",
			cfg:  RedirectConfig{Host: "new.#{host}", Path: "/v2/#{path}", Query: "#{query}&from=#{protocol}", StatusCode: "HTTP_302"},
			code: 302, want: "http://new.app.test:8080/v2/old/page?q=2&from=HTTP",
		},
		{
			name: "fixed path keeps the query", target: "/x?drop=1", host: "h",
			cfg:  RedirectConfig{Path: "/login", Query: "", StatusCode: "HTTP_302"},
			code: 302, want: "http://h:8080/login?drop=1",
		},
		{
			name: "path without slash gets one", target: "/", host: "h",
			cfg:  RedirectConfig{Path: "#{host}", StatusCode: "HTTP_302"},
			code: 302, want: "http://h:8080/h",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := compileAction([]Action{{Type: ActionRedirect, Redirect: &tc.cfg}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodGet, tc.target, nil)
			r.Host = tc.host
			w := httptest.NewRecorder()
			serveRedirect(w, r, a, lt)
			if w.Code != tc.code || w.Header().Get("Location") != tc.want {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Header().Get("Location"), tc.code, tc.want)
			}
		})
	}
}

func TestActionOrder(t *testing.T) {
	// The last action by Order is the one that runs.
	a, err := compileAction([]Action{
		{Type: ActionFixedResponse, Order: 2, FixedResponse: &FixedResponseConfig{StatusCode: "418", MessageBody: "last"}},
		{Type: ActionFixedResponse, Order: 1, FixedResponse: &FixedResponseConfig{StatusCode: "200", MessageBody: "first"}},
	}, nil)
	if err != nil || a.fixed.MessageBody != "last" || a.fixedCode != 418 {
		t.Fatalf("got %+v, %v", a, err)
	}
}
