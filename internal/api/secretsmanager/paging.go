package secretsmanager

import (
	"github.com/localaws/ecsemu/internal/paging"
)

// maxPage is the largest MaxResults of the listings.
const maxPage = 100

// page returns one page of a sorted listing: MaxResults between 1 and
// 100 (default 100), an opaque NextToken that InvalidNextTokenException
// refuses when this API did not issue it.
func page[T any](items []T, token *string, maxResults *int32) ([]T, *string, error) {
	n := maxPage
	if maxResults != nil {
		n = int(*maxResults)
		if n < 1 || n > maxPage {
			return nil, nil, errConstraint(n, "maxResults", "Member must have value between 1 and 100")
		}
	}
	pg, next, err := paging.Page(items, deref(token), n, "secretsmanager")
	if err != nil {
		return nil, nil, errInvalidNextToken()
	}
	if next == "" {
		return pg, nil, nil
	}
	return pg, &next, nil
}
