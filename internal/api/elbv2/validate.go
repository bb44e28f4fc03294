package elbv2

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Input checks shared by several operations (spec §4.2).

// validResourceName checks a load balancer or target group name: at most
// 32 characters, alphanumerics and hyphens, no hyphen first or last.
func validResourceName(kind string, name *string) error {
	if name == nil {
		return errRequired("name")
	}
	n := *name
	switch {
	case n == "":
		return errValidation("%s name cannot be empty", kind)
	case len(n) > 32:
		return errValidation("%s name '%s' cannot be longer than '32' characters", kind, n)
	case strings.Trim(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "":
		return errValidation("%s name '%s' can only contain characters that are alphanumeric characters or hyphens(-)", kind, n)
	case n[0] == '-' || n[len(n)-1] == '-':
		return errValidation("%s name '%s' cannot begin or end with '-'", kind, n)
	}
	return nil
}

// validPort checks a port member, 1–65535.
func validPort(p *int32, member string) error {
	if p != nil && (*p < 1 || *p > 65535) {
		if *p < 1 {
			return errConstraint(*p, member, "Member must have value greater than or equal to 1")
		}
		return errConstraint(*p, member, "Member must have value less than or equal to 65535")
	}
	return nil
}

// validRange checks an optional integer member against [lo, hi].
func validRange(v *int32, member string, lo, hi int32) error {
	if v == nil {
		return nil
	}
	if *v < lo {
		return errConstraint(*v, member, "Member must have value greater than or equal to "+strconv.Itoa(int(lo)))
	}
	if *v > hi {
		return errConstraint(*v, member, "Member must have value less than or equal to "+strconv.Itoa(int(hi)))
	}
	return nil
}

var (
	attributeKeyPattern = regexp.MustCompile(`^[a-zA-Z0-9._]+$`)
	tagPattern          = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
)

// validAttributeKey checks the syntax of an attribute key (≤256,
// ^[a-zA-Z0-9._]+$).
func validAttributeKey(key *string, member string) error {
	if key == nil {
		return errRequired(member + ".key")
	}
	if len(*key) > 256 || !attributeKeyPattern.MatchString(*key) {
		return errConstraint(*key, member+".key", "Member must satisfy regular expression pattern: ^[a-zA-Z0-9._]+$")
	}
	return nil
}

// validTagKey checks a tag key: 1–128 characters of the tag alphabet, not
// in the aws: namespace.
func validTagKey(key *string, member string) error {
	if key == nil {
		return errRequired(member)
	}
	k := *key
	switch {
	case k == "" || utf8.RuneCountInString(k) > 128:
		return errConstraint(k, member, "Member must have length between 1 and 128")
	case !tagPattern.MatchString(k):
		return errConstraint(k, member, `Member must satisfy regular expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		return errValidation("Tag keys starting with 'aws:' are reserved for internal use")
	}
	return nil
}

func validTagValue(value *string, member string) error {
	if value == nil {
		return nil
	}
	v := *value
	if utf8.RuneCountInString(v) > 256 {
		return errConstraint(v, member, "Member must have length less than or equal to 256")
	}
	if !tagPattern.MatchString(v) {
		return errConstraint(v, member, `Member must satisfy regular expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// parseBool accepts the attribute booleans "true" and "false".
func parseBool(v string) (bool, bool) {
	switch v {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// parseIntIn parses a decimal integer attribute within [lo, hi].
func parseIntIn(v string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}
