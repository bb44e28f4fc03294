package awsproto

// The awsQuery protocol (ELBv2): requests are form-encoded key/value pairs
// whose keys are member paths (Targets.member.1.Id), responses are XML
// documents wrapping the output shape in <OpResponse><OpResult>. Member
// names are the Go field names of the SDK structs as they are: ELBv2's
// model has no @xmlName or @xmlFlattened trait, so every list is wrapped in
// <member> elements and every map in <entry><key/><value/></entry>.
//
// querydecode.go reads requests, queryencode.go writes responses;
// queryerror.go writes errors.

import (
	"net/http"

	"github.com/aws/smithy-go"
)

// ELBv2Namespace is the XML namespace of ELBv2 responses and errors.
const ELBv2Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

const (
	queryListMember = "member"
	queryMapEntry   = "entry"
	queryMapKey     = "key"
	queryMapValue   = "value"
)

// ELBv2Status applies ELBv2's modeled HTTP statuses (spec §4.2):
// PriorRequestNotComplete is 429, the two server faults (HealthUnavailable,
// InsufficientCapacity) and InternalFailure are 500, every other error is
// 400.
func ELBv2Status(code string, fault smithy.ErrorFault) int {
	if code == "PriorRequestNotComplete" {
		return http.StatusTooManyRequests
	}
	return DefaultStatus(code, fault)
}

// ValidationError is the awsQuery error for a request that violates the
// input constraints: a malformed parameter (Port=abc), a missing required
// member, a value out of range. AWS Query services answer all of these with
// the unmodeled code ValidationError, HTTP 400, fault Sender; the SDKs
// surface it as a smithy.GenericAPIError with that code.
type ValidationError struct {
	Message string
}

func (e *ValidationError) Error() string { return "ValidationError: " + e.Message }

// ErrorCode implements smithy.APIError.
func (e *ValidationError) ErrorCode() string { return "ValidationError" }

// ErrorMessage implements smithy.APIError.
func (e *ValidationError) ErrorMessage() string { return e.Message }

// ErrorFault implements smithy.APIError.
func (e *ValidationError) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }
