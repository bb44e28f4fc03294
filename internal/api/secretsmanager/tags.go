package secretsmanager

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/localaws/ecsemu/internal/clone"
)

// A secret carries at most 50 tags, keys of 1-128 and values of up to 256
// characters.
const maxTags = 50

func validTags(tags []types.Tag) error {
	for _, t := range tags {
		k, v := deref(t.Key), deref(t.Value)
		switch {
		case k == "" || len(k) > 128:
			return errConstraint(k, "tags.member.key", "Member must have length between 1 and 128")
		case len(v) > 256:
			return errConstraint(v, "tags.member.value", "Member must have length less than or equal to 256")
		}
	}
	return nil
}

// mergeTags adds or replaces tags by key, keeping the order of first
// appearance.
func mergeTags(base, add []types.Tag) []types.Tag {
	out := clone.Of(base)
	for _, t := range add {
		t = types.Tag{Key: ptr(deref(t.Key)), Value: ptr(deref(t.Value))}
		i := slices.IndexFunc(out, func(o types.Tag) bool { return deref(o.Key) == deref(t.Key) })
		if i >= 0 {
			out[i] = t
		} else {
			out = append(out, t)
		}
	}
	return out
}

// copyTags is a secret's tags as a response carries them.
func (sec *secret) copyTags() []types.Tag { return clone.Of(sec.tags) }

// TagResource adds or replaces tags of a secret.
func (s *Store) TagResource(_ context.Context, in *secretsmanager.TagResourceInput) (*secretsmanager.TagResourceOutput, error) {
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	sec, err := s.live(in.SecretId)
	if err != nil {
		return nil, err
	}
	merged := mergeTags(sec.tags, in.Tags)
	if len(merged) > maxTags {
		return nil, errLimit("The request failed because it would exceed the maximum number of tags (%d) for the secret.", maxTags)
	}
	s.touch(sec.name)
	sec.tags = merged
	return &secretsmanager.TagResourceOutput{}, nil
}

// UntagResource removes tags of a secret by key; unknown keys are fine.
func (s *Store) UntagResource(_ context.Context, in *secretsmanager.UntagResourceInput) (*secretsmanager.UntagResourceOutput, error) {
	if in.TagKeys == nil {
		return nil, errRequired("tagKeys")
	}
	unlock := s.lock()
	defer unlock()
	sec, err := s.live(in.SecretId)
	if err != nil {
		return nil, err
	}
	s.touch(sec.name)
	sec.tags = slices.DeleteFunc(sec.tags, func(t types.Tag) bool { return slices.Contains(in.TagKeys, deref(t.Key)) })
	return &secretsmanager.UntagResourceOutput{}, nil
}
