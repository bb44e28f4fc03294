package ssm

import (
	"strconv"

	"github.com/localaws/ecsemu/internal/paging"
)

// page returns one page of a sorted listing: MaxResults between 1 and
// limit (default limit), an opaque NextToken that InvalidNextToken refuses
// when this API did not issue it.
func page[T any](items []T, token *string, maxResults *int32, limit int) ([]T, *string, error) {
	n := limit
	if maxResults != nil {
		n = int(*maxResults)
		if n < 1 || n > limit {
			return nil, nil, errConstraint(n, "maxResults", "Member must have value less than or equal to "+strconv.Itoa(limit))
		}
	}
	pg, next, err := paging.Page(items, deref(token), n, "ssm")
	if err != nil {
		return nil, nil, errInvalidNextToken()
	}
	if next == "" {
		return pg, nil, nil
	}
	return pg, &next, nil
}
