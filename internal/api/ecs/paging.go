package ecs

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// page returns one page of items. Tokens are opaque to clients but simply
// encode the offset of the next item; they stay valid across calls as long
// as the listing's order is stable (all listings are sorted).
func page[T any](items []T, token *string, maxResults *int32, def, limit int) ([]T, *string, error) {
	n := def
	if maxResults != nil {
		n = int(*maxResults)
		if n < 1 || n > limit {
			return nil, nil, errInvalidParameter("maxResults must be between 1 and %d.", limit)
		}
	}
	start := 0
	if token != nil && *token != "" {
		var err error
		if start, err = decodeToken(*token); err != nil || start > len(items) {
			return nil, nil, errInvalidParameter("Invalid nextToken.")
		}
	}
	end := min(start+n, len(items))
	var next *string
	if end < len(items) {
		t := encodeToken(end)
		next = &t
	}
	return items[start:end], next, nil
}

const tokenPrefix = "ecs-emulator:"

func encodeToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(tokenPrefix + strconv.Itoa(offset)))
}

func decodeToken(tok string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, err
	}
	rest, ok := strings.CutPrefix(string(b), tokenPrefix)
	if !ok {
		return 0, strconv.ErrSyntax
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}
