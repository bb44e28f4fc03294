package sts

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// violations collects the constraint failures of one request, which AWS
// reports together: "2 validation errors detected: Value 'x' at 'a' failed
// to satisfy constraint: …; Value …".
type violations []string

func (v *violations) add(value any, member, constraint string) {
	*v = append(*v, fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint))
}

// length checks a string's length bounds (max 0 means unbounded).
func (v *violations) length(s *string, member string, lo, hi int) {
	if s == nil {
		return
	}
	n := len([]rune(*s))
	if n < lo {
		v.add(*s, member, fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	}
	if hi > 0 && n > hi {
		v.add(*s, member, fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
}

// pattern checks a string against the model's regular expression, quoted
// in the message as the model writes it.
func (v *violations) pattern(s *string, member string, re *regexp.Regexp, text string) {
	if s != nil && !re.MatchString(*s) {
		v.add(*s, member, "Member must satisfy regular expression pattern: "+text)
	}
}

// between checks an integer's bounds.
func (v *violations) between(n *int32, member string, lo, hi int32) {
	if n == nil {
		return
	}
	if *n < lo {
		v.add(*n, member, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	}
	if *n > hi {
		v.add(*n, member, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

// required reports a missing member.
func (v *violations) required(s *string, member string) {
	if s == nil {
		*v = append(*v, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", member))
	}
}

// err is the ValidationError for the collected violations, nil for none.
func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return &awsproto.ValidationError{Message: "1 validation error detected: " + v[0]}
	}
	return &awsproto.ValidationError{Message: fmt.Sprintf("%d validation errors detected: %s", len(v), strings.Join(v, "; "))}
}

// The model's patterns, with the text AWS quotes in its messages.
var (
	sessionNameRe    = regexp.MustCompile(`^[\w+=,.@-]*$`)
	sessionNameText  = `[\w+=,.@-]*`
	accessKeyIDRe    = regexp.MustCompile(`^[\w]*$`)
	accessKeyIDText  = `[\w]*`
	arnCharsRe       = regexp.MustCompile("^[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]+$")
	arnCharsText     = `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
	serialNumberRe   = regexp.MustCompile(`^[\w+=/:,.@-]*$`)
	serialNumberText = `[\w+=/:,.@-]*`
	tokenCodeRe      = regexp.MustCompile(`^[\d]*$`)
	tokenCodeText    = `[\d]*`
)
