package template

import (
	"regexp"
	"sort"
)

var alphanumeric = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// Validate makes the structural checks CloudFormation makes when a template
// is submitted (CreateStack, UpdateStack, CreateChangeSet, ValidateTemplate):
// names, parameter types, unsupported functions, references to undefined
// resources, parameters and conditions, and dependency cycles. It returns
// the first problem found, in CloudFormation's wording.
func (t *Template) Validate() error {
	if len(t.Resources) == 0 {
		return errorf("Template format error: At least one Resources member must be defined.")
	}
	for _, check := range []func() error{
		t.validateNames, t.validateParameters, t.validateConditions,
		t.validateResources, t.validateOutputs, t.checkCycles,
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (t *Template) validateNames() error {
	for _, id := range t.ResourceOrder {
		if !alphanumeric.MatchString(id) {
			return errorf("Template format error: Resource name %s is non alphanumeric.", id)
		}
	}
	for _, name := range t.ParameterOrder {
		if !alphanumeric.MatchString(name) {
			return errorf("Template format error: Parameter name %s is non alphanumeric.", name)
		}
	}
	for _, name := range t.OutputOrder {
		if !alphanumeric.MatchString(name) {
			return errorf("Template format error: Output name %s is non alphanumeric.", name)
		}
	}
	return nil
}

func (t *Template) validateParameters() error {
	for _, name := range t.ParameterOrder {
		p := t.Parameters[name]
		if !validParameterType(p.Type) {
			return errorf("Template format error: Unrecognized parameter type: %s", p.Type)
		}
		if _, ok := t.Resources[name]; ok {
			return errorf("Template format error: Resource %s and Parameter %s have the same name", name, name)
		}
	}
	return nil
}

// validateConditions: conditions reference parameters, mappings and other
// conditions, never resources.
func (t *Template) validateConditions() error {
	for _, name := range t.ConditionOrder {
		r := &references{}
		r.collect(t.Conditions[name], true)
		if len(r.unknown) > 0 {
			return unsupportedFunction(r.unknown[0])
		}
		for _, ref := range append(r.refs, r.getAtts...) {
			if !t.isParameterOrPseudo(ref) {
				return errorf("Template format error: Unresolved dependencies [%s]. Cannot reference resources in the Conditions block of the template", ref)
			}
		}
		if err := t.checkConditionNames(r.conditions); err != nil {
			return err
		}
	}
	return nil
}

func (t *Template) validateResources() error {
	var missing []string
	for _, id := range t.ResourceOrder {
		res := t.Resources[id]
		if res.Condition != "" {
			if _, ok := t.Conditions[res.Condition]; !ok {
				return errorf("Template format error: Unresolved condition dependency %s in resource %s", res.Condition, id)
			}
		}
		if err := nullProperty("/Resources/"+id+"/Properties", res.Properties); err != nil {
			return err
		}
		r := t.resourceReferences(id)
		if len(r.unknown) > 0 {
			return unsupportedFunction(r.unknown[0])
		}
		if err := t.checkConditionNames(r.conditions); err != nil {
			return err
		}
		for _, g := range r.getAtts {
			if _, ok := t.Resources[g]; !ok {
				return errorf("Template error: instance of Fn::GetAtt references undefined resource %s", g)
			}
		}
		missing = append(missing, t.undefined(r.refs)...)
		for _, d := range res.DependsOn {
			if _, ok := t.Resources[d]; !ok {
				missing = append(missing, d)
			}
		}
	}
	if missing = dedupe(missing); len(missing) > 0 {
		return unresolved(missing, "Resources")
	}
	return nil
}

func (t *Template) validateOutputs() error {
	var missing []string
	for _, name := range t.OutputOrder {
		o := t.Outputs[name]
		if o.Condition != "" {
			if _, ok := t.Conditions[o.Condition]; !ok {
				return errorf("Template format error: Unresolved condition dependency %s in output %s", o.Condition, name)
			}
		}
		r := &references{}
		r.collect(o.Value, false)
		r.collect(o.ExportName, false)
		if len(r.unknown) > 0 {
			return unsupportedFunction(r.unknown[0])
		}
		if err := t.checkConditionNames(r.conditions); err != nil {
			return err
		}
		for _, g := range r.getAtts {
			if _, ok := t.Resources[g]; !ok {
				return errorf("Template error: instance of Fn::GetAtt references undefined resource %s", g)
			}
		}
		missing = append(missing, t.undefined(r.refs)...)
	}
	if missing = dedupe(missing); len(missing) > 0 {
		return unresolved(missing, "Outputs")
	}
	return nil
}

func (t *Template) checkConditionNames(names []string) error {
	for _, c := range names {
		if _, ok := t.Conditions[c]; !ok {
			return errorf("Template error: unresolved condition dependency %s in Fn::If", c)
		}
	}
	return nil
}

// undefined returns the names that are neither resources, parameters nor
// pseudo parameters.
func (t *Template) undefined(names []string) []string {
	var out []string
	for _, n := range names {
		if _, ok := t.Resources[n]; !ok && !t.isParameterOrPseudo(n) {
			out = append(out, n)
		}
	}
	return out
}

func (t *Template) isParameterOrPseudo(name string) bool {
	_, ok := t.Parameters[name]
	return ok || isPseudo(name)
}

// nullProperty rejects null values, which CloudFormation does not accept.
func nullProperty(path string, v any) error {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if x[k] == nil {
				return errorf("Template format error: [%s/%s] 'null' values are not allowed in templates", path, k)
			}
			if err := nullProperty(path+"/"+k, x[k]); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if e == nil {
				return errorf("Template format error: [%s] 'null' values are not allowed in templates", path)
			}
			if err := nullProperty(path, e); err != nil {
				return err
			}
		}
	}
	return nil
}

func dedupe(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
