package acm

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/acm/types"
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
		return &types.ValidationException{Message: ptr("1 validation error detected: " + v[0])}
	}
	return &types.ValidationException{Message: ptr(fmt.Sprintf("%d validation errors detected: %s", len(v), strings.Join(v, "; ")))}
}

// The model's patterns, with the text AWS quotes in its messages.
var (
	tokenRe   = regexp.MustCompile(`^\w+$`)
	tokenText = `\w+`
	tagKeyRe  = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	tagText   = `[\p{L}\p{Z}\p{N}_.:\/=+\-@]*`
)

// domain checks a domain name member: 1..253 characters, labels of
// letters, digits and inner hyphens, at least two labels, an optional
// leading "*." (the model's pattern, which uses look-aheads Go lacks).
func (v *violations) domain(s *string, member string) {
	v.length(s, member, 1, 253)
	if s != nil && len(*s) <= 253 && !validDomain(*s) {
		v.add(*s, member, "Member must satisfy regular expression pattern: "+domainText)
	}
}

const domainText = `(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])`

func validDomain(d string) bool {
	d = strings.TrimPrefix(d, "*.")
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for i, l := range labels {
		min := 1
		if i == len(labels)-1 {
			min = 2
		}
		if len(l) < min || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// arn checks a certificate ARN member's size.
func (v *violations) arn(s *string, member string) {
	v.required(s, member)
	v.length(s, member, 20, 2048)
}
