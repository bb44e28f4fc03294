package template

import (
	"slices"
)

// The rule functions of the Rules section.

func (e *evaluator) listAndValue(arg any, fn string) ([]any, any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, nil, errorf("Template error: every %s object requires two parameters", fn)
	}
	l, ok, err := e.evalList(args[0])
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, errorf("Template error: the first parameter of %s must be a list", fn)
	}
	v, err := e.eval(args[1])
	if err != nil {
		return nil, nil, err
	}
	return l, v, nil
}

func contains(l []any, v any) bool {
	return slices.ContainsFunc(l, func(x any) bool { return equal(x, v) })
}

// fnContains resolves Fn::Contains [list, value].
func (e *evaluator) fnContains(arg any) (any, error) {
	l, v, err := e.listAndValue(arg, "Fn::Contains")
	if err != nil {
		return nil, err
	}
	return contains(l, v), nil
}

// fnEachMemberEquals resolves Fn::EachMemberEquals [list, value].
func (e *evaluator) fnEachMemberEquals(arg any) (any, error) {
	l, v, err := e.listAndValue(arg, "Fn::EachMemberEquals")
	if err != nil {
		return nil, err
	}
	for _, x := range l {
		if !equal(x, v) {
			return false, nil
		}
	}
	return true, nil
}

// fnEachMemberIn resolves Fn::EachMemberIn [list, allowed list].
func (e *evaluator) fnEachMemberIn(arg any) (any, error) {
	l, v, err := e.listAndValue(arg, "Fn::EachMemberIn")
	if err != nil {
		return nil, err
	}
	allowed, ok := list(v)
	if !ok {
		return nil, errorf("Template error: the second parameter of Fn::EachMemberIn must be a list")
	}
	for _, x := range l {
		if !contains(allowed, x) {
			return false, nil
		}
	}
	return true, nil
}

// fnRefAll resolves Fn::RefAll parameterType: the values of every
// parameter of that type or of List<type>, flattened, in declaration order.
func (e *evaluator) fnRefAll(arg any) (any, error) {
	typ, ok, err := e.evalText(arg)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf("Template error: Fn::RefAll requires a parameter type")
	}
	out := []any{}
	for _, p := range e.parametersOfType(typ) {
		v := e.ctx.Params[p]
		if l, isList := list(v); isList {
			out = append(out, l...)
		} else if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

func (e *evaluator) parametersOfType(typ string) []string {
	t := e.ctx.Template
	if t == nil {
		return nil
	}
	var out []string
	for _, name := range t.ParameterOrder {
		if pt := t.Parameters[name].Type; pt == typ || pt == "List<"+typ+">" {
			out = append(out, name)
		}
	}
	return out
}

// fnValueOf resolves Fn::ValueOf [parameterName, attribute] through a
// resolver that implements ParameterAttributeResolver.
func (e *evaluator) fnValueOf(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, errorf("Template error: every Fn::ValueOf object requires two parameters, a parameter name and an attribute")
	}
	name, ok1, err := e.evalText(args[0])
	if err != nil {
		return nil, err
	}
	attr, ok2, err := e.evalText(args[1])
	if err != nil {
		return nil, err
	}
	t := e.ctx.Template
	if !ok1 || !ok2 || t == nil || t.Parameters[name] == nil {
		return nil, errorf("Template error: Fn::ValueOf references undefined parameter %v", args[0])
	}
	typ := t.Parameters[name].Type
	if elem, ok := listElement(typ); ok {
		typ = elem
	}
	if l, isList := list(e.ctx.Params[name]); isList {
		out := make([]any, 0, len(l))
		for _, v := range l {
			s, _ := text(v)
			a, err := e.parameterAttribute(typ, s, attr)
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
		return out, nil
	}
	s, _ := text(e.ctx.Params[name])
	return e.parameterAttribute(typ, s, attr)
}

// fnValueOfAll resolves Fn::ValueOfAll [parameterType, attribute].
func (e *evaluator) fnValueOfAll(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, errorf("Template error: every Fn::ValueOfAll object requires two parameters, a parameter type and an attribute")
	}
	typ, ok1, err := e.evalText(args[0])
	if err != nil {
		return nil, err
	}
	attr, ok2, err := e.evalText(args[1])
	if err != nil {
		return nil, err
	}
	if !ok1 || !ok2 {
		return nil, errorf("Template error: every Fn::ValueOfAll object requires two parameters, a parameter type and an attribute")
	}
	values, err := e.fnRefAll(typ)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, v := range values.([]any) {
		s, _ := text(v)
		a, err := e.parameterAttribute(typ, s, attr)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func (e *evaluator) parameterAttribute(typ, value, attr string) (any, error) {
	r, ok := e.ctx.Resolver.(ParameterAttributeResolver)
	if !ok {
		return nil, errorf("Template error: Fn::ValueOf cannot read attribute %s of a %s here", attr, typ)
	}
	return r.ParameterAttribute(typ, value, attr)
}
