package elbv2

import (
	"context"

	sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// maxTags is the number of tags a resource may carry.
const maxTags = 50

// validTags checks a tag list given on create or AddTags: valid keys and
// values, no key twice (DuplicateTagKeys).
func validTags(tags []types.Tag) error {
	seen := map[string]bool{}
	for i, t := range tags {
		member := "tags." + itoa(i+1) + ".member"
		if err := validTagKey(t.Key, member+".key"); err != nil {
			return err
		}
		if err := validTagValue(t.Value, member+".value"); err != nil {
			return err
		}
		if seen[*t.Key] {
			return &types.DuplicateTagKeysException{Message: msgf("Tag key '%s' is specified more than once", *t.Key)}
		}
		seen[*t.Key] = true
	}
	if len(tags) > maxTags {
		return &types.TooManyTagsException{Message: msgf("A resource can have at most %d tags", maxTags)}
	}
	return nil
}

// mergeTags adds or overwrites tags in place order, checking the limit.
func mergeTags(have, add []types.Tag) ([]types.Tag, error) {
	out := clone.Of(have)
	for _, t := range add {
		replaced := false
		for i := range out {
			if *out[i].Key == *t.Key {
				out[i].Value = ptr(deref(t.Value))
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, types.Tag{Key: ptr(*t.Key), Value: ptr(deref(t.Value))})
		}
	}
	if len(out) > maxTags {
		return nil, &types.TooManyTagsException{Message: msgf("A resource can have at most %d tags", maxTags)}
	}
	return out, nil
}

// resourceExists checks an ARN given to the tag operations and returns the
// NotFound error of its kind.
func (s *Store) resourceExists(arn string) error {
	switch resourceKind(arn) {
	case "loadbalancer":
		if s.lbs[arn] == nil {
			return errLoadBalancerNotFound()
		}
	case "targetgroup":
		if s.tgs[arn] == nil {
			return errTargetGroupNotFound()
		}
	case "listener":
		if s.listeners[arn] == nil {
			return errListenerNotFound()
		}
	case "listener-rule":
		if s.rules[arn] == nil {
			return errRuleNotFound()
		}
	case "truststore":
		return &types.TrustStoreNotFoundException{Message: ptr("One or more trust stores not found")}
	default:
		return errValidation("'%s' is not a valid load balancer, target group, listener or rule ARN", arn)
	}
	return nil
}

func validResourceArns(arns []string) error {
	if len(arns) == 0 {
		return errRequired("resourceArns")
	}
	if len(arns) > 20 {
		return errConstraint(len(arns), "resourceArns", "Member must have length less than or equal to 20")
	}
	return nil
}

// AddTags adds or overwrites tags on load balancers, target groups,
// listeners and rules; all resources are checked before any is changed.
func (s *Store) AddTags(_ context.Context, in *sdk.AddTagsInput) (*sdk.AddTagsOutput, error) {
	if err := validResourceArns(in.ResourceArns); err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, errRequired("tags")
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	merged := map[string][]types.Tag{}
	for _, arn := range in.ResourceArns {
		if err := s.resourceExists(arn); err != nil {
			return nil, err
		}
		tags, err := mergeTags(s.tags[arn], in.Tags)
		if err != nil {
			return nil, err
		}
		merged[arn] = tags
	}
	for arn, tags := range merged {
		s.tags[arn] = tags
		s.touchARN(arn)
	}
	return &sdk.AddTagsOutput{}, nil
}

// RemoveTags removes tag keys; keys that are not there are ignored.
func (s *Store) RemoveTags(_ context.Context, in *sdk.RemoveTagsInput) (*sdk.RemoveTagsOutput, error) {
	if err := validResourceArns(in.ResourceArns); err != nil {
		return nil, err
	}
	if len(in.TagKeys) == 0 {
		return nil, errRequired("tagKeys")
	}
	unlock := s.lock()
	defer unlock()
	for _, arn := range in.ResourceArns {
		if err := s.resourceExists(arn); err != nil {
			return nil, err
		}
	}
	drop := map[string]bool{}
	for _, k := range in.TagKeys {
		drop[k] = true
	}
	for _, arn := range in.ResourceArns {
		kept := []types.Tag{}
		for _, t := range s.tags[arn] {
			if !drop[*t.Key] {
				kept = append(kept, t)
			}
		}
		s.tags[arn] = kept
		s.touchARN(arn)
	}
	return &sdk.RemoveTagsOutput{}, nil
}

// DescribeTags returns the tags of each resource, in request order.
func (s *Store) DescribeTags(_ context.Context, in *sdk.DescribeTagsInput) (*sdk.DescribeTagsOutput, error) {
	if err := validResourceArns(in.ResourceArns); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	out := &sdk.DescribeTagsOutput{TagDescriptions: []types.TagDescription{}}
	for _, arn := range in.ResourceArns {
		if err := s.resourceExists(arn); err != nil {
			return nil, err
		}
		tags := clone.Of(s.tags[arn])
		if tags == nil {
			tags = []types.Tag{}
		}
		out.TagDescriptions = append(out.TagDescriptions, types.TagDescription{ResourceArn: ptr(arn), Tags: tags})
	}
	return out, nil
}

// setInitialTags stores the tags given to a Create call.
func (s *Store) setInitialTags(arn string, tags []types.Tag) {
	if len(tags) == 0 {
		return
	}
	s.tags[arn], _ = mergeTags(nil, tags)
}
