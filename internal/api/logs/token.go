package logs

import (
	"fmt"
	"strconv"
	"strings"
)

// A GetLogEvents token is a direction and a position in a stream's key
// order, written as AWS writes its tokens: "f/" or "b/", 56 digits, "/s".
// The digits are the key's timestamp (20) and sequence (36). A forward
// token f/K reads events at or after K, a backward token b/K events before
// K; positions survive the dropping of old events and new arrivals.
type streamToken struct {
	forward bool
	at      key
}

func (t streamToken) String() string {
	dir := "b"
	if t.forward {
		dir = "f"
	}
	return fmt.Sprintf("%s/%020d%036d/s", dir, max(t.at.ts, 0), t.at.seq)
}

// parseStreamToken reads a token of this API; anything else is refused
// with InvalidParameterException.
func parseStreamToken(s string) (streamToken, error) {
	dir, rest, ok := strings.Cut(s, "/")
	digits, ok2 := strings.CutSuffix(rest, "/s")
	if !ok || !ok2 || (dir != "f" && dir != "b") || len(digits) != 56 || !allDigits(digits) {
		return streamToken{}, errInvalidToken()
	}
	ts, err1 := strconv.ParseInt(digits[:20], 10, 64)
	seq, err2 := strconv.ParseUint(digits[20:], 10, 64)
	if err1 != nil || err2 != nil {
		return streamToken{}, errInvalidToken()
	}
	return streamToken{forward: dir == "f", at: key{ts, seq}}, nil
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
