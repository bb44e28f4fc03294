package providers

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// jsonText is a property of CloudFormation's Json type (a policy
// document) as the text the API takes: an object or list is marshalled,
// as CloudFormation converts YAML and JSON documents before calling IAM
// or S3; a string is taken to be the JSON already.
func jsonText(p map[string]any, key string) (string, error) {
	switch v := p[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case map[string]any, []any:
		b, err := json.Marshal(v)
		if err != nil {
			return "", &props.Error{Path: "#/" + key, Message: err.Error()}
		}
		return string(b), nil
	default:
		return "", &props.Error{Path: "#/" + key, Message: "expected type: JSONObject, found: " + kindOf(v)}
	}
}

// stringList is a property of type List of String ("" entries dropped,
// as the engine leaves them for AWS::NoValue).
func stringList(p map[string]any, key string) ([]string, error) {
	var w struct{ List []string }
	if v, ok := p[key]; ok && v != nil {
		if err := props.Decode(map[string]any{"List": v}, &w); err != nil {
			var pe *props.Error
			if errors.As(err, &pe) {
				pe.Path = "#/" + key + strings.TrimPrefix(pe.Path, "#/List")
			}
			return nil, err
		}
	}
	out := w.List[:0:0]
	for _, s := range w.List {
		if s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// added and removed compare two lists as sets, in a stable order.
func added(oldList, newList []string) []string {
	have := map[string]bool{}
	for _, s := range oldList {
		have[s] = true
	}
	var out []string
	for _, s := range newList {
		if !have[s] {
			out = append(out, s)
			have[s] = true
		}
	}
	return out
}

func removed(oldList, newList []string) []string { return added(newList, oldList) }

// sortedKeys returns a map's keys in order, for calls made in a stable order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// kindOf names a value's JSON type as CloudFormation's validation
// messages do.
func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "String"
	case bool:
		return "Boolean"
	case map[string]any:
		return "JSONObject"
	case []any:
		return "JSONArray"
	case nil:
		return "null"
	}
	return "Number"
}
