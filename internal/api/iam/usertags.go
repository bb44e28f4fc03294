package iam

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// TagUser adds or overwrites tags of a user.
func (s *Store) TagUser(_ context.Context, in *iam.TagUserInput) (*iam.TagUserOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 64)
	if in.Tags == nil {
		v.Add("null", "tags", "Member must not be null")
	}
	v.tagList(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	tags, err := mergeTags(u.u.Tags, in.Tags)
	if err != nil {
		return nil, err
	}
	u.u.Tags = tags
	return &iam.TagUserOutput{}, nil
}

// UntagUser removes tags of a user by key.
func (s *Store) UntagUser(_ context.Context, in *iam.UntagUserInput) (*iam.UntagUserOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 64)
	v.tagKeys(in.TagKeys)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.user(*in.UserName)
	if err != nil {
		return nil, err
	}
	u.u.Tags = removeTags(u.u.Tags, in.TagKeys)
	return &iam.UntagUserOutput{}, nil
}

// ListUserTags lists a user's tags.
func (s *Store) ListUserTags(_ context.Context, in *iam.ListUserTagsInput) (*iam.ListUserTagsOutput, error) {
	var v violations
	v.name(in.UserName, "userName", 64)
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	u, err := s.user(*in.UserName)
	var tags []types.Tag
	if err == nil {
		tags = append([]types.Tag{}, clone.Of(u.u.Tags)...)
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	items, truncated, marker, err := page(tags, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListUserTagsOutput{Tags: items, IsTruncated: truncated, Marker: marker}, nil
}
