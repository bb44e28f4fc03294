package template

import "strings"

// fnRef resolves Ref: a pseudo parameter, a parameter's value or a
// resource's physical ID.
func (e *evaluator) fnRef(arg any) (any, error) {
	if m, ok := arg.(map[string]any); ok { // LanguageExtensions: Ref of a function
		r, err := e.eval(m)
		if err != nil {
			return nil, err
		}
		arg = r
	}
	name, ok := arg.(string)
	if !ok || name == "" {
		return nil, errorf("Template error: every Ref object must have a single String value.")
	}
	return e.reference(name)
}

// reference is what Ref (and ${Name} in Fn::Sub) of name yields.
func (e *evaluator) reference(name string) (any, error) {
	if v, ok := e.ctx.pseudoValue(name); ok {
		return v, nil
	}
	if v, ok := e.ctx.Params[name]; ok {
		if l, isList := list(v); isList {
			return deepCopy(l), nil
		}
		return v, nil
	}
	if e.noResources != "" {
		return nil, errorf("Template format error: Unresolved dependencies [%s]. Cannot reference resources in the %s block of the template", name, e.noResources)
	}
	if e.ctx.Resolver != nil && e.isResource(name) {
		if id, ok := e.ctx.Resolver.Ref(name); ok {
			return id, nil
		}
	}
	return nil, unresolved([]string{name}, "Resources")
}

// isResource reports whether name is declared in Resources; without a
// template every name is assumed to be one and left to the resolver.
func (e *evaluator) isResource(name string) bool {
	t := e.ctx.Template
	if t == nil {
		return true
	}
	_, ok := t.Resources[name]
	return ok
}

func unresolved(names []string, block string) error {
	return errorf("Template format error: Unresolved resource dependencies [%s] in the %s block of the template",
		strings.Join(names, ", "), block)
}

// fnGetAtt resolves Fn::GetAtt [resource, attribute]; the attribute may be
// computed (a Ref to a parameter, for example).
func (e *evaluator) fnGetAtt(arg any) (any, error) {
	res, attr, err := e.getAttArgs(arg)
	if err != nil {
		return nil, err
	}
	return e.attribute(res, attr)
}

func (e *evaluator) getAttArgs(arg any) (string, string, error) {
	bad := errorf("Template error: every Fn::GetAtt object requires two non-empty parameters")
	if s, ok := arg.(string); ok { // "Res.Attr" long form written as one string
		arg = splitGetAtt(s)
	}
	l, ok := arg.([]any)
	if !ok || len(l) != 2 {
		return "", "", bad
	}
	res, ok := l[0].(string)
	if !ok || res == "" {
		return "", "", bad
	}
	attr, ok, err := e.evalText(l[1])
	if err != nil {
		return "", "", err
	}
	if !ok || attr == "" {
		return "", "", bad
	}
	return res, attr, nil
}

func (e *evaluator) attribute(res, attr string) (any, error) {
	if e.noResources != "" {
		return nil, errorf("Template format error: Unresolved dependencies [%s]. Cannot reference resources in the %s block of the template", res, e.noResources)
	}
	if !e.isResource(res) {
		return nil, errorf("Template error: instance of Fn::GetAtt references undefined resource %s", res)
	}
	if e.ctx.Resolver == nil {
		return nil, unresolved([]string{res}, "Resources")
	}
	return e.ctx.Resolver.GetAtt(res, attr)
}
