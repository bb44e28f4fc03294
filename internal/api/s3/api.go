// Package s3 serves Amazon S3 (REST-XML, path-style and virtual-host
// style) for the CDK asset flow and CloudFormation's TemplateURL. Objects
// and the core bucket and object operations are johannesboyne/gofakes3
// with its memory backend; this package wraps it to add what gofakes3
// lacks or answers differently from AWS: bucket regions
// (CreateBucketConfiguration, GetBucketLocation, x-amz-bucket-region),
// bucket policy, tagging and encryption as stored records, aws-chunked
// request bodies with their checksums, KeyCount in ListObjectsV2, AWS's
// CreateBucket conflicts. Other parts of the emulator use its in-process
// methods (CreateBucket, DeleteBucket, PutObject, GetObject, GetURL).
package s3

import (
	"net/http"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// DefaultAccount owns the buckets in-process calls create when
// Options.Account is empty; it is also reqctx's default.
const DefaultAccount = "000000000000"

// Options configures the S3 API.
type Options struct {
	Account string           // owner of buckets created in process; default DefaultAccount
	Now     func() time.Time // default time.Now
	// Bootstrap creates, in every region on its first use, the assets
	// bucket a CDK bootstrap leaves (see BootstrapBucketName).
	Bootstrap bool
}

// API serves S3. It is an http.Handler for the endpoint's REST table
// entry and is safe for concurrent use.
type API struct {
	opts    Options
	backend *s3mem.Backend
	fake    http.Handler
	reg     registry

	seedMu sync.Mutex
	seeded map[string]bool // regions Bootstrap has seeded
}

// New returns an S3 API with no buckets.
func New(opts Options) *API {
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	backend := s3mem.New(s3mem.WithTimeSource(clock{opts.Now}))
	fake := gofakes3.New(backend,
		gofakes3.WithTimeSource(clock{opts.Now}),
		gofakes3.WithTimeSkewLimit(0), // any client clock is fine
		gofakes3.WithLogger(gofakes3.DiscardLog()),
	)
	return &API{opts: opts, backend: backend, fake: fake.Server(),
		reg: registry{buckets: map[string]*bucket{}}, seeded: map[string]bool{}}
}

// clock adapts the injected clock to gofakes3's TimeSource.
type clock struct{ now func() time.Time }

func (c clock) Now() time.Time                  { return c.now() }
func (c clock) Since(t time.Time) time.Duration { return c.now().Sub(t) }
