package ecs

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// A service's wire view weighs a few kilobytes (deployments, events) and
// changes far less often than clients poll it, so the store keeps it
// encoded with the record. touch drops it wherever the record changes
// (the same marks that persist the record), and the live task counts it
// was encoded with are checked on every read, since tasks change without
// touching their service.

// serviceWire is the encoded view of a service without tags.
type serviceWire struct {
	counts []int32 // serviceCounts when it was encoded
	json   awsproto.RawJSON
}

// describeServicesWire is DescribeServicesOutput with the services
// already encoded; it encodes to the same bytes.
type describeServicesWire struct {
	Failures []types.Failure
	Services []awsproto.RawJSON
}

// describeServicesEncoded answers DescribeServices from the encoded views.
func (s *Store) describeServicesEncoded(_ context.Context, in *ecs.DescribeServicesInput) (*describeServicesWire, error) {
	out := &describeServicesWire{Services: []awsproto.RawJSON{}}
	failures, err := s.describeServices(in, func(svc *Service, withTags bool) error {
		raw, err := s.encodedView(svc, withTags)
		out.Services = append(out.Services, raw)
		return err
	})
	if err != nil {
		return nil, err
	}
	out.Failures = failures
	return out, nil
}

// encodedView is serviceView encoded, from the record's cache when its
// counts still hold. Views with tags are not cached: tags change without
// touching the service. Callers hold the lock.
func (s *Store) encodedView(svc *Service, withTags bool) (awsproto.RawJSON, error) {
	if !withTags && svc.wire != nil && slices.Equal(svc.wire.counts, s.serviceCounts(svc)) {
		return svc.wire.json, nil
	}
	raw, err := awsproto.EncodeJSON(s.serviceView(svc, withTags), awsproto.LowerFirst)
	if err != nil {
		return nil, err
	}
	if !withTags {
		svc.wire = &serviceWire{counts: s.serviceCounts(svc), json: raw}
	}
	return raw, nil
}
