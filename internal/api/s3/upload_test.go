package s3_test

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	s3api "github.com/localaws/ecsemu/internal/api/s3"
)

func crc32b64(s string) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], crc32.ChecksumIEEE([]byte(s)))
	return base64.StdEncoding.EncodeToString(b[:])
}

// TestChunkedUploads sends the aws-chunked bodies newer SDKs stream
// (signed chunks; unsigned chunks with a checksum trailer) and checks the
// object is the payload, with no transfer framing left in its metadata.
func TestChunkedUploads(t *testing.T) {
	t.Parallel()
	e := newEnv(t, s3api.Options{})
	ctx := t.Context()
	must(e.C.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("uploads")}))(t)
	sig := strings.Repeat("a", 64)
	tests := []struct {
		name, body string
		header     http.Header
		status     int
		code       string
	}{
		{"signed chunks", "6;chunk-signature=" + sig + "\r\nhello \r\n5;chunk-signature=" + sig + "\r\nworld\r\n0;chunk-signature=" + sig + "\r\n\r\n",
			http.Header{"X-Amz-Content-Sha256": {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD"}, "X-Amz-Decoded-Content-Length": {"11"}, "Content-Encoding": {"aws-chunked"}}, 200, ""},
		{"unsigned with trailer", "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:" + crc32b64("hello world") + "\r\n\r\n",
			http.Header{"X-Amz-Content-Sha256": {"STREAMING-UNSIGNED-PAYLOAD-TRAILER"}, "X-Amz-Trailer": {"x-amz-checksum-crc32"},
				"X-Amz-Decoded-Content-Length": {"11"}, "Content-Encoding": {"aws-chunked"}}, 200, ""},
		{"wrong trailer checksum", "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n",
			http.Header{"X-Amz-Content-Sha256": {"STREAMING-UNSIGNED-PAYLOAD-TRAILER"}, "Content-Encoding": {"aws-chunked"}}, 400, "BadDigest"},
		{"wrong header checksum", "hello world",
			http.Header{"X-Amz-Checksum-Sha256": {"AAAA"}}, 400, "BadDigest"},
		{"truncated chunk", "b\r\nhello",
			http.Header{"X-Amz-Content-Sha256": {"STREAMING-UNSIGNED-PAYLOAD-TRAILER"}, "Content-Encoding": {"aws-chunked"}}, 400, "IncompleteBody"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.raw(t, "PUT", "/uploads/obj", "", []byte(tc.body), tc.header)
			if resp.StatusCode != tc.status || (tc.code != "" && !strings.Contains(string(body), "<Code>"+tc.code+"</Code>")) {
				t.Fatalf("PUT = %d %s, want %d %s", resp.StatusCode, body, tc.status, tc.code)
			}
			if tc.status != 200 {
				return
			}
			got := must(e.C.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("uploads"), Key: aws.String("obj")}))(t)
			data, _ := io.ReadAll(got.Body)
			if string(data) != "hello world" || aws.ToString(got.ContentEncoding) != "" {
				t.Errorf("object = %q, Content-Encoding %q", data, aws.ToString(got.ContentEncoding))
			}
		})
	}
	// The SDK's own flexible checksums.
	must(e.C.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("uploads"), Key: aws.String("sdk"), Body: strings.NewReader("payload"),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32}))(t)
	got := must(e.C.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("uploads"), Key: aws.String("sdk")}))(t)
	if data, _ := io.ReadAll(got.Body); string(data) != "payload" {
		t.Errorf("sdk object = %q", data)
	}
}

func TestVirtualHostStyle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, s3api.Options{})
	for _, host := range []string{"vhost-bucket.s3.us-east-1.amazonaws.com", "vhost-bucket.s3.amazonaws.com", "vhost-bucket.localhost:4566"} {
		t.Run(host, func(t *testing.T) {
			if resp, body := e.raw(t, "PUT", "/", host, nil, nil); resp.StatusCode != 200 {
				t.Fatalf("CreateBucket = %d %s", resp.StatusCode, body)
			}
			if resp, body := e.raw(t, "PUT", "/dir/k.txt", host, []byte("vhost"), nil); resp.StatusCode != 200 {
				t.Fatalf("PutObject = %d %s", resp.StatusCode, body)
			}
			resp, body := e.raw(t, "GET", "/dir/k.txt", host, nil, nil)
			if resp.StatusCode != 200 || string(body) != "vhost" {
				t.Errorf("GetObject = %d %q", resp.StatusCode, body)
			}
			resp, body = e.raw(t, "GET", "/?location", host, nil, nil)
			if resp.StatusCode != 200 || !strings.Contains(string(body), "<LocationConstraint") {
				t.Errorf("GetBucketLocation = %d %s", resp.StatusCode, body)
			}
			// Unsigned reads (curl, a browser) work too.
			resp, body = e.raw(t, "GET", "/vhost-bucket/dir/k.txt", "", nil, http.Header{"Authorization": {"none"}})
			if resp.StatusCode != 200 || string(body) != "vhost" {
				t.Errorf("unsigned path-style GET = %d %q", resp.StatusCode, body)
			}
			must(e.C.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("vhost-bucket"), Key: aws.String("dir/k.txt")}))(t)
			if resp, body := e.raw(t, "DELETE", "/", host, nil, nil); resp.StatusCode != 204 {
				t.Fatalf("DeleteBucket = %d %s", resp.StatusCode, body)
			}
		})
	}
}
