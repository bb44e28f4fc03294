package ecs

import "github.com/localaws/ecsemu/internal/awsproto"

// Spec is how ECS requests reach the endpoint and how its answers are written.
var Spec = awsproto.ServiceSpec{
	Name:         "ecs",
	SigningName:  "ecs",
	Protocol:     awsproto.ProtocolJSON,
	TargetPrefix: "AmazonEC2ContainerServiceV20141113",
	Naming:       awsproto.LowerFirst,
	Status:       awsproto.DefaultStatus,
}
