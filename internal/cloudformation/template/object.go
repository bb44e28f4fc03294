package template

// object is a decoded mapping that remembers its key order. Decoders build
// trees of *object so that Parse can read declaration order (Resources,
// Parameters, Outputs, ...); plain turns them into map[string]any.
type object struct {
	keys   []string
	values map[string]any
}

func newObject() *object { return &object{values: map[string]any{}} }

// set adds or replaces key; a replaced key keeps its first position (JSON's
// last-one-wins, as CloudFormation reads duplicate JSON keys).
func (o *object) set(key string, v any) {
	if _, ok := o.values[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.values[key] = v
}

// plain converts a decoded tree into plain Go values.
func plain(v any) any {
	switch x := v.(type) {
	case *object:
		m := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			m[k] = plain(x.values[k])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}
