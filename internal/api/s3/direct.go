package s3

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// In-process calls for CloudFormation (AWS::S3::Bucket,
// AWS::S3::BucketPolicy, TemplateURL). Buckets belong to Options.Account;
// errors are *Error values with S3's codes (smithy.APIError).

// CreateBucket creates a bucket in a region. A bucket the emulator seeded
// (Bootstrap) is taken over, objects and all, so that deploying the CDK
// bootstrap template does not collide with the default bootstrap; any
// other existing name fails with BucketAlreadyOwnedByYou or
// BucketAlreadyExists.
func (a *API) CreateBucket(region, name string) error {
	a.bootstrapFor(name)
	return a.createBucket(a.opts.Account, region, name, true, false)
}

// DeleteBucket deletes an empty bucket (BucketNotEmpty otherwise, as
// CloudFormation sees on AWS).
func (a *API) DeleteBucket(name string) error {
	return a.deleteBucket(name)
}

// BucketRegion is the region of a bucket, false when there is none.
func (a *API) BucketRegion(name string) (string, bool) {
	a.bootstrapFor(name)
	b, ok := a.reg.get(name)
	return b.region, ok
}

// PutBucketPolicy sets a bucket's policy document (a JSON object).
func (a *API) PutBucketPolicy(name, policy string) error {
	if err := validPolicy(policy); err != nil {
		return err
	}
	if !a.reg.update(name, func(b *bucket) { b.policy = policy }) {
		return errNoSuchBucket(name)
	}
	return nil
}

// DeleteBucketPolicy removes a bucket's policy; a bucket without one is
// fine.
func (a *API) DeleteBucketPolicy(name string) error {
	if !a.reg.update(name, func(b *bucket) { b.policy = "" }) {
		return errNoSuchBucket(name)
	}
	return nil
}

// BucketPolicy is a bucket's policy document, "" when it has none.
func (a *API) BucketPolicy(name string) (string, error) {
	b, ok := a.reg.get(name)
	if !ok {
		return "", errNoSuchBucket(name)
	}
	return b.policy, nil
}

// PutBucketTagging replaces a bucket's tags (nil removes them all).
func (a *API) PutBucketTagging(name string, tags map[string]string) error {
	set := make([]tag, 0, len(tags))
	for k, v := range tags {
		set = append(set, tag{Key: k, Value: v})
	}
	if err := validBucketTags(set); err != nil {
		return err
	}
	if !a.reg.update(name, func(b *bucket) { b.tags = set }) {
		return errNoSuchBucket(name)
	}
	return nil
}

// PutObject stores an object, as a PutObject with that Content-Type
// would ("" for none).
func (a *API) PutObject(bucketName, key string, body []byte, contentType string) error {
	a.bootstrapFor(bucketName)
	if _, ok := a.reg.get(bucketName); !ok {
		return errNoSuchBucket(bucketName)
	}
	meta := map[string]string{"Last-Modified": a.opts.Now().UTC().Format(http.TimeFormat)}
	if contentType != "" {
		meta["Content-Type"] = contentType
	}
	if _, err := a.backend.PutObject(bucketName, key, meta, bytes.NewReader(body), int64(len(body)), nil); err != nil {
		return fromFake(err, bucketName)
	}
	return nil
}

// GetObject reads a whole object.
func (a *API) GetObject(bucketName, key string) ([]byte, error) {
	a.bootstrapFor(bucketName)
	if _, ok := a.reg.get(bucketName); !ok {
		return nil, errNoSuchBucket(bucketName)
	}
	obj, err := a.backend.GetObject(bucketName, key, nil)
	if err != nil {
		var e *Error
		if errors.As(fromFake(err, bucketName), &e) && e.Code == "NoSuchKey" {
			return nil, errNoSuchKey(key)
		}
		return nil, fromFake(err, bucketName)
	}
	defer obj.Contents.Close()
	data, err := io.ReadAll(obj.Contents)
	if err != nil || int64(len(data)) != obj.Size {
		return nil, &Error{Code: "InternalError", Message: "object " + key + " could not be read (" + strconv.Itoa(len(data)) + " bytes)", Status: http.StatusInternalServerError}
	}
	return data, nil
}
