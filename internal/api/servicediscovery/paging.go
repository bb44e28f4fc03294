package servicediscovery

import "github.com/localaws/ecsemu/internal/paging"

// Cloud Map list operations page with MaxResults 1–100 (default 100) and
// an opaque NextToken of at most 4096 characters (spec §2.5, §4.3).
const (
	defaultPageSize = 100
	maxPageSize     = 100
	maxTokenLength  = 4096
)

// page returns one page of items; all listings are sorted, so tokens stay
// valid across calls.
func page[T any](items []T, token *string, maxResults *int32) ([]T, *string, error) {
	n := defaultPageSize
	if maxResults != nil {
		n = int(*maxResults)
		if n < 1 || n > maxPageSize {
			return nil, nil, errValidation(n, "maxResults", "Member must have value between 1 and 100")
		}
	}
	if token != nil && len(*token) > maxTokenLength {
		return nil, nil, errValidation(*token, "nextToken", "Member must have length less than or equal to 4096")
	}
	pg, next, err := paging.Page(items, deref(token), n, "servicediscovery")
	if err != nil {
		return nil, nil, errInvalidInput("Invalid NextToken: %s", deref(token))
	}
	if next == "" {
		return pg, nil, nil
	}
	return pg, &next, nil
}
