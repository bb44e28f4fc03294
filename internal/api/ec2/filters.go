package ec2

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// filterSet is the documented filters of one resource type: each name
// gives the values a resource has for it. A resource matches a filter when
// one of its values matches one of the filter's values (with * and ?
// wildcards); it matches a request when it matches every filter.
type filterSet[T any] map[string]func(T) []string

// filterItems keeps the items matching every filter. Besides the names of
// fs it knows tag:<key>, tag-key and tag-value, from the tags of idOf's ID.
func filterItems[T any](s *Store, fs filterSet[T], filters []types.Filter, items []T, idOf func(T) string) ([]T, error) {
	for _, f := range filters {
		if err := checkFilter(fs, f); err != nil {
			return nil, err
		}
	}
	var out []T
	for _, it := range items {
		if matchAll(s, fs, filters, it, idOf(it)) {
			out = append(out, it)
		}
	}
	return out, nil
}

func checkFilter[T any](fs filterSet[T], f types.Filter) error {
	name := deref(f.Name)
	if _, ok := fs[name]; ok || name == "tag-key" || name == "tag-value" {
		return nil
	}
	if key, ok := strings.CutPrefix(name, "tag:"); ok && key != "" {
		return nil
	}
	return errInvalidParameterValue("The filter '%s' is invalid", name)
}

func matchAll[T any](s *Store, fs filterSet[T], filters []types.Filter, it T, id string) bool {
	for _, f := range filters {
		if !matchAny(f.Values, filterValues(s, fs, deref(f.Name), it, id)) {
			return false
		}
	}
	return true
}

// filterValues are the values an item has for one filter name.
func filterValues[T any](s *Store, fs filterSet[T], name string, it T, id string) []string {
	if fn, ok := fs[name]; ok {
		return fn(it)
	}
	var out []string
	key, isTag := strings.CutPrefix(name, "tag:")
	for _, t := range s.tags[id] {
		switch {
		case isTag && deref(t.Key) == key:
			out = append(out, deref(t.Value))
		case name == "tag-key":
			out = append(out, deref(t.Key))
		case name == "tag-value":
			out = append(out, deref(t.Value))
		}
	}
	return out
}

// matchAny reports whether one of the patterns matches one of the values.
func matchAny(patterns, values []string) bool {
	for _, p := range patterns {
		for _, v := range values {
			if wildcard(p, v) {
				return true
			}
		}
	}
	return false
}

// wildcard matches EC2's filter patterns: * is any run of characters, ?
// one character, and a backslash makes the next character literal.
func wildcard(pattern, value string) bool {
	p, v := []rune(pattern), []rune(value)
	// Iterative matching with one backtrack point for the last star.
	pi, vi, star, mark := 0, 0, -1, 0
	for vi < len(v) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, vi
			pi++
		case pi < len(p) && p[pi] == '\\' && pi+1 < len(p) && p[pi+1] == v[vi]:
			pi += 2
			vi++
		case pi < len(p) && p[pi] != '\\' && (p[pi] == '?' || p[pi] == v[vi]):
			pi++
			vi++
		case star >= 0:
			pi = star + 1
			mark++
			vi = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// Value helpers for filter sets.

func strv(p *string) []string {
	if p == nil {
		return nil
	}
	return []string{*p}
}

func boolv(p *bool) []string {
	if p == nil {
		return []string{"false"}
	}
	return []string{strconv.FormatBool(*p)}
}

func intv[T int32 | int64](p *T) []string {
	if p == nil {
		return nil
	}
	return []string{strconv.FormatInt(int64(*p), 10)}
}

func one(s string) []string { return []string{s} }

// groupFilterValues are the IDs and names of a list of security groups.
func groupIDs(gs []types.GroupIdentifier) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, deref(g.GroupId))
	}
	return out
}

func groupNames(gs []types.GroupIdentifier) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, deref(g.GroupName))
	}
	return out
}
