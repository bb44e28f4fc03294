package template

import (
	"bytes"
	"sort"
	"strings"
)

// Template is a parsed CloudFormation template.
type Template struct {
	Body          []byte // exactly as submitted (GetTemplate returns it byte for byte)
	Format        string // "JSON" or "YAML"
	FormatVersion string
	Description   string
	Transform     []string // declared transforms; the engine refuses them
	Metadata      map[string]any

	Parameters     map[string]*Parameter
	ParameterOrder []string
	Mappings       map[string]any
	Conditions     map[string]any
	ConditionOrder []string
	Rules          map[string]*Rule
	RuleOrder      []string
	Resources      map[string]*Resource
	ResourceOrder  []string // declaration order
	Outputs        map[string]*Output
	OutputOrder    []string

	index map[string]int // resource logical ID → position in ResourceOrder, built by Parse
}

// Parameter is one entry of the Parameters section. Numbers and booleans
// written in the template are kept as their text.
type Parameter struct {
	Name, Type, Description, Default, AllowedPattern, ConstraintDescription string
	HasDefault, NoEcho                                                      bool
	AllowedValues                                                           []string
	MinLength, MaxLength                                                    *int
	MinValue, MaxValue                                                      *float64
}

// Resource is one entry of the Resources section.
type Resource struct {
	LogicalID, Type, Condition, DeletionPolicy, UpdateReplacePolicy string
	Properties                                                      map[string]any
	DependsOn                                                       []string
	Metadata                                                        map[string]any
	CreationPolicy, UpdatePolicy                                    map[string]any
}

// Output is one entry of the Outputs section; ExportName is Export.Name,
// still to be evaluated.
type Output struct {
	Name, Description, Condition string
	Value                        any
	ExportName                   any
}

// Rule is one entry of the Rules section.
type Rule struct {
	Name          string
	RuleCondition any
	Assertions    []Assertion
}

// Assertion is one entry of a rule's Assertions.
type Assertion struct {
	Assert            any
	AssertDescription string
}

// sections are the top-level keys CloudFormation accepts.
var sections = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true,
	"Parameters": true, "Mappings": true, "Conditions": true, "Transform": true,
	"Resources": true, "Outputs": true, "Rules": true, "Hooks": true,
}

// Parse reads a JSON or YAML template. It checks the shape of each section;
// Validate checks the references between them.
func Parse(body []byte) (*Template, error) {
	root, format, err := decode(body)
	if err != nil {
		return nil, err
	}
	top, ok := root.(*object)
	if !ok {
		return nil, errorf("Template format error: %s not well-formed. (line 1, column 1)", format)
	}
	var unknown []string
	for _, k := range top.keys {
		if !sections[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, errorf("Template format error: Invalid template property or properties [%s]", strings.Join(unknown, ", "))
	}
	t := &Template{Body: append([]byte(nil), body...), Format: format}
	for _, step := range []func(*Template, *object) error{
		parseHeader, parseParameters, parseMappings, parseConditions,
		parseRules, parseResources, parseOutputs,
	} {
		if err := step(t, top); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// decode chooses the format the way CloudFormation does: a body that starts
// with '{' is JSON, anything else YAML.
func decode(body []byte) (any, string, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return nil, "", errorf("Template format error: At least one Resources member must be defined.")
	}
	if trimmed[0] == '{' {
		v, err := decodeJSON(body)
		return v, "JSON", err
	}
	v, err := decodeYAML(body)
	return v, "YAML", err
}

// resourceIndex is the declaration position of a resource, or -1.
func (t *Template) resourceIndex(id string) int {
	if t.index != nil {
		if i, ok := t.index[id]; ok {
			return i
		}
		return -1
	}
	for i, r := range t.ResourceOrder { // a Template built by hand
		if r == id {
			return i
		}
	}
	return -1
}
