package iam

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// maxTags is IAM's tags-per-entity quota.
const maxTags = 50

// mergeTags adds or overwrites tags by key, keeping first-set order, and
// refuses to grow past the quota.
func mergeTags(have, add []types.Tag) ([]types.Tag, error) {
	out := slices.Clone(have)
	for _, t := range add {
		if i := slices.IndexFunc(out, func(h types.Tag) bool { return deref(h.Key) == deref(t.Key) }); i >= 0 {
			out[i].Value = ptr(deref(t.Value))
			continue
		}
		out = append(out, types.Tag{Key: ptr(deref(t.Key)), Value: ptr(deref(t.Value))})
	}
	if len(out) > maxTags {
		return nil, errLimit("The number of tags has reached the maximum limit.")
	}
	return out, nil
}

// removeTags drops the tags with the given keys.
func removeTags(have []types.Tag, keys []string) []types.Tag {
	return slices.DeleteFunc(slices.Clone(have), func(t types.Tag) bool { return slices.Contains(keys, deref(t.Key)) })
}

// checkTagKeys validates the TagKeys of an Untag* request.
func (v *violations) tagKeys(keys []string) {
	if len(keys) > maxTags {
		v.Add(keys, "tagKeys", "Member must have length less than or equal to 50")
	}
	for i := range keys {
		v.Length(&keys[i], "tagKeys", 1, 128)
	}
}

// tagList validates the Tags of a Tag* or Create* request.
func (v *violations) tagList(tags []types.Tag) {
	if len(tags) > maxTags {
		v.Add(len(tags), "tags", "Member must have length less than or equal to 50")
	}
	v.tags(tags)
}
