package logs

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
)

// A pattern is a compiled CloudWatch Logs filter pattern. Four forms:
//
//   - terms: `ERROR timeout` (every term, case-sensitive), `"quoted phrase"`,
//     `?ERROR ?WARN` (any one of the ? terms), `ERROR -retry` (none of the -
//     terms); "" matches every event;
//   - JSON: `{ $.level = "err*" && ($.code > 499 || $.user.name NOT EXISTS) }`
//     with = != < > <= >=, IS NULL, IS TRUE, IS FALSE, NOT EXISTS, `*`
//     wildcards in string values, paths `$.a.b`, `$.list[0]`, `$.list[*]`;
//   - space-delimited: `[ip, user, ..., status = 4*, bytes > 1000]`, fields
//     split on spaces, "quoted" and [bracketed] fields whole, `...` any
//     number of fields;
//   - regular expression: `%ERROR|WARN%`.
//
// Anything else, or a pattern longer than 1,024 characters, is refused
// with InvalidParameterException "Invalid filter pattern".
type pattern interface {
	match(msg string) bool
}

// errBadPattern is what the parsers report; the API turns it into AWS's
// error.
var errBadPattern = errors.New("invalid filter pattern")

const maxPatternLength = 1024

// compilePattern parses a filter pattern.
func compilePattern(s string) (pattern, error) {
	if len(s) > maxPatternLength {
		return nil, errBadPattern
	}
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		return matchAll{}, nil
	case t[0] == '{':
		return compileJSONPattern(t)
	case t[0] == '[':
		return compileSpacePattern(t)
	case len(t) >= 2 && t[0] == '%' && t[len(t)-1] == '%':
		re, err := regexp.Compile(t[1 : len(t)-1])
		if err != nil || t == "%%" {
			return nil, errBadPattern
		}
		return regexPattern{re}, nil
	}
	return compileTerms(t)
}

type matchAll struct{}

func (matchAll) match(string) bool { return true }

type regexPattern struct{ re *regexp.Regexp }

func (p regexPattern) match(msg string) bool { return p.re.MatchString(msg) }

// termPattern is the plain form: required, optional (?) and excluded (-)
// terms, each a substring of the message.
type termPattern struct {
	all, any, none []string
}

func (p termPattern) match(msg string) bool {
	for _, t := range p.all {
		if !strings.Contains(msg, t) {
			return false
		}
	}
	for _, t := range p.none {
		if strings.Contains(msg, t) {
			return false
		}
	}
	if len(p.any) == 0 {
		return true
	}
	for _, t := range p.any {
		if strings.Contains(msg, t) {
			return true
		}
	}
	return false
}

// compileTerms reads whitespace-separated terms, each bare or "quoted"
// (with \" and \\ escapes), optionally prefixed with ? or -.
func compileTerms(s string) (pattern, error) {
	var p termPattern
	for s = strings.TrimLeft(s, " \t\r\n"); s != ""; s = strings.TrimLeft(s, " \t\r\n") {
		kind := s[0]
		if kind == '?' || kind == '-' {
			s = s[1:]
		}
		term, rest, err := readTerm(s)
		if err != nil {
			return nil, err
		}
		s = rest
		switch kind {
		case '?':
			p.any = append(p.any, term)
		case '-':
			p.none = append(p.none, term)
		default:
			p.all = append(p.all, term)
		}
	}
	return p, nil
}

// readTerm reads one bare or quoted term from the start of s.
func readTerm(s string) (term, rest string, err error) {
	if s == "" || isSpace(s[0]) {
		return "", "", errBadPattern // a lone ? or -
	}
	if s[0] == '"' {
		term, rest, err = readQuoted(s)
		if err != nil || (rest != "" && !isSpace(rest[0])) || term == "" {
			return "", "", errBadPattern
		}
		return term, rest, nil
	}
	end := strings.IndexAny(s, " \t\r\n")
	if end < 0 {
		end = len(s)
	}
	term = s[:end]
	if strings.ContainsAny(term, `"{}[]`) {
		return "", "", errBadPattern
	}
	return term, s[end:], nil
}

// readQuoted reads a "quoted" string at the start of s, unescaping \" and
// \\, and returns what follows the closing quote.
func readQuoted(s string) (string, string, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
				i++
				b.WriteByte(s[i])
				continue
			}
			b.WriteByte(c)
		case '"':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errBadPattern
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// globMatch matches s against a value where * stands for any run of
// characters (the wildcard of JSON and space-delimited string values).
func globMatch(glob, s string) bool {
	parts := strings.Split(glob, "*")
	if len(parts) == 1 {
		return glob == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(s, part)
		if i < 0 {
			return false
		}
		s = s[i+len(part):]
	}
	return strings.HasSuffix(s, last)
}

// numberOf reads a JSON or textual number.
func numberOf(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	}
	return 0, false
}
