package template

import (
	"errors"
	"reflect"
	"testing"
)

const paramTemplate = `
Parameters:
  Name: {Type: String, Default: web}
  Size: {Type: Number, Default: 2, MinValue: 1, MaxValue: 10}
  Ports: {Type: List<Number>, Default: "80, 443"}
  Zones: {Type: CommaDelimitedList, Default: "a, b ,c"}
  Vpc: {Type: "AWS::EC2::VPC::Id", Default: vpc-1}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-1,subnet-2"}
  Version: {Type: "AWS::SSM::Parameter::Value<String>", Default: /cdk-bootstrap/hnb659fds/version}
  Images: {Type: "AWS::SSM::Parameter::Value<List<String>>", Default: /images}
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
  Code: {Type: String, AllowedPattern: "[a-z]+", Default: abc}
  Short: {Type: String, MinLength: 2, MaxLength: 4, Default: abc}
  Described: {Type: String, AllowedPattern: "[0-9]+", ConstraintDescription: digits only, Default: "1"}
Resources:
  R: {Type: X}
`

func fakeSSM(name string) (string, error) {
	switch name {
	case "/cdk-bootstrap/hnb659fds/version":
		return "33", nil
	case "/images":
		return "img-1,img-2", nil
	}
	return "", errorf("Unable to fetch parameters [%s] from parameter store for this account.", name)
}

func TestResolveParameters(t *testing.T) {
	tmpl := mustParse(t, paramTemplate)
	got, err := tmpl.ResolveParameters(map[string]string{"Name": "api", "Size": "5"}, map[string]bool{"Env": true},
		map[string]string{"Env": "prod"}, fakeSSM)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"Name": "api", "Size": "5", "Ports": []string{"80", "443"}, "Zones": []string{"a", "b", "c"},
		"Vpc": "vpc-1", "Subnets": []string{"subnet-1", "subnet-2"}, "Version": "33",
		"Images": []string{"img-1", "img-2"}, "Env": "prod", "Code": "abc", "Short": "abc", "Described": "1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}

func TestResolveParametersErrors(t *testing.T) {
	tests := []struct {
		name     string
		template string
		given    map[string]string
		prev     map[string]bool
		want     string
	}{
		{"missing", "Parameters: {A: {Type: String}, B: {Type: String}, C: {Type: String, Default: x}}", nil, nil, "Parameters: [A, B] must have values"},
		{"unknown", "Parameters: {A: {Type: String, Default: x}}", map[string]string{"Zed": "1", "Bad": "2"}, nil, "Parameters: [Bad, Zed] do not exist in the template"},
		{"unknown previous", "Parameters: {A: {Type: String, Default: x}}", nil, map[string]bool{"Old": true}, "Parameters: [Old] do not exist in the template"},
		{"previous without value", "Parameters: {A: {Type: String}}", nil, map[string]bool{"A": true}, "Invalid input for parameter key A. Cannot specify usePreviousValue as true for a parameter key not in the previous template"},
		{"not a number", "Parameters: {N: {Type: Number}}", map[string]string{"N": "ten"}, nil, "Parameter 'N' must be a number."},
		{"list not numbers", "Parameters: {N: {Type: List<Number>}}", map[string]string{"N": "1,x"}, nil, "Parameter 'N' must be a number."},
		{"below min", "Parameters: {N: {Type: Number, MinValue: 1}}", map[string]string{"N": "0"}, nil, "Parameter 'N' must be a number not less than 1"},
		{"above max", "Parameters: {N: {Type: Number, MaxValue: 2.5}}", map[string]string{"N": "3"}, nil, "Parameter 'N' must be a number not greater than 2.5"},
		{"not allowed", "Parameters: {E: {Type: String, AllowedValues: [a, b]}}", map[string]string{"E": "c"}, nil, "Parameter 'E' must be one of AllowedValues"},
		{"list member not allowed", "Parameters: {E: {Type: CommaDelimitedList, AllowedValues: [a, b]}}", map[string]string{"E": "a,c"}, nil, "Parameter 'E' must be one of AllowedValues"},
		{"pattern", "Parameters: {P: {Type: String, AllowedPattern: \"[a-z]+\"}}", map[string]string{"P": "abc1"}, nil, "Parameter 'P' must match pattern [a-z]+"},
		{"pattern with description", "Parameters: {P: {Type: String, AllowedPattern: \"[a-z]+\", ConstraintDescription: lower only}}", map[string]string{"P": "A"}, nil, "Parameter P failed to satisfy constraint: lower only"},
		{"too short", "Parameters: {S: {Type: String, MinLength: 3}}", map[string]string{"S": "ab"}, nil, "Parameter 'S' must contain at least 3 characters"},
		{"too long", "Parameters: {S: {Type: String, MaxLength: 1}}", map[string]string{"S": "ab"}, nil, "Parameter 'S' must contain at most 1 characters"},
		{"ssm missing", "Parameters: {V: {Type: \"AWS::SSM::Parameter::Value<String>\"}}", map[string]string{"V": "/nope"}, nil, "Unable to fetch parameters [/nope] from parameter store for this account."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := mustParse(t, tc.template+"\nResources: {R: {Type: X}}\n")
			_, err := tmpl.ResolveParameters(tc.given, tc.prev, nil, fakeSSM)
			assertError(t, err, tc.want)
		})
	}
}

func TestResolveParametersSSMError(t *testing.T) {
	tmpl := mustParse(t, "Parameters: {V: {Type: \"AWS::SSM::Parameter::Value<String>\", Default: /x}}\nResources: {R: {Type: X}}\n")
	boom := errors.New("ssm down")
	_, err := tmpl.ResolveParameters(nil, nil, nil, func(string) (string, error) { return "", boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestParameterTypesValidate(t *testing.T) {
	for _, typ := range []string{"String", "Number", "List<Number>", "CommaDelimitedList", "AWS::EC2::KeyPair::KeyName",
		"List<AWS::EC2::SecurityGroup::Id>", "AWS::SSM::Parameter::Name", "AWS::SSM::Parameter::Value<String>",
		"AWS::SSM::Parameter::Value<List<String>>", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"} {
		tmpl := mustParse(t, "Parameters: {P: {Type: \""+typ+"\", Default: x}}\nResources: {R: {Type: X}}\n")
		if err := tmpl.Validate(); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
	for _, typ := range []string{"Strin", "List<String>", "AWS::EC2::Nope::Id", "AWS::SSM::Parameter::Value<Number>"} {
		tmpl := mustParse(t, "Parameters: {P: {Type: \""+typ+"\", Default: x}}\nResources: {R: {Type: X}}\n")
		assertError(t, tmpl.Validate(), "Template format error: Unrecognized parameter type: "+typ)
	}
}
