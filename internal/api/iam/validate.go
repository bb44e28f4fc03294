package iam

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// violations collects a request's constraint failures (see
// awsproto.Violations), with this service's own member checks.
type violations struct{ awsproto.Violations }

func (v violations) err() error { return v.Err() }

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
	v.Required(s, member)
	v.Length(s, member, 1, max)
	v.Pattern(s, member, nameRe, nameText)
}

// path checks an optional entity path.
func (v *violations) path(s *string, member string) {
	v.Length(s, member, 1, 512)
	v.Pattern(s, member, pathRe, pathText)
}

// pathPrefix checks an optional listing prefix.
func (v *violations) pathPrefix(s *string, member string) {
	v.Length(s, member, 1, 512)
	v.Pattern(s, member, prefixRe, prefixText)
}

// document checks a required policy document's size and characters.
func (v *violations) document(s *string, member string) {
	v.Required(s, member)
	v.Length(s, member, 1, 131072)
	v.Pattern(s, member, docRe, docText)
}

// maxItems checks a listing's page size.
func (v *violations) maxItems(n *int32) {
	v.Between(n, "maxItems", 1, 1000)
}

// tags checks tags as every Tag* and Create* operation does.
func (v *violations) tags(tags []types.Tag) {
	for i, t := range tags {
		member := fmt.Sprintf("tags.%d.member.key", i+1)
		v.Required(t.Key, member)
		v.Length(t.Key, member, 1, 128)
		v.Length(t.Value, fmt.Sprintf("tags.%d.member.value", i+1), 0, 256)
	}
}
