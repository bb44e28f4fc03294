package elbv2

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// defaultPageSize is the page of a Describe call without PageSize; the
// largest PageSize ELBv2 accepts is the same.
const defaultPageSize = 400

// page returns one page of items (spec §2.5: Marker, NextMarker, PageSize
// 1–400). Markers are opaque to clients but simply encode the offset of the
// next item; they stay valid across calls because every listing has a
// stable order.
func page[T any](items []T, marker *string, pageSize *int32) ([]T, *string, error) {
	n := defaultPageSize
	if pageSize != nil {
		n = int(*pageSize)
		if n < 1 || n > defaultPageSize {
			return nil, nil, errConstraint(n, "pageSize", "Member must have value between 1 and 400")
		}
	}
	start := 0
	if marker != nil {
		var err error
		if start, err = decodeMarker(*marker); err != nil || start > len(items) {
			return nil, nil, errValidation("Invalid marker '%s'", *marker)
		}
	}
	end := min(start+n, len(items))
	var next *string
	if end < len(items) {
		m := encodeMarker(end)
		next = &m
	}
	return items[start:end], next, nil
}

const markerPrefix = "elbv2-emulator:"

func encodeMarker(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(markerPrefix + strconv.Itoa(offset)))
}

func decodeMarker(m string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return 0, err
	}
	rest, ok := strings.CutPrefix(string(b), markerPrefix)
	if !ok {
		return 0, strconv.ErrSyntax
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}
