package server

import (
	"context"
	"net/http"
	"net/url"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// JSONService is an awsJson1_1 API (ECS, Cloud Map, SSM, Logs, ACM).
type JSONService interface {
	Handle(ctx context.Context, operation string, body []byte) (any, error)
}

// QueryService is an awsQuery or ec2Query API (ELBv2, STS, IAM,
// CloudFormation, EC2).
type QueryService interface {
	Handle(ctx context.Context, action string, values url.Values) (any, error)
}

// Service is one entry of the endpoint's table of services: the routing
// and wire facts of its spec and the API that answers, one of JSON, Query
// or REST according to Spec.Protocol.
type Service struct {
	Spec  awsproto.ServiceSpec
	JSON  JSONService  // ProtocolJSON
	Query QueryService // ProtocolQuery and ProtocolEC2
	REST  http.Handler // ProtocolREST: gets the request with its body unread
}

// table indexes the services by name for dispatch.
type table struct {
	router *awsproto.Router
	byName map[string]Service
}

func newTable(services []Service) table {
	specs := make([]awsproto.ServiceSpec, 0, len(services))
	byName := make(map[string]Service, len(services))
	for _, svc := range services {
		specs = append(specs, svc.Spec)
		byName[svc.Spec.Name] = svc
	}
	return table{router: awsproto.NewRouter(specs), byName: byName}
}
