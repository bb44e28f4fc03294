package template

import (
	"fmt"

	"github.com/aws/smithy-go"
)

// Error is a template problem as CloudFormation reports it: a ValidationError
// client fault (HTTP 400) whose message is AWS's wording.
type Error struct {
	Message string
}

func errorf(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// Error implements error.
func (e *Error) Error() string { return "ValidationError: " + e.Message }

// ErrorCode implements smithy.APIError.
func (e *Error) ErrorCode() string { return "ValidationError" }

// ErrorMessage implements smithy.APIError.
func (e *Error) ErrorMessage() string { return e.Message }

// ErrorFault implements smithy.APIError.
func (e *Error) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

var _ smithy.APIError = (*Error)(nil)
