package servicediscovery

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Cloud Map list operations page with MaxResults 1–100 (default 100) and
// an opaque NextToken of at most 4096 characters (spec §2.5, §4.3).
const (
	defaultPageSize = 100
	maxPageSize     = 100
	maxTokenLength  = 4096
)

// page returns one page of items. Tokens are opaque to clients but simply
// encode the offset of the next item; they stay valid across calls as long
// as the listing's order is stable (all listings are sorted).
func page[T any](items []T, token *string, maxResults *int32) ([]T, *string, error) {
	n := defaultPageSize
	if maxResults != nil {
		n = int(*maxResults)
		if n < 1 || n > maxPageSize {
			return nil, nil, errValidation(n, "maxResults", "Member must have value between 1 and 100")
		}
	}
	start := 0
	if token != nil && *token != "" {
		var err error
		if len(*token) > maxTokenLength {
			return nil, nil, errValidation(*token, "nextToken", "Member must have length less than or equal to 4096")
		}
		if start, err = decodeToken(*token); err != nil || start > len(items) {
			return nil, nil, errInvalidInput("Invalid NextToken: %s", *token)
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

const tokenPrefix = "servicediscovery-emulator:"

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
