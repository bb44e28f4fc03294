package template

import (
	"strconv"
	"strings"
)

// section returns a top-level section as an object; absent is nil.
func section(top *object, name string) (*object, error) {
	v, ok := top.values[name]
	if !ok || v == nil {
		return nil, nil
	}
	o, ok := v.(*object)
	if !ok {
		return nil, errorf("Template format error: %s section must be an object", name)
	}
	return o, nil
}

func parseHeader(t *Template, top *object) error {
	if v, ok := top.values["AWSTemplateFormatVersion"]; ok {
		s, _ := text(v)
		if s != "2010-09-09" {
			return errorf("Template format error: Unsupported template version %v", v)
		}
		t.FormatVersion = s
	}
	if v, ok := top.values["Description"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return errorf("Template format error: Every Description member must be a string.")
		}
		t.Description = s
	}
	if v, ok := top.values["Metadata"]; ok && v != nil {
		m, ok := plain(v).(map[string]any)
		if !ok {
			return errorf("Template format error: Metadata section must be an object")
		}
		t.Metadata = m
	}
	switch v := plain(top.values["Transform"]).(type) {
	case nil:
	case string:
		t.Transform = []string{v}
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return errorf("Template format error: Every Transform member must be a string")
			}
			t.Transform = append(t.Transform, s)
		}
	default:
		return errorf("Template format error: Every Transform member must be a string")
	}
	return nil
}

var parameterProperties = map[string]bool{
	"Type": true, "Default": true, "Description": true, "AllowedValues": true,
	"AllowedPattern": true, "MinLength": true, "MaxLength": true, "MinValue": true,
	"MaxValue": true, "NoEcho": true, "ConstraintDescription": true,
}

func parseParameters(t *Template, top *object) error {
	sec, err := section(top, "Parameters")
	if err != nil || sec == nil {
		return err
	}
	t.Parameters = map[string]*Parameter{}
	for _, name := range sec.keys {
		o, ok := sec.values[name].(*object)
		if !ok {
			return errorf("Template format error: Every Parameters object must contain a Type member.")
		}
		p, err := parseParameter(name, o)
		if err != nil {
			return err
		}
		t.Parameters[name] = p
		t.ParameterOrder = append(t.ParameterOrder, name)
	}
	return nil
}

func parseParameter(name string, o *object) (*Parameter, error) {
	for _, k := range o.keys {
		if !parameterProperties[k] {
			return nil, errorf("Template format error: Invalid template parameter property '%s'", k)
		}
	}
	p := &Parameter{Name: name}
	typ, ok := o.values["Type"].(string)
	if !ok {
		return nil, errorf("Template format error: Every Parameters object must contain a Type member.")
	}
	p.Type = typ
	p.Description, _ = text(o.values["Description"])
	p.AllowedPattern, _ = text(o.values["AllowedPattern"])
	p.ConstraintDescription, _ = text(o.values["ConstraintDescription"])
	if d, ok := o.values["Default"]; ok {
		p.HasDefault = true
		p.Default = defaultText(plain(d))
	}
	if v, ok := o.values["NoEcho"]; ok {
		s, _ := text(v)
		p.NoEcho = strings.EqualFold(s, "true")
	}
	if v, ok := o.values["AllowedValues"]; ok {
		list, ok := plain(v).([]any)
		if !ok {
			return nil, errorf("Template format error: Parameter '%s' AllowedValues must be a list", name)
		}
		for _, e := range list {
			s, _ := text(e)
			p.AllowedValues = append(p.AllowedValues, s)
		}
	}
	var err error
	if p.MinLength, err = intProperty(name, "MinLength", o); err != nil {
		return nil, err
	}
	if p.MaxLength, err = intProperty(name, "MaxLength", o); err != nil {
		return nil, err
	}
	if p.MinValue, err = floatProperty(name, "MinValue", o); err != nil {
		return nil, err
	}
	if p.MaxValue, err = floatProperty(name, "MaxValue", o); err != nil {
		return nil, err
	}
	return p, nil
}

// defaultText is a parameter default as CloudFormation sees it: text, and
// a YAML list (allowed for list types) joined with commas.
func defaultText(v any) string {
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i], _ = text(e)
		}
		return strings.Join(parts, ",")
	}
	s, _ := text(v)
	return s
}

func intProperty(param, prop string, o *object) (*int, error) {
	v, ok := o.values[prop]
	if !ok {
		return nil, nil
	}
	s, _ := text(v)
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, errorf("Template format error: Parameter '%s' %s must be an integer", param, prop)
	}
	return &n, nil
}

func floatProperty(param, prop string, o *object) (*float64, error) {
	v, ok := o.values[prop]
	if !ok {
		return nil, nil
	}
	s, _ := text(v)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, errorf("Template format error: Parameter '%s' %s must be a number", param, prop)
	}
	return &f, nil
}

func parseMappings(t *Template, top *object) error {
	sec, err := section(top, "Mappings")
	if err != nil || sec == nil {
		return err
	}
	t.Mappings = plain(sec).(map[string]any)
	for _, name := range sec.keys {
		m, ok := t.Mappings[name].(map[string]any)
		if !ok {
			return errorf("Template format error: Every Mappings member %s must be a map", name)
		}
		for k, v := range m {
			if _, ok := v.(map[string]any); !ok {
				return errorf("Template format error: Every Mappings attribute must be a map: %s/%s", name, k)
			}
		}
	}
	return nil
}

func parseConditions(t *Template, top *object) error {
	sec, err := section(top, "Conditions")
	if err != nil || sec == nil {
		return err
	}
	t.Conditions = plain(sec).(map[string]any)
	t.ConditionOrder = append([]string(nil), sec.keys...)
	return nil
}

func parseRules(t *Template, top *object) error {
	sec, err := section(top, "Rules")
	if err != nil || sec == nil {
		return err
	}
	t.Rules = map[string]*Rule{}
	for _, name := range sec.keys {
		m, ok := plain(sec.values[name]).(map[string]any)
		if !ok {
			return errorf("Template format error: Every Rules member %s must be an object", name)
		}
		r := &Rule{Name: name, RuleCondition: m["RuleCondition"]}
		list, ok := m["Assertions"].([]any)
		if !ok {
			return errorf("Template format error: Every Rules member %s must contain an Assertions list", name)
		}
		for _, e := range list {
			a, ok := e.(map[string]any)
			if !ok || a["Assert"] == nil {
				return errorf("Template format error: Every Assertions member of rule %s must contain an Assert", name)
			}
			desc, _ := text(a["AssertDescription"])
			r.Assertions = append(r.Assertions, Assertion{Assert: a["Assert"], AssertDescription: desc})
		}
		t.Rules[name] = r
		t.RuleOrder = append(t.RuleOrder, name)
	}
	return nil
}

var resourceAttributes = map[string]bool{
	"Type": true, "Properties": true, "DependsOn": true, "Condition": true,
	"DeletionPolicy": true, "UpdateReplacePolicy": true, "Metadata": true,
	"CreationPolicy": true, "UpdatePolicy": true,
}

func parseResources(t *Template, top *object) error {
	sec, err := section(top, "Resources")
	if err != nil {
		return err
	}
	if sec == nil || len(sec.keys) == 0 {
		return errorf("Template format error: At least one Resources member must be defined.")
	}
	t.Resources = map[string]*Resource{}
	t.index = map[string]int{}
	for i, id := range sec.keys {
		o, ok := sec.values[id].(*object)
		if !ok {
			return errorf("Template format error: [/Resources/%s] Every Resources object must contain a Type member.", id)
		}
		r, err := parseResource(id, o)
		if err != nil {
			return err
		}
		t.Resources[id] = r
		t.ResourceOrder = append(t.ResourceOrder, id)
		t.index[id] = i
	}
	return nil
}

func parseResource(id string, o *object) (*Resource, error) {
	for _, k := range o.keys {
		if !resourceAttributes[k] {
			return nil, errorf("Template format error: Invalid template resource property '%s'", k)
		}
	}
	r := &Resource{LogicalID: id}
	typ, ok := o.values["Type"].(string)
	if !ok || typ == "" {
		return nil, errorf("Template format error: [/Resources/%s] Every Resources object must contain a Type member.", id)
	}
	r.Type = typ
	var err error
	if r.Properties, err = attributeObject(id, "Properties", o); err != nil {
		return nil, err
	}
	if r.Metadata, err = attributeObject(id, "Metadata", o); err != nil {
		return nil, err
	}
	if r.CreationPolicy, err = attributeObject(id, "CreationPolicy", o); err != nil {
		return nil, err
	}
	if r.UpdatePolicy, err = attributeObject(id, "UpdatePolicy", o); err != nil {
		return nil, err
	}
	for _, a := range []struct {
		name string
		dst  *string
	}{{"Condition", &r.Condition}, {"DeletionPolicy", &r.DeletionPolicy}, {"UpdateReplacePolicy", &r.UpdateReplacePolicy}} {
		if v, ok := o.values[a.name]; ok {
			s, ok := v.(string)
			if !ok {
				return nil, errorf("Template format error: [/Resources/%s/%s] %s must be a string", id, a.name, a.name)
			}
			*a.dst = s
		}
	}
	if r.DependsOn, err = dependsOn(id, o.values["DependsOn"]); err != nil {
		return nil, err
	}
	return r, nil
}

func attributeObject(id, name string, o *object) (map[string]any, error) {
	v, ok := o.values[name]
	if !ok || v == nil {
		return nil, nil
	}
	m, ok := plain(v).(map[string]any)
	if !ok {
		return nil, errorf("Template format error: [/Resources/%s/%s] %s must be an object", id, name, name)
	}
	return m, nil
}

func dependsOn(id string, v any) ([]string, error) {
	switch x := plain(v).(type) {
	case nil:
		return nil, nil
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, errorf("Template format error: DependsOn must be a string or list of strings: resource %s", id)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, errorf("Template format error: DependsOn must be a string or list of strings: resource %s", id)
}

var outputProperties = map[string]bool{"Value": true, "Description": true, "Condition": true, "Export": true}

func parseOutputs(t *Template, top *object) error {
	sec, err := section(top, "Outputs")
	if err != nil || sec == nil {
		return err
	}
	t.Outputs = map[string]*Output{}
	for _, name := range sec.keys {
		o, ok := sec.values[name].(*object)
		if !ok {
			return errorf("Template format error: Every Outputs member must contain a Value object")
		}
		out, err := parseOutput(name, o)
		if err != nil {
			return err
		}
		t.Outputs[name] = out
		t.OutputOrder = append(t.OutputOrder, name)
	}
	return nil
}

func parseOutput(name string, o *object) (*Output, error) {
	for _, k := range o.keys {
		if !outputProperties[k] {
			return nil, errorf("Template format error: Invalid outputs property : [%s]", k)
		}
	}
	v, ok := o.values["Value"]
	if !ok || v == nil {
		return nil, errorf("Template format error: Every Outputs member must contain a Value object")
	}
	out := &Output{Name: name, Value: plain(v)}
	out.Description, _ = text(o.values["Description"])
	if c, ok := o.values["Condition"]; ok {
		s, ok := c.(string)
		if !ok {
			return nil, errorf("Template format error: Output %s is malformed. The Condition field must be a string.", name)
		}
		out.Condition = s
	}
	if e, ok := o.values["Export"]; ok {
		m, ok := plain(e).(map[string]any)
		if !ok || m["Name"] == nil {
			return nil, errorf("Template format error: Output %s is malformed. The Name field of Export must not be null or empty.", name)
		}
		out.ExportName = m["Name"]
	}
	return out, nil
}
