package logship

import (
	"context"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// fakeEngine is one container's log as the engine keeps it, with reads
// that can be made to end early or break, as Docker's sometimes do.
type fakeEngine struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	entries []runtime.LogEntry
	running bool
	gone    bool
	// plans script the reads, one per FollowLogs call (then plain reads):
	// a read ends (cleanly, or with err) after that many entries.
	plans  []plan
	opened int
	open   int // readers not closed yet
}

type plan struct {
	after int
	err   error // nil: io.EOF
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{changed: make(chan struct{}), running: true}
}

func (f *fakeEngine) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeEngine) log(entries ...runtime.LogEntry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries = append(f.entries, entries...)
	f.notify()
}

func (f *fakeEngine) exit() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.running = false
	f.notify()
}

func (f *fakeEngine) openReaders() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.open
}

func (f *fakeEngine) InspectContainer(context.Context, string) (runtime.ContainerState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gone {
		return runtime.ContainerState{}, runtime.ErrNotFound
	}
	return runtime.ContainerState{Running: f.running, Status: map[bool]string{true: "running", false: "exited"}[f.running]}, nil
}

func (f *fakeEngine) FollowLogs(ctx context.Context, _ string, since time.Time) (runtime.LogReader, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gone {
		return nil, runtime.ErrNotFound
	}
	r := &fakeReader{f: f, ctx: ctx, since: since, limit: -1}
	if f.opened < len(f.plans) {
		r.limit, r.err = f.plans[f.opened].after, f.plans[f.opened].err
	}
	f.opened++
	f.open++
	return r, nil
}

type fakeReader struct {
	f      *fakeEngine
	ctx    context.Context
	since  time.Time
	pos    int // index into f.entries
	n      int // entries returned
	limit  int // -1: none
	err    error
	closed bool
}

// Next returns the next entry at or after since, waiting while the
// container runs, as a Docker follow does.
func (r *fakeReader) Next() (runtime.LogEntry, error) {
	for {
		r.f.mu.Lock()
		if r.limit >= 0 && r.n >= r.limit {
			r.f.mu.Unlock()
			if r.err != nil {
				return runtime.LogEntry{}, r.err
			}
			return runtime.LogEntry{}, io.EOF
		}
		for r.pos < len(r.f.entries) && r.f.entries[r.pos].Time.Before(r.since) {
			r.pos++
		}
		if r.pos < len(r.f.entries) {
			e := r.f.entries[r.pos]
			r.pos++
			r.n++
			r.f.mu.Unlock()
			return e, nil
		}
		running, changed := r.f.running, r.f.changed
		r.f.mu.Unlock()
		if !running {
			return runtime.LogEntry{}, io.EOF
		}
		select {
		case <-changed:
		case <-r.ctx.Done():
			return runtime.LogEntry{}, r.ctx.Err()
		}
	}
}

func (r *fakeReader) Buffered() bool {
	r.f.mu.Lock()
	defer r.f.mu.Unlock()
	return r.pos < len(r.f.entries)
}

func (r *fakeReader) Close() error {
	r.f.mu.Lock()
	defer r.f.mu.Unlock()
	if !r.closed {
		r.closed = true
		r.f.open--
	}
	return nil
}

// recordingSink is the real Logs store, remembering each batch.
type recordingSink struct {
	*logs.API
	mu      sync.Mutex
	batches [][]logs.Event
}

func newSink() *recordingSink { return &recordingSink{API: logs.New(logs.Options{})} }

func (s *recordingSink) Append(region, group, stream string, events []logs.Event) error {
	s.mu.Lock()
	s.batches = append(s.batches, slices.Clone(events))
	s.mu.Unlock()
	return s.API.Append(region, group, stream, events)
}

func (s *recordingSink) events() []logs.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []logs.Event
	for _, b := range s.batches {
		all = append(all, b...)
	}
	return all
}
