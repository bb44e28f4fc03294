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
	"sync/atomic"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/localaws/ecsemu/internal/state"
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
	// State keeps buckets and objects across restarts (persist.go); nil
	// keeps nothing.
	State *state.Bucket
}

// API serves S3. It is an http.Handler for the endpoint's REST table
// entry and is safe for concurrent use.
type API struct {
	opts    Options
	backend *persistentBackend
	fake    http.Handler
	reg     registry
	// replayAt is the time s3mem sees while Restore replays a record.
	replayAt atomic.Pointer[time.Time]

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
	a := &API{opts: opts, reg: registry{buckets: map[string]*bucket{}}, seeded: map[string]bool{}}
	a.reg.api = a
	a.backend = &persistentBackend{Backend: s3mem.New(s3mem.WithTimeSource(replayClock{opts.Now, &a.replayAt})), api: a}
	fake := gofakes3.New(a.backend,
		gofakes3.WithTimeSource(clock{opts.Now}),
		gofakes3.WithTimeSkewLimit(0), // any client clock is fine
		gofakes3.WithLogger(gofakes3.DiscardLog()),
	)
	a.fake = fake.Server()
	return a
}

// clock adapts the injected clock to gofakes3's TimeSource.
type clock struct{ now func() time.Time }

func (c clock) Now() time.Time                  { return c.now() }
func (c clock) Since(t time.Time) time.Duration { return c.now().Sub(t) }
