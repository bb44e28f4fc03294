package template

import (
	"strconv"
	"strings"
)

// text is a scalar as CloudFormation reads it: strings as they are, numbers
// in their shortest form, booleans as "true"/"false". Lists, maps and nil
// are not text.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// list is a value as a list: []any as it is, []string converted.
func list(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// boolean accepts true/false and their text forms, as condition values.
func boolean(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// deepCopy copies a plain value so callers cannot change the template.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// Text is a scalar property value as CloudFormation reads it (see the
// package comment): resource providers use it for properties that AWS
// models as strings but a template may write as numbers or booleans.
func Text(v any) (string, bool) { return text(v) }
