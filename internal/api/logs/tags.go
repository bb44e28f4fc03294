package logs

import (
	"context"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// maxTags is how many tags a log group can carry.
const maxTags = 50

// checkTags applies the model's constraints on a tag map.
func checkTags(tags map[string]string) error {
	if tags == nil {
		return nil
	}
	if len(tags) < 1 || len(tags) > maxTags {
		return errConstraint(tags, "tags", "Member must have length less than or equal to 50")
	}
	for k, v := range tags {
		if n := utf8.RuneCountInString(k); n < 1 || n > 128 {
			return errConstraint(k, "tags", "Map keys must have length between 1 and 128")
		}
		if utf8.RuneCountInString(v) > 256 {
			return errConstraint(v, "tags", "Map values must have length less than or equal to 256")
		}
	}
	return nil
}

// TagResource adds or replaces tags of a log group named by its ARN.
func (s *Store) TagResource(_ context.Context, in *cloudwatchlogs.TagResourceInput) (*cloudwatchlogs.TagResourceOutput, error) {
	name, err := s.taggedGroup(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	if err := s.tag(name, in.Tags); err != nil {
		return nil, err
	}
	return &cloudwatchlogs.TagResourceOutput{}, nil
}

// UntagResource removes tags of a log group named by its ARN.
func (s *Store) UntagResource(_ context.Context, in *cloudwatchlogs.UntagResourceInput) (*cloudwatchlogs.UntagResourceOutput, error) {
	name, err := s.taggedGroup(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, errRequired("tagKeys")
	}
	if err := s.untag(name, in.TagKeys); err != nil {
		return nil, err
	}
	return &cloudwatchlogs.UntagResourceOutput{}, nil
}

// ListTagsForResource lists the tags of a log group named by its ARN.
func (s *Store) ListTagsForResource(_ context.Context, in *cloudwatchlogs.ListTagsForResourceInput) (*cloudwatchlogs.ListTagsForResourceOutput, error) {
	name, err := s.taggedGroup(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	tags, err := s.tags(name)
	if err != nil {
		return nil, err
	}
	return &cloudwatchlogs.ListTagsForResourceOutput{Tags: tags}, nil
}

// TagLogGroup is the older, name-addressed TagResource.
func (s *Store) TagLogGroup(_ context.Context, in *cloudwatchlogs.TagLogGroupInput) (*cloudwatchlogs.TagLogGroupOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	if err := s.tag(*in.LogGroupName, in.Tags); err != nil {
		return nil, err
	}
	return &cloudwatchlogs.TagLogGroupOutput{}, nil
}

// UntagLogGroup is the older, name-addressed UntagResource.
func (s *Store) UntagLogGroup(_ context.Context, in *cloudwatchlogs.UntagLogGroupInput) (*cloudwatchlogs.UntagLogGroupOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, errConstraint("[]", "tags", "Member must have length greater than or equal to 1")
	}
	if err := s.untag(*in.LogGroupName, in.Tags); err != nil {
		return nil, err
	}
	return &cloudwatchlogs.UntagLogGroupOutput{}, nil
}

// ListTagsLogGroup is the older, name-addressed ListTagsForResource.
func (s *Store) ListTagsLogGroup(_ context.Context, in *cloudwatchlogs.ListTagsLogGroupInput) (*cloudwatchlogs.ListTagsLogGroupOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	tags, err := s.tags(*in.LogGroupName)
	if err != nil {
		return nil, err
	}
	return &cloudwatchlogs.ListTagsLogGroupOutput{Tags: tags}, nil
}

// taggedGroup resolves a resourceArn to a log group name of this store.
func (s *Store) taggedGroup(arn *string) (string, error) {
	if arn == nil {
		return "", errRequired("resourceArn")
	}
	name, ok := s.groupFromARN(*arn)
	if !ok {
		return "", errInvalidParameter("Invalid resource ARN: %s", *arn)
	}
	return name, nil
}

func (s *Store) tag(name string, tags map[string]string) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.unlock()
	g, err := s.group(name)
	if err != nil {
		return err
	}
	added := 0
	for k := range tags {
		if _, ok := g.tags[k]; !ok {
			added++
		}
	}
	if len(g.tags)+added > maxTags {
		return &types.TooManyTagsException{Message: aws.String("A resource can have no more than 50 tags."),
			ResourceName: aws.String(GroupARN(s.region, s.account, name))}
	}
	s.touchGroup(name)
	for k, v := range tags {
		g.tags[k] = v
	}
	return nil
}

func (s *Store) untag(name string, keys []string) error {
	s.mu.Lock()
	defer s.unlock()
	g, err := s.group(name)
	if err != nil {
		return err
	}
	s.touchGroup(name)
	for _, k := range keys {
		delete(g.tags, k)
	}
	return nil
}

// tags returns a copy of a group's tags.
func (s *Store) tags(name string) (map[string]string, error) {
	s.mu.Lock()
	defer s.unlock()
	g, err := s.group(name)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(g.tags))
	for k, v := range g.tags {
		out[k] = v
	}
	return out, nil
}
