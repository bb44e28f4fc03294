package iam

import (
	"github.com/localaws/ecsemu/internal/paging"
)

// defaultMaxItems is IAM's page size when MaxItems is not given.
const defaultMaxItems = 100

// page cuts a sorted listing by Marker and MaxItems, returning the page,
// IsTruncated and the next Marker.
func page[T any](items []T, marker *string, maxItems *int32) ([]T, bool, *string, error) {
	n := defaultMaxItems
	if maxItems != nil {
		n = int(*maxItems)
	}
	out, next, err := paging.Page(items, deref(marker), n, "iam")
	if err != nil {
		return nil, false, nil, errValidation("Invalid Marker")
	}
	if next == "" {
		return out, false, nil, nil
	}
	return out, true, &next, nil
}
