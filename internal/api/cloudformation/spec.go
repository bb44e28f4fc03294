package cloudformation

import (
	"net/http"

	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// APIVersion is the awsQuery Version of CloudFormation requests.
const APIVersion = "2010-05-15"

// Namespace is the XML namespace of CloudFormation responses and errors.
const Namespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

// Spec is how CloudFormation requests reach the endpoint and how its
// answers are written.
var Spec = awsproto.ServiceSpec{
	Name:         "cloudformation",
	SigningName:  "cloudformation",
	Protocol:     awsproto.ProtocolQuery,
	APIVersion:   APIVersion,
	XMLNamespace: Namespace,
	Status:       Status,
}

// Status applies the HTTP statuses of CloudFormation's modeled errors
// (botocore's service model); the rest are 400, or 500 for server faults.
func Status(code string, fault smithy.ErrorFault) int {
	switch code {
	case "ChangeSetNotFound", "StackNotFoundException":
		return http.StatusNotFound
	case "NameAlreadyExistsException", "OperationInProgressException", "CreatedButModifiedException":
		return http.StatusConflict
	}
	return awsproto.DefaultStatus(code, fault)
}
