package logs

import (
	"slices"
	"strconv"
	"strings"
)

// The name patterns of the service model.
const (
	groupNamePattern  = `[\.\-_/#A-Za-z0-9]+`
	streamNamePattern = `[^:*]*`
	maxNameLength     = 512
)

// retentionDays are the values PutRetentionPolicy accepts.
var retentionDays = []int32{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func validRetention(days int32) bool { return slices.Contains(retentionDays, days) }

// checkGroupName applies the model's constraints on a log group name in
// member.
func checkGroupName(name *string, member string) error {
	if name == nil {
		return errRequired(member)
	}
	if err := checkLength(*name, member); err != nil {
		return err
	}
	for _, c := range []byte(*name) {
		if !groupNameByte(c) {
			return errConstraint(*name, member, "Member must satisfy regular expression pattern: "+groupNamePattern)
		}
	}
	return nil
}

func groupNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-/#", c) >= 0
}

// checkStreamName applies the model's constraints on a log stream name.
func checkStreamName(name *string, member string) error {
	if name == nil {
		return errRequired(member)
	}
	if err := checkLength(*name, member); err != nil {
		return err
	}
	if strings.ContainsAny(*name, ":*") {
		return errConstraint(*name, member, "Member must satisfy regular expression pattern: "+streamNamePattern)
	}
	return nil
}

// checkOptionalPrefix checks a name prefix, which must not be empty when
// sent.
func checkOptionalPrefix(prefix *string, member string, check func(*string, string) error) error {
	if prefix == nil {
		return nil
	}
	return check(prefix, member)
}

func checkLength(name, member string) error {
	switch {
	case name == "":
		return errConstraint(name, member, "Member must have length greater than or equal to 1")
	case len(name) > maxNameLength:
		return errConstraint(name, member, "Member must have length less than or equal to "+strconv.Itoa(maxNameLength))
	}
	return nil
}

// checkLimit checks an optional page size between 1 and max, returning
// the size to use (max when unset).
func checkLimit(limit *int32, max int) (int, error) {
	if limit == nil {
		return max, nil
	}
	n := int(*limit)
	if n < 1 {
		return 0, errConstraint(n, "limit", "Member must have value greater than or equal to 1")
	}
	if n > max {
		return 0, errConstraint(n, "limit", "Member must have value less than or equal to "+strconv.Itoa(max))
	}
	return n, nil
}
