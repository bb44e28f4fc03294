package template

import (
	"reflect"
	"strings"
	"testing"
)

const shortFormYAML = `
AWSTemplateFormatVersion: "2010-09-09"
Description: short forms
Parameters:
  Env:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Either: !Or [!Condition IsProd, !Condition NotProd]
  Both: !And [!Condition IsProd, !Condition NotProd]
Resources:
  Zeta:
    Type: AWS::Test::Thing
    Properties:
      Ref: !Ref Env
      AttDot: !GetAtt Alpha.Nested.Attr
      AttList: !GetAtt [Alpha, Arn]
      Sub: !Sub "${AWS::Region}-${Env}"
      SubVars: !Sub ["${X}", {X: !Ref Env}]
      Join: !Join [",", [a, b]]
      If: !If [IsProd, big, !Ref "AWS::NoValue"]
      Select: !Select [0, !GetAZs ""]
      Split: !Split [",", "a,b"]
      Find: !FindInMap [M, k, v]
      B64: !Base64 hello
      Cidr: !Cidr ["10.0.0.0/16", 2, 8]
      Import: !ImportValue exported
      Len: !Length [a, b]
      Json: !ToJsonString {a: 1}
      Quoted: "123"
      Number: 123
      Float: 1.5
      Bool: true
      Date: 2012-10-17
  Alpha:
    Type: AWS::Test::Thing
Outputs:
  Out:
    Value: !Ref Zeta
    Export:
      Name: !Sub "${AWS::StackName}-out"
`

const longFormJSON = `{
 "AWSTemplateFormatVersion": "2010-09-09",
 "Description": "short forms",
 "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
 "Conditions": {
  "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
  "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
  "Either": {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "NotProd"}]},
  "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "NotProd"}]}
 },
 "Resources": {
  "Zeta": {"Type": "AWS::Test::Thing", "Properties": {
   "Ref": {"Ref": "Env"},
   "AttDot": {"Fn::GetAtt": ["Alpha", "Nested.Attr"]},
   "AttList": {"Fn::GetAtt": ["Alpha", "Arn"]},
   "Sub": {"Fn::Sub": "${AWS::Region}-${Env}"},
   "SubVars": {"Fn::Sub": ["${X}", {"X": {"Ref": "Env"}}]},
   "Join": {"Fn::Join": [",", ["a", "b"]]},
   "If": {"Fn::If": ["IsProd", "big", {"Ref": "AWS::NoValue"}]},
   "Select": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
   "Split": {"Fn::Split": [",", "a,b"]},
   "Find": {"Fn::FindInMap": ["M", "k", "v"]},
   "B64": {"Fn::Base64": "hello"},
   "Cidr": {"Fn::Cidr": ["10.0.0.0/16", 2, 8]},
   "Import": {"Fn::ImportValue": "exported"},
   "Len": {"Fn::Length": ["a", "b"]},
   "Json": {"Fn::ToJsonString": {"a": 1}},
   "Quoted": "123",
   "Number": 123,
   "Float": 1.5,
   "Bool": true,
   "Date": "2012-10-17"
  }},
  "Alpha": {"Type": "AWS::Test::Thing"}
 },
 "Outputs": {"Out": {"Value": {"Ref": "Zeta"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-out"}}}}
}`

func mustParse(t *testing.T, body string) *Template {
	t.Helper()
	tmpl, err := Parse([]byte(body))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return tmpl
}

func TestShortFormsEqualLongForms(t *testing.T) {
	y := mustParse(t, shortFormYAML)
	j := mustParse(t, longFormJSON)
	if y.Format != "YAML" || j.Format != "JSON" {
		t.Fatalf("formats = %s, %s", y.Format, j.Format)
	}
	if !reflect.DeepEqual(y.Resources, j.Resources) {
		for k, v := range y.Resources["Zeta"].Properties {
			if w := j.Resources["Zeta"].Properties[k]; !reflect.DeepEqual(v, w) {
				t.Errorf("property %s: YAML %#v, JSON %#v", k, v, w)
			}
		}
		t.Fatal("resources differ")
	}
	if !reflect.DeepEqual(y.Conditions, j.Conditions) {
		t.Errorf("conditions differ:\n%#v\n%#v", y.Conditions, j.Conditions)
	}
	if !reflect.DeepEqual(y.Outputs, j.Outputs) {
		t.Errorf("outputs differ")
	}
	if got := y.ResourceOrder; !reflect.DeepEqual(got, []string{"Zeta", "Alpha"}) {
		t.Errorf("YAML ResourceOrder = %v", got)
	}
	if got := j.ResourceOrder; !reflect.DeepEqual(got, []string{"Zeta", "Alpha"}) {
		t.Errorf("JSON ResourceOrder = %v", got)
	}
	if got := y.ConditionOrder; !reflect.DeepEqual(got, []string{"IsProd", "NotProd", "Either", "Both"}) {
		t.Errorf("ConditionOrder = %v", got)
	}
	if string(y.Body) != shortFormYAML {
		t.Error("Body is not the submitted text")
	}
}

func TestParseSections(t *testing.T) {
	tmpl := mustParse(t, `
Parameters:
  Size:
    Type: Number
    Default: 3
    MinValue: 1
    MaxValue: "10"
    NoEcho: "true"
    AllowedValues: [1, 3, 5]
  Name:
    Type: String
    MinLength: 2
    AllowedPattern: "[a-z]+"
    ConstraintDescription: lower case
Resources:
  R:
    Type: AWS::Test::Thing
    DependsOn: [Q]
    Condition: C
    DeletionPolicy: Retain
    UpdateReplacePolicy: Snapshot
    Metadata: {k: v}
    CreationPolicy: {ResourceSignal: {Count: 1}}
    UpdatePolicy: {AutoScalingRollingUpdate: {}}
  Q:
    Type: AWS::Test::Thing
    DependsOn: R2
  R2:
    Type: AWS::Test::Thing
Rules:
  Rule1:
    RuleCondition: !Equals [a, a]
    Assertions:
      - Assert: !Equals [a, a]
        AssertDescription: always
Outputs:
  O:
    Description: d
    Condition: C
    Value: x
`)
	p := tmpl.Parameters["Size"]
	if p.Type != "Number" || !p.HasDefault || p.Default != "3" || !p.NoEcho || *p.MinValue != 1 || *p.MaxValue != 10 ||
		!reflect.DeepEqual(p.AllowedValues, []string{"1", "3", "5"}) {
		t.Errorf("Size = %+v", p)
	}
	n := tmpl.Parameters["Name"]
	if n.HasDefault || *n.MinLength != 2 || n.AllowedPattern != "[a-z]+" || n.ConstraintDescription != "lower case" {
		t.Errorf("Name = %+v", n)
	}
	if !reflect.DeepEqual(tmpl.ParameterOrder, []string{"Size", "Name"}) {
		t.Errorf("ParameterOrder = %v", tmpl.ParameterOrder)
	}
	r := tmpl.Resources["R"]
	if r.Condition != "C" || r.DeletionPolicy != "Retain" || r.UpdateReplacePolicy != "Snapshot" ||
		!reflect.DeepEqual(r.DependsOn, []string{"Q"}) || r.Metadata["k"] != "v" || r.CreationPolicy == nil || r.UpdatePolicy == nil {
		t.Errorf("R = %+v", r)
	}
	if got := tmpl.Resources["Q"].DependsOn; !reflect.DeepEqual(got, []string{"R2"}) {
		t.Errorf("Q.DependsOn = %v", got)
	}
	rule := tmpl.Rules["Rule1"]
	if rule.RuleCondition == nil || len(rule.Assertions) != 1 || rule.Assertions[0].AssertDescription != "always" {
		t.Errorf("Rule1 = %+v", rule)
	}
	o := tmpl.Outputs["O"]
	if o.Description != "d" || o.Condition != "C" || o.Value != "x" || o.ExportName != nil {
		t.Errorf("O = %+v", o)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "Template format error: At least one Resources member must be defined."},
		{"no resources", "Description: x\n", "Template format error: At least one Resources member must be defined."},
		{"empty resources", `{"Resources": {}}`, "Template format error: At least one Resources member must be defined."},
		{"bad json", "{\n  \"Resources\": {\n    \"A\": ,\n  }\n}", "Template format error: JSON not well-formed. (line 3, column 10)"},
		{"bad yaml", "Resources:\n  A:\n\tType: X\n", "Template format error: YAML not well-formed. (line 3, column 1)"},
		{"duplicate yaml key", "Resources:\n  A:\n    Type: X\n  A:\n    Type: Y\n", "Template format error: YAML not well-formed. (line 4, column 3)"},
		{"scalar template", "hello", "Template format error: YAML not well-formed. (line 1, column 1)"},
		{"unknown section", "Resources: {A: {Type: X}}\nFoo: 1\nBar: 2\n", "Template format error: Invalid template property or properties [Bar, Foo]"},
		{"bad version", "AWSTemplateFormatVersion: 2011-01-01\nResources: {A: {Type: X}}\n", "Template format error: Unsupported template version 2011-01-01"},
		{"no type", "Resources: {A: {Properties: {}}}\n", "Template format error: [/Resources/A] Every Resources object must contain a Type member."},
		{"unknown attribute", "Resources: {A: {Type: X, Propertys: {}}}\n", "Template format error: Invalid template resource property 'Propertys'"},
		{"parameter without type", "Parameters: {P: {Default: x}}\nResources: {A: {Type: X}}\n", "Template format error: Every Parameters object must contain a Type member."},
		{"unknown parameter property", "Parameters: {P: {Type: String, Foo: x}}\nResources: {A: {Type: X}}\n", "Template format error: Invalid template parameter property 'Foo'"},
		{"output without value", "Resources: {A: {Type: X}}\nOutputs: {O: {Description: x}}\n", "Template format error: Every Outputs member must contain a Value object"},
		{"bad depends on", "Resources: {A: {Type: X, DependsOn: {a: b}}}\n", "Template format error: DependsOn must be a string or list of strings: resource A"},
		{"rule without assertions", "Resources: {A: {Type: X}}\nRules: {R: {}}\n", "Template format error: Every Rules member R must contain an Assertions list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.body))
			assertError(t, err, tc.want)
		})
	}
}

func assertError(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error %T %v is not *Error", err, err)
	}
	if e.Message != want {
		t.Fatalf("message\n got %q\nwant %q", e.Message, want)
	}
	if e.ErrorCode() != "ValidationError" {
		t.Fatalf("code %s", e.ErrorCode())
	}
}

func TestParseJSONTrailingGarbage(t *testing.T) {
	_, err := Parse([]byte(`{"Resources": {"A": {"Type": "X"}}} extra`))
	assertError(t, err, "Template format error: JSON not well-formed. (line 1, column 37)")
}

func TestYAMLAliasBombIsRejected(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	b.WriteString("Resources: {A: {Type: X}}\n")
	if _, err := Parse([]byte(b.String())); err == nil {
		t.Fatal("alias bomb accepted")
	}
}
