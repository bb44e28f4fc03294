package sts

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// GetSessionToken bounds (seconds): users get up to 36 hours, 12 by
// default; the root user's sessions are capped at one hour.
const (
	maxSessionTokenDuration     = 129600
	defaultSessionTokenDuration = 43200
	rootSessionTokenDuration    = 3600
)

// GetSessionToken issues temporary credentials standing for the caller
// itself (its GetCallerIdentity stays the same). Temporary credentials
// cannot call it, as on AWS.
func (a *API) GetSessionToken(ctx context.Context, in *sts.GetSessionTokenInput) (*sts.GetSessionTokenOutput, error) {
	var v violations
	v.Between(in.DurationSeconds, "durationSeconds", minDuration, maxSessionTokenDuration)
	v.Length(in.SerialNumber, "serialNumber", 9, 256)
	v.Pattern(in.SerialNumber, "serialNumber", serialNumberRe, serialNumberText)
	v.Length(in.TokenCode, "tokenCode", 6, 6)
	v.Pattern(in.TokenCode, "tokenCode", tokenCodeRe, tokenCodeText)
	if err := v.err(); err != nil {
		return nil, err
	}
	caller, err := a.caller(ctx)
	if err != nil {
		return nil, err
	}
	if caller.temporary {
		return nil, errAccessDenied("Cannot call GetSessionToken with session credentials")
	}
	d := int32(defaultSessionTokenDuration)
	if in.DurationSeconds != nil {
		d = *in.DurationSeconds
	}
	if strings.HasSuffix(caller.arn, ":root") {
		d = min(d, rootSessionTokenDuration)
	}
	return &sts.GetSessionTokenOutput{Credentials: a.issue(caller, time.Duration(d)*time.Second)}, nil
}
