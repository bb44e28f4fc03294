package s3_test

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"

	s3api "github.com/localaws/ecsemu/internal/api/s3"
	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

type objectSnapshot struct {
	Head *s3.HeadObjectOutput
	Body string
}

type snapshot struct {
	Buckets    []types.Bucket
	Objects    map[string][]types.Object
	Got        map[string]objectSnapshot
	Location   types.BucketLocationConstraint
	Policy     *string
	Tags       []types.Tag
	Encryption *types.ServerSideEncryptionConfiguration
	Versioning types.BucketVersioningStatus
}

func (e *env) snapshot(t *testing.T) snapshot {
	t.Helper()
	ctx := t.Context()
	b := aws.String("app")
	snap := snapshot{
		Buckets:    must(e.C.ListBuckets(ctx, &s3.ListBucketsInput{}))(t).Buckets,
		Objects:    map[string][]types.Object{},
		Got:        map[string]objectSnapshot{},
		Policy:     must(e.C.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b}))(t).Policy,
		Tags:       must(e.C.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b}))(t).TagSet,
		Encryption: must(e.C.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b}))(t).ServerSideEncryptionConfiguration,
		Versioning: must(e.C.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("versioned")}))(t).Status,
	}
	eu := e.client("eu-west-1", nil)
	snap.Location = must(eu.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("eu-bucket")}))(t).LocationConstraint
	for _, bk := range snap.Buckets {
		c := e.C
		if *bk.Name == "eu-bucket" {
			c = eu
		}
		objs := must(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bk.Name}))(t).Contents
		snap.Objects[*bk.Name] = objs
		for _, o := range objs {
			head := must(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bk.Name, Key: o.Key}))(t)
			head.ResultMetadata = middleware.Metadata{}
			head.VersionId = nil // a restored object is its current version under a new ID
			get := must(c.GetObject(ctx, &s3.GetObjectInput{Bucket: bk.Name, Key: o.Key}))(t)
			body, err := io.ReadAll(get.Body)
			if err != nil {
				t.Fatal(err)
			}
			snap.Got[*bk.Name+"/"+*o.Key] = objectSnapshot{Head: head, Body: string(body)}
		}
	}
	return snap
}

// TestRestoreAfterRestart creates buckets (one in another region, one
// versioned) with configuration and objects (with metadata, a large one,
// copied, overwritten, deleted, one by multipart upload), restarts on the
// same state directory and compares what List, Head and Get show.
func TestRestoreAfterRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	e := newEnvAt(t, s3api.Options{}, dir, false)
	b := aws.String("app")
	must(e.C.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}))(t)
	must(e.C.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Version":"2012-10-17","Statement":[]}`)}))(t)
	must(e.C.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: b, Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}}}))(t)
	must(e.C.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256}}}}}))(t)
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("dir/a.json"), Body: strings.NewReader(`{"a":1}`),
		ContentType: aws.String("application/json"), Metadata: map[string]string{"owner": "me"}}))(t)
	large := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("large.bin"), Body: bytes.NewReader(large)}))(t)
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("over"), Body: strings.NewReader("one")}))(t)
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("over"), Body: strings.NewReader("two")}))(t)
	must(e.C.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("copy.json"), CopySource: aws.String("app/dir/a.json")}))(t)
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("gone"), Body: strings.NewReader("x")}))(t)
	must(e.C.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("gone")}))(t)
	up := must(e.C.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("multi")}))(t)
	part := must(e.C.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("multi"), UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("parts")}))(t)
	must(e.C.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String("multi"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: part.ETag, PartNumber: aws.Int32(1)}}}}))(t)

	eu := e.client("eu-west-1", nil)
	must(eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eu-bucket"), CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}}))(t)
	must(eu.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("eu-bucket"), Key: aws.String("k"), Body: strings.NewReader("v")}))(t)
	v := aws.String("versioned")
	must(e.C.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: v}))(t)
	must(e.C.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: v, VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}))(t)
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: v, Key: aws.String("k"), Body: strings.NewReader("v1")}))(t)
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: v, Key: aws.String("k"), Body: strings.NewReader("v2")}))(t)
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: v, Key: aws.String("deleted"), Body: strings.NewReader("x")}))(t)
	must(e.C.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: v, Key: aws.String("deleted")}))(t) // a delete marker
	must(e.C.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("gone")}))(t)
	must(e.C.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("gone")}))(t)

	before := e.snapshot(t)
	e.closeState(t)
	e = newEnvAt(t, s3api.Options{}, dir, true)
	if after := e.snapshot(t); !reflect.DeepEqual(after, before) {
		t.Fatalf("after restart:\n%+v\nbefore:\n%+v", after, before)
	}
	if got, err := e.API.GetObject("app", "large.bin"); err != nil || !bytes.Equal(got, large) {
		t.Fatalf("large object after restart: %d bytes, %v", len(got), err)
	}
	// The versioned bucket goes on versioning.
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: v, Key: aws.String("k"), Body: strings.NewReader("v3")}))(t)
	if vs := must(e.C.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: v, Prefix: aws.String("k")}))(t).Versions; len(vs) != 2 {
		t.Fatalf("versions after restart and a put = %d, want 2 (the restored one and the new one)", len(vs))
	}
}

// TestRestoreKeepsBootstrapOnce: the bootstrap bucket comes back once, and
// once deleted stays deleted.
func TestRestoreKeepsBootstrapOnce(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	name := aws.String(s3api.BootstrapBucketName(account, region))
	e := newEnvAt(t, s3api.Options{Bootstrap: true}, dir, false)
	must(e.C.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: name}))(t)
	before := must(e.C.ListBuckets(ctx, &s3.ListBucketsInput{}))(t).Buckets
	e.closeState(t)
	e = newEnvAt(t, s3api.Options{Bootstrap: true}, dir, true)
	if after := must(e.C.ListBuckets(ctx, &s3.ListBucketsInput{}))(t).Buckets; !reflect.DeepEqual(after, before) || len(after) != 1 {
		t.Fatalf("buckets after restart = %+v, before %+v", after, before)
	}
	must(e.C.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: name}))(t)
	e.closeState(t)
	e = newEnvAt(t, s3api.Options{Bootstrap: true}, dir, true)
	if _, err := e.C.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: name}); err == nil {
		t.Fatal("the deleted bootstrap bucket is back")
	}
}

func TestResetClearsState(t *testing.T) {
	dir := t.TempDir()
	e := newEnvAt(t, s3api.Options{}, dir, false)
	must(e.C.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("app")}))(t)
	must(e.C.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("app"), Key: aws.String("k"), Body: strings.NewReader("v")}))(t)
	e.API.Reset()
	if recs, err := statetest.Records(e.DB.Bucket(s3api.Spec.Name)); err != nil || len(recs) != 0 {
		t.Fatalf("records after reset: %v, %v", recs, err)
	}
	e.closeState(t)
	e = newEnvAt(t, s3api.Options{}, dir, true)
	if bs := must(e.C.ListBuckets(t.Context(), &s3.ListBucketsInput{}))(t).Buckets; len(bs) != 0 {
		t.Fatalf("buckets after reset and restart = %+v", bs)
	}
}

func TestRestoreRefusesDamagedRecord(t *testing.T) {
	for _, rec := range [][2]string{
		{"bucket/app", `{"Created": 1}`},
		{"object/app/k", "no header"},
	} {
		db := statetest.Open(t, t.TempDir())
		b := db.Bucket(s3api.Spec.Name).Batch()
		b.PutRaw(rec[0], []byte(rec[1]))
		if err := b.Commit().Wait(); err != nil {
			t.Fatal(err)
		}
		if err := s3api.New(s3api.Options{State: db.Bucket(s3api.Spec.Name)}).Restore(); err == nil {
			t.Errorf("Restore of %s succeeded", rec[0])
		}
		db.Close()
	}
}

func TestNoStateDirectory(t *testing.T) {
	a := s3api.New(s3api.Options{Account: account, Bootstrap: true})
	if err := a.PutObject(s3api.BootstrapBucketName(account, region), "k", []byte("v"), ""); err != nil {
		t.Fatal(err)
	}
	if err := a.Restore(); err != nil {
		t.Fatal(err)
	}
	if got, err := a.GetObject(s3api.BootstrapBucketName(account, region), "k"); err != nil || string(got) != "v" {
		t.Fatalf("GetObject = %q, %v", got, err)
	}
}
