package ec2

import "github.com/localaws/ecsemu/internal/paging"

// page returns one page of a listing (MaxResults, NextToken). Without
// MaxResults and NextToken the whole listing is one page, as on EC2; the
// bounds of MaxResults differ by operation.
func page[T any](items []T, token *string, maxResults *int32, lo, hi int) ([]T, *string, error) {
	n := len(items)
	if maxResults != nil {
		n = int(*maxResults)
		if n < lo || n > hi {
			return nil, nil, errInvalidParameterValue("Value ( %d ) for parameter maxResults is invalid. Parameter must be between %d and %d.", n, lo, hi)
		}
	} else if token == nil {
		return items, nil, nil
	}
	if n == 0 {
		n = hi
	}
	pg, next, err := paging.Page(items, deref(token), n, "ec2")
	if err != nil {
		return nil, nil, errorf("InvalidPaginationToken", "Invalid pagination token: %s", deref(token))
	}
	if next == "" {
		return pg, nil, nil
	}
	return pg, &next, nil
}
