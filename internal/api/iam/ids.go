package iam

import (
	"encoding/base32"
	"encoding/base64"
	"io"
)

// idEncoding is the alphabet of AWS's unique IDs and access key IDs
// (A–Z, 2–7).
var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// The unique ID prefixes AWS uses per entity type.
const (
	rolePrefix      = "AROA"
	userPrefix      = "AIDA"
	policyPrefix    = "ANPA"
	profilePrefix   = "AIPA"
	accessKeyPrefix = "AKIA"
	certPrefix      = "ASCA"
	groupPrefix     = "AGPA"
)

// newID is prefix followed by 17 characters (16 for access keys, which
// are 20 long), as AWS's IDs are.
func (s *Store) newID(prefix string) string {
	n := 17
	if prefix == accessKeyPrefix {
		n = 16
	}
	b := make([]byte, n)
	_, _ = io.ReadFull(s.rand, b) // crypto/rand never fails
	return prefix + idEncoding.EncodeToString(b)[:n]
}

// newSecret is a 40-character secret access key.
func (s *Store) newSecret() string {
	b := make([]byte, 30)
	_, _ = io.ReadFull(s.rand, b)
	return base64.StdEncoding.EncodeToString(b)
}
