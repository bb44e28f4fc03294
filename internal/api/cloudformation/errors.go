package cloudformation

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/awsproto"
)

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func errValidation(format string, args ...any) error {
	return &awsproto.ValidationError{Message: fmt.Sprintf(format, args...)}
}

// errNoStack is what every operation answers for a stack it cannot find,
// naming it as the caller did.
func errNoStack(nameOrID string) error {
	return errValidation("Stack with id %s does not exist", nameOrID)
}

func errAlreadyExists(msg string) error {
	return &types.AlreadyExistsException{Message: ptr(msg)}
}

func errNoChangeSet(name string) error {
	return &types.ChangeSetNotFoundException{Message: ptr(fmt.Sprintf("ChangeSet [%s] does not exist", name))}
}

func errChangeSetStatus(msg string) error {
	return &types.InvalidChangeSetStatusException{Message: ptr(msg)}
}

func errCapabilities(missing []string) error {
	return &types.InsufficientCapabilitiesException{Message: ptr(fmt.Sprintf("Requires capabilities : %v", missing))}
}

func errBadToken() error {
	return errValidation("Invalid NextToken")
}

func invalidAction(action string) error {
	return &smithy.GenericAPIError{
		Code:    "InvalidAction",
		Message: "Could not find operation " + action + " for version " + APIVersion,
		Fault:   smithy.FaultClient,
	}
}
