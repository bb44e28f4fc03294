package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
)

// decodeJSON reads one JSON value into a tree of *object, []any and
// scalars, rejecting trailing content.
func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	v, err := jsonValue(dec, 0)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			err = errors.New("trailing content")
		}
	}
	if err != nil {
		line, col := position(body, jsonErrorOffset(err, dec))
		return nil, errorf("Template format error: JSON not well-formed. (line %d, column %d)", line, col)
	}
	return v, nil
}

// maxDepth bounds nesting so that a hostile template cannot exhaust the stack.
const maxDepth = 200

func jsonValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("too deeply nested")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return jsonObject(dec, depth)
		case '[':
			return jsonArray(dec, depth)
		}
		return nil, errors.New("unexpected delimiter")
	case json.Number:
		return number(string(t)), nil
	}
	return tok, nil // string, bool or nil
}

func jsonObject(dec *json.Decoder, depth int) (any, error) {
	o := newObject()
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("object key is not a string")
		}
		v, err := jsonValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		o.set(key, v)
	}
	_, err := dec.Token() // '}'
	return o, err
}

func jsonArray(dec *json.Decoder, depth int) (any, error) {
	out := []any{}
	for dec.More() {
		v, err := jsonValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	_, err := dec.Token() // ']'
	return out, err
}

// number keeps integers as int and everything else as float64; a number
// too large for either stays the text it was written as.
func number(s string) any {
	if i, err := strconv.Atoi(s); err == nil {
		return i
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	return s
}

func jsonErrorOffset(err error, dec *json.Decoder) int64 {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return syn.Offset
	}
	return dec.InputOffset()
}

// position turns a byte offset into the 1-based line and column AWS reports.
func position(body []byte, offset int64) (line, col int) {
	if offset > int64(len(body)) {
		offset = int64(len(body))
	}
	line, col = 1, 1
	for _, b := range body[:offset] {
		if b == '\n' {
			line++
			col = 1
			continue
		}
		col++
	}
	return line, col
}
