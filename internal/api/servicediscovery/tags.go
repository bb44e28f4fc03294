package servicediscovery

import (
	"context"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/localaws/ecsemu/internal/clone"
)

// Namespaces and services are taggable, by ARN.

// setTags replaces a resource's tags with a copy of tags (nil keeps none).
// Callers hold the lock.
func (s *Store) setTags(arn string, tags []types.Tag) {
	s.touchTagged(arn)
	if len(tags) == 0 {
		delete(s.tags, arn)
		return
	}
	s.tags[arn] = clone.Of(tags)
}

// mergeTags adds or replaces tags by key, keeping the order of first
// appearance; a key given twice keeps its last value.
func mergeTags(base, add []types.Tag) []types.Tag {
	out := clone.Of(base)
	for _, t := range add {
		replaced := false
		for i := range out {
			if deref(out[i].Key) == deref(t.Key) {
				out[i].Value = clone.Of(t.Value)
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, clone.Of(t))
		}
	}
	return out
}

// initialTags checks the tags of a Create call: format, then the quota of
// 50 per resource (TooManyTagsException naming the resource).
func initialTags(tags []types.Tag, resource string) ([]types.Tag, error) {
	if err := validTags(tags); err != nil {
		return nil, err
	}
	merged := mergeTags(nil, tags)
	if len(merged) > maxTagsPerResource {
		return nil, errTooManyTags(resource)
	}
	return merged, nil
}

// taggable checks that arn names a namespace or service of this store.
// Callers hold the lock.
func (s *Store) taggable(arn string) error {
	if arn == "" {
		return errRequired("resourceARN")
	}
	if len(arn) > 1011 {
		return errValidation(arn, "resourceARN", "Member must have length less than or equal to 1011")
	}
	p, ok := parseARN(arn)
	if !ok || (p.kind != "namespace" && p.kind != "service") {
		return errInvalidInput("Invalid resource ARN: %s", arn)
	}
	if p.region == s.region && p.account == s.account {
		switch p.kind {
		case "namespace":
			if _, ok := s.namespaces[p.id]; ok {
				return nil
			}
		case "service":
			if _, ok := s.services[p.id]; ok {
				return nil
			}
		}
	}
	return errResourceNotFound(arn)
}

func (s *Store) TagResource(_ context.Context, in *sd.TagResourceInput) (*sd.TagResourceOutput, error) {
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	arn := deref(in.ResourceARN)
	if err := s.taggable(arn); err != nil {
		return nil, err
	}
	merged := mergeTags(s.tags[arn], in.Tags)
	if len(merged) > maxTagsPerResource {
		return nil, errTooManyTags(arn)
	}
	s.setTags(arn, merged)
	return &sd.TagResourceOutput{}, nil
}

func (s *Store) UntagResource(_ context.Context, in *sd.UntagResourceInput) (*sd.UntagResourceOutput, error) {
	if in.TagKeys == nil {
		return nil, errRequired("tagKeys")
	}
	if len(in.TagKeys) > maxTagsPerCall {
		return nil, errValidation(len(in.TagKeys), "tagKeys", "Member must have length less than or equal to 200")
	}
	unlock := s.lock()
	defer unlock()
	arn := deref(in.ResourceARN)
	if err := s.taggable(arn); err != nil {
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
	return &sd.UntagResourceOutput{}, nil
}

func (s *Store) ListTagsForResource(_ context.Context, in *sd.ListTagsForResourceInput) (*sd.ListTagsForResourceOutput, error) {
	unlock := s.lock()
	defer unlock()
	arn := deref(in.ResourceARN)
	if err := s.taggable(arn); err != nil {
		return nil, err
	}
	return &sd.ListTagsForResourceOutput{Tags: nonNil(clone.Of(s.tags[arn]))}, nil
}
