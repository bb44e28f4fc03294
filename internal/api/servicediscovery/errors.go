package servicediscovery

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

// Constructors for the errors Cloud Map returns (spec §4.3). AWS's message
// texts are free-form; these name the resource the way AWS does.

func errInvalidInput(format string, args ...any) error {
	return &types.InvalidInput{Message: aws.String(fmt.Sprintf(format, args...))}
}

// errValidation is the AWS-wide text of a model constraint violation.
func errValidation(value any, member, constraint string) error {
	return errInvalidInput("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func errRequired(member string) error {
	return errValidation("null", member, "Member must not be null")
}

func errNamespaceNotFound(id string) error {
	return &types.NamespaceNotFound{Message: aws.String(fmt.Sprintf("Namespace not found: %s", id))}
}

func errServiceNotFound(id string) error {
	return &types.ServiceNotFound{Message: aws.String(fmt.Sprintf("Service not found: %s", id))}
}

func errInstanceNotFound(serviceID, instanceID string) error {
	return &types.InstanceNotFound{Message: aws.String(fmt.Sprintf("Instance %s not found in service %s", instanceID, serviceID))}
}

func errOperationNotFound(id string) error {
	return &types.OperationNotFound{Message: aws.String(fmt.Sprintf("Operation not found: %s", id))}
}

func errCustomHealthNotFound(serviceID string) error {
	return &types.CustomHealthNotFound{Message: aws.String(fmt.Sprintf("Service %s does not have a custom health check configuration (HealthCheckCustomConfig)", serviceID))}
}

func errResourceNotFound(arn string) error {
	return &types.ResourceNotFoundException{Message: aws.String(fmt.Sprintf("Resource not found: %s", arn))}
}

func errResourceInUse(format string, args ...any) error {
	return &types.ResourceInUse{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errResourceLimitExceeded(format string, args ...any) error {
	return &types.ResourceLimitExceeded{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errDuplicateRequest(operationID string) error {
	return &types.DuplicateRequest{
		Message:              aws.String(fmt.Sprintf("A request with the same request ID is already in progress: operation %s", operationID)),
		DuplicateOperationId: aws.String(operationID),
	}
}

func errNamespaceAlreadyExists(ns *namespace) error {
	return &types.NamespaceAlreadyExists{
		Message:          aws.String(fmt.Sprintf("Namespace with name %s already exists: %s", deref(ns.Name), deref(ns.Id))),
		CreatorRequestId: ns.CreatorRequestId,
		NamespaceId:      ns.Id,
	}
}

func errServiceAlreadyExists(svc *service) error {
	return &types.ServiceAlreadyExists{
		Message:          aws.String(fmt.Sprintf("Service with name %s already exists in namespace %s: %s", deref(svc.Name), deref(svc.NamespaceId), deref(svc.Id))),
		CreatorRequestId: svc.CreatorRequestId,
		ServiceId:        svc.Id,
		ServiceArn:       svc.Arn,
	}
}

func errTooManyTags(resource string) error {
	return &types.TooManyTagsException{
		Message:      aws.String(fmt.Sprintf("A resource can have at most %d tags", maxTagsPerResource)),
		ResourceName: aws.String(resource),
	}
}

func errServiceAttributesLimit() error {
	return &types.ServiceAttributesLimitExceededException{
		Message: aws.String(fmt.Sprintf("A service can have at most %d attributes", maxServiceAttributes)),
	}
}
