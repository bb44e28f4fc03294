package sts

import (
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
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

// errInvalidARN is what STS answers for a role ARN that is not one.
func errInvalidARN() error {
	return &awsproto.ValidationError{Message: "Request ARN is invalid"}
}

func errValidation(msg string) error {
	return &awsproto.ValidationError{Message: msg}
}

// errExpired is the answer of AWS's authentication layer (not the modeled
// ExpiredTokenException) to a call signed with expired session
// credentials: code ExpiredToken, HTTP 403.
func errExpired() error {
	return &smithy.GenericAPIError{Code: "ExpiredToken", Message: "The security token included in the request is expired", Fault: smithy.FaultClient}
}

func errAccessDenied(msg string) error {
	return &smithy.GenericAPIError{Code: "AccessDenied", Message: msg, Fault: smithy.FaultClient}
}

func errInvalidToken(msg string) error {
	return &types.InvalidIdentityTokenException{Message: ptr(msg)}
}

func invalidAction(action string) error {
	return &smithy.GenericAPIError{
		Code:    "InvalidAction",
		Message: "Could not find operation " + action + " for version " + APIVersion,
		Fault:   smithy.FaultClient,
	}
}
