package acm

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// maxTags is ACM's tags-per-certificate quota.
const maxTags = 50

// mergeTags adds or overwrites tags by key, keeping first-set order.
func mergeTags(have, add []types.Tag) []types.Tag {
	out := slices.Clone(have)
	for _, t := range add {
		if i := slices.IndexFunc(out, func(h types.Tag) bool { return deref(h.Key) == deref(t.Key) }); i >= 0 {
			out[i].Value = clone.Of(t.Value)
			continue
		}
		out = append(out, types.Tag{Key: ptr(deref(t.Key)), Value: clone.Of(t.Value)})
	}
	return out
}

// tagList validates the Tags of a request.
func (v *violations) tagList(tags []types.Tag) {
	if len(tags) > maxTags {
		v.Add(len(tags), "tags", "Member must have length less than or equal to 50")
	}
	for i, t := range tags {
		key := fmt.Sprintf("tags.%d.member.key", i+1)
		v.Required(t.Key, key)
		v.Length(t.Key, key, 1, 128)
		v.Pattern(t.Key, key, tagKeyRe, tagText)
		v.Length(t.Value, fmt.Sprintf("tags.%d.member.value", i+1), 0, 256)
	}
}

// AddTagsToCertificate adds or overwrites tags.
func (s *Store) AddTagsToCertificate(_ context.Context, in *acm.AddTagsToCertificateInput) (*acm.AddTagsToCertificateOutput, error) {
	var v violations
	v.arn(in.CertificateArn, "certificateArn")
	if len(in.Tags) == 0 {
		v.Add("[]", "tags", "Member must have length greater than or equal to 1")
	}
	v.tagList(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.CertificateArn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	c, err := s.cert(*in.CertificateArn)
	if err != nil {
		return nil, err
	}
	tags := mergeTags(c.tags, in.Tags)
	if len(tags) > maxTags {
		return nil, &types.TooManyTagsException{Message: msgf("the certificate %s has too many tags", *in.CertificateArn)}
	}
	s.touch(*in.CertificateArn)
	c.tags = tags
	return &acm.AddTagsToCertificateOutput{}, nil
}

// RemoveTagsFromCertificate removes tags by key, and by value too when the
// request gives one.
func (s *Store) RemoveTagsFromCertificate(_ context.Context, in *acm.RemoveTagsFromCertificateInput) (*acm.RemoveTagsFromCertificateOutput, error) {
	var v violations
	v.arn(in.CertificateArn, "certificateArn")
	if len(in.Tags) == 0 {
		v.Add("[]", "tags", "Member must have length greater than or equal to 1")
	}
	v.tagList(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.CertificateArn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	c, err := s.cert(*in.CertificateArn)
	if err != nil {
		return nil, err
	}
	s.touch(*in.CertificateArn)
	c.tags = slices.DeleteFunc(c.tags, func(have types.Tag) bool {
		return slices.ContainsFunc(in.Tags, func(rm types.Tag) bool {
			return deref(rm.Key) == deref(have.Key) && (rm.Value == nil || deref(rm.Value) == deref(have.Value))
		})
	})
	return &acm.RemoveTagsFromCertificateOutput{}, nil
}

// ListTagsForCertificate lists a certificate's tags.
func (s *Store) ListTagsForCertificate(_ context.Context, in *acm.ListTagsForCertificateInput) (*acm.ListTagsForCertificateOutput, error) {
	var v violations
	v.arn(in.CertificateArn, "certificateArn")
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.CertificateArn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	c, err := s.cert(*in.CertificateArn)
	if err != nil {
		return nil, err
	}
	return &acm.ListTagsForCertificateOutput{Tags: append([]types.Tag{}, clone.Of(c.tags)...)}, nil
}
