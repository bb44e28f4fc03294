package template

import (
	"sort"
	"strings"
)

// references is what a value names, found without evaluating it (both
// branches of every Fn::If count).
type references struct {
	refs       []string // Ref targets and plain ${Name} variables of Fn::Sub
	getAtts    []string // resources of Fn::GetAtt and ${Res.Attr}
	conditions []string // condition names of Fn::If and Condition
	unknown    []string // unsupported function names
}

// collect walks v. inCondition says whether {"Condition": name} is a
// function here (inside condition functions) rather than an ordinary key.
func (r *references) collect(v any, inCondition bool) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			if name, ok := x["Condition"].(string); ok && inCondition {
				r.conditions = append(r.conditions, name)
				return
			}
			if name, arg, ok := functionCall(x); ok {
				r.function(name, arg)
				return
			}
		}
		for _, k := range sortedKeys(x) {
			r.collect(x[k], false)
		}
	case []any:
		for _, e := range x {
			r.collect(e, inCondition)
		}
	}
}

func (r *references) function(name string, arg any) {
	if _, ok := functions[name]; !ok {
		r.unknown = append(r.unknown, name)
		return
	}
	switch name {
	case "Ref":
		if s, ok := arg.(string); ok {
			r.refs = append(r.refs, s)
			return
		}
	case "Fn::GetAtt":
		r.getAtt(arg)
		return
	case "Fn::Sub":
		for _, v := range subReferences(arg) {
			if res, _, dotted := strings.Cut(v, "."); dotted {
				r.getAtts = append(r.getAtts, res)
			} else {
				r.refs = append(r.refs, v)
			}
		}
		if l, ok := arg.([]any); ok && len(l) == 2 {
			r.collect(l[1], false)
		}
		return
	case "Fn::If":
		if l, ok := arg.([]any); ok && len(l) == 3 {
			if c, ok := l[0].(string); ok {
				r.conditions = append(r.conditions, c)
			}
			r.collect(l[1], false)
			r.collect(l[2], false)
			return
		}
	case "Fn::And", "Fn::Or", "Fn::Not":
		r.collect(arg, true)
		return
	}
	r.collect(arg, false)
}

func (r *references) getAtt(arg any) {
	if s, ok := arg.(string); ok {
		arg = splitGetAtt(s)
	}
	switch x := arg.(type) {
	case string:
		r.getAtts = append(r.getAtts, x)
	case []any:
		if len(x) > 0 {
			if s, ok := x[0].(string); ok {
				r.getAtts = append(r.getAtts, s)
			}
		}
		if len(x) > 1 {
			r.collect(x[1], false)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// resourceReferences collects what resource id's attributes name.
func (t *Template) resourceReferences(id string) *references {
	r := &references{}
	res := t.Resources[id]
	if res == nil {
		return r
	}
	for _, part := range []map[string]any{res.Properties, res.Metadata, res.CreationPolicy, res.UpdatePolicy} {
		if part != nil {
			r.collect(part, false)
		}
	}
	return r
}
