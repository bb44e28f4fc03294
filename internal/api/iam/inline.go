package iam

import (
	"sort"
)

// policies is what roles and users hold: inline policies by name (the
// documents as sent) and attached managed policy ARNs in attach order.
type policies struct {
	inline   map[string]string
	attached []string
}

// inlineNames lists the inline policy names in order.
func (p *policies) inlineNames() []string {
	names := make([]string, 0, len(p.inline))
	for n := range p.inline {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// checkInline validates the members every Put*Policy shares.
func checkInline(v *violations, policyName, doc *string) {
	v.name(policyName, "policyName", 128)
	v.document(doc, "policyDocument")
}
