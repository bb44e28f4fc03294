package s3_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	s3api "github.com/localaws/ecsemu/internal/api/s3"
)

// TestCDKAssetFlow makes the calls `cdk deploy` makes with the default
// synthesizer against a fresh, bootstrapped emulator, then reads the
// template back the way CloudFormation reads a TemplateURL.
func TestCDKAssetFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, s3api.Options{Bootstrap: true})
	ctx := t.Context()
	bucket := "cdk-hnb659fds-assets-000000000000-us-east-1"
	key := "58eb2c3e9e7880f3578612d8e389fb92edc59284b7b1b3182e2c6d955fad7e52.json"

	resp, body := e.raw(t, "GET", "/"+bucket+"/?list-type=2&max-keys=1&prefix="+key, "", nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<KeyCount>0</KeyCount>") {
		t.Errorf("ListObjectsV2 = %d %s", resp.StatusCode, body)
	}
	list := must(e.C.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(key), MaxKeys: aws.Int32(1)}))(t)
	if aws.ToInt32(list.KeyCount) != 0 || len(list.Contents) != 0 {
		t.Errorf("ListObjectsV2 = %d keys", aws.ToInt32(list.KeyCount))
	}
	loc := must(e.C.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)}))(t)
	if loc.LocationConstraint != "" {
		t.Errorf("LocationConstraint = %q, want empty for us-east-1", loc.LocationConstraint)
	}
	_, err := e.C.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(bucket)})
	wantCode(t, err, "ServerSideEncryptionConfigurationNotFoundError")

	template := []byte(`{"Resources":{}}`)
	sum := sha256.Sum256(template)
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(template),
		ContentType: aws.String("application/json"), ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum[:]))}))(t)
	head := must(e.C.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}))(t)
	if aws.ToInt64(head.ContentLength) != int64(len(template)) || aws.ToString(head.ContentType) != "application/json" {
		t.Errorf("HeadObject = %d bytes %s", aws.ToInt64(head.ContentLength), aws.ToString(head.ContentType))
	}
	got := must(e.C.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}))(t)
	data, _ := io.ReadAll(got.Body)
	if !bytes.Equal(data, template) {
		t.Errorf("GetObject = %q", data)
	}
	list = must(e.C.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(key)}))(t)
	if aws.ToInt32(list.KeyCount) != 1 {
		t.Errorf("after the upload KeyCount = %d", aws.ToInt32(list.KeyCount))
	}
	for _, u := range []string{
		e.URL + "/" + bucket + "/" + key,
		"https://s3.amazonaws.com/" + bucket + "/" + key,
		"https://s3.us-east-1.amazonaws.com/" + bucket + "/" + key,
		"https://" + bucket + ".s3.us-east-1.amazonaws.com/" + key,
		"https://" + bucket + ".s3.amazonaws.com/" + key,
		"http://" + bucket + ".localhost:4566/" + key,
		"s3://" + bucket + "/" + key,
	} {
		data, err := e.API.GetURL(u)
		if err != nil || !bytes.Equal(data, template) {
			t.Errorf("GetURL(%s) = %q, %v", u, data, err)
		}
	}
	for _, u := range []string{"ftp://x/y", "https://s3.amazonaws.com/" + bucket, "not a url"} {
		if _, err := e.API.GetURL(u); err == nil {
			t.Errorf("GetURL(%s) succeeded", u)
		}
	}
	_, err = e.API.GetURL("s3://" + bucket + "/missing.json")
	wantCode(t, err, "NoSuchKey")
}

// TestBootstrapPerRegion: every region used gets its own assets bucket,
// in that region; CloudFormation's CreateBucket of it takes it over.
func TestBootstrapPerRegion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, s3api.Options{Bootstrap: true})
	ctx := t.Context()
	eu := e.client("eu-west-2", nil)
	loc := must(eu.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(s3api.BootstrapBucketName(account, "eu-west-2"))}))(t)
	if loc.LocationConstraint != "eu-west-2" {
		t.Errorf("LocationConstraint = %q", loc.LocationConstraint)
	}
	// A bucket named for a region nobody has used yet exists too.
	if r, ok := e.API.BucketRegion(s3api.BootstrapBucketName(account, "ap-south-1")); !ok || r != "ap-south-1" {
		t.Errorf("BucketRegion(ap-south-1 assets) = %q %v", r, ok)
	}
	name := s3api.BootstrapBucketName(account, "us-east-1")
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String("k"), Body: strings.NewReader("v")}))(t)
	if err := e.API.CreateBucket("us-east-1", name); err != nil {
		t.Fatalf("taking over the seeded bucket: %v", err)
	}
	if data, err := e.API.GetObject(name, "k"); err != nil || string(data) != "v" {
		t.Errorf("object after take-over = %q %v", data, err)
	}
	wantCode(t, e.API.CreateBucket("us-east-1", name), "BucketAlreadyOwnedByYou")
	// Without Bootstrap nothing is there.
	plain := newEnv(t, s3api.Options{})
	_, err := plain.C.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(name)})
	wantCode(t, err, "NotFound")
}
