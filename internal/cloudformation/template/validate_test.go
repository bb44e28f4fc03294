package template

import "testing"

func TestValidate(t *testing.T) {
	if err := mustParse(t, graphTemplate).Validate(); err != nil {
		t.Fatalf("graph template: %v", err)
	}
	if err := mustParse(t, shortFormYAML+"Mappings: {M: {k: {v: x}}}\n").Validate(); err != nil {
		t.Fatalf("short-form template: %v", err)
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"non alphanumeric resource", "Resources: {my-res: {Type: X}}", "Template format error: Resource name my-res is non alphanumeric."},
		{"non alphanumeric parameter", "Parameters: {p_1: {Type: String}}\nResources: {R: {Type: X}}", "Template format error: Parameter name p_1 is non alphanumeric."},
		{"non alphanumeric output", "Resources: {R: {Type: X}}\nOutputs: {o.1: {Value: x}}", "Template format error: Output name o.1 is non alphanumeric."},
		{"unresolved refs", "Resources: {R: {Type: X, Properties: {A: !Ref Zed, B: !Sub \"${Alpha}\", C: !Ref AWS::Region}}}", "Template format error: Unresolved resource dependencies [Alpha, Zed] in the Resources block of the template"},
		{"bad depends on", "Resources: {R: {Type: X, DependsOn: [Nope]}}", "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"},
		{"getatt undefined", "Resources: {R: {Type: X, Properties: {A: !GetAtt Nope.Arn}}}", "Template error: instance of Fn::GetAtt references undefined resource Nope"},
		{"getatt of parameter", "Parameters: {P: {Type: String}}\nResources: {R: {Type: X, Properties: {A: !GetAtt P.Arn}}}", "Template error: instance of Fn::GetAtt references undefined resource P"},
		{"unsupported function", "Resources: {R: {Type: X, Properties: {A: {Fn::Magic: x}}}}", "Template error: Encountered unsupported function: Fn::Magic Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr, Fn::Length, Fn::ToJsonString, Fn::Transform]"},
		{"unsupported short form", "Resources: {R: {Type: X, Properties: {A: !Magic x}}}", "Template error: Encountered unsupported function: Fn::Magic Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr, Fn::Length, Fn::ToJsonString, Fn::Transform]"},
		{"undefined resource condition", "Resources: {R: {Type: X, Condition: Nope}}", "Template format error: Unresolved condition dependency Nope in resource R"},
		{"undefined if condition", "Resources: {R: {Type: X, Properties: {A: !If [Nope, a, b]}}}", "Template error: unresolved condition dependency Nope in Fn::If"},
		{"condition references resource", "Conditions: {C: !Equals [!Ref R, x]}\nResources: {R: {Type: X}}", "Template format error: Unresolved dependencies [R]. Cannot reference resources in the Conditions block of the template"},
		{"condition references undefined condition", "Conditions: {C: !Not [!Condition D]}\nResources: {R: {Type: X}}", "Template error: unresolved condition dependency D in Fn::If"},
		{"output references missing resource", "Resources: {R: {Type: X}}\nOutputs: {O: {Value: !Ref Nope}}", "Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template"},
		{"output export references missing resource", "Resources: {R: {Type: X}}\nOutputs: {O: {Value: x, Export: {Name: !Sub \"${Nope}\"}}}", "Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template"},
		{"output getatt missing resource", "Resources: {R: {Type: X}}\nOutputs: {O: {Value: !GetAtt Nope.Arn}}", "Template error: instance of Fn::GetAtt references undefined resource Nope"},
		{"output undefined condition", "Resources: {R: {Type: X}}\nOutputs: {O: {Value: x, Condition: C}}", "Template format error: Unresolved condition dependency C in output O"},
		{"null property", "Resources: {R: {Type: X, Properties: {A: {B: null}}}}", "Template format error: [/Resources/R/Properties/A/B] 'null' values are not allowed in templates"},
		{"parameter and resource share a name", "Parameters: {R: {Type: String}}\nResources: {R: {Type: X}}", "Template format error: Resource R and Parameter R have the same name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertError(t, mustParse(t, tc.body+"\n").Validate(), tc.want)
		})
	}
}
