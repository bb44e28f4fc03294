// Package paging cuts sorted listings into pages with opaque continuation
// tokens (ECS nextToken, Cloud Map NextToken, ELBv2 Marker). A token only
// encodes the offset of the next item, tagged with the API that issued it,
// so it stays valid across calls as long as the listing's order is stable.
// Each API validates page sizes and maps ErrBadToken to its own error.
package paging

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// ErrBadToken says a token was not issued by this API or points past the end.
var ErrBadToken = errors.New("invalid pagination token")

// Page returns up to n items starting where token points ("" = the start)
// and the token of the next page ("" when this is the last one). scope
// names the API, so one API's tokens are refused by another.
func Page[T any](items []T, token string, n int, scope string) ([]T, string, error) {
	start := 0
	if token != "" {
		var err error
		if start, err = decode(token, scope); err != nil || start > len(items) {
			return nil, "", ErrBadToken
		}
	}
	end := min(start+n, len(items))
	next := ""
	if end < len(items) {
		next = encode(end, scope)
	}
	return items[start:end], next, nil
}

func encode(offset int, scope string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(scope + ":" + strconv.Itoa(offset)))
}

func decode(token, scope string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, err
	}
	rest, ok := strings.CutPrefix(string(b), scope+":")
	if !ok {
		return 0, ErrBadToken
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, ErrBadToken
	}
	return n, nil
}

// PageNewestFirst pages a listing kept oldest first that grows at its end
// (a stack's events) from its newest item back. Its token holds the
// position, counted from the oldest item, where the next page ends, so
// items appended between two calls neither repeat on the next page nor
// push older ones out of reach; a new listing starts at the newest item.
func PageNewestFirst[T any](items []T, token string, n int, scope string) ([]T, string, error) {
	end := len(items)
	if token != "" {
		var err error
		if end, err = decode(token, scope); err != nil || end > len(items) || end == 0 {
			return nil, "", ErrBadToken
		}
	}
	start := max(end-n, 0)
	page := make([]T, 0, end-start)
	for i := end - 1; i >= start; i-- {
		page = append(page, items[i])
	}
	next := ""
	if start > 0 {
		next = encode(start, scope)
	}
	return page, next, nil
}
