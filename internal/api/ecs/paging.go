package ecs

import "github.com/localaws/ecsemu/internal/paging"

// page returns one page of items; all listings are sorted, so tokens stay
// valid across calls.
func page[T any](items []T, token *string, maxResults *int32, def, limit int) ([]T, *string, error) {
	n := def
	if maxResults != nil {
		n = int(*maxResults)
		if n < 1 || n > limit {
			return nil, nil, errInvalidParameter("maxResults must be between 1 and %d.", limit)
		}
	}
	pg, next, err := paging.Page(items, deref(token), n, "ecs")
	if err != nil {
		return nil, nil, errInvalidParameter("Invalid nextToken.")
	}
	if next == "" {
		return pg, nil, nil
	}
	return pg, &next, nil
}
