package ecs

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

var namePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// validName checks a cluster, service, family or container name.
func validName(value, member string) error {
	if !namePattern.MatchString(value) {
		return errInvalidParameter("%s can have up to 255 characters. Valid characters are letters (uppercase and lowercase), numbers, underscores, and hyphens.", member)
	}
	return nil
}

var tagPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// validTags applies ECS's tag rules (spec §4.1). existing is the number of
// tags the resource keeps besides these.
func validTags(tags []types.Tag) error {
	if len(tags) > 50 {
		return errInvalidParameter("The number of tags cannot exceed 50.")
	}
	for _, t := range tags {
		key, value := deref(t.Key), deref(t.Value)
		if n := utf8.RuneCountInString(key); n < 1 || n > 128 || !tagPattern.MatchString(key) {
			return errInvalidParameter("Tag key '%s' is invalid. Keys must be 1-128 characters of letters, numbers, spaces and _.:/=+-@.", key)
		}
		if utf8.RuneCountInString(value) > 256 || !tagPattern.MatchString(value) {
			return errInvalidParameter("Tag value '%s' is invalid. Values must be 0-256 characters of letters, numbers, spaces and _.:/=+-@.", value)
		}
		if strings.HasPrefix(strings.ToLower(key), "aws:") {
			return errInvalidParameter("Tag keys beginning with 'aws:' are reserved for system use.")
		}
	}
	return nil
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
