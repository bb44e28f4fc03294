package iam

import (
	"net/http"

	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// APIVersion is the awsQuery Version of IAM requests.
const APIVersion = "2010-05-08"

// Namespace is the XML namespace of IAM responses and errors.
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

// Spec is how IAM requests reach the endpoint and how its answers are
// written.
var Spec = awsproto.ServiceSpec{
	Name:         "iam",
	SigningName:  "iam",
	Protocol:     awsproto.ProtocolQuery,
	APIVersion:   APIVersion,
	XMLNamespace: Namespace,
	Status:       Status,
}

// Status applies IAM's modeled HTTP statuses (@httpError of each error
// shape in the IAM model).
func Status(code string, fault smithy.ErrorFault) int {
	switch code {
	case "NoSuchEntity":
		return http.StatusNotFound
	case "EntityAlreadyExists", "DeleteConflict", "LimitExceeded", "ConcurrentModification", "EntityTemporarilyUnmodifiable":
		return http.StatusConflict
	case "AccessDenied":
		return http.StatusForbidden
	}
	return awsproto.DefaultStatus(code, fault)
}
