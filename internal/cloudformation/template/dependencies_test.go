package template

import (
	"reflect"
	"testing"
)

const graphTemplate = `
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Service:
    Type: X
    DependsOn: Listener
    Properties:
      Cluster: !Ref Cluster
      Role: !GetAtt Role.Arn
      Name: !Sub "${AWS::StackName}-${Env}-${Queue.Name}"
      Literal: !Sub "${!Cluster}"
      Vars: !Sub ["${Mine}", {Mine: !Ref Bucket}]
      Maybe: !If [IsProd, !Ref Extra, !Ref "AWS::NoValue"]
  Listener: {Type: X, Properties: {LB: !Ref LB}}
  LB: {Type: X}
  Cluster: {Type: X}
  Role: {Type: X}
  Queue: {Type: X}
  Bucket: {Type: X}
  Extra: {Type: X, Condition: IsProd}
  Lonely: {Type: X, Metadata: {Needs: !Ref Cluster}}
`

func TestDependencies(t *testing.T) {
	tmpl := mustParse(t, graphTemplate)
	got := tmpl.Dependencies("Service")
	want := []string{"Listener", "Cluster", "Role", "Queue", "Bucket", "Extra"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Dependencies(Service) = %v, want %v", got, want)
	}
	if got := tmpl.Dependencies("Lonely"); !reflect.DeepEqual(got, []string{"Cluster"}) {
		t.Fatalf("Dependencies(Lonely) = %v", got)
	}
	if got := tmpl.Dependencies("LB"); got != nil {
		t.Fatalf("Dependencies(LB) = %v", got)
	}
	if got := tmpl.Dependencies("Nope"); got != nil {
		t.Fatalf("Dependencies(Nope) = %v", got)
	}
}

func TestCreationOrder(t *testing.T) {
	tmpl := mustParse(t, graphTemplate)
	got, err := tmpl.CreationOrder(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"LB", "Listener", "Cluster", "Role", "Queue", "Bucket", "Extra", "Service", "Lonely"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("CreationOrder = %v, want %v", got, want)
	}
	active := map[string]bool{}
	for _, id := range tmpl.ResourceOrder {
		active[id] = id != "Extra"
	}
	got, err = tmpl.CreationOrder(active)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"LB", "Listener", "Cluster", "Role", "Queue", "Bucket", "Service", "Lonely"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("CreationOrder(without Extra) = %v, want %v", got, want)
	}
}

func TestCycles(t *testing.T) {
	tests := []struct{ name, resources, want string }{
		{"two", "A: {Type: X, Properties: {P: !Ref B}}\n  B: {Type: X, Properties: {P: !GetAtt A.Arn}}", "Circular dependency between resources: [A, B]"},
		{"self", "A: {Type: X, Properties: {P: !Ref A}}\n  B: {Type: X}", "Circular dependency between resources: [A]"},
		{"depends on", "A: {Type: X, DependsOn: C}\n  B: {Type: X}\n  C: {Type: X, Properties: {P: !Sub \"${A}\"}}", "Circular dependency between resources: [A, C]"},
		{"two cycles and a bystander", "A: {Type: X, DependsOn: B}\n  B: {Type: X, DependsOn: A}\n  C: {Type: X, DependsOn: A}\n  D: {Type: X, DependsOn: E}\n  E: {Type: X, DependsOn: D}", "Circular dependency between resources: [A, B, D, E]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := mustParse(t, "Resources:\n  "+tc.resources+"\n")
			_, err := tmpl.CreationOrder(nil)
			assertError(t, err, tc.want)
			assertError(t, tmpl.Validate(), tc.want)
		})
	}
}
