package sts

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/localaws/ecsemu/internal/reqctx"
)

// GetAccessKeyInfo names the account an access key belongs to: the
// account of the identity STS or IAM issued it for, the configured
// account for any other key (every key is accepted here).
func (a *API) GetAccessKeyInfo(ctx context.Context, in *sts.GetAccessKeyInfoInput) (*sts.GetAccessKeyInfoOutput, error) {
	var v violations
	v.Required(in.AccessKeyId, "accessKeyId")
	v.Length(in.AccessKeyId, "accessKeyId", 16, 128)
	v.Pattern(in.AccessKeyId, "accessKeyId", accessKeyIDRe, accessKeyIDText)
	if err := v.err(); err != nil {
		return nil, err
	}
	account := reqctx.Account(ctx)
	if id, ok := a.sessions.get(*in.AccessKeyId); ok {
		account = id.account
	} else if a.opts.Directory != nil {
		if u, ok := a.opts.Directory.AccessKeyUser(*in.AccessKeyId); ok {
			account = u.Account
		}
	}
	return &sts.GetAccessKeyInfoOutput{Account: ptr(account)}, nil
}
