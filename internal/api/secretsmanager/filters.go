package secretsmanager

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// filterValue is the pattern of a ListSecrets filter value, with its
// optional leading "!" (negation).
var filterValue = regexp.MustCompile(`^!?[a-zA-Z0-9 :_@/+=.\-!]*$`)

// filter is one ListSecrets filter: a secret passes when its attribute
// matches one of the positive values and none of the negated ones.
type filter struct {
	key      types.FilterNameStringType
	positive []string
	negative []string
}

type filterSet []filter

func parseFilters(in []types.Filter) (filterSet, error) {
	if len(in) > 10 {
		return nil, errConstraint(len(in), "filters", "Member must have length less than or equal to 10")
	}
	var out filterSet
	for _, f := range in {
		if !validFilterKey(f.Key) {
			return nil, errConstraint(f.Key, "filters.member.key", "Member must satisfy enum value set: [description, name, tag-key, tag-value, primary-region, owning-service, all]")
		}
		if len(f.Values) < 1 || len(f.Values) > 10 {
			return nil, errConstraint(len(f.Values), "filters.member.values", "Member must have length between 1 and 10")
		}
		pf := filter{key: f.Key}
		for _, v := range f.Values {
			if len(v) > 512 || !filterValue.MatchString(v) {
				return nil, errConstraint(v, "filters.member.values.member", `Member must satisfy regular expression pattern: ^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$`)
			}
			if neg, ok := strings.CutPrefix(v, "!"); ok {
				pf.negative = append(pf.negative, neg)
			} else {
				pf.positive = append(pf.positive, v)
			}
		}
		out = append(out, pf)
	}
	return out, nil
}

func validFilterKey(k types.FilterNameStringType) bool {
	for _, v := range k.Values() {
		if k == v {
			return true
		}
	}
	return false
}

func (fs filterSet) match(sec *secret) bool {
	for _, f := range fs {
		if !f.match(sec) {
			return false
		}
	}
	return true
}

func (f filter) match(sec *secret) bool {
	for _, v := range f.negative {
		if matchValue(f.key, sec, v) {
			return false
		}
	}
	if len(f.positive) == 0 {
		return true
	}
	for _, v := range f.positive {
		if matchValue(f.key, sec, v) {
			return true
		}
	}
	return false
}

// matchValue applies one filter value as the Filter docs describe:
// case-sensitive prefixes of the name, a tag key or a tag value; the
// words of a description, ignoring case; for "all", the value's words
// against the words of the name, description and tags, ignoring case.
// Secrets here are neither replicated nor owned by a service, so
// primary-region and owning-service match none.
func matchValue(key types.FilterNameStringType, sec *secret, v string) bool {
	switch key {
	case types.FilterNameStringTypeName:
		return strings.HasPrefix(sec.name, v)
	case types.FilterNameStringTypeTagKey:
		return anyTag(sec, func(t types.Tag) bool { return strings.HasPrefix(deref(t.Key), v) })
	case types.FilterNameStringTypeTagValue:
		return anyTag(sec, func(t types.Tag) bool { return strings.HasPrefix(deref(t.Value), v) })
	case types.FilterNameStringTypeDescription:
		return wordsMatch(v, words(sec.description))
	case types.FilterNameStringTypeAll:
		attrs := words(sec.name + " " + sec.description)
		for _, t := range sec.tags {
			attrs = append(attrs, words(deref(t.Key)+" "+deref(t.Value))...)
		}
		return wordsMatch(v, attrs)
	}
	return false
}

func anyTag(sec *secret, fn func(types.Tag) bool) bool {
	for _, t := range sec.tags {
		if fn(t) {
			return true
		}
	}
	return false
}

// wordsMatch reports whether every word of the search value begins a word
// of the attributes.
func wordsMatch(value string, attrs []string) bool {
	search := words(value)
	if len(search) == 0 {
		return false
	}
	for _, w := range search {
		found := false
		for _, a := range attrs {
			if strings.HasPrefix(a, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// words splits text as Secrets Manager's search does: at anything but
// letters and digits, at a change from lower to upper case and between
// letters and digits; lowered.
func words(text string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range text {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case len(cur) > 0 && (unicode.IsLower(prev) && unicode.IsUpper(r) || unicode.IsLetter(prev) != unicode.IsLetter(r)):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return out
}
