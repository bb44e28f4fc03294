package ecs

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/localaws/ecsemu/internal/clone"
)

// setTags replaces a resource's tags with a copy of tags (nil keeps none).
// Callers hold the lock.
func (s *Store) setTags(arn string, tags []types.Tag) {
	s.touch(recTags, arn)
	if len(tags) == 0 {
		delete(s.tags, arn)
		return
	}
	s.tags[arn] = clone.Of(tags)
}

// getTags returns a copy of a resource's tags, [] when it has none.
func (s *Store) getTags(arn string) []types.Tag {
	return nonNil(clone.Of(s.tags[arn]))
}

// resourceExists checks that arn names a taggable resource of this store.
// Callers hold the lock.
func (s *Store) resourceExists(arn string) error {
	res, ok := arnResource(arn)
	if !ok {
		return errInvalidParameter("Invalid identifier: Identifier is for an invalid resource type or malformed.")
	}
	// rest is "" for an ARN with a resource type but no ID
	// ("…:task-definition"), which must not be sliced past its end.
	kind, rest, _ := strings.Cut(res, "/")
	switch kind {
	case "cluster":
		if c, ok := s.clusters[nameFromRef(arn, "cluster")]; ok && c.ClusterArn != nil && *c.ClusterArn == arn {
			return nil
		}
		return errClusterNotFound()
	case "service":
		if _, ok := s.services[arn]; ok {
			return nil
		}
		return errServiceNotFound()
	case "task":
		if _, ok := s.tasks[arn]; ok {
			return nil
		}
	case "task-definition":
		if _, err := s.lookupTaskDefinition(rest); err == nil {
			return nil
		}
	case "capacity-provider":
		if s.capacityProviderExists(rest) {
			return nil
		}
	default:
		return errInvalidParameter("Invalid identifier: Identifier is for an invalid resource type.")
	}
	return errResourceNotFound("The specified resource could not be found.")
}

func (s *Store) TagResource(_ context.Context, in *ecs.TagResourceInput) (*ecs.TagResourceOutput, error) {
	if len(in.Tags) == 0 {
		return nil, errInvalidParameter("tags can not be empty.")
	}
	unlock := s.lock()
	defer unlock()
	arn := deref(in.ResourceArn)
	if err := s.resourceExists(arn); err != nil {
		return nil, err
	}
	merged := s.getTags(arn)
	for _, t := range in.Tags {
		merged = upsertTag(merged, t)
	}
	if err := validTags(merged); err != nil {
		return nil, err
	}
	s.setTags(arn, merged)
	return &ecs.TagResourceOutput{}, nil
}

func upsertTag(tags []types.Tag, t types.Tag) []types.Tag {
	for i := range tags {
		if deref(tags[i].Key) == deref(t.Key) {
			tags[i].Value = clone.Of(t.Value)
			return tags
		}
	}
	return append(tags, clone.Of(t))
}

func (s *Store) UntagResource(_ context.Context, in *ecs.UntagResourceInput) (*ecs.UntagResourceOutput, error) {
	unlock := s.lock()
	defer unlock()
	arn := deref(in.ResourceArn)
	if err := s.resourceExists(arn); err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, k := range in.TagKeys {
		drop[k] = true
	}
	var kept []types.Tag
	for _, t := range s.tags[arn] {
		if !drop[deref(t.Key)] {
			kept = append(kept, t)
		}
	}
	s.setTags(arn, kept)
	return &ecs.UntagResourceOutput{}, nil
}

func (s *Store) ListTagsForResource(_ context.Context, in *ecs.ListTagsForResourceInput) (*ecs.ListTagsForResourceOutput, error) {
	unlock := s.lock()
	defer unlock()
	arn := deref(in.ResourceArn)
	if err := s.resourceExists(arn); err != nil {
		return nil, err
	}
	return &ecs.ListTagsForResourceOutput{Tags: s.getTags(arn)}, nil
}
