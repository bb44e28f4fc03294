package iam

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TagUser adds or overwrites tags of a user.
func (s *Store) TagUser(_ context.Context, in *iam.TagUserInput) (*iam.TagUserOutput, error) {
	if err := s.tagEntity(in.UserName, "userName", in.Tags, userTags); err != nil {
		return nil, err
	}
	return &iam.TagUserOutput{}, nil
}

// UntagUser removes tags of a user by key.
func (s *Store) UntagUser(_ context.Context, in *iam.UntagUserInput) (*iam.UntagUserOutput, error) {
	if err := s.untagEntity(in.UserName, "userName", in.TagKeys, userTags); err != nil {
		return nil, err
	}
	return &iam.UntagUserOutput{}, nil
}

// ListUserTags lists a user's tags.
func (s *Store) ListUserTags(_ context.Context, in *iam.ListUserTagsInput) (*iam.ListUserTagsOutput, error) {
	items, truncated, marker, err := s.entityTags(in.UserName, "userName", in.Marker, in.MaxItems, userTags)
	if err != nil {
		return nil, err
	}
	return &iam.ListUserTagsOutput{Tags: items, IsTruncated: truncated, Marker: marker}, nil
}
