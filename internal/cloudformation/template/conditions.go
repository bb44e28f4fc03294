package template

import "strings"

// EvaluateConditions evaluates the Conditions section with ctx's parameters
// and pseudo parameters. Conditions may reference each other (in any order)
// but never resources; each must evaluate to a boolean.
func (t *Template) EvaluateConditions(ctx *Context) (map[string]bool, error) {
	c := *ctx
	c.Template = t
	done := map[string]bool{}
	visiting := map[string]bool{}
	var path []string
	e := newEvaluator(&c)
	e.noResources = "Conditions"
	var lookup func(name string) (bool, bool, error)
	lookup = func(name string) (bool, bool, error) {
		if v, ok := done[name]; ok {
			return v, true, nil
		}
		body, ok := t.Conditions[name]
		if !ok {
			return false, false, nil
		}
		if visiting[name] {
			return false, true, errorf("Template error: Circular dependency between conditions: [%s]", strings.Join(cycleFrom(path, name), ", "))
		}
		visiting[name] = true
		path = append(path, name)
		v, err := e.conditionBody(body)
		path = path[:len(path)-1]
		visiting[name] = false
		if err != nil {
			return false, true, err
		}
		done[name] = v
		return v, true, nil
	}
	e.condition = lookup
	for _, name := range t.ConditionOrder {
		if _, _, err := lookup(name); err != nil {
			return nil, err
		}
	}
	return done, nil
}

// conditionBody evaluates one condition: a condition function, a Condition
// reference, or (rarely) a literal boolean.
func (e *evaluator) conditionBody(body any) (bool, error) {
	if m, ok := body.(map[string]any); ok {
		if name, arg, ok := functionCall(m); ok {
			switch name {
			case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Fn::If", "Fn::Contains",
				"Fn::EachMemberEquals", "Fn::EachMemberIn":
				r, err := e.call(name, arg)
				if err != nil {
					return false, err
				}
				if b, ok := boolean(r); ok {
					return b, nil
				}
			}
		} else if len(m) == 1 && m["Condition"] != nil {
			return e.fnConditionRef(m["Condition"])
		}
	} else if b, ok := body.(bool); ok {
		return b, nil
	}
	return false, errorf("Template format error: Conditions can only be boolean operations on parameters and other conditions")
}

func cycleFrom(path []string, name string) []string {
	for i, p := range path {
		if p == name {
			return append([]string(nil), path[i:]...)
		}
	}
	return []string{name}
}
