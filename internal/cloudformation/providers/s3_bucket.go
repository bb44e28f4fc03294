package providers

import (
	"context"
	"maps"

	s3api "github.com/localaws/ecsemu/internal/api/s3"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// S3Bucket is AWS::S3::Bucket: Ref is the bucket name; GetAtt Arn,
// DomainName, RegionalDomainName, DualStackDomainName and WebsiteURL, the
// names AWS gives the bucket (clients reach it through the emulator's
// endpoint, not these). A bucket with DeletionPolicy Retain (the CDK
// bootstrap's staging bucket) outlives its stack.
type S3Bucket struct{ api *s3api.API }

// NewS3Bucket returns the AWS::S3::Bucket provider.
func NewS3Bucket(api *s3api.API) *S3Bucket { return &S3Bucket{api: api} }

// recordedBucketProps are accepted and kept in the stack but change
// nothing in the emulator's S3: it neither encrypts, versions, expires
// nor restricts access to objects (README, S3).
var recordedBucketProps = map[string]bool{
	"AccessControl": true, "BucketEncryption": true, "PublicAccessBlockConfiguration": true,
	"VersioningConfiguration": true, "LifecycleConfiguration": true, "OwnershipControls": true,
	"CorsConfiguration": true,
}

func bucketOf(req *engine.Request, p map[string]any) (name string, tags map[string]string, err error) {
	for k := range p {
		if k != "BucketName" && k != "Tags" && !recordedBucketProps[k] {
			return "", nil, &props.Error{Message: "Encountered unsupported property " + k}
		}
	}
	if v, ok := p["BucketName"]; ok {
		if name, ok = v.(string); !ok {
			return "", nil, &props.Error{Path: "#/BucketName", Message: "expected type: String, found: " + kindOf(v)}
		}
	}
	tags, err = tagMap(req, p)
	return name, tags, err
}

// Create creates the bucket in the stack's region, named in lower case
// after the stack and logical ID when unnamed, and tags it. The emulator's
// seeded CDK assets bucket is taken over by a bootstrap stack's create.
func (p *S3Bucket) Create(_ context.Context, req *engine.Request) (*engine.Result, error) {
	name, tags, err := bucketOf(req, req.Properties)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = props.LowerPhysicalName(req.StackName, req.LogicalID, 63)
	}
	if err := p.api.CreateBucket(req.Region, name); err != nil {
		return nil, err
	}
	if tags != nil {
		if err := p.api.PutBucketTagging(name, tags); err != nil {
			_ = p.api.DeleteBucket(name)
			return nil, err
		}
	}
	return bucketResult(req, name), nil
}

func bucketResult(req *engine.Request, name string) *engine.Result {
	return &engine.Result{PhysicalID: name, Attributes: map[string]any{
		"Arn":                 "arn:" + partitionOf(req) + ":s3:::" + name,
		"DomainName":          name + ".s3.amazonaws.com",
		"RegionalDomainName":  name + ".s3." + req.Region + ".amazonaws.com",
		"DualStackDomainName": name + ".s3.dualstack." + req.Region + ".amazonaws.com",
		"WebsiteURL":          "http://" + name + websiteHost(req.Region),
	}}
}

// websiteHost is the S3 website endpoint of a region: the older regions
// spell it s3-website-<region>, the others s3-website.<region>.
func websiteHost(region string) string {
	switch region {
	case "us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2",
		"ap-northeast-1", "sa-east-1", "us-gov-west-1":
		return ".s3-website-" + region + ".amazonaws.com"
	}
	return ".s3-website." + region + ".amazonaws.com"
}

// Update re-tags the bucket; the recorded properties have nothing to
// change.
func (p *S3Bucket) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	_, tags, err := bucketOf(req, req.Properties)
	if err != nil {
		return nil, err
	}
	if _, old, err := bucketOf(req, req.PreviousProperties); err != nil || !maps.Equal(old, tags) {
		if err := p.api.PutBucketTagging(req.PhysicalID, tags); err != nil {
			return nil, err
		}
	}
	return bucketResult(req, req.PhysicalID), nil
}

// Delete deletes the bucket; one already gone is deleted, one with
// objects fails with BucketNotEmpty, as on AWS.
func (p *S3Bucket) Delete(_ context.Context, req *engine.Request) error {
	err := p.api.DeleteBucket(req.PhysicalID)
	if isCode(err, "NoSuchBucket") {
		return nil
	}
	return err
}

// Replaces: a new BucketName replaces the bucket.
func (p *S3Bucket) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "BucketName")
}
