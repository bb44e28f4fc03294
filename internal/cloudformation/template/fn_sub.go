package template

import (
	"strings"
)

const subArgsError = "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. " +
	"Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string"

// fnSub resolves Fn::Sub in both forms: "text" and ["text", {Var: value}].
// ${Name} is a variable, a pseudo parameter, a parameter or a resource's Ref;
// ${Res.Attr} a GetAtt; ${!Literal} is the text ${Literal}.
func (e *evaluator) fnSub(arg any) (any, error) {
	tmpl, vars, err := e.subArgs(arg)
	if err != nil {
		return nil, err
	}
	parts, err := parseSub(tmpl)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, p := range parts {
		if !p.variable {
			b.WriteString(p.text)
			continue
		}
		s, err := e.subVariable(p.text, vars)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func (e *evaluator) subArgs(arg any) (string, map[string]any, error) {
	switch x := arg.(type) {
	case string:
		return x, nil, nil
	case []any:
		if len(x) != 2 {
			break
		}
		tmpl, ok := x[0].(string)
		m, ok2 := x[1].(map[string]any)
		if !ok || !ok2 {
			break
		}
		vars, err := e.evalMap(m)
		if err != nil {
			return "", nil, err
		}
		return tmpl, vars.(map[string]any), nil
	}
	return "", nil, errorf(subArgsError)
}

func (e *evaluator) subVariable(name string, vars map[string]any) (string, error) {
	var v any
	var err error
	if val, ok := vars[name]; ok {
		v = val
	} else if res, attr, dotted := strings.Cut(name, "."); dotted && !isPseudo(name) {
		if e.ctx.Params[res] != nil {
			return "", unresolved([]string{name}, "Resources")
		}
		v, err = e.attribute(res, attr)
	} else {
		v, err = e.reference(name)
	}
	if err != nil {
		return "", err
	}
	s, ok := text(v)
	if !ok {
		return "", errorf("Template error: variable %s in Fn::Sub expression does not resolve to a string", name)
	}
	return s, nil
}

// subPart is literal text or a variable name of an Fn::Sub template.
type subPart struct {
	text     string
	variable bool
}

// parseSub splits an Fn::Sub template. A "${" without a closing brace is
// literal text, as in CloudFormation.
func parseSub(s string) ([]subPart, error) {
	var parts []subPart
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		if i > 0 {
			parts = append(parts, subPart{text: s[:i]})
		}
		inner := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(inner, "!") {
			parts = append(parts, subPart{text: "${" + inner[1:] + "}"})
			continue
		}
		name := strings.TrimSpace(inner)
		if !validSubName(name) {
			return nil, errorf("Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons")
		}
		parts = append(parts, subPart{text: name, variable: true})
	}
	if s != "" {
		parts = append(parts, subPart{text: s})
	}
	return parts, nil
}

func validSubName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r == '.' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// subReferences lists the variables of an Fn::Sub argument that are not
// given in its variable map: what the template must resolve.
func subReferences(arg any) []string {
	var tmpl string
	var vars map[string]any
	switch x := arg.(type) {
	case string:
		tmpl = x
	case []any:
		if len(x) == 2 {
			tmpl, _ = x[0].(string)
			vars, _ = x[1].(map[string]any)
		}
	}
	parts, err := parseSub(tmpl)
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range parts {
		if _, given := vars[p.text]; p.variable && !given {
			out = append(out, p.text)
		}
	}
	return out
}
