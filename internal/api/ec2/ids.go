package ec2

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// IDs makes resource IDs: prefix, a dash and 17 lowercase hex digits.
type IDs interface {
	New(prefix string) string
}

type randomIDs struct{}

func (randomIDs) New(prefix string) string {
	var b [9]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])[:17]
}

// stableID is an ID derived from its parts, for the resources every
// region starts with: the same account and region always get the same IDs.
func stableID(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return prefix + "-" + hex.EncodeToString(h.Sum(nil))[:17]
}
