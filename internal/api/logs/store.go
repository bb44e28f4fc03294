package logs

import (
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/localaws/ecsemu/internal/state"
)

// group is a log group: its settings, tags and streams.
type group struct {
	name      string
	created   int64 // epoch ms
	retention int32 // days; 0 means never expire
	kmsKeyID  string
	class     types.LogGroupClass
	tags      map[string]string
	streams   map[string]*stream
}

// Store holds the CloudWatch Logs state of one account in one region. It
// has one lock, held only for short bookkeeping: reads copy what they need
// and match filter patterns outside it, so that Append never waits long.
type Store struct {
	region, account string
	opts            Options

	mu      sync.Mutex
	groups  map[string]*group
	streams int            // streams over all groups, bounded by opts.MaxStreams
	seq     uint64         // ingestion sequence of the last event, unique per store
	journal *state.Journal // records changed under mu (persist.go)
}

func newStore(region, account string, opts Options) *Store {
	return &Store{region: region, account: account, opts: opts, groups: map[string]*group{}, journal: opts.State.Journal()}
}

// Region is the store's region.
func (s *Store) Region() string { return s.region }

// Account is the store's account.
func (s *Store) Account() string { return s.account }

// nowMillis is the clock in epoch milliseconds, the unit of every Logs
// timestamp.
func (s *Store) nowMillis() int64 { return s.opts.Now().UnixMilli() }

// group finds a log group. Callers hold the lock.
func (s *Store) group(name string) (*group, error) {
	g := s.groups[name]
	if g == nil {
		return nil, errGroupNotFound()
	}
	return g, nil
}

// stream finds a log stream of a group. Callers hold the lock.
func (s *Store) stream(groupName, streamName string) (*group, *stream, error) {
	g, err := s.group(groupName)
	if err != nil {
		return nil, nil, err
	}
	st := g.streams[streamName]
	if st == nil {
		return nil, nil, errStreamNotFound()
	}
	return g, st, nil
}

// sortedGroupNames lists group names in order, the order of
// DescribeLogGroups. Callers hold the lock.
func (s *Store) sortedGroupNames() []string {
	names := make([]string, 0, len(s.groups))
	for n := range s.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// retentionCutoff is the oldest timestamp a group still keeps (ms), or
// the minimum int64 when it keeps everything.
func (s *Store) retentionCutoff(g *group) int64 {
	if g.retention == 0 {
		return minInt64
	}
	return s.nowMillis() - int64(g.retention)*int64(24*time.Hour/time.Millisecond)
}

const minInt64 = -1 << 63

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

// nonNil turns a nil slice into an empty one, for lists AWS always sends.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
