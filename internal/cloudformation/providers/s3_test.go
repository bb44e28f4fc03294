package providers

import (
	"reflect"
	"strings"
	"testing"
)

func TestS3BucketAndPolicy(t *testing.T) {
	e := newEnv(t)
	bucketReq, b := e.create(t, "AWS::S3::Bucket", "StagingBucket", map[string]any{
		"VersioningConfiguration": map[string]any{"Status": "Enabled"}, "AccessControl": "Private"})
	name := b.PhysicalID
	if name != strings.ToLower(name) || !strings.HasPrefix(name, "tutorialstack-stagingbucket-") || len(name) > 63 {
		t.Errorf("generated bucket name %q", name)
	}
	want := map[string]any{
		"Arn": "arn:aws:s3:::" + name, "DomainName": name + ".s3.amazonaws.com",
		"RegionalDomainName": name + ".s3.us-east-1.amazonaws.com", "DualStackDomainName": name + ".s3.dualstack.us-east-1.amazonaws.com",
		"WebsiteURL": "http://" + name + ".s3-website-us-east-1.amazonaws.com",
	}
	if !reflect.DeepEqual(b.Attributes, want) {
		t.Errorf("attributes = %v", b.Attributes)
	}
	if region, ok := e.apis.S3.BucketRegion(name); !ok || region != testRegion {
		t.Errorf("bucket region = %q, %v", region, ok)
	}
	policy := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": []any{"arn:aws:s3:::" + name}}}}
	polReq, pol := e.create(t, "AWS::S3::BucketPolicy", "StagingBucketPolicy", map[string]any{"Bucket": name, "PolicyDocument": policy})
	if pol.PhysicalID != name {
		t.Errorf("policy ID = %q", pol.PhysicalID)
	}
	if doc, err := e.apis.S3.BucketPolicy(name); err != nil || !strings.Contains(doc, `"Effect":"Deny"`) {
		t.Errorf("stored policy = %q, %v", doc, err)
	}
	if err := e.apis.S3.PutObject(name, "k", []byte("x"), ""); err != nil {
		t.Fatal(err)
	}
	if err := e.reg["AWS::S3::Bucket"].Delete(testCtx(t), bucketReq); !isCode(err, "BucketNotEmpty") {
		t.Errorf("deleting a bucket with an object: %v", err)
	}
	e.deleteTwice(t, polReq)
	if doc, _ := e.apis.S3.BucketPolicy(name); doc != "" {
		t.Errorf("policy after delete = %q", doc)
	}
	if _, err := e.reg["AWS::S3::Bucket"].Create(testCtx(t), request("AWS::S3::Bucket", "B", map[string]any{"BucketName": name})); !isCode(err, "BucketAlreadyOwnedByYou") {
		t.Errorf("second bucket of the name: %v", err)
	}
	if _, err := e.reg["AWS::S3::Bucket"].Create(testCtx(t), request("AWS::S3::Bucket", "B", map[string]any{"WebsiteConfiguration": map[string]any{}})); err == nil ||
		!strings.Contains(err.Error(), "Encountered unsupported property WebsiteConfiguration") {
		t.Errorf("website bucket: %v", err)
	}
	if got := websiteHost("eu-central-1"); got != ".s3-website.eu-central-1.amazonaws.com" {
		t.Errorf("website host of a newer region = %q", got)
	}
}
