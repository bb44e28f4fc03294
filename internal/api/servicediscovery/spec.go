package servicediscovery

import "github.com/localaws/ecsemu/internal/awsproto"

// Spec is how Cloud Map requests reach the endpoint and how its answers are
// written.
var Spec = awsproto.ServiceSpec{
	Name:         "servicediscovery",
	SigningName:  "servicediscovery",
	Protocol:     awsproto.ProtocolJSON,
	TargetPrefix: "Route53AutoNaming_v20170314",
	Naming:       awsproto.AsIs,
	Status:       awsproto.CloudMapStatus,
}
