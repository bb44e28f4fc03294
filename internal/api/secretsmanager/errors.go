package secretsmanager

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
)

// Constructors for the errors Secrets Manager returns, with AWS's texts.

func errNotFound() error {
	return &types.ResourceNotFoundException{Message: aws.String("Secrets Manager can't find the specified secret.")}
}

// errNoValue is GetSecretValue's answer when no version matches: by
// label ("staging label: AWSCURRENT") or by ID ("VersionId: ...").
func errNoValue(kind, ref string) error {
	return &types.ResourceNotFoundException{Message: aws.String(
		fmt.Sprintf("Secrets Manager can't find the specified secret value for %s: %s", kind, ref))}
}

func errMarkedForDeletion() error {
	return &types.InvalidRequestException{Message: aws.String(
		"You can't perform this operation on the secret because it was marked for deletion.")}
}

func errScheduledForDeletion() error {
	return &types.InvalidRequestException{Message: aws.String(
		"You can't create this secret because a secret with this name is already scheduled for deletion.")}
}

func errExists(name string) error {
	return &types.ResourceExistsException{Message: aws.String(
		fmt.Sprintf("The operation failed because the secret %s already exists.", name))}
}

func errVersionExists() error {
	return &types.ResourceExistsException{Message: aws.String(
		"You can't modify an existing version, you can only create a new version.")}
}

func errInvalidParameter(format string, args ...any) error {
	return &types.InvalidParameterException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errInvalidRequest(format string, args ...any) error {
	return &types.InvalidRequestException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errInvalidNextToken() error {
	return &types.InvalidNextTokenException{Message: aws.String("The nextToken is not valid.")}
}

func errLimit(format string, args ...any) error {
	return &types.LimitExceededException{Message: aws.String(fmt.Sprintf(format, args...))}
}

// errValidation is the AWS-wide error of a model constraint violation;
// Secrets Manager's model has no type for it, so it is a generic one.
func errValidation(format string, args ...any) error {
	return &smithy.GenericAPIError{Code: "ValidationException", Message: fmt.Sprintf(format, args...), Fault: smithy.FaultClient}
}

func errConstraint(value any, member, constraint string) error {
	return errValidation("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func errRequired(member string) error {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}
