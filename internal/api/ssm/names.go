package ssm

import (
	"strings"
)

// Parameter names (AWS "Requirements and constraints for parameter
// names"): letters, digits and . - _ , with / separating the levels of a
// hierarchy whose names begin with /; at most 15 levels; no name may begin
// with "aws" or "ssm", in any case.
const (
	maxNameLength = 2048
	maxLevels     = 15
)

const invalidNameText = `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). ` +
	`If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be ` +
	`formed as a mix of letters, numbers and the following 3 symbols .-_`

// validName checks a name a parameter is created under.
func validName(name string) error {
	if name == "" {
		return errRequired("name")
	}
	if len(name) > maxNameLength {
		return errConstraint(name, "name", "Member must have length less than or equal to 2048")
	}
	if strings.Contains(name, "/") && !strings.HasPrefix(name, "/") {
		return errValidation("Parameter name must be a fully qualified name.")
	}
	segments := strings.Split(strings.TrimPrefix(name, "/"), "/")
	for _, seg := range segments {
		if seg == "" || !nameChars(seg) {
			return errValidation("%s", invalidNameText)
		}
	}
	if reserved(segments[0]) {
		if strings.HasPrefix(name, "/") && len(segments) > 1 && strings.EqualFold(segments[0][:3], "aws") {
			return accessDenied("No access to reserved parameter name: " + name + ".")
		}
		return errValidation("%s", invalidNameText)
	}
	if len(segments) > maxLevels {
		return errHierarchyLevel()
	}
	return nil
}

func nameChars(s string) bool {
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

func reserved(first string) bool {
	l := strings.ToLower(first)
	return strings.HasPrefix(l, "aws") || strings.HasPrefix(l, "ssm")
}

// reference is what a caller names in Get/Delete calls: a name or a
// parameter ARN, optionally followed by ":version" or ":label".
type reference struct {
	name     string // the name without selector, "/"-prefixed as resolved
	selector string // "" or what followed the colon
}

// resolve splits ref into the parameter it names and its selector. An ARN
// of another region or account, or of no parameter, resolves to a name
// no parameter has. Callers hold the lock (an ARN's name is looked up with
// and without its leading slash, which the ARN does not keep).
func (s *Store) resolve(ref string) reference {
	name := ref
	if strings.HasPrefix(ref, "arn:") {
		rest, ok := strings.CutPrefix(ref, arnPrefix(s.region, s.account))
		if !ok {
			return reference{name: ref}
		}
		name = rest
		if base, _, _ := strings.Cut(rest, ":"); s.params["/"+base] != nil {
			name = "/" + rest
		}
	}
	base, sel, _ := strings.Cut(name, ":")
	return reference{name: base, selector: sel}
}
