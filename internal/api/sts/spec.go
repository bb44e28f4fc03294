package sts

import (
	"net/http"

	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// APIVersion is the awsQuery Version of STS requests.
const APIVersion = "2011-06-15"

// Namespace is the XML namespace of STS responses and errors.
const Namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// Spec is how STS requests reach the endpoint and how its answers are
// written.
var Spec = awsproto.ServiceSpec{
	Name:         "sts",
	SigningName:  "sts",
	Protocol:     awsproto.ProtocolQuery,
	APIVersion:   APIVersion,
	XMLNamespace: Namespace,
	Status:       Status,
}

// Status applies STS's HTTP statuses: AccessDenied, ExpiredToken and
// RegionDisabledException are 403, everything else follows
// awsproto.DefaultStatus (400, or 500 for server faults).
func Status(code string, fault smithy.ErrorFault) int {
	switch code {
	case "AccessDenied", "ExpiredToken", "RegionDisabledException":
		return http.StatusForbidden
	}
	return awsproto.DefaultStatus(code, fault)
}
