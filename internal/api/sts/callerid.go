package sts

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/localaws/ecsemu/internal/reqctx"
)

// GetCallerIdentity reports whom the request's access key stands for:
// the assumed role or the caller of GetSessionToken for keys STS issued,
// the IAM user owning a key IAM issued, the account's root user otherwise.
func (a *API) GetCallerIdentity(ctx context.Context, _ *sts.GetCallerIdentityInput) (*sts.GetCallerIdentityOutput, error) {
	id, err := a.caller(ctx)
	if err != nil {
		return nil, err
	}
	return &sts.GetCallerIdentityOutput{Account: ptr(id.account), Arn: ptr(id.arn), UserId: ptr(id.userID)}, nil
}

// caller is the identity of the request's access key; session credentials
// past their expiration are refused as AWS refuses them.
func (a *API) caller(ctx context.Context) (identity, error) {
	key := accessKey(ctx)
	if id, ok := a.sessions.get(key); ok {
		if !id.expires.IsZero() && !a.opts.Now().Before(id.expires) {
			return identity{}, errExpired()
		}
		return id, nil
	}
	if a.opts.Directory != nil && key != "" {
		if u, ok := a.opts.Directory.AccessKeyUser(key); ok {
			return identity{account: u.Account, arn: u.ARN, userID: u.UserID}, nil
		}
	}
	// Root credentials: AWS reports the account ID as the user ID.
	account := reqctx.Account(ctx)
	return identity{
		account: account,
		arn:     "arn:" + partition(reqctx.Region(ctx)) + ":iam::" + account + ":root",
		userID:  account,
	}, nil
}
