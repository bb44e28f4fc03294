package s3

import "github.com/localaws/ecsemu/internal/awsproto"

// Spec is how S3 requests reach the endpoint: REST, signed for "s3"; the
// API writes its own REST-XML answers.
var Spec = awsproto.ServiceSpec{
	Name:        "s3",
	SigningName: "s3",
	Protocol:    awsproto.ProtocolREST,
}
