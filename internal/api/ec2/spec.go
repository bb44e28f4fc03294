package ec2

import "github.com/localaws/ecsemu/internal/awsproto"

// Spec is how EC2 requests reach the endpoint and how its answers are
// written (DryRunOperation is 412, as on AWS: awsproto.EC2Status).
var Spec = awsproto.ServiceSpec{
	Name:         "ec2",
	SigningName:  "ec2",
	Protocol:     awsproto.ProtocolEC2,
	APIVersion:   APIVersion,
	XMLNamespace: Namespace,
	Status:       awsproto.EC2Status,
}
