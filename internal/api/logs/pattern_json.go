package logs

import (
	"encoding/json"
	"strconv"
	"strings"
)

// jsonPattern is `{ expression }`, matched against messages that are
// JSON documents; other messages never match.
type jsonPattern struct{ root jsonExpr }

func (p jsonPattern) match(msg string) bool {
	doc, ok := decodeMessage(msg)
	return ok && p.root.eval(doc)
}

// decodeMessage parses a message as one JSON value, numbers kept exact.
func decodeMessage(msg string) (any, bool) {
	t := strings.TrimSpace(msg)
	if t == "" || (t[0] != '{' && t[0] != '[') {
		return nil, false
	}
	dec := json.NewDecoder(strings.NewReader(t))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil || dec.More() {
		return nil, false
	}
	return doc, true
}

// jsonExpr is a node of a JSON pattern: && and || of comparisons.
type jsonExpr interface {
	eval(doc any) bool
}

type jsonAnd struct{ left, right jsonExpr }

func (e jsonAnd) eval(doc any) bool { return e.left.eval(doc) && e.right.eval(doc) }

type jsonOr struct{ left, right jsonExpr }

func (e jsonOr) eval(doc any) bool { return e.left.eval(doc) || e.right.eval(doc) }

// jsonTest compares the values a selector finds; it holds when any of
// them passes (a [*] selector finds several), or, for NOT EXISTS, when
// none is found.
type jsonTest struct {
	path []pathSegment
	op   string // = != < > <= >=, or "IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"
	text string // the value as written (unquoted)
	num  float64
	// isNum: the value was written as a bare number; quoted: as "text".
	isNum, quoted bool
}

func (t jsonTest) eval(doc any) bool {
	found := resolve(doc, t.path)
	if t.op == "NOT EXISTS" {
		return len(found) == 0
	}
	for _, v := range found {
		if t.test(v) {
			return true
		}
	}
	return false
}

func (t jsonTest) test(v any) bool {
	switch t.op {
	case "IS NULL":
		return v == nil
	case "IS TRUE", "IS FALSE":
		b, ok := v.(bool)
		return ok && b == (t.op == "IS TRUE")
	}
	if n, ok := numberOf(v); ok && t.isNum {
		return compareNumbers(n, t.op, t.num)
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case bool:
		if t.quoted {
			return false
		}
		s = strconv.FormatBool(x)
	default:
		return false
	}
	switch t.op {
	case "=":
		return globMatch(t.text, s)
	case "!=":
		return !globMatch(t.text, s)
	}
	return false
}

func compareNumbers(a float64, op string, b float64) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}

// pathSegment is one step of a selector: a member name, an index, or *
// (every member or element).
type pathSegment struct {
	name  string
	index int // for [n]; -1 for a name, -2 for *
}

// resolve returns the values a selector reaches in doc.
func resolve(doc any, path []pathSegment) []any {
	cur := []any{doc}
	for _, seg := range path {
		var next []any
		for _, v := range cur {
			next = append(next, step(v, seg)...)
		}
		if len(next) == 0 {
			return nil
		}
		cur = next
	}
	return cur
}

func step(v any, seg pathSegment) []any {
	switch x := v.(type) {
	case map[string]any:
		if seg.index == -2 {
			out := make([]any, 0, len(x))
			for _, m := range x {
				out = append(out, m)
			}
			return out
		}
		if m, ok := x[seg.name]; ok && seg.index == -1 {
			return []any{m}
		}
	case []any:
		if seg.index == -2 {
			return x
		}
		if seg.index >= 0 && seg.index < len(x) {
			return []any{x[seg.index]}
		}
	}
	return nil
}

// compileJSONPattern parses `{ expression }`.
func compileJSONPattern(s string) (pattern, error) {
	if len(s) < 2 || s[len(s)-1] != '}' {
		return nil, errBadPattern
	}
	toks, err := lexJSONPattern(s[1 : len(s)-1])
	if err != nil {
		return nil, err
	}
	p := &jsonParser{toks: toks}
	root, err := p.or()
	if err != nil || p.pos != len(p.toks) {
		return nil, errBadPattern
	}
	return jsonPattern{root}, nil
}

// jsonToken is a lexeme of a JSON pattern.
type jsonToken struct {
	kind byte // '(' ')' '&' (&&) '|' (||) 'o' (operator) '$' (selector) 's' (quoted) 'w' (word)
	text string
}

func lexJSONPattern(s string) ([]jsonToken, error) {
	var toks []jsonToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '(' || c == ')':
			toks = append(toks, jsonToken{kind: c})
			i++
		case strings.HasPrefix(s[i:], "&&") || strings.HasPrefix(s[i:], "||"):
			toks = append(toks, jsonToken{kind: c})
			i += 2
		case strings.IndexByte("=!<>", c) >= 0:
			op := string(c)
			if i+1 < len(s) && s[i+1] == '=' && c != '=' {
				op += "="
			}
			if op == "!" {
				return nil, errBadPattern
			}
			toks = append(toks, jsonToken{kind: 'o', text: op})
			i += len(op)
		case c == '"':
			text, rest, err := readQuoted(s[i:])
			if err != nil {
				return nil, err
			}
			toks = append(toks, jsonToken{kind: 's', text: text})
			i = len(s) - len(rest)
		default:
			j := i
			for j < len(s) && !isSpace(s[j]) && strings.IndexByte(`()=!<>&|"`, s[j]) < 0 {
				j++
			}
			if j == i {
				return nil, errBadPattern // a lone & or |
			}
			kind := byte('w')
			if c == '$' {
				kind = '$'
			}
			toks = append(toks, jsonToken{kind: kind, text: s[i:j]})
			i = j
		}
	}
	return toks, nil
}

// jsonParser is a recursive-descent parser: or := and ("||" and)*,
// and := unary ("&&" unary)*, unary := "(" or ")" | test.
type jsonParser struct {
	toks []jsonToken
	pos  int
}

func (p *jsonParser) peek() (jsonToken, bool) {
	if p.pos >= len(p.toks) {
		return jsonToken{}, false
	}
	return p.toks[p.pos], true
}

func (p *jsonParser) next() (jsonToken, bool) {
	t, ok := p.peek()
	if ok {
		p.pos++
	}
	return t, ok
}

func (p *jsonParser) or() (jsonExpr, error) {
	left, err := p.and()
	for err == nil {
		if t, ok := p.peek(); !ok || t.kind != '|' {
			return left, nil
		}
		p.pos++
		var right jsonExpr
		if right, err = p.and(); err == nil {
			left = jsonOr{left, right}
		}
	}
	return nil, err
}

func (p *jsonParser) and() (jsonExpr, error) {
	left, err := p.unary()
	for err == nil {
		if t, ok := p.peek(); !ok || t.kind != '&' {
			return left, nil
		}
		p.pos++
		var right jsonExpr
		if right, err = p.unary(); err == nil {
			left = jsonAnd{left, right}
		}
	}
	return nil, err
}

func (p *jsonParser) unary() (jsonExpr, error) {
	t, ok := p.next()
	switch {
	case !ok:
		return nil, errBadPattern
	case t.kind == '(':
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c, ok := p.next(); !ok || c.kind != ')' {
			return nil, errBadPattern
		}
		return e, nil
	case t.kind == '$':
		path, err := parseSelector(t.text)
		if err != nil {
			return nil, err
		}
		return p.test(path)
	}
	return nil, errBadPattern
}

// test parses what follows a selector: an operator and a value, or one of
// the keyword tests.
func (p *jsonParser) test(path []pathSegment) (jsonExpr, error) {
	t, ok := p.next()
	if !ok {
		return nil, errBadPattern
	}
	if t.kind == 'w' {
		second, ok := p.next()
		op := t.text + " " + second.text
		switch {
		case ok && second.kind == 'w' && (op == "IS NULL" || op == "IS TRUE" || op == "IS FALSE" || op == "NOT EXISTS"):
			return jsonTest{path: path, op: op}, nil
		}
		return nil, errBadPattern
	}
	if t.kind != 'o' {
		return nil, errBadPattern
	}
	v, ok := p.next()
	if !ok || (v.kind != 'w' && v.kind != 's') {
		return nil, errBadPattern
	}
	test := jsonTest{path: path, op: t.text, text: v.text, quoted: v.kind == 's'}
	if v.kind == 'w' {
		if n, err := strconv.ParseFloat(v.text, 64); err == nil {
			test.num, test.isNum = n, true
		}
	}
	if t.text != "=" && t.text != "!=" && !test.isNum {
		return nil, errBadPattern // < > <= >= compare numbers only
	}
	return test, nil
}

// parseSelector reads `$`, `$.a.b`, `$.list[0]`, `$.list[*]`, `$.*`.
func parseSelector(s string) ([]pathSegment, error) {
	rest, ok := strings.CutPrefix(s, "$")
	if !ok {
		return nil, errBadPattern
	}
	var path []pathSegment
	for rest != "" {
		switch rest[0] {
		case '.':
			end := 1
			for end < len(rest) && rest[end] != '.' && rest[end] != '[' {
				end++
			}
			name := rest[1:end]
			switch {
			case name == "":
				return nil, errBadPattern
			case name == "*":
				path = append(path, pathSegment{index: -2})
			default:
				path = append(path, pathSegment{name: name, index: -1})
			}
			rest = rest[end:]
		case '[':
			inner, after, ok := strings.Cut(rest[1:], "]")
			if !ok {
				return nil, errBadPattern
			}
			seg, err := indexSegment(inner)
			if err != nil {
				return nil, err
			}
			path = append(path, seg)
			rest = after
		default:
			return nil, errBadPattern
		}
	}
	return path, nil
}

func indexSegment(inner string) (pathSegment, error) {
	if inner == "*" {
		return pathSegment{index: -2}, nil
	}
	n, err := strconv.Atoi(inner)
	if err != nil || inner == "" || !allDigits(inner) {
		return pathSegment{}, errBadPattern
	}
	return pathSegment{index: n}, nil
}
