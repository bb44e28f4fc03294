package elbv2

import "github.com/localaws/ecsemu/internal/paging"

// defaultPageSize is the page of a Describe call without PageSize; the
// largest PageSize ELBv2 accepts is the same.
const defaultPageSize = 400

// page returns one page of items (spec §2.5: Marker, NextMarker, PageSize
// 1–400); every listing has a stable order, so markers stay valid.
func page[T any](items []T, marker *string, pageSize *int32) ([]T, *string, error) {
	n := defaultPageSize
	if pageSize != nil {
		n = int(*pageSize)
		if n < 1 || n > defaultPageSize {
			return nil, nil, errConstraint(n, "pageSize", "Member must have value between 1 and 400")
		}
	}
	pg, next, err := paging.Page(items, deref(marker), n, "elbv2")
	if err != nil {
		return nil, nil, errValidation("Invalid marker '%s'", deref(marker))
	}
	return pg, optional(next), nil
}

// optional turns "" into nil, for the next-page members.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
