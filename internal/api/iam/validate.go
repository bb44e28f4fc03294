package iam

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam/types"

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
	nameRe      = regexp.MustCompile(`^[\w+=,.@-]+$`)
	nameText    = `[\w+=,.@-]+`
	pathRe      = regexp.MustCompile(`^((/)|(/[\x{21}-\x{7E}]+/))$`)
	pathText    = `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`
	prefixRe    = regexp.MustCompile(`^\x{2F}[\x{21}-\x{7F}]*$`)
	prefixText  = `\u002F[\u0021-\u007F]*`
	docRe       = regexp.MustCompile("^[\u0009\u000A\u000D\u0020-\u00FF]+$")
	docText     = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	versionIDRe = regexp.MustCompile(`^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$`)
	versionText = `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`
	keyIDRe     = regexp.MustCompile(`^[\w]+$`)
	keyIDText   = `[\w]+`
)

// name checks a required entity name (1..max, [\w+=,.@-]+).
func (v *violations) name(s *string, member string, max int) {
	v.required(s, member)
	v.length(s, member, 1, max)
	v.pattern(s, member, nameRe, nameText)
}

// path checks an optional entity path.
func (v *violations) path(s *string, member string) {
	v.length(s, member, 1, 512)
	v.pattern(s, member, pathRe, pathText)
}

// pathPrefix checks an optional listing prefix.
func (v *violations) pathPrefix(s *string, member string) {
	v.length(s, member, 1, 512)
	v.pattern(s, member, prefixRe, prefixText)
}

// document checks a required policy document's size and characters.
func (v *violations) document(s *string, member string) {
	v.required(s, member)
	v.length(s, member, 1, 131072)
	v.pattern(s, member, docRe, docText)
}

// maxItems checks a listing's page size.
func (v *violations) maxItems(n *int32) {
	v.between(n, "maxItems", 1, 1000)
}

// tags checks tags as every Tag* and Create* operation does.
func (v *violations) tags(tags []types.Tag) {
	for i, t := range tags {
		member := fmt.Sprintf("tags.%d.member.key", i+1)
		v.required(t.Key, member)
		v.length(t.Key, member, 1, 128)
		v.length(t.Value, fmt.Sprintf("tags.%d.member.value", i+1), 0, 256)
	}
}
