package ssm

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// DescribeParameters lists parameter metadata (never values), at most 50 a
// page, in name order, filtered by ParameterFilters or the deprecated
// Filters (not both).
func (s *Store) DescribeParameters(_ context.Context, in *ssm.DescribeParametersInput) (*ssm.DescribeParametersOutput, error) {
	if len(in.Filters) > 0 && len(in.ParameterFilters) > 0 {
		return nil, errValidation("You can use either Filters or ParameterFilters in a single request.")
	}
	filters, err := checkFilters(in.ParameterFilters, forDescribe)
	if err != nil {
		return nil, err
	}
	legacy, err := legacyFilters(in.Filters)
	if err != nil {
		return nil, err
	}
	filters = append(filters, legacy...)
	s.mu.Lock()
	defer s.unlock()
	var found []types.ParameterMetadata
	for _, name := range s.sortedNames() {
		p := s.params[name]
		if matchesAll(filters, p, p.latest()) {
			found = append(found, s.metadata(p))
		}
	}
	pg, next, err := page(found, in.NextToken, in.MaxResults, 50)
	if err != nil {
		return nil, err
	}
	return &ssm.DescribeParametersOutput{Parameters: nonNil(pg), NextToken: next}, nil
}

// metadata is the ParameterMetadata of a parameter's latest version.
func (s *Store) metadata(p *parameter) types.ParameterMetadata {
	v := p.latest()
	return types.ParameterMetadata{
		Name: ptr(p.name), ARN: ptr(s.parameterARN(p.name)), Type: v.typ, Tier: v.tier, Version: v.number,
		LastModifiedDate: ptr(v.modified), LastModifiedUser: ptr(v.user), DataType: ptr(v.dataType),
		Description: optional(v.description), AllowedPattern: optional(v.allowedPattern), KeyId: optional(v.keyID),
		Policies: []types.ParameterInlinePolicy{},
	}
}

// optional is nil for "", so that empty settings are left out as AWS
// leaves them out.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
