package ssm

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// GetParameterHistory lists every kept version of a parameter, oldest
// first, at most 50 a page.
func (s *Store) GetParameterHistory(_ context.Context, in *ssm.GetParameterHistoryInput) (*ssm.GetParameterHistoryOutput, error) {
	if deref(in.Name) == "" {
		return nil, errRequired("name")
	}
	s.mu.Lock()
	defer s.unlock()
	r := s.resolve(deref(in.Name))
	p := s.params[r.name]
	if p == nil || r.selector != "" {
		return nil, errParameterNotFound()
	}
	history := make([]types.ParameterHistory, 0, len(p.versions))
	for _, v := range p.versions {
		history = append(history, types.ParameterHistory{
			Name: ptr(p.name), Type: v.typ, Tier: v.tier, Version: v.number, Value: ptr(wireValue(v, deref(in.WithDecryption))),
			LastModifiedDate: ptr(v.modified), LastModifiedUser: ptr(v.user), DataType: ptr(v.dataType),
			Description: optional(v.description), AllowedPattern: optional(v.allowedPattern), KeyId: optional(v.keyID),
			Labels: slices.Clone(nonNil(v.labels)), Policies: []types.ParameterInlinePolicy{},
		})
	}
	pg, next, err := page(history, in.NextToken, in.MaxResults, 50)
	if err != nil {
		return nil, err
	}
	return &ssm.GetParameterHistoryOutput{Parameters: pg, NextToken: next}, nil
}
