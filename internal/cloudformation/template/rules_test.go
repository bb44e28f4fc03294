package template

import "testing"

func TestCheckRules(t *testing.T) {
	tmpl := mustParse(t, `
Parameters:
  BootstrapVersion: {Type: "AWS::SSM::Parameter::Value<String>", Default: /cdk-bootstrap/hnb659fds/version}
  Env: {Type: String, Default: dev}
  Size: {Type: String, Default: small}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-1,subnet-2"}
Rules:
  CheckBootstrapVersion:
    Assertions:
      - Assert: {Fn::Not: [{Fn::Contains: [["1", "2", "3", "4", "5"], {Ref: BootstrapVersion}]}]}
        AssertDescription: CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.
  ProdIsBig:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions:
      - Assert: !Equals [!Ref Size, big]
        AssertDescription: prod must be big
  SubnetsInOneVpc:
    Assertions:
      - Assert: !EachMemberEquals [!ValueOf [Subnets, VpcId], vpc-1]
        AssertDescription: one VPC
      - Assert: !EachMemberIn [!RefAll "AWS::EC2::Subnet::Id", [subnet-1, subnet-2, subnet-3]]
        AssertDescription: known subnets
      - Assert: !EachMemberEquals [!ValueOfAll ["AWS::EC2::Subnet::Id", VpcId], vpc-1]
Resources:
  R: {Type: X}
`)
	check := func(given map[string]string, version string) error {
		params, err := tmpl.ResolveParameters(given, nil, nil, func(string) (string, error) { return version, nil })
		if err != nil {
			t.Fatal(err)
		}
		return tmpl.CheckRules(&Context{Params: params, Resolver: newFake()})
	}
	if err := check(nil, "33"); err != nil {
		t.Fatalf("bootstrap 33: %v", err)
	}
	assertError(t, check(nil, "5"), "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.")
	if err := check(map[string]string{"Env": "dev", "Size": "small"}, "33"); err != nil {
		t.Fatalf("rule condition false: %v", err)
	}
	assertError(t, check(map[string]string{"Env": "prod"}, "33"), "prod must be big")
	if err := check(map[string]string{"Env": "prod", "Size": "big"}, "33"); err != nil {
		t.Fatal(err)
	}
	assertError(t, check(map[string]string{"Subnets": "subnet-1,subnet-9"}, "33"), "known subnets")
}

func TestCheckRulesErrors(t *testing.T) {
	tests := []struct{ name, rules, want string }{
		{"no description", "R1: {Assertions: [{Assert: !Equals [a, b]}]}", "Template error: Assertion for rule R1 failed"},
		{"references a resource", "R1: {Assertions: [{Assert: !Equals [!Ref Res, b]}]}", "Template format error: Unresolved dependencies [Res]. Cannot reference resources in the Rules block of the template"},
		{"not boolean", "R1: {Assertions: [{Assert: abc}]}", "Template error: every Assert object requires boolean parameters"},
		{"value of without resolver support", "R1: {Assertions: [{Assert: !Equals [!ValueOf [P, VpcId], x]}]}", "Template error: Fn::ValueOf cannot read attribute VpcId of a AWS::EC2::Subnet::Id here"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := mustParse(t, "Parameters: {P: {Type: \"AWS::EC2::Subnet::Id\", Default: subnet-1}}\nRules:\n  "+tc.rules+"\nResources: {Res: {Type: X}}\n")
			params, _ := tmpl.ResolveParameters(nil, nil, nil, nil)
			assertError(t, tmpl.CheckRules(&Context{Params: params}), tc.want)
		})
	}
}
