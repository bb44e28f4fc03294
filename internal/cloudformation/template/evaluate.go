package template

import (
	"sort"
	"strings"
)

// Evaluate resolves every intrinsic function and pseudo parameter in v and
// returns a new value; AWS::NoValue removes the key or element holding it
// (and a top-level AWS::NoValue is nil). v is not modified.
func Evaluate(v any, ctx *Context) (any, error) {
	e := newEvaluator(ctx)
	out, err := e.eval(v)
	if err != nil {
		return nil, err
	}
	if _, ok := out.(noValue); ok {
		return nil, nil
	}
	return out, nil
}

// evaluator carries one evaluation: the context, how condition names are
// looked up and which references the current section may make.
type evaluator struct {
	ctx       *Context
	condition func(name string) (bool, bool, error) // value, defined, error
	// noResources is set for the Conditions and Rules sections, which may
	// only reference parameters; the message is the section's.
	noResources string
	depth       int
}

func newEvaluator(ctx *Context) *evaluator {
	if ctx == nil {
		ctx = &Context{}
	}
	return &evaluator{ctx: ctx, condition: func(name string) (bool, bool, error) {
		v, ok := ctx.Conditions[name]
		return v, ok, nil
	}}
}

func (e *evaluator) eval(v any) (any, error) {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxDepth {
		return nil, errorf("Template error: template is nested too deeply")
	}
	switch x := v.(type) {
	case map[string]any:
		if name, arg, ok := functionCall(x); ok {
			return e.call(name, arg)
		}
		return e.evalMap(x)
	case []any:
		out := make([]any, 0, len(x))
		for _, el := range x {
			r, err := e.eval(el)
			if err != nil {
				return nil, err
			}
			if _, drop := r.(noValue); !drop {
				out = append(out, r)
			}
		}
		return out, nil
	case []string:
		l, _ := list(x)
		return l, nil
	}
	return v, nil
}

// evalMap evaluates the values of an ordinary map, in key order so that the
// first error reported does not depend on Go's map iteration.
func (e *evaluator) evalMap(m map[string]any) (any, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]any, len(m))
	for _, k := range keys {
		r, err := e.eval(m[k])
		if err != nil {
			return nil, err
		}
		if _, drop := r.(noValue); !drop {
			out[k] = r
		}
	}
	return out, nil
}

// functionCall recognises {"Ref": x} and {"Fn::Name": x}. "Condition" is a
// function only where a boolean is expected (see evalBool), since it is
// also an ordinary key (IAM policy statements).
func functionCall(m map[string]any) (string, any, bool) {
	if len(m) != 1 {
		return "", nil, false
	}
	for k, v := range m {
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, v, true
		}
	}
	return "", nil, false
}

func (e *evaluator) call(name string, arg any) (any, error) {
	fn, ok := functions[name]
	if !ok {
		return nil, unsupportedFunction(name)
	}
	return fn(e, arg)
}

// evalBool evaluates a value that must be a boolean: a condition function,
// {"Condition": name}, or something that evaluates to true/false.
func (e *evaluator) evalBool(v any, fn string) (bool, error) {
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		if name, ok := m["Condition"]; ok {
			return e.fnConditionRef(name)
		}
	}
	r, err := e.eval(v)
	if err != nil {
		return false, err
	}
	b, ok := boolean(r)
	if !ok {
		return false, errorf("Template error: every %s object requires boolean parameters", fn)
	}
	return b, nil
}

func (e *evaluator) fnConditionRef(arg any) (bool, error) {
	name, ok := arg.(string)
	if !ok {
		return false, errorf("Template error: every Condition object must have a single String value")
	}
	v, defined, err := e.condition(name)
	if err != nil {
		return false, err
	}
	if !defined {
		return false, errorf("Template error: unresolved condition dependency %s in Condition", name)
	}
	return v, nil
}

// evalText evaluates v and requires text.
func (e *evaluator) evalText(v any) (string, bool, error) {
	r, err := e.eval(v)
	if err != nil {
		return "", false, err
	}
	s, ok := text(r)
	return s, ok, nil
}

// evalList evaluates v and requires a list.
func (e *evaluator) evalList(v any) ([]any, bool, error) {
	r, err := e.eval(v)
	if err != nil {
		return nil, false, err
	}
	l, ok := list(r)
	return l, ok, nil
}
