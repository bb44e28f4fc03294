package ssm

import "github.com/localaws/ecsemu/internal/awsproto"

// Spec is how SSM requests reach the endpoint and how its answers are
// written: awsJson1_1 with the SDK's member names as they are
// ("Name", "WithDecryption"), every client error a 400.
var Spec = awsproto.ServiceSpec{
	Name:         "ssm",
	SigningName:  "ssm",
	Protocol:     awsproto.ProtocolJSON,
	TargetPrefix: "AmazonSSM",
	Naming:       awsproto.AsIs,
}
