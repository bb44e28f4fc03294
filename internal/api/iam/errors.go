package iam

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// Constructors for IAM's errors: the SDK's error values, whose ErrorCode()
// is the awsQuery code (NoSuchEntity, EntityAlreadyExists, …).

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func msgf(format string, args ...any) *string {
	return ptr(fmt.Sprintf(format, args...))
}

func errNoSuchEntity(format string, args ...any) error {
	return &types.NoSuchEntityException{Message: msgf(format, args...)}
}

func errExists(format string, args ...any) error {
	return &types.EntityAlreadyExistsException{Message: msgf(format, args...)}
}

func errDeleteConflict(format string, args ...any) error {
	return &types.DeleteConflictException{Message: msgf(format, args...)}
}

func errLimit(format string, args ...any) error {
	return &types.LimitExceededException{Message: msgf(format, args...)}
}

func errInvalidInput(format string, args ...any) error {
	return &types.InvalidInputException{Message: msgf(format, args...)}
}

func errMalformed(msg string) error {
	return &types.MalformedPolicyDocumentException{Message: ptr(msg)}
}

func errValidation(format string, args ...any) error {
	return &awsproto.ValidationError{Message: fmt.Sprintf(format, args...)}
}

func errRoleNotFound(name string) error {
	return errNoSuchEntity("The role with name %s cannot be found.", name)
}

func errUserNotFound(name string) error {
	return errNoSuchEntity("The user with name %s cannot be found.", name)
}

func errPolicyNotFound(arn string) error {
	return errNoSuchEntity("Policy %s does not exist or is not attachable.", arn)
}

func errProfileNotFound(name string) error {
	return errNoSuchEntity("Instance Profile %s cannot be found.", name)
}

func invalidAction(action string) error {
	return &smithy.GenericAPIError{
		Code:    "InvalidAction",
		Message: "Could not find operation " + action + " for version " + APIVersion,
		Fault:   smithy.FaultClient,
	}
}
