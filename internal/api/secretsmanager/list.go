package secretsmanager

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// ListSecrets lists the secrets that pass every filter, newest first by
// default (SortBy, SortOrder), without those awaiting deletion unless
// IncludePlannedDeletion.
func (s *Store) ListSecrets(_ context.Context, in *secretsmanager.ListSecretsInput) (*secretsmanager.ListSecretsOutput, error) {
	filters, err := parseFilters(in.Filters)
	if err != nil {
		return nil, err
	}
	less, err := sortOrder(in.SortBy, in.SortOrder)
	if err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	var found []*secret
	for _, name := range s.sortedNames() {
		sec := s.secrets[name]
		if sec.isDeleted() && !deref(in.IncludePlannedDeletion) {
			continue
		}
		if filters.match(sec) {
			found = append(found, sec)
		}
	}
	slices.SortStableFunc(found, less)
	pg, next, err := page(found, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &secretsmanager.ListSecretsOutput{SecretList: []types.SecretListEntry{}, NextToken: next}
	for _, sec := range pg {
		out.SecretList = append(out.SecretList, sec.listEntry())
	}
	return out, nil
}

// sortOrder is the comparison of a listing: by SortBy (created-date by
// default), in SortOrder (desc by default), names breaking ties.
func sortOrder(by types.SortByType, order types.SortOrderType) (func(a, b *secret) int, error) {
	var key func(*secret) time.Time
	switch by {
	case "", types.SortByTypeCreatedDate:
		key = func(s *secret) time.Time { return s.created }
	case types.SortByTypeLastAccessedDate:
		key = func(s *secret) time.Time { return s.accessed }
	case types.SortByTypeLastChangedDate:
		key = func(s *secret) time.Time { return s.changed }
	case types.SortByTypeName:
	default:
		return nil, errConstraint(by, "sortBy", "Member must satisfy enum value set: [created-date, last-accessed-date, last-changed-date, name]")
	}
	sign := -1
	switch order {
	case "", types.SortOrderTypeDesc:
	case types.SortOrderTypeAsc:
		sign = 1
	default:
		return nil, errConstraint(order, "sortOrder", "Member must satisfy enum value set: [asc, desc]")
	}
	return func(a, b *secret) int {
		c := 0
		if key != nil {
			c = key(a).Compare(key(b))
		}
		if c == 0 {
			c = strings.Compare(a.name, b.name)
		}
		return sign * c
	}, nil
}
