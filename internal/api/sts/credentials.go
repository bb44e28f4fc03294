package sts

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// base32 without padding is the alphabet of AWS's key and unique IDs
// (A–Z, 2–7).
var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// randomID is prefix followed by n characters of AWS's ID alphabet.
func randomID(r io.Reader, prefix string, n int) string {
	b := make([]byte, n)
	_, _ = io.ReadFull(r, b) // crypto/rand never fails; a test reader is long enough
	return prefix + idEncoding.EncodeToString(b)[:n]
}

// derivedRoleID is a stable AROA… ID for a role IAM does not know: the
// same ARN always gets the same ID, as a real role would.
func derivedRoleID(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	return "AROA" + idEncoding.EncodeToString(sum[:])[:17]
}

// issue creates temporary credentials (ASIA… key, secret, session token)
// valid for d, and remembers whom they stand for.
func (a *API) issue(id identity, d time.Duration) *types.Credentials {
	key := randomID(a.opts.Rand, "ASIA", 16)
	secret := make([]byte, 30)
	token := make([]byte, 240)
	_, _ = io.ReadFull(a.opts.Rand, secret)
	_, _ = io.ReadFull(a.opts.Rand, token)
	expires := a.opts.Now().Add(d).UTC().Truncate(time.Second)
	id.temporary = true
	id.expires = expires
	if err := a.sessions.put(key, id, true).Wait(); err != nil {
		slog.Default().Error("sts: state not saved", "err", err)
	}
	return &types.Credentials{
		AccessKeyId:     ptr(key),
		SecretAccessKey: ptr(base64.StdEncoding.EncodeToString(secret)),
		// Real tokens are opaque base64 too; the prefix says whose they are.
		SessionToken: ptr("FwoGZXIvYXdzE" + strings.TrimRight(base64.StdEncoding.EncodeToString(token), "=")),
		Expiration:   &expires,
	}
}

// partition is the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}
