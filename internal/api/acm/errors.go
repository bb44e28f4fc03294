package acm

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/acm/types"
)

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

func errNotFound(arn string) error {
	return &types.ResourceNotFoundException{Message: msgf("Could not find certificate %s.", arn)}
}

func errInvalidARN(arn string) error {
	return &types.InvalidArnException{Message: msgf("String '%s' is not a valid ARN.", arn)}
}

func errValidation(format string, args ...any) error {
	return &types.ValidationException{Message: msgf(format, args...)}
}
