package s3

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/localaws/ecsemu/internal/state"
)

// Persistence. gofakes3's own persistent backend (s3bolt) has no
// versioning, which the emulator offers, and would be a second database
// file beside the state directory's; so objects stay in gofakes3's memory
// backend, and every change to it is written to the state directory too,
// through persistentBackend, which gofakes3 and the API call instead of
// s3mem. Records (bucket names are global, so there is no account or
// region in the key):
//
//   - "bucket/<name>": the bucket's owner, region, creation time, policy,
//     encryption, tags and versioning status;
//   - "object/<bucket>/<key>": the object's current version: a JSON header
//     (metadata, last modified), a newline, then the body as is, so that a
//     large body is not inflated by an encoding;
//   - "seeded/<account>/<region>": Bootstrap seeded the region, so that a
//     deleted bootstrap bucket is not seeded again after a restart.
//
// What is not kept: the non-current versions of objects in a versioned
// bucket (a restored object is its current version, under a new version
// ID), and multipart uploads in progress (gofakes3 keeps those in memory;
// the completed object is kept).
//
// Every write is in the store before it is acknowledged: object writes are
// committed under objMu in the order gofakes3 made them, bucket records
// under the registry's lock.

const (
	kindBucket = "bucket/"
	kindObject = "object/"
	kindSeeded = "seeded/"
)

// persistentBackend is gofakes3's memory backend, whose changes are also
// written to the state directory. Reads go straight to s3mem.
type persistentBackend struct {
	*s3mem.Backend
	api   *API
	objMu sync.Mutex // orders object writes with their records
}

type bucketJSON struct {
	Account    string
	Region     string
	Created    time.Time
	Policy     string `json:",omitempty"`
	Encryption []byte `json:",omitempty"`
	Tags       []tag  `json:",omitempty"`
	Seeded     bool   `json:",omitempty"`
	Versioning gofakes3.VersioningStatus
}

type objectHeader struct {
	Meta         map[string]string
	LastModified time.Time
}

// replayClock is s3mem's time source: the present, or during Restore the
// stored time of what is being replayed.
type replayClock struct {
	now func() time.Time
	at  *atomic.Pointer[time.Time]
}

func (c replayClock) Now() time.Time {
	if t := c.at.Load(); t != nil {
		return *t
	}
	return c.now()
}

func (c replayClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// wait logs a failed write (the state directory's health reports it).
func wait(p state.Pending) {
	if err := p.Wait(); err != nil {
		slog.Default().Error("s3: state not saved", "err", err)
	}
}

// saveBucket writes a bucket's record (or its deletion); the caller holds
// the registry's lock, which orders these writes.
func (a *API) saveBucket(name string) state.Pending {
	batch := a.opts.State.Batch()
	b, ok := a.reg.buckets[name]
	if !ok {
		batch.Delete(kindBucket + name)
		return batch.Commit()
	}
	v, _ := a.backend.Backend.VersioningConfiguration(name)
	batch.Put(kindBucket+name, bucketJSON{Account: b.account, Region: b.region, Created: b.created, Policy: b.policy,
		Encryption: b.encryption, Tags: b.tags, Seeded: b.seeded, Versioning: v.Status})
	return batch.Commit()
}

// saveObjects writes the records of objects after a change; the caller
// holds objMu.
func (p *persistentBackend) saveObjects(bucket string, keys ...string) state.Pending {
	if !p.api.opts.State.Enabled() {
		return state.Pending{}
	}
	batch := p.api.opts.State.Batch()
	for _, k := range keys {
		raw, ok, err := p.objectRecord(bucket, k)
		switch {
		case err != nil:
			slog.Default().Error("s3: object not readable for the state directory", "bucket", bucket, "key", k, "err", err)
		case ok:
			batch.PutRaw(kindObject+bucket+"/"+k, raw)
		default:
			batch.Delete(kindObject + bucket + "/" + k)
		}
	}
	return batch.Commit()
}

// objectRecord is the stored form of an object's current version, false
// when there is none.
func (p *persistentBackend) objectRecord(bucket, key string) ([]byte, bool, error) {
	obj, err := p.Backend.GetObject(bucket, key, nil)
	if err != nil {
		if gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchKey) || gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchBucket) {
			return nil, false, nil
		}
		return nil, false, err
	}
	defer obj.Contents.Close()
	if obj.IsDeleteMarker {
		return nil, false, nil
	}
	list, err := p.Backend.ListBucket(bucket, &gofakes3.Prefix{Prefix: key, HasPrefix: true}, gofakes3.ListBucketPage{MaxKeys: 1})
	if err != nil {
		return nil, false, err
	}
	h := objectHeader{Meta: obj.Metadata}
	if len(list.Contents) > 0 && list.Contents[0].Key == key {
		h.LastModified = list.Contents[0].LastModified.Time
	}
	head, err := json.Marshal(h)
	if err != nil {
		return nil, false, err
	}
	var buf bytes.Buffer
	buf.Write(head)
	buf.WriteByte('\n')
	if _, err := io.Copy(&buf, obj.Contents); err != nil {
		return nil, false, err
	}
	return buf.Bytes(), true, nil
}

func (p *persistentBackend) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, cond *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	// The body is read before the lock: a slow upload holds up no one.
	body, err := gofakes3.ReadAll(input, size) // as s3mem reads it
	if err != nil {
		return gofakes3.PutObjectResult{}, err
	}
	p.objMu.Lock()
	res, err := p.Backend.PutObject(bucket, key, meta, bytes.NewReader(body), int64(len(body)), cond)
	var pending state.Pending
	if err == nil {
		pending = p.saveObjects(bucket, key)
	}
	p.objMu.Unlock()
	wait(pending)
	return res, err
}

func (p *persistentBackend) CopyObject(srcBucket, srcKey, dstBucket, dstKey string, meta map[string]string) (gofakes3.CopyObjectResult, error) {
	p.objMu.Lock()
	res, err := p.Backend.CopyObject(srcBucket, srcKey, dstBucket, dstKey, meta)
	var pending state.Pending
	if err == nil {
		pending = p.saveObjects(dstBucket, dstKey)
	}
	p.objMu.Unlock()
	wait(pending)
	return res, err
}

func (p *persistentBackend) DeleteObject(bucket, key string) (gofakes3.ObjectDeleteResult, error) {
	p.objMu.Lock()
	res, err := p.Backend.DeleteObject(bucket, key)
	pending := p.saveObjects(bucket, key)
	p.objMu.Unlock()
	wait(pending)
	return res, err
}

func (p *persistentBackend) DeleteMulti(bucket string, keys ...string) (gofakes3.MultiDeleteResult, error) {
	p.objMu.Lock()
	res, err := p.Backend.DeleteMulti(bucket, keys...)
	pending := p.saveObjects(bucket, keys...)
	p.objMu.Unlock()
	wait(pending)
	return res, err
}

func (p *persistentBackend) DeleteObjectVersion(bucket, key string, id gofakes3.VersionID) (gofakes3.ObjectDeleteResult, error) {
	p.objMu.Lock()
	res, err := p.Backend.DeleteObjectVersion(bucket, key, id)
	pending := p.saveObjects(bucket, key)
	p.objMu.Unlock()
	wait(pending)
	return res, err
}

func (p *persistentBackend) DeleteMultiVersions(bucket string, objects ...gofakes3.ObjectID) (gofakes3.MultiDeleteResult, error) {
	p.objMu.Lock()
	res, err := p.Backend.DeleteMultiVersions(bucket, objects...)
	keys := make([]string, len(objects))
	for i, o := range objects {
		keys[i] = o.Key
	}
	pending := p.saveObjects(bucket, keys...)
	p.objMu.Unlock()
	wait(pending)
	return res, err
}

func (p *persistentBackend) SetVersioningConfiguration(bucket string, v gofakes3.VersioningConfiguration) error {
	a := p.api
	a.reg.mu.Lock()
	err := p.Backend.SetVersioningConfiguration(bucket, v)
	pending := a.saveBucket(bucket)
	a.reg.mu.Unlock()
	wait(pending)
	return err
}

// Restore loads the buckets and objects of the state directory into the
// memory backend and the registry, replacing what the API holds. Restored
// regions are not bootstrapped again.
func (a *API) Restore() error {
	if !a.opts.State.Enabled() {
		return nil
	}
	a.forget()
	defer a.replayAt.Store(nil)
	versioning := map[string]gofakes3.VersioningStatus{}
	err := a.opts.State.Load(func(key string, value []byte) error {
		switch {
		case strings.HasPrefix(key, kindBucket):
			return a.restoreBucket(strings.TrimPrefix(key, kindBucket), value, versioning)
		case strings.HasPrefix(key, kindObject):
			bucket, name, ok := strings.Cut(strings.TrimPrefix(key, kindObject), "/")
			if !ok {
				return fmt.Errorf("unexpected key")
			}
			return a.restoreObject(bucket, name, value)
		case strings.HasPrefix(key, kindSeeded):
			a.seedMu.Lock()
			a.seeded[strings.TrimPrefix(key, kindSeeded)] = true
			a.seedMu.Unlock()
			return nil
		}
		return fmt.Errorf("unexpected key")
	})
	if err != nil {
		return err
	}
	for name, status := range versioning {
		if err := a.backend.Backend.SetVersioningConfiguration(name, gofakes3.VersioningConfiguration{Status: status}); err != nil {
			return err
		}
	}
	return nil
}

func (a *API) restoreBucket(name string, value []byte, versioning map[string]gofakes3.VersioningStatus) error {
	var b bucketJSON
	if err := json.Unmarshal(value, &b); err != nil {
		return err
	}
	a.replayAt.Store(&b.Created)
	if err := a.backend.Backend.CreateBucket(name); err != nil {
		return err
	}
	a.reg.mu.Lock()
	a.reg.buckets[name] = &bucket{name: name, account: b.Account, region: b.Region, created: b.Created, policy: b.Policy,
		encryption: b.Encryption, tags: b.Tags, seeded: b.Seeded}
	a.reg.mu.Unlock()
	if b.Versioning != "" {
		versioning[name] = b.Versioning
	}
	return nil
}

func (a *API) restoreObject(bucket, key string, value []byte) error {
	head, body, ok := bytes.Cut(value, []byte{'\n'})
	if !ok {
		return errors.New("object record without a header")
	}
	var h objectHeader
	if err := json.Unmarshal(head, &h); err != nil {
		return err
	}
	a.replayAt.Store(&h.LastModified)
	_, err := a.backend.Backend.PutObject(bucket, key, h.Meta, bytes.NewReader(body), int64(len(body)), nil)
	return err
}
