package sts

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// AssumeRoleWithWebIdentity issues role session credentials for an OIDC
// token. The token must be a JWT, whose claims are read but whose
// signature, issuer and audience are not checked.
func (a *API) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	var v violations
	v.Required(in.RoleArn, "roleArn")
	v.Required(in.RoleSessionName, "roleSessionName")
	v.Required(in.WebIdentityToken, "webIdentityToken")
	checkRoleARN(&v, in.RoleArn)
	checkSessionName(&v, in.RoleSessionName)
	v.Length(in.WebIdentityToken, "webIdentityToken", 4, 20000)
	v.Length(in.ProviderId, "providerId", 4, 2048)
	v.Between(in.DurationSeconds, "durationSeconds", minDuration, maxRoleDuration)
	v.Length(in.Policy, "policy", 1, 2048)
	if err := v.err(); err != nil {
		return nil, err
	}
	user, d, err := a.session(*in.RoleArn, *in.RoleSessionName, in.DurationSeconds, false)
	if err != nil {
		return nil, err
	}
	claims, ok := jwtClaims(*in.WebIdentityToken)
	if !ok {
		return nil, errInvalidToken("The web identity token that was passed could not be validated by Amazon Web Services. Get a new identity token from the identity provider and then retry the request.")
	}
	if err := checkPolicy(in.Policy); err != nil {
		return nil, err
	}
	provider := strings.TrimPrefix(strings.TrimPrefix(claims.Issuer, "https://"), "http://")
	if in.ProviderId != nil {
		provider = *in.ProviderId
	}
	return &sts.AssumeRoleWithWebIdentityOutput{
		AssumedRoleUser:             user.assumedRoleUser(),
		Credentials:                 a.issue(user.identity(), d),
		SubjectFromWebIdentityToken: ptr(claims.Subject),
		Audience:                    ptr(claims.audience()),
		Provider:                    ptr(provider),
	}, nil
}

// claims are the JWT claims STS reports back.
type claims struct {
	Issuer   string          `json:"iss"`
	Subject  string          `json:"sub"`
	Audience json.RawMessage `json:"aud"`
}

// audience is the first audience: "aud" is a string or a list.
func (c claims) audience() string {
	var one string
	if json.Unmarshal(c.Audience, &one) == nil {
		return one
	}
	var many []string
	if json.Unmarshal(c.Audience, &many) == nil && len(many) > 0 {
		return many[0]
	}
	return ""
}

// jwtClaims decodes the payload of a compact JWS without verifying it.
func jwtClaims(token string) (claims, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return claims{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return claims{}, false
	}
	var c claims
	if json.Unmarshal(payload, &c) != nil || c.Subject == "" {
		return claims{}, false
	}
	return c, true
}
