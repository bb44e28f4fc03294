package template

import "strings"

type function func(e *evaluator, arg any) (any, error)

// functions is every intrinsic function by its long-form name. Filled in
// init because the functions call back into the evaluator.
var functions map[string]function

func init() {
	functions = map[string]function{
		"Ref":              (*evaluator).fnRef,
		"Fn::GetAtt":       (*evaluator).fnGetAtt,
		"Fn::Sub":          (*evaluator).fnSub,
		"Fn::Join":         (*evaluator).fnJoin,
		"Fn::Select":       (*evaluator).fnSelect,
		"Fn::Split":        (*evaluator).fnSplit,
		"Fn::FindInMap":    (*evaluator).fnFindInMap,
		"Fn::Base64":       (*evaluator).fnBase64,
		"Fn::Cidr":         (*evaluator).fnCidr,
		"Fn::GetAZs":       (*evaluator).fnGetAZs,
		"Fn::ImportValue":  (*evaluator).fnImportValue,
		"Fn::Length":       (*evaluator).fnLength,
		"Fn::ToJsonString": (*evaluator).fnToJSONString,
		"Fn::If":           (*evaluator).fnIf,
		"Fn::Equals":       (*evaluator).fnEquals,
		"Fn::And":          (*evaluator).fnAnd,
		"Fn::Or":           (*evaluator).fnOr,
		"Fn::Not":          (*evaluator).fnNot,
		"Fn::Transform":    (*evaluator).fnTransform,
		// Rule functions (valid in the Rules section).
		"Fn::Contains":         (*evaluator).fnContains,
		"Fn::EachMemberEquals": (*evaluator).fnEachMemberEquals,
		"Fn::EachMemberIn":     (*evaluator).fnEachMemberIn,
		"Fn::RefAll":           (*evaluator).fnRefAll,
		"Fn::ValueOf":          (*evaluator).fnValueOf,
		"Fn::ValueOfAll":       (*evaluator).fnValueOfAll,
	}
}

// supportedFunctions is the list CloudFormation prints with an unsupported
// function, in its order.
var supportedFunctions = []string{
	"Fn::Base64", "Fn::GetAtt", "Fn::GetAZs", "Fn::ImportValue", "Fn::Join", "Fn::Split",
	"Fn::FindInMap", "Fn::Select", "Ref", "Fn::Equals", "Fn::If", "Fn::Not", "Condition",
	"Fn::And", "Fn::Or", "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn",
	"Fn::ValueOf", "Fn::ValueOfAll", "Fn::RefAll", "Fn::Sub", "Fn::Cidr", "Fn::Length",
	"Fn::ToJsonString", "Fn::Transform",
}

func unsupportedFunction(name string) error {
	return errorf("Template error: Encountered unsupported function: %s Supported functions are: [%s]",
		name, strings.Join(supportedFunctions, ", "))
}

func (e *evaluator) fnTransform(any) (any, error) {
	return nil, errorf("Template error: Fn::Transform is not supported: this emulator runs no macros")
}
