package template

import (
	"reflect"
	"testing"
)

const evalTemplate = `
Parameters:
  Env: {Type: String}
  Subnets: {Type: CommaDelimitedList}
  Count: {Type: Number}
Mappings:
  Regions:
    us-east-1: {AMI: ami-1, Zones: [a, b]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Role: {Type: AWS::IAM::Role}
  Later: {Type: AWS::S3::Bucket}
`

func evalContext(t *testing.T) *Context {
	t.Helper()
	return &Context{
		Template:   mustParse(t, evalTemplate),
		Params:     map[string]any{"Env": "dev", "Subnets": []string{"subnet-1", "subnet-2"}, "Count": "2"},
		Pseudo:     Pseudo{AccountID: "123456789012", Region: "us-east-1", StackName: "s", StackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/s/id", NotificationARNs: []string{"arn:sns"}},
		Conditions: map[string]bool{"IsProd": false, "Yes": true},
		Resolver:   newFake(),
	}
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name string
		in   string // YAML of the value to evaluate
		want any
	}{
		// Ref and pseudo parameters
		{"ref parameter", `!Ref Env`, "dev"},
		{"ref list parameter", `!Ref Subnets`, []any{"subnet-1", "subnet-2"}},
		{"ref resource", `!Ref Bucket`, "my-bucket"},
		{"ref account", `!Ref AWS::AccountId`, "123456789012"},
		{"ref region", `!Ref AWS::Region`, "us-east-1"},
		{"ref stack name", `!Ref AWS::StackName`, "s"},
		{"ref stack id", `!Ref AWS::StackId`, "arn:aws:cloudformation:us-east-1:123456789012:stack/s/id"},
		{"ref partition default", `!Ref AWS::Partition`, "aws"},
		{"ref url suffix default", `!Ref AWS::URLSuffix`, "amazonaws.com"},
		{"ref notification arns", `!Ref AWS::NotificationARNs`, []any{"arn:sns"}},
		{"no value drops key", `{a: 1, b: !Ref AWS::NoValue}`, map[string]any{"a": 1}},
		{"no value drops element", `[1, !Ref AWS::NoValue, 2]`, []any{1, 2}},
		{"top-level no value", `!Ref AWS::NoValue`, nil},
		// GetAtt
		{"getatt", `!GetAtt Bucket.Arn`, "arn:aws:s3:::my-bucket"},
		{"getatt list form", `{Fn::GetAtt: [Role, Arn]}`, "arn:aws:iam::123456789012:role/my-role"},
		{"getatt string long form", `{Fn::GetAtt: Role.Arn}`, "arn:aws:iam::123456789012:role/my-role"},
		{"getatt computed attribute", `{Fn::GetAtt: [Bucket, !Sub "A${Env}"]}`, nil}, // replaced below
		// Sub
		{"sub pseudo and param", `!Sub "${AWS::Region}-${Env}-${AWS::AccountId}"`, "us-east-1-dev-123456789012"},
		{"sub resource ref and attr", `!Sub "${Bucket}/${Role.Arn}"`, "my-bucket/arn:aws:iam::123456789012:role/my-role"},
		{"sub literal", `!Sub "${!Literal}-${Env}"`, "${Literal}-dev"},
		{"sub variables", `!Sub ["${A}.${B}", {A: x, B: !Ref Env}]`, "x.dev"},
		{"sub variable shadows parameter", `!Sub ["${Env}", {Env: shadow}]`, "shadow"},
		{"sub unclosed is literal", `!Sub "a ${b"`, "a ${b"},
		{"sub no variables", `!Sub plain`, "plain"},
		{"sub number variable", `!Sub ["${N}", {N: 8080}]`, "8080"},
		// Join, Select, Split
		{"join", `!Join ["-", [a, !Ref Env, 3]]`, "a-dev-3"},
		{"join empty delimiter", `!Join ["", [a, b]]`, "ab"},
		{"join list parameter", `!Join [",", !Ref Subnets]`, "subnet-1,subnet-2"},
		{"join empty list", `!Join [",", []]`, ""},
		{"select", `!Select [1, [a, b, c]]`, "b"},
		{"select text index", `!Select ["0", !Ref Subnets]`, "subnet-1"},
		{"select azs", `!Select [2, !GetAZs ""]`, "us-east-1c"},
		{"split", `!Split [",", "a,b,,c"]`, []any{"a", "b", "", "c"}},
		{"split then select", `!Select [1, !Split ["/", "a/b/c"]]`, "b"},
		// FindInMap
		{"findinmap", `!FindInMap [Regions, !Ref AWS::Region, AMI]`, "ami-1"},
		{"findinmap list", `!FindInMap [Regions, us-east-1, Zones]`, []any{"a", "b"}},
		{"findinmap default", `!FindInMap [Regions, eu-west-1, AMI, {DefaultValue: ami-default}]`, "ami-default"},
		{"findinmap default missing map", `!FindInMap [Nope, a, b, {DefaultValue: !Ref Env}]`, "dev"},
		// Conditions
		{"if false", `!If [IsProd, big, small]`, "small"},
		{"if true", `!If [Yes, big, small]`, "big"},
		{"if untaken branch not evaluated", `!If [Yes, ok, !Ref Undefined]`, "ok"},
		{"if no value", `{k: !If [IsProd, v, !Ref AWS::NoValue]}`, map[string]any{}},
		{"equals", `!Equals [!Ref Env, dev]`, true},
		{"equals number and text", `!Equals [1, "1"]`, true},
		{"equals false", `!Equals [a, b]`, false},
		{"and", `!And [!Equals [a, a], !Condition Yes]`, true},
		{"and false", `!And [!Equals [a, a], !Condition IsProd]`, false},
		{"or", `!Or [!Condition IsProd, !Condition Yes]`, true},
		{"or false", `!Or [!Condition IsProd, !Equals [a, b]]`, false},
		{"not", `!Not [!Condition IsProd]`, true},
		{"not text boolean", `!Not ["true"]`, false},
		// Others
		{"base64", `!Base64 hello`, "aGVsbG8="},
		{"base64 of sub", `!Base64 {Fn::Sub: "#!${Env}"}`, "IyFkZXY="},
		{"getazs current region", `!GetAZs ""`, []any{"us-east-1a", "us-east-1b", "us-east-1c"}},
		{"getazs ref region", `!GetAZs {Ref: AWS::Region}`, []any{"us-east-1a", "us-east-1b", "us-east-1c"}},
		{"getazs other region", `!GetAZs eu-west-1`, []any{"eu-west-1a"}},
		{"importvalue", `!ImportValue shared-vpc`, "vpc-12345678"},
		{"importvalue sub", `!ImportValue {Fn::Sub: "shared-${AWS::NoValue}vpc"}`, nil}, // replaced below
		{"length", `!Length [a, b, c]`, 3},
		{"length of parameter", `!Length {Ref: Subnets}`, 2},
		{"tojsonstring", `!ToJsonString {b: [1, !Ref Env], a: "<x>"}`, `{"a":"<x>","b":[1,"dev"]}`},
		{"condition is an ordinary key", `{Condition: {StringEquals: {a: b}}}`, map[string]any{"Condition": map[string]any{"StringEquals": map[string]any{"a": "b"}}}},
		{"nested plain values", `{a: [1, {b: true}], c: null}`, map[string]any{"a": []any{1, map[string]any{"b": true}}, "c": nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			switch tc.name {
			case "getatt computed attribute":
				newFakeAttr := evalContext(t)
				newFakeAttr.Resolver.(*fakeResolver).attrs["Bucket.Adev"] = "computed"
				got, err := Evaluate(yamlValue(t, tc.in), newFakeAttr)
				if err != nil || got != "computed" {
					t.Fatalf("got %#v, %v", got, err)
				}
				return
			case "importvalue sub":
				return // AWS::NoValue inside Fn::Sub is not text; covered in the error table
			}
			got, err := Evaluate(yamlValue(t, tc.in), evalContext(t))
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestEvaluateErrors(t *testing.T) {
	joinErr := "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined."
	splitErr := "Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split."
	selectErr := "Template error: Fn::Select requires a list argument with two elements: an integer index and a list"
	findErr := "Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value"
	tests := []struct{ name, in, want string }{
		{"ref undefined", `!Ref Nope`, "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"},
		{"ref not yet created", `!Ref Later`, "Template format error: Unresolved resource dependencies [Later] in the Resources block of the template"},
		{"ref not a string", `{Ref: [a]}`, "Template error: every Ref object must have a single String value."},
		{"getatt undefined resource", `!GetAtt Nope.Arn`, "Template error: instance of Fn::GetAtt references undefined resource Nope"},
		{"getatt unknown attribute", `!GetAtt Bucket.Nope`, "Template error: resource Bucket does not support attribute type Nope in Fn::GetAtt"},
		{"getatt malformed", `{Fn::GetAtt: [Bucket]}`, "Template error: every Fn::GetAtt object requires two non-empty parameters"},
		{"getatt no dot", `{Fn::GetAtt: Bucket}`, "Template error: every Fn::GetAtt object requires two non-empty parameters"},
		{"sub undefined", `!Sub "${Nope}"`, "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"},
		{"sub undefined attr", `!Sub "${Nope.Arn}"`, "Template error: instance of Fn::GetAtt references undefined resource Nope"},
		{"sub bad name", `!Sub "${a b}"`, "Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons"},
		{"sub bad args", `{Fn::Sub: [a]}`, "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string"},
		{"sub bad args map", `{Fn::Sub: [a, b]}`, "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string"},
		{"sub list variable", `!Sub "${Subnets}"`, "Template error: variable Subnets in Fn::Sub expression does not resolve to a string"},
		{"join one argument", `!Join [","]`, joinErr},
		{"join not a list", `!Join [",", abc]`, joinErr},
		{"join nested list", `!Join [",", [[a]]]`, joinErr},
		{"join bad delimiter", `!Join [[a], [b]]`, joinErr},
		{"select out of range", `!Select [3, [a, b]]`, "Template error: Fn::Select cannot select nonexistent value at index 3"},
		{"select negative", `!Select [-1, [a, b]]`, "Template error: Fn::Select cannot select nonexistent value at index -1"},
		{"select bad index", `!Select [x, [a]]`, selectErr},
		{"select not a list", `!Select [0, a]`, selectErr},
		{"select one argument", `!Select [0]`, selectErr},
		{"split empty delimiter", `!Split ["", a]`, splitErr},
		{"split not text", `!Split [",", [a]]`, splitErr},
		{"findinmap missing key", `!FindInMap [Regions, eu-west-1, AMI]`, "Template error: Unable to get mapping for Regions::eu-west-1::AMI"},
		{"findinmap missing attribute", `!FindInMap [Regions, us-east-1, Nope]`, "Template error: Unable to get mapping for Regions::us-east-1::Nope"},
		{"findinmap missing map", `!FindInMap [Nope, a, b]`, "Template error: Mapping named 'Nope' is not present in the 'Mappings' section of template."},
		{"findinmap two arguments", `!FindInMap [Regions, a]`, findErr},
		{"findinmap bad options", `!FindInMap [Regions, a, b, {Other: x}]`, findErr},
		{"if undefined condition", `!If [Nope, a, b]`, "Template error: unresolved condition dependency Nope in Fn::If"},
		{"if two arguments", `!If [IsProd, a]`, "Template error: Fn::If requires a list argument with three elements"},
		{"if condition not a name", `!If [[a], a, b]`, "Template error: Fn::If requires a list argument with the first element being a condition"},
		{"equals one argument", `!Equals [a]`, "Template error: every Fn::Equals object requires a list of 2 string parameters."},
		{"and one argument", `!And [!Condition Yes]`, "Template error: every Fn::And object requires a list of at least 2 and at most 10 boolean parameters."},
		{"or eleven arguments", `!Or [true, true, true, true, true, true, true, true, true, true, true]`, "Template error: every Fn::Or object requires a list of at least 2 and at most 10 boolean parameters."},
		{"not two arguments", `!Not [true, false]`, "Template error: every Fn::Not object requires a list of exactly 1 boolean parameter."},
		{"not of text", `!Not [abc]`, "Template error: every Fn::Not object requires boolean parameters"},
		{"condition undefined", `!Not [!Condition Nope]`, "Template error: unresolved condition dependency Nope in Condition"},
		{"base64 of list", `!Base64 [a]`, "Template error: every Fn::Base64 object must have a single String value"},
		{"importvalue missing", `!ImportValue nope`, "No export named nope found"},
		{"importvalue novalue", `!ImportValue {Fn::Sub: "shared-${AWS::NoValue}vpc"}`, "Template error: variable AWS::NoValue in Fn::Sub expression does not resolve to a string"},
		{"length of text", `!Length abc`, "Template error: Fn::Length requires a list or a function that returns a list"},
		{"tojsonstring of text", `!ToJsonString abc`, "Template error: Fn::ToJsonString requires an object or a list"},
		{"unsupported function", `{Fn::Nope: [a]}`, "Template error: Encountered unsupported function: Fn::Nope Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr, Fn::Length, Fn::ToJsonString, Fn::Transform]"},
		{"transform", `{Fn::Transform: {Name: AWS::Include}}`, "Template error: Fn::Transform is not supported: this emulator runs no macros"},
		{"error inside nested value", `{a: [{b: !Ref Nope}]}`, "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Evaluate(yamlValue(t, tc.in), evalContext(t))
			assertError(t, err, tc.want)
		})
	}
}

func TestEvaluateDoesNotModifyInput(t *testing.T) {
	in := yamlValue(t, `{a: !Ref Env, b: [!Ref AWS::NoValue, x], m: !FindInMap [Regions, us-east-1, Zones]}`)
	before := deepCopy(in)
	out, err := Evaluate(in, evalContext(t))
	if err != nil {
		t.Fatal(err)
	}
	out.(map[string]any)["m"].([]any)[0] = "changed"
	if !reflect.DeepEqual(in, before) {
		t.Fatalf("input changed: %#v", in)
	}
	again, _ := Evaluate(yamlValue(t, `!FindInMap [Regions, us-east-1, Zones]`), evalContext(t))
	if !reflect.DeepEqual(again, []any{"a", "b"}) {
		t.Fatalf("mapping changed through a result: %#v", again)
	}
}

func TestEvaluateWithoutResolver(t *testing.T) {
	ctx := evalContext(t)
	ctx.Resolver = nil
	_, err := Evaluate(yamlValue(t, `!Ref Bucket`), ctx)
	assertError(t, err, "Template format error: Unresolved resource dependencies [Bucket] in the Resources block of the template")
	if _, err := Evaluate(yamlValue(t, `!Ref Env`), nil); err == nil {
		t.Fatal("nil context resolved a parameter")
	}
}

// yamlValue parses a YAML value (with short forms) through the template
// decoder.
func yamlValue(t *testing.T, s string) any {
	t.Helper()
	v, err := decodeYAML([]byte("V: " + s + "\n"))
	if err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return plain(v).(map[string]any)["V"]
}

func TestText(t *testing.T) {
	for v, want := range map[any]string{"a": "a", 8080: "8080", 1.5: "1.5", true: "true"} {
		if got, ok := Text(v); !ok || got != want {
			t.Errorf("Text(%#v) = %q, %v", v, got, ok)
		}
	}
	if _, ok := Text([]any{"a"}); ok {
		t.Error("a list is text")
	}
}
