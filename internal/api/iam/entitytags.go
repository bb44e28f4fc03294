package iam

import (
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// tagsOf finds the tag list of a named entity (a role or a user); called
// with the store lock held.
type tagsOf func(s *Store, name string) (*[]types.Tag, error)

func roleTags(s *Store, name string) (*[]types.Tag, error) {
	r, err := s.role(name)
	if err != nil {
		return nil, err
	}
	return &r.r.Tags, nil
}

func userTags(s *Store, name string) (*[]types.Tag, error) {
	u, err := s.user(name)
	if err != nil {
		return nil, err
	}
	return &u.u.Tags, nil
}

// tagEntity adds or overwrites tags of the entity member names, as
// TagRole and TagUser do.
func (s *Store) tagEntity(name *string, member string, tags []types.Tag, of tagsOf) error {
	var v violations
	v.name(name, member, 64)
	if tags == nil {
		v.Add("null", "tags", "Member must not be null")
	}
	v.tagList(tags)
	if err := v.err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.unlock()
	list, err := of(s, *name)
	if err != nil {
		return err
	}
	merged, err := mergeTags(*list, tags)
	if err != nil {
		return err
	}
	s.touchNamed(member, *name)
	*list = merged
	return nil
}

// untagEntity removes tags by key, as UntagRole and UntagUser do.
func (s *Store) untagEntity(name *string, member string, keys []string, of tagsOf) error {
	var v violations
	v.name(name, member, 64)
	v.tagKeys(keys)
	if err := v.err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.unlock()
	list, err := of(s, *name)
	if err != nil {
		return err
	}
	s.touchNamed(member, *name)
	*list = removeTags(*list, keys)
	return nil
}

// entityTags is one page of an entity's tags, as ListRoleTags and
// ListUserTags answer.
func (s *Store) entityTags(name *string, member string, marker *string, maxItems *int32, of tagsOf) ([]types.Tag, bool, *string, error) {
	var v violations
	v.name(name, member, 64)
	v.maxItems(maxItems)
	if err := v.err(); err != nil {
		return nil, false, nil, err
	}
	s.mu.Lock()
	list, err := of(s, *name)
	var tags []types.Tag
	if err == nil {
		tags = append([]types.Tag{}, clone.Of(*list)...)
	}
	s.unlock()
	if err != nil {
		return nil, false, nil, err
	}
	return page(tags, marker, maxItems)
}
