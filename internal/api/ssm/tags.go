package ssm

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/localaws/ecsemu/internal/clone"
)

// A parameter carries at most 50 tags, keys of 1–128 and values of up to
// 256 characters.
const maxTags = 50

func validTags(tags []types.Tag) error {
	for _, t := range tags {
		k, v := deref(t.Key), deref(t.Value)
		switch {
		case t.Key == nil:
			return errRequired("tags.member.key")
		case t.Value == nil:
			return errRequired("tags.member.value")
		case k == "" || len(k) > 128:
			return errConstraint(k, "tags.member.key", "Member must have length between 1 and 128")
		case len(v) > 256:
			return errConstraint(v, "tags.member.value", "Member must have length less than or equal to 256")
		}
	}
	if len(mergeTags(nil, tags)) > maxTags {
		return errTooManyTags()
	}
	return nil
}

// mergeTags adds or replaces tags by key, keeping the order of first
// appearance.
func mergeTags(base, add []types.Tag) []types.Tag {
	out := clone.Of(base)
	for _, t := range add {
		i := slices.IndexFunc(out, func(o types.Tag) bool { return deref(o.Key) == deref(t.Key) })
		if i >= 0 {
			out[i].Value = clone.Of(t.Value)
		} else {
			out = append(out, clone.Of(t))
		}
	}
	return out
}

// taggable finds the parameter a tagging call names. Only parameters are
// served: every other resource type SSM tags names nothing here.
// Callers hold the lock.
func (s *Store) taggable(rt types.ResourceTypeForTagging, id string) (*parameter, error) {
	if rt == "" {
		return nil, errRequired("resourceType")
	}
	if !slices.Contains(types.ResourceTypeForTagging("").Values(), rt) {
		return nil, errInvalidResourceType()
	}
	if id == "" {
		return nil, errRequired("resourceId")
	}
	r := s.resolve(id)
	p := s.params[r.name]
	if rt != types.ResourceTypeForTaggingParameter || p == nil || r.selector != "" {
		return nil, errInvalidResourceID()
	}
	return p, nil
}

func (s *Store) AddTagsToResource(_ context.Context, in *ssm.AddTagsToResourceInput) (*ssm.AddTagsToResourceOutput, error) {
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	p, err := s.taggable(in.ResourceType, deref(in.ResourceId))
	if err != nil {
		return nil, err
	}
	merged := mergeTags(p.tags, in.Tags)
	if len(merged) > maxTags {
		return nil, errTooManyTags()
	}
	s.touch(p.name)
	p.tags = merged
	return &ssm.AddTagsToResourceOutput{}, nil
}

func (s *Store) RemoveTagsFromResource(_ context.Context, in *ssm.RemoveTagsFromResourceInput) (*ssm.RemoveTagsFromResourceOutput, error) {
	if in.TagKeys == nil {
		return nil, errRequired("tagKeys")
	}
	s.mu.Lock()
	defer s.unlock()
	p, err := s.taggable(in.ResourceType, deref(in.ResourceId))
	if err != nil {
		return nil, err
	}
	s.touch(p.name)
	p.tags = slices.DeleteFunc(p.tags, func(t types.Tag) bool { return slices.Contains(in.TagKeys, deref(t.Key)) })
	return &ssm.RemoveTagsFromResourceOutput{}, nil
}

func (s *Store) ListTagsForResource(_ context.Context, in *ssm.ListTagsForResourceInput) (*ssm.ListTagsForResourceOutput, error) {
	s.mu.Lock()
	defer s.unlock()
	p, err := s.taggable(in.ResourceType, deref(in.ResourceId))
	if err != nil {
		return nil, err
	}
	return &ssm.ListTagsForResourceOutput{TagList: nonNil(clone.Of(p.tags))}, nil
}
