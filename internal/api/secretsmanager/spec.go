package secretsmanager

import "github.com/localaws/ecsemu/internal/awsproto"

// Spec is how Secrets Manager requests reach the endpoint and how its
// answers are written: awsJson1_1 under the X-Amz-Target prefix
// "secretsmanager", the SDK's member names as they are ("SecretId"),
// every client error a 400.
var Spec = awsproto.ServiceSpec{
	Name:         "secretsmanager",
	SigningName:  "secretsmanager",
	Protocol:     awsproto.ProtocolJSON,
	TargetPrefix: "secretsmanager",
	Naming:       awsproto.AsIs,
}
