package s3_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	s3api "github.com/localaws/ecsemu/internal/api/s3"
)

func TestBuckets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, s3api.Options{})
	ctx := t.Context()
	eu := e.client("eu-west-1", nil)
	must(e.C.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("plain")}))(t)
	must(eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("euro"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}}))(t)
	// us-east-1 answers 200 to its owner creating it again; other regions do not.
	must(e.C.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("plain")}))(t)
	_, err := eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("euro"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
	wantCode(t, err, "BucketAlreadyOwnedByYou")

	loc := must(eu.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("euro")}))(t)
	if loc.LocationConstraint != types.BucketLocationConstraintEuWest1 {
		t.Errorf("euro location = %q", loc.LocationConstraint)
	}
	head := must(e.C.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("euro")}))(t)
	if aws.ToString(head.BucketRegion) != "eu-west-1" {
		t.Errorf("HeadBucket region = %q", aws.ToString(head.BucketRegion))
	}
	listed := must(e.C.ListBuckets(ctx, &s3.ListBucketsInput{}))(t)
	var got []string
	for _, b := range listed.Buckets {
		got = append(got, aws.ToString(b.Name))
	}
	if !slices.Equal(got, []string{"euro", "plain"}) {
		t.Errorf("ListBuckets = %v", got)
	}

	errs := []struct {
		name string
		c    *s3.Client
		in   s3.CreateBucketInput
		code string
	}{
		{"regional endpoint without constraint", eu, s3.CreateBucketInput{Bucket: aws.String("b1")}, "IllegalLocationConstraintException"},
		{"constraint of another region", eu, s3.CreateBucketInput{Bucket: aws.String("b2"),
			CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintApSouth1}}, "IllegalLocationConstraintException"},
		{"us-east-1 as a constraint", e.C, s3.CreateBucketInput{Bucket: aws.String("b3"),
			CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "us-east-1"}}, "InvalidLocationConstraint"},
		{"upper case name", e.C, s3.CreateBucketInput{Bucket: aws.String("Upper")}, "InvalidBucketName"},
		{"short name", e.C, s3.CreateBucketInput{Bucket: aws.String("ab")}, "InvalidBucketName"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.CreateBucket(ctx, &tc.in)
			wantCode(t, err, tc.code)
		})
	}
	// The global endpoint creates buckets of any region.
	must(e.C.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("tokyo"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintApNortheast1}}))(t)
	if r, _ := e.API.BucketRegion("tokyo"); r != "ap-northeast-1" {
		t.Errorf("tokyo region = %q", r)
	}

	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("plain"), Key: aws.String("a/1"), Body: strings.NewReader("1")}))(t)
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("plain"), Key: aws.String("a/2"), Body: strings.NewReader("2")}))(t)
	_, err = e.C.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("plain")})
	wantCode(t, err, "BucketNotEmpty")
	must(e.C.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("plain"), Key: aws.String("a/1")}))(t)
	del := must(e.C.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("plain"),
		Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: aws.String("a/2")}}}}))(t)
	if len(del.Deleted) != 1 {
		t.Errorf("DeleteObjects deleted %d", len(del.Deleted))
	}
	_, err = e.C.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("plain"), Key: aws.String("a/1")})
	wantCode(t, err, "NoSuchKey")
	must(e.C.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("plain")}))(t)
	_, err = e.C.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("plain")})
	wantCode(t, err, "NoSuchBucket")
	_, err = e.C.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("plain")})
	wantCode(t, err, "NoSuchBucket")
	// A deleted name can be created again, in another region.
	must(e.C.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("plain"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}}))(t)
}

func TestBucketConfigurations(t *testing.T) {
	t.Parallel()
	e := newEnv(t, s3api.Options{})
	ctx := t.Context()
	b := aws.String("cfg")
	must(e.C.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}))(t)

	_, err := e.C.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	wantCode(t, err, "NoSuchBucketPolicy")
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::cfg/*"}]}`
	must(e.C.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(policy)}))(t)
	if got := aws.ToString(must(e.C.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b}))(t).Policy); got != policy {
		t.Errorf("policy = %s", got)
	}
	_, err = e.C.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String("not json")})
	wantCode(t, err, "MalformedPolicy")
	must(e.C.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: b}))(t)
	if p, _ := e.API.BucketPolicy("cfg"); p != "" {
		t.Errorf("policy after delete = %q", p)
	}

	_, err = e.C.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	wantCode(t, err, "NoSuchTagSet")
	must(e.C.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: b, Tagging: &types.Tagging{TagSet: []types.Tag{
		{Key: aws.String("team"), Value: aws.String("blue")}, {Key: aws.String("env"), Value: aws.String("dev")}}}}))(t)
	tags := must(e.C.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b}))(t).TagSet
	if len(tags) != 2 || aws.ToString(tags[0].Key) != "team" || aws.ToString(tags[1].Value) != "dev" {
		t.Errorf("tags = %+v", tags)
	}
	_, err = e.C.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: b, Tagging: &types.Tagging{TagSet: []types.Tag{
		{Key: aws.String("k"), Value: aws.String("1")}, {Key: aws.String("k"), Value: aws.String("2")}}}})
	wantCode(t, err, "InvalidTag")
	must(e.C.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: b}))(t)
	_, err = e.C.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	wantCode(t, err, "NoSuchTagSet")

	must(e.C.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String("alias/k")}}}}}))(t)
	enc := must(e.C.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b}))(t)
	rule := enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault
	if rule.SSEAlgorithm != types.ServerSideEncryptionAwsKms || aws.ToString(rule.KMSMasterKeyID) != "alias/k" {
		t.Errorf("encryption = %+v", rule)
	}
	must(e.C.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: b}))(t)
	_, err = e.C.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	wantCode(t, err, "ServerSideEncryptionConfigurationNotFoundError")

	// Versioning is gofakes3's.
	must(e.C.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}))(t)
	if v := must(e.C.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b}))(t); v.Status != types.BucketVersioningStatusEnabled {
		t.Errorf("versioning = %q", v.Status)
	}
	// Sub-resources nobody serves are refused, not answered as a listing.
	_, err = e.C.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
	wantCode(t, err, "NotImplemented")
	_, err = e.C.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("nope")})
	wantCode(t, err, "NoSuchBucket")
}

func TestInProcess(t *testing.T) {
	t.Parallel()
	e := newEnv(t, s3api.Options{})
	ctx := t.Context()
	if err := e.API.CreateBucket("eu-central-1", "stack-bucket"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.API.CreateBucket("eu-central-1", "stack-bucket"), "BucketAlreadyOwnedByYou")
	wantCode(t, e.API.CreateBucket("eu-central-1", "Bad_Name"), "InvalidBucketName")
	if err := e.API.PutObject("stack-bucket", "t.yaml", []byte("Resources: {}"), "text/yaml"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.API.PutObject("nope-bucket", "k", nil, ""), "NoSuchBucket")
	got := must(e.C.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("stack-bucket"), Key: aws.String("t.yaml")}))(t)
	if aws.ToString(got.ContentType) != "text/yaml" {
		t.Errorf("content type = %s", aws.ToString(got.ContentType))
	}
	if err := e.API.PutBucketPolicy("stack-bucket", `{"Statement":[]}`); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.API.PutBucketPolicy("stack-bucket", `[]`), "MalformedPolicy")
	if err := e.API.PutBucketTagging("stack-bucket", map[string]string{"aws:cloudformation:stack-name": "s"}); err != nil {
		t.Fatal(err)
	}
	tags := must(e.C.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("stack-bucket")}))(t).TagSet
	if len(tags) != 1 {
		t.Errorf("tags = %+v", tags)
	}
	wantCode(t, e.API.DeleteBucket("stack-bucket"), "BucketNotEmpty")
	must(e.C.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("stack-bucket"), Key: aws.String("t.yaml")}))(t)
	if err := e.API.DeleteBucketPolicy("stack-bucket"); err != nil {
		t.Fatal(err)
	}
	if err := e.API.DeleteBucket("stack-bucket"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.API.DeleteBucket("stack-bucket"), "NoSuchBucket")
	if _, ok := e.API.BucketRegion("stack-bucket"); ok {
		t.Error("deleted bucket still has a region")
	}
}
