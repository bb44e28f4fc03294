package elbv2

import "github.com/localaws/ecsemu/internal/awsproto"

// Spec is how ELBv2 requests reach the endpoint and how its answers are
// written. ELB classic shares the signing name but not the API version.
var Spec = awsproto.ServiceSpec{
	Name:         "elasticloadbalancing",
	SigningName:  "elasticloadbalancing",
	Protocol:     awsproto.ProtocolQuery,
	APIVersion:   APIVersion,
	XMLNamespace: awsproto.ELBv2Namespace,
	Status:       awsproto.ELBv2Status,
}
