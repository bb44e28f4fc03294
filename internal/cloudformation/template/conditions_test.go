package template

import (
	"reflect"
	"testing"
)

func TestEvaluateConditions(t *testing.T) {
	tmpl := mustParse(t, `
Parameters:
  Env: {Type: String}
  Zones: {Type: CommaDelimitedList}
Mappings:
  M: {us-east-1: {Big: "true"}}
Conditions:
  Both: !And [!Condition IsProd, !Condition InVirginia]
  IsProd: !Equals [!Ref Env, prod]
  InVirginia: !Equals [!Ref "AWS::Region", us-east-1]
  Big: !Equals [!FindInMap [M, !Ref "AWS::Region", Big], "true"]
  NotProd: !Not [!Condition IsProd]
  Any: !Or [!Condition IsProd, !Condition Big]
  ThreeZones: !Equals [!Select [2, !Ref Zones], c]
  HasZone: !Contains [!Ref Zones, b]
Resources:
  R: {Type: X, Condition: Both}
`)
	ctx := &Context{Params: map[string]any{"Env": "prod", "Zones": []string{"a", "b", "c"}}, Pseudo: Pseudo{Region: "us-east-1"}}
	got, err := tmpl.EvaluateConditions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"Both": true, "IsProd": true, "InVirginia": true, "Big": true, "NotProd": false, "Any": true, "ThreeZones": true, "HasZone": true}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	ctx.Params["Env"] = "dev"
	ctx.Pseudo.Region = "eu-west-1"
	if _, err := tmpl.EvaluateConditions(ctx); err == nil {
		t.Fatal("missing mapping key in eu-west-1 gave no error")
	}
}

func TestEvaluateConditionsErrors(t *testing.T) {
	tests := []struct{ name, conditions, want string }{
		{"references a resource", `C: !Equals [!Ref R, x]`, "Template format error: Unresolved dependencies [R]. Cannot reference resources in the Conditions block of the template"},
		{"getatt", `C: !Equals [!GetAtt R.Arn, x]`, "Template format error: Unresolved dependencies [R]. Cannot reference resources in the Conditions block of the template"},
		{"undefined condition", `C: !Not [!Condition Nope]`, "Template error: unresolved condition dependency Nope in Condition"},
		{"cycle", "A: !Not [!Condition B]\n  B: !Not [!Condition A]", "Template error: Circular dependency between conditions: [A, B]"},
		{"not boolean", `C: !Ref AWS::Region`, "Template format error: Conditions can only be boolean operations on parameters and other conditions"},
		{"plain text", `C: yes`, "Template format error: Conditions can only be boolean operations on parameters and other conditions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := mustParse(t, "Conditions:\n  "+tc.conditions+"\nResources:\n  R: {Type: X}\n")
			_, err := tmpl.EvaluateConditions(&Context{Pseudo: Pseudo{Region: "us-east-1"}})
			assertError(t, err, tc.want)
		})
	}
}

func TestConditionsFeedEvaluate(t *testing.T) {
	tmpl := mustParse(t, `
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  R:
    Type: X
    Properties:
      Size: !If [IsProd, 10, 1]
      Extra: !If [IsProd, !Ref Missing, !Ref "AWS::NoValue"]
`)
	params, err := tmpl.ResolveParameters(nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := &Context{Params: params, Template: tmpl}
	if ctx.Conditions, err = tmpl.EvaluateConditions(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := Evaluate(tmpl.Resources["R"].Properties, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, map[string]any{"Size": 1}) {
		t.Fatalf("got %#v", got)
	}
}
