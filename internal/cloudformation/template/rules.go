package template

// CheckRules evaluates the Rules section with ctx's parameter values: a rule
// whose RuleCondition is false is skipped; the first false assertion fails
// with its AssertDescription, as CloudFormation reports it.
func (t *Template) CheckRules(ctx *Context) error {
	c := *ctx
	c.Template = t
	e := newEvaluator(&c)
	e.noResources = "Rules"
	for _, name := range t.RuleOrder {
		r := t.Rules[name]
		if r.RuleCondition != nil {
			ok, err := e.evalBool(r.RuleCondition, "RuleCondition")
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		for _, a := range r.Assertions {
			ok, err := e.evalBool(a.Assert, "Assert")
			if err != nil {
				return err
			}
			if ok {
				continue
			}
			if a.AssertDescription != "" {
				return &Error{Message: a.AssertDescription}
			}
			return errorf("Template error: Assertion for rule %s failed", name)
		}
	}
	return nil
}
