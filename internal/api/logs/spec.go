package logs

import "github.com/localaws/ecsemu/internal/awsproto"

// Spec is how CloudWatch Logs requests reach the endpoint and how its
// answers are written: awsJson1_1 with lowerCamel member names
// ("logGroupName", the SDK's field names with the first letter lowered,
// checked against every shape of the service model), every client error a
// 400 (the model has no @httpError traits).
var Spec = awsproto.ServiceSpec{
	Name:         "logs",
	SigningName:  "logs",
	Protocol:     awsproto.ProtocolJSON,
	TargetPrefix: "Logs_20140328",
	Naming:       awsproto.LowerFirst,
}
