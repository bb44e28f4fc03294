// Package reqctx carries per-request facts (region, account, request ID)
// from the HTTP edge to the API handlers through a context.
package reqctx

import "context"

type key int

const (
	regionKey key = iota
	accountKey
	requestIDKey
	accessKeyKey
)

// With returns ctx carrying the request's region, account and request ID.
func With(ctx context.Context, region, account, requestID string) context.Context {
	ctx = context.WithValue(ctx, regionKey, region)
	ctx = context.WithValue(ctx, accountKey, account)
	return context.WithValue(ctx, requestIDKey, requestID)
}

// Region is the AWS region of the request ("us-east-1" when unset).
func Region(ctx context.Context) string {
	if v, ok := ctx.Value(regionKey).(string); ok && v != "" {
		return v
	}
	return "us-east-1"
}

// Account is the AWS account ID of the request ("000000000000" when unset).
func Account(ctx context.Context) string {
	if v, ok := ctx.Value(accountKey).(string); ok && v != "" {
		return v
	}
	return "000000000000"
}

// RequestID is the x-amzn-RequestId of the request, if any.
func RequestID(ctx context.Context) string {
	v, _ := ctx.Value(requestIDKey).(string)
	return v
}

// WithAccessKey returns ctx carrying the SigV4 access key ID the request
// was signed with ("" when unsigned).
func WithAccessKey(ctx context.Context, accessKey string) context.Context {
	return context.WithValue(ctx, accessKeyKey, accessKey)
}

// AccessKey is the access key ID the request was signed with, if any.
// Signatures are never verified; STS uses it to tell whose call it is.
func AccessKey(ctx context.Context) string {
	v, _ := ctx.Value(accessKeyKey).(string)
	return v
}
