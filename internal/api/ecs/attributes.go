package ecs

import (
	"context"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Attributes in ECS belong to container instances, the only target type.
// Tasks here run without container instances (Fargate-style), so there is
// no target to put attributes on or delete them from, and none to list:
// the operations check their input as ECS does and then answer as ECS
// answers for a cluster without instances.

var attributeNamePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._/-]{0,127}$`)

func validAttributes(attrs []types.Attribute) error {
	if len(attrs) == 0 {
		return errInvalidParameter("attributes can not be empty.")
	}
	if len(attrs) > 10 {
		return errInvalidParameter("attributes can have at most 10 items.")
	}
	for _, a := range attrs {
		if !attributeNamePattern.MatchString(deref(a.Name)) {
			return errInvalidParameter("Attribute name '%s' is invalid: up to 128 letters, numbers, hyphens, underscores, periods and forward slashes, starting with a letter or number.", deref(a.Name))
		}
		if err := validEnum(a.TargetType, "targetType"); err != nil {
			return err
		}
	}
	return nil
}

func errTargetNotFound(id string) error {
	return &types.TargetNotFoundException{Message: aws.String("Could not find the specified target: " + id + ".")}
}

func (s *Store) PutAttributes(_ context.Context, in *ecs.PutAttributesInput) (*ecs.PutAttributesOutput, error) {
	if err := validAttributes(in.Attributes); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	if _, err := s.activeCluster(in.Cluster); err != nil {
		return nil, err
	}
	return nil, errTargetNotFound(deref(in.Attributes[0].TargetId))
}

func (s *Store) DeleteAttributes(_ context.Context, in *ecs.DeleteAttributesInput) (*ecs.DeleteAttributesOutput, error) {
	if err := validAttributes(in.Attributes); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	if _, err := s.activeCluster(in.Cluster); err != nil {
		return nil, err
	}
	return nil, errTargetNotFound(deref(in.Attributes[0].TargetId))
}

func (s *Store) ListAttributes(_ context.Context, in *ecs.ListAttributesInput) (*ecs.ListAttributesOutput, error) {
	if in.TargetType == "" {
		return nil, errInvalidParameter("targetType can not be blank.")
	}
	if err := validEnum(in.TargetType, "targetType"); err != nil {
		return nil, err
	}
	if in.AttributeValue != nil && in.AttributeName == nil {
		return nil, errInvalidParameter("attributeName must be specified with attributeValue.")
	}
	unlock := s.lock()
	defer unlock()
	if _, err := s.activeCluster(in.Cluster); err != nil {
		return nil, err
	}
	if _, _, err := page([]types.Attribute{}, in.NextToken, in.MaxResults, 100, 100); err != nil {
		return nil, err
	}
	return &ecs.ListAttributesOutput{Attributes: []types.Attribute{}}, nil
}

// DiscoverPollEndpoint answers what the ECS agent asks before it connects:
// ECS's endpoints for the region. No agent runs here; the answer has the
// shape agents and tools expect.
func (s *Store) DiscoverPollEndpoint(_ context.Context, in *ecs.DiscoverPollEndpointInput) (*ecs.DiscoverPollEndpointOutput, error) {
	if in.Cluster != nil {
		unlock := s.lock()
		_, err := s.activeCluster(in.Cluster)
		unlock()
		if err != nil {
			return nil, err
		}
	}
	return &ecs.DiscoverPollEndpointOutput{
		Endpoint:               aws.String("https://ecs-a-1." + s.region + ".amazonaws.com/"),
		TelemetryEndpoint:      aws.String("https://ecs-t-1." + s.region + ".amazonaws.com/"),
		ServiceConnectEndpoint: aws.String("https://ecs-sc." + s.region + ".api.aws"),
	}, nil
}
