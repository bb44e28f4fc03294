package logs

import (
	"strconv"
	"strings"
)

// spacePattern is `[f1, f2 = value, ..., f3 > 5]`: the message is split
// into fields on spaces ("quoted" and [bracketed] fields whole) and the
// fields are matched in order, `...` standing for any number of them.
type spacePattern struct {
	fields []spaceField
}

// spaceField is one field of the pattern: any value, a condition on it,
// or the `...` ellipsis.
type spaceField struct {
	ellipsis bool
	op       string // "" (any value), = != < > <= >=
	value    string
	num      float64
	isNum    bool
}

func (f spaceField) matches(v string) bool {
	switch {
	case f.op == "":
		return true
	case f.isNum:
		n, err := strconv.ParseFloat(v, 64)
		if err == nil {
			return compareNumbers(n, f.op, f.num)
		}
		if f.op != "=" && f.op != "!=" {
			return false
		}
	}
	if f.op == "=" {
		return globMatch(f.value, v)
	}
	return f.op == "!=" && !globMatch(f.value, v)
}

// match runs the classic wildcard dynamic programme over fields, so that
// several ellipses cost O(pattern × message) rather than backtracking.
func (p spacePattern) match(msg string) bool {
	words := splitFields(msg)
	// ok[j]: the pattern's first i fields match the message's first j words.
	ok := make([]bool, len(words)+1)
	ok[0] = true
	for _, f := range p.fields {
		next := make([]bool, len(words)+1)
		for j := range ok {
			switch {
			case f.ellipsis:
				next[j] = ok[j] || (j > 0 && next[j-1])
			case j > 0:
				next[j] = ok[j-1] && f.matches(words[j-1])
			}
		}
		ok = next
	}
	return ok[len(words)]
}

// splitFields splits a message on spaces, keeping "quoted" and
// [bracketed] runs whole, without their delimiters.
func splitFields(msg string) []string {
	var out []string
	for i := 0; i < len(msg); {
		if msg[i] == ' ' {
			i++
			continue
		}
		closer := byte(' ')
		start := i
		switch msg[i] {
		case '"':
			closer, start = '"', i+1
		case '[':
			closer, start = ']', i+1
		}
		end := strings.IndexByte(msg[start:], closer)
		if end < 0 {
			out = append(out, msg[start:])
			break
		}
		out = append(out, msg[start:start+end])
		i = start + end + 1
	}
	return out
}

// compileSpacePattern parses `[field, field op value, ...]`.
func compileSpacePattern(s string) (pattern, error) {
	if len(s) < 2 || s[len(s)-1] != ']' {
		return nil, errBadPattern
	}
	parts, err := splitCommas(s[1 : len(s)-1])
	if err != nil {
		return nil, err
	}
	var p spacePattern
	names := map[string]bool{}
	for _, part := range parts {
		f, name, err := parseSpaceField(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		if name != "" {
			if names[name] {
				return nil, errBadPattern // each field is named once
			}
			names[name] = true
		}
		p.fields = append(p.fields, f)
	}
	return p, nil
}

// splitCommas splits on commas outside "quotes".
func splitCommas(s string) ([]string, error) {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && quoted:
			i++
		case s[i] == '"':
			quoted = !quoted
		case s[i] == ',' && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	if quoted {
		return nil, errBadPattern
	}
	return append(parts, s[start:]), nil
}

// parseSpaceField reads `...`, `name` or `name op value`.
func parseSpaceField(s string) (spaceField, string, error) {
	if s == "..." {
		return spaceField{ellipsis: true}, "", nil
	}
	i := 0
	for i < len(s) && (isWordByte(s[i])) {
		i++
	}
	name, rest := s[:i], strings.TrimSpace(s[i:])
	if name == "" {
		return spaceField{}, "", errBadPattern
	}
	if rest == "" {
		return spaceField{}, name, nil
	}
	op := ""
	for _, candidate := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if strings.HasPrefix(rest, candidate) {
			op = candidate
			break
		}
	}
	value := strings.TrimSpace(strings.TrimPrefix(rest, op))
	if op == "" || value == "" {
		return spaceField{}, "", errBadPattern
	}
	f := spaceField{op: op}
	if value[0] == '"' {
		text, after, err := readQuoted(value)
		if err != nil || strings.TrimSpace(after) != "" {
			return spaceField{}, "", errBadPattern
		}
		f.value = text
	} else {
		if strings.ContainsAny(value, " \t\"") {
			return spaceField{}, "", errBadPattern
		}
		f.value = value
		if n, err := strconv.ParseFloat(value, 64); err == nil {
			f.num, f.isNum = n, true
		}
	}
	if op != "=" && op != "!=" && !f.isNum {
		return spaceField{}, "", errBadPattern
	}
	return f, name, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
