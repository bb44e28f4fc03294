package acm

import (
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// violations collects a request's constraint failures; ACM reports them
// as its ValidationException.
type violations struct{ awsproto.Violations }

func (v violations) err() error {
	if len(v.Violations) == 0 {
		return nil
	}
	return &types.ValidationException{Message: ptr(v.Message())}
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
	v.Length(s, member, 1, 253)
	if s != nil && len(*s) <= 253 && !validDomain(*s) {
		v.Add(*s, member, "Member must satisfy regular expression pattern: "+domainText)
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
	v.Required(s, member)
	v.Length(s, member, 20, 2048)
}
