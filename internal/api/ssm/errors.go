package ssm

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Constructors for the errors Parameter Store returns, with AWS's texts
// where AWS has one.

func errValidation(format string, args ...any) error {
	return &types.ValidationException{Message: aws.String(fmt.Sprintf(format, args...))}
}

// errConstraint is the AWS-wide text of a model constraint violation.
func errConstraint(value any, member, constraint string) error {
	return errValidation("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func errRequired(member string) error {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

// errParameterNotFound carries an empty message: AWS sends none for a
// missing parameter.
func errParameterNotFound() error {
	return &types.ParameterNotFound{Message: aws.String("")}
}

func errVersionNotFound(selector, name string) error {
	return &types.ParameterVersionNotFound{Message: aws.String(fmt.Sprintf(
		"Systems Manager could not find version %s of %s. Verify the version and try again.", selector, name))}
}

func errAlreadyExists() error {
	return &types.ParameterAlreadyExists{Message: aws.String(
		"The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")}
}

func errHierarchyLevel() error {
	return &types.HierarchyLevelLimitExceededException{Message: aws.String(
		"A hierarchy can have a maximum of 15 levels. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html")}
}

func errTypeMismatch() error {
	return &types.HierarchyTypeMismatchException{Message: aws.String(
		"Parameter Store doesn't support changing a parameter type in a hierarchy. For example, you can't change a parameter from a String type to a SecureString type. You must create a new, unique parameter.")}
}

func errPatternMismatch(pattern string) error {
	return &types.ParameterPatternMismatchException{Message: aws.String(
		fmt.Sprintf("Parameter value, cannot be validated against allowedPattern: %s", pattern))}
}

func errInvalidPattern(pattern string) error {
	return &types.InvalidAllowedPatternException{Message: aws.String(
		fmt.Sprintf("The allowed pattern %s is not a valid regular expression.", pattern))}
}

func errMaxVersions(name string, oldest int64) error {
	return &types.ParameterMaxVersionLimitExceeded{Message: aws.String(fmt.Sprintf(
		"You attempted to create a new version of %s by calling the PutParameter API with the overwrite flag. Version %d, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.", name, oldest))}
}

func errLabelLimit() error {
	return &types.ParameterVersionLabelLimitExceeded{Message: aws.String(
		"A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.")}
}

func errInvalidNextToken() error {
	return &types.InvalidNextToken{Message: aws.String("The specified token isn't valid.")}
}

func errInvalidFilterKey(format string, args ...any) error {
	return &types.InvalidFilterKey{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errInvalidFilterOption(format string, args ...any) error {
	return &types.InvalidFilterOption{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errInvalidFilterValue(format string, args ...any) error {
	return &types.InvalidFilterValue{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errInvalidResourceID() error {
	return &types.InvalidResourceId{Message: aws.String("")}
}

func errInvalidResourceType() error {
	return &types.InvalidResourceType{Message: aws.String("")}
}

func errTooManyTags() error {
	return &types.TooManyTagsError{Message: aws.String(
		fmt.Sprintf("Number of tags on the resource exceeds the limit of %d tags.", maxTags))}
}

func accessDenied(msg string) error {
	return &types.AccessDeniedException{Message: aws.String(msg)}
}
