package providers

import (
	"context"

	s3api "github.com/localaws/ecsemu/internal/api/s3"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// S3BucketPolicy is AWS::S3::BucketPolicy: the policy document of one
// bucket, stored (GetBucketPolicy returns it) but not enforced. Its
// physical ID is the bucket name, the type's primary identifier.
type S3BucketPolicy struct{ api *s3api.API }

// NewS3BucketPolicy returns the AWS::S3::BucketPolicy provider.
func NewS3BucketPolicy(api *s3api.API) *S3BucketPolicy { return &S3BucketPolicy{api: api} }

func bucketPolicyOf(p map[string]any) (bucket, doc string, err error) {
	for k := range p {
		if k != "Bucket" && k != "PolicyDocument" {
			return "", "", &props.Error{Message: "Encountered unsupported property " + k}
		}
	}
	bucket = str(p, "Bucket")
	if doc, err = jsonText(p, "PolicyDocument"); err != nil {
		return "", "", err
	}
	switch {
	case bucket == "":
		return "", "", &props.Error{Path: "#", Message: "required key [Bucket] not found"}
	case doc == "":
		return "", "", &props.Error{Path: "#", Message: "required key [PolicyDocument] not found"}
	}
	return bucket, doc, nil
}

// Create sets the bucket's policy.
func (p *S3BucketPolicy) Create(_ context.Context, req *engine.Request) (*engine.Result, error) {
	bucket, doc, err := bucketPolicyOf(req.Properties)
	if err != nil {
		return nil, err
	}
	if err := p.api.PutBucketPolicy(bucket, doc); err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: bucket}, nil
}

// Update replaces the policy document.
func (p *S3BucketPolicy) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	return p.Create(ctx, req)
}

// Delete removes the policy; a bucket already gone has none.
func (p *S3BucketPolicy) Delete(_ context.Context, req *engine.Request) error {
	err := p.api.DeleteBucketPolicy(req.PhysicalID)
	if isCode(err, "NoSuchBucket") {
		return nil
	}
	return err
}

// Replaces: a policy for another Bucket is a new resource.
func (p *S3BucketPolicy) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "Bucket")
}
