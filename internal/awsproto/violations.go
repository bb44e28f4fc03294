package awsproto

import (
	"fmt"
	"regexp"
	"strings"
)

// Violations collects the constraint failures of one request, which AWS
// reports together in one ValidationError: "2 validation errors detected:
// Value 'x' at 'a' failed to satisfy constraint: …; Value …". Services
// embed it and add checks of their own model's members.
type Violations []string

// Add records one failed constraint.
func (v *Violations) Add(value any, member, constraint string) {
	*v = append(*v, fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint))
}

// Length checks a string's length bounds (max 0 means unbounded).
func (v *Violations) Length(s *string, member string, lo, hi int) {
	if s == nil {
		return
	}
	n := len([]rune(*s))
	if n < lo {
		v.Add(*s, member, fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	}
	if hi > 0 && n > hi {
		v.Add(*s, member, fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
}

// Pattern checks a string against the model's regular expression, quoted
// in the message as the model writes it.
func (v *Violations) Pattern(s *string, member string, re *regexp.Regexp, text string) {
	if s != nil && !re.MatchString(*s) {
		v.Add(*s, member, "Member must satisfy regular expression pattern: "+text)
	}
}

// Between checks an integer's bounds.
func (v *Violations) Between(n *int32, member string, lo, hi int32) {
	if n == nil {
		return
	}
	if *n < lo {
		v.Add(*n, member, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	}
	if *n > hi {
		v.Add(*n, member, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

// Required reports a missing member.
func (v *Violations) Required(s *string, member string) {
	if s == nil {
		*v = append(*v, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", member))
	}
}

// Message is the text of the ValidationError, "" for no violation.
func (v Violations) Message() string {
	switch len(v) {
	case 0:
		return ""
	case 1:
		return "1 validation error detected: " + v[0]
	}
	return fmt.Sprintf("%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}

// Err is the awsQuery ValidationError for the violations, nil for none.
func (v Violations) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &ValidationError{Message: v.Message()}
}
