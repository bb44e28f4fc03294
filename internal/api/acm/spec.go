package acm

import "github.com/localaws/ecsemu/internal/awsproto"

// TargetPrefix is the X-Amz-Target prefix of ACM operations.
const TargetPrefix = "CertificateManager"

// Spec is how ACM requests reach the endpoint and how its answers are
// written. ACM's members are the Go field names as they are
// (CertificateArn); every error is a 400 (DefaultStatus).
var Spec = awsproto.ServiceSpec{
	Name:         "acm",
	SigningName:  "acm",
	Protocol:     awsproto.ProtocolJSON,
	TargetPrefix: TargetPrefix,
	Naming:       awsproto.AsIs,
}
