package ecs

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Constructors for the errors ECS returns, with ECS's message texts (spec §4.1).

func errClusterNotFound() error {
	return &types.ClusterNotFoundException{Message: aws.String("Cluster not found.")}
}

func errServiceNotFound() error {
	return &types.ServiceNotFoundException{Message: aws.String("Service not found.")}
}

func errServiceNotActive() error {
	return &types.ServiceNotActiveException{Message: aws.String("Service was not ACTIVE.")}
}

func errInvalidParameter(format string, args ...any) error {
	return &types.InvalidParameterException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errClient(format string, args ...any) error {
	return &types.ClientException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errResourceNotFound(format string, args ...any) error {
	return &types.ResourceNotFoundException{Message: aws.String(fmt.Sprintf(format, args...))}
}

// errValidation is the AWS-wide text of a constraint violation.
func errValidation(value any, member, constraint string) error {
	return errInvalidParameter("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}
