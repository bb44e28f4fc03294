package s3

import (
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/state"
)

// bucket is what the emulator keeps about a bucket beside its objects
// (which live in gofakes3's memory backend): its owner and region, and the
// configurations gofakes3 does not serve, stored as they were put.
type bucket struct {
	name, account, region string
	created               time.Time
	policy                string // JSON, "" when none
	encryption            []byte // ServerSideEncryptionConfiguration XML, nil when none
	tags                  []tag
	// seeded marks a bucket the emulator created itself (Bootstrap): the
	// first in-process CreateBucket of its name takes it over.
	seeded bool
}

type tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// registry is the table of buckets, global across regions as bucket names
// are. One lock; reads return copies.
type registry struct {
	api     *API // whose state directory keeps the buckets
	mu      sync.Mutex
	buckets map[string]*bucket
}

func (g *registry) get(name string) (bucket, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	b, ok := g.buckets[name]
	if !ok {
		return bucket{}, false
	}
	cp := *b
	cp.tags = append([]tag(nil), b.tags...)
	cp.encryption = append([]byte(nil), b.encryption...)
	return cp, true
}

// update runs fn on a bucket under the lock; false when there is none.
func (g *registry) update(name string, fn func(*bucket)) bool {
	g.mu.Lock()
	b, ok := g.buckets[name]
	var pending state.Pending
	if ok {
		fn(b)
		pending = g.api.saveBucket(name)
	}
	g.mu.Unlock()
	wait(pending)
	return ok
}
