package ssm

import (
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Filters of DescribeParameters and GetParametersByPath
// (ParameterStringFilter). Each call accepts its own keys: Describe
// filters by Name, Path, Tier, Type, KeyId, DataType and tags;
// GetParametersByPath by Type, KeyId, Label, DataType and tags (the path
// is its own argument). Options are Equals and BeginsWith, Name also
// Contains, Path OneLevel and Recursive, Label only Equals.

type filterContext int

const (
	forDescribe filterContext = iota
	forPath
)

// filter is a checked ParameterStringFilter.
type filter struct {
	key, option string
	values      []string
}

var describeKeys = []string{"Name", "Path", "Tier", "Type", "KeyId", "DataType"}
var pathKeys = []string{"Type", "KeyId", "Label", "DataType"}

// checkFilters validates filters for a call and fills in default options.
func checkFilters(in []types.ParameterStringFilter, ctx filterContext) ([]filter, error) {
	out := make([]filter, 0, len(in))
	seen := map[string]bool{}
	for i, f := range in {
		key := deref(f.Key)
		if key == "" {
			return nil, errConstraint("null", "parameterFilters."+strconv.Itoa(i+1)+".member.key", "Member must not be null")
		}
		if err := allowedKey(key, ctx); err != nil {
			return nil, err
		}
		if seen[key] {
			return nil, errInvalidFilterKey("The following filter is duplicated in the request: %s. A request can contain only one occurrence of a specific filter.", key)
		}
		seen[key] = true
		flt := filter{key: key, option: deref(f.Option), values: f.Values}
		if err := flt.checkOption(ctx); err != nil {
			return nil, err
		}
		if err := flt.checkValues(); err != nil {
			return nil, err
		}
		out = append(out, flt)
	}
	return out, nil
}

func allowedKey(key string, ctx filterContext) error {
	if strings.HasPrefix(key, "tag:") && len(key) > len("tag:") {
		return nil
	}
	keys := describeKeys
	if ctx == forPath {
		keys = pathKeys
	}
	if !slices.Contains(keys, key) {
		return errInvalidFilterKey("The following filter key is not valid: %s. Valid filter keys include: [%s].", key, strings.Join(keys, ", "))
	}
	return nil
}

func (f *filter) checkOption(ctx filterContext) error {
	options := []string{"Equals", "BeginsWith"}
	def := "Equals"
	switch {
	case f.key == "Path":
		options, def = []string{"Recursive", "OneLevel"}, "OneLevel"
	case f.key == "Name" && ctx == forDescribe:
		options = append(options, "Contains")
	case f.key == "Label":
		options = []string{"Equals"}
	}
	if f.option == "" {
		f.option = def
	}
	if !slices.Contains(options, f.option) {
		return errInvalidFilterOption("The following filter option is not valid: %s. Valid options include: [%s].", f.option, strings.Join(options, ", "))
	}
	return nil
}

func (f *filter) checkValues() error {
	if len(f.values) == 0 && !strings.HasPrefix(f.key, "tag:") {
		return errInvalidFilterValue("The following filter values are missing : null for filter key %s.", f.key)
	}
	var valid []string
	switch f.key {
	case "Type":
		valid = []string{"String", "StringList", "SecureString"}
	case "Tier":
		valid = []string{"Standard", "Advanced", "Intelligent-Tiering"}
	case "Path":
		for _, v := range f.values {
			if !strings.HasPrefix(v, "/") || strings.Contains(v, "//") {
				return errInvalidFilterValue("The following filter value is not valid: %s. The path must begin with a forward slash (/).", v)
			}
		}
	}
	for _, v := range f.values {
		if valid != nil && !slices.Contains(valid, v) {
			return errInvalidFilterValue("The following filter value is not valid: %s. Valid values include: [%s].", v, strings.Join(valid, ", "))
		}
	}
	return nil
}

// matches reports whether a parameter (at version v) passes every filter.
func matchesAll(fs []filter, p *parameter, v *version) bool {
	for _, f := range fs {
		if !f.matches(p, v) {
			return false
		}
	}
	return true
}

func (f filter) matches(p *parameter, v *version) bool {
	switch {
	case f.key == "Name":
		return f.compare(p.name, normalise)
	case f.key == "Path":
		return slices.ContainsFunc(f.values, func(path string) bool { return underPath(p.name, path, f.option == "Recursive") })
	case f.key == "Type":
		return f.compare(string(v.typ), nil)
	case f.key == "Tier":
		return f.compare(string(v.tier), nil)
	case f.key == "KeyId":
		return v.keyID != "" && f.compare(v.keyID, nil)
	case f.key == "DataType":
		return f.compare(v.dataType, nil)
	case f.key == "Label":
		return slices.ContainsFunc(v.labels, func(l string) bool { return slices.Contains(f.values, l) })
	}
	return f.matchesTag(p)
}

// compare applies the filter's option to one attribute; norm, if set,
// normalises both sides first.
func (f filter) compare(attr string, norm func(string) string) bool {
	if norm != nil && f.option != "Contains" {
		attr = norm(attr)
	}
	for _, want := range f.values {
		if norm != nil && f.option != "Contains" {
			want = norm(want)
		}
		switch f.option {
		case "Equals":
			if attr == want {
				return true
			}
		case "BeginsWith":
			if strings.HasPrefix(attr, want) {
				return true
			}
		case "Contains":
			if strings.Contains(attr, want) {
				return true
			}
		}
	}
	return false
}

// normalise lets Name filters match "x" and "/x" alike, as AWS does.
func normalise(name string) string { return "/" + strings.TrimPrefix(name, "/") }

func (f filter) matchesTag(p *parameter) bool {
	key := strings.TrimPrefix(f.key, "tag:")
	for _, t := range p.tags {
		if deref(t.Key) != key {
			continue
		}
		return len(f.values) == 0 || f.compare(deref(t.Value), nil)
	}
	return false
}

// underPath reports whether name lies under path: directly (one level) or
// anywhere below (recursive). "/" is the root of every hierarchy.
func underPath(name, path string, recursive bool) bool {
	prefix := strings.TrimSuffix(path, "/") + "/"
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || rest == "" {
		return false
	}
	return recursive || !strings.Contains(rest, "/")
}

// legacyFilters applies DescribeParameters' deprecated Filters (Name,
// Type, KeyId; Name matches as a prefix).
func legacyFilters(in []types.ParametersFilter) ([]filter, error) {
	out := make([]filter, 0, len(in))
	for _, f := range in {
		switch f.Key {
		case types.ParametersFilterKeyName:
			out = append(out, filter{key: "Name", option: "BeginsWith", values: f.Values})
		case types.ParametersFilterKeyType, types.ParametersFilterKeyKeyId:
			out = append(out, filter{key: string(f.Key), option: "Equals", values: f.Values})
		default:
			return nil, errConstraint(f.Key, "filters.member.key", "Member must satisfy enum value set: [Name, Type, KeyId]")
		}
		if len(f.Values) == 0 {
			return nil, errInvalidFilterValue("The following filter values are missing : null for filter key %s.", f.Key)
		}
	}
	return out, nil
}
