package ssm

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// GetParametersByPath reads the parameters directly under a path (or,
// with Recursive, anywhere below it), at most 10 a page, in name order.
func (s *Store) GetParametersByPath(_ context.Context, in *ssm.GetParametersByPathInput) (*ssm.GetParametersByPathOutput, error) {
	path := deref(in.Path)
	if err := validPath(path); err != nil {
		return nil, err
	}
	filters, err := checkFilters(in.ParameterFilters, forPath)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	var found []types.Parameter
	for _, name := range s.sortedNames() {
		p := s.params[name]
		if !underPath(name, path, deref(in.Recursive)) || !matchesAll(filters, p, p.latest()) {
			continue
		}
		found = append(found, s.wireParameter(p, p.latest(), reference{name: name}, deref(in.WithDecryption)))
	}
	pg, next, err := page(found, in.NextToken, in.MaxResults, 10)
	if err != nil {
		return nil, err
	}
	return &ssm.GetParametersByPathOutput{Parameters: nonNil(pg), NextToken: next}, nil
}

// validPath checks the Path of GetParametersByPath: a hierarchy that
// begins with "/", of the characters names may use.
func validPath(path string) error {
	if path == "" {
		return errRequired("path")
	}
	if len(path) > maxNameLength {
		return errConstraint(path, "path", "Member must have length less than or equal to 2048")
	}
	trimmed := strings.TrimSuffix(strings.TrimPrefix(path, "/"), "/")
	ok := strings.HasPrefix(path, "/")
	if ok && trimmed != "" {
		for _, seg := range strings.Split(trimmed, "/") {
			ok = ok && seg != "" && nameChars(seg)
		}
	}
	if !ok {
		return errValidation(`The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/". ` +
			`It can't be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . ` +
			`(period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". ` +
			`Valid example: /get/parameters2-/by1./path0_.`)
	}
	return nil
}
