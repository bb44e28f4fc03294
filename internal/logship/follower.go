package logship

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// Batch limits: PutLogEvents' largest batch.
const (
	maxBatchBytes  = 1 << 20
	maxBatchEvents = 10_000
)

// follower ships one container's output from its start to its end.
type follower struct {
	s    *Shipper
	id   string
	dest Destination
	done chan struct{}

	asm     assembler
	cursor  cursor
	floor   time.Time // entries before it were shipped by an earlier run
	batch   []logs.Event
	bytes   int
	warned  bool // about a failed follow
	dropped bool // about a batch that could not be stored
}

func newFollower(s *Shipper, id string, d Destination) *follower {
	return &follower{s: s, id: id, dest: d, done: make(chan struct{})}
}

func (f *follower) finished() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// run follows the container until a read that began after it stopped
// reached the end, the container is gone, or ctx ends. Whatever was read
// is shipped, unfinished lines too.
func (f *follower) run(ctx context.Context) {
	defer close(f.done)
	defer f.ship()
	defer f.asm.flush(f.collect)
	empty := 0 // follows in a row that ended at once
	for ctx.Err() == nil {
		st, err := f.s.engine.InspectContainer(ctx, f.id)
		if errors.Is(err, runtime.ErrNotFound) {
			return
		}
		if err != nil {
			f.retryLater(ctx, err)
			continue
		}
		final := !st.Running // the engine has all of its output
		n, err := f.pass(ctx)
		switch {
		case err == nil && final, errors.Is(err, runtime.ErrNotFound):
			return
		case err != nil:
			f.retryLater(ctx, err)
		case n > 0:
			empty = 0 // the follow ended as the container stopped: read the rest
		default:
			// The engine ends follows as the container stops, a moment
			// before it reports the container exited: look again soon,
			// less often if it goes on.
			sleep(ctx, min(50*time.Millisecond<<empty, f.s.opts.Retry))
			empty = min(empty+1, 10)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// retryLater waits before another attempt, saying why once.
func (f *follower) retryLater(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	log := f.s.opts.Logger.Debug
	if !f.warned {
		f.warned, log = true, f.s.opts.Logger.Warn
	}
	log("following container logs failed; retrying", "container", f.id, "err", err)
	sleep(ctx, f.s.opts.Retry)
}

// pass reads the log stream once, from the cursor to its end, shipping
// as it goes: whenever no more output is waiting, or the batch is full.
// It returns how many new entries it read.
func (f *follower) pass(ctx context.Context) (n int, err error) {
	lr, err := f.s.engine.FollowLogs(ctx, f.id, f.cursor.at)
	if err != nil {
		return 0, err
	}
	defer lr.Close()
	skip := f.cursor.seen
	for {
		e, err := lr.Next()
		if err != nil {
			f.ship()
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, err
		}
		if e.Time.Before(f.floor) {
			continue // shipped before the emulator restarted
		}
		if skip > 0 && e.Time.Equal(f.cursor.at) {
			skip-- // read by an earlier pass
			continue
		}
		skip = 0
		n++
		f.cursor.advance(e.Time)
		f.asm.add(e, f.collect)
		if !lr.Buffered() || f.bytes >= maxBatchBytes || len(f.batch) >= maxBatchEvents {
			f.ship()
		}
	}
}

// resumeAfter starts following after the stream's newest event, at the
// millisecond precision CloudWatch keeps: an entry logged in that same
// millisecond after it is the price of never shipping one twice.
func (f *follower) resumeAfter(last time.Time) {
	f.floor = last.Add(time.Millisecond)
	f.cursor.at = f.floor
}

func (f *follower) collect(e logs.Event) {
	f.batch = append(f.batch, e)
	f.bytes += len(e.Message)
}

// ship appends the batch to the stream. A stream deleted meanwhile is
// created again; a batch that cannot be stored (its group was deleted) is
// dropped, as the driver drops what CloudWatch refuses.
func (f *follower) ship() {
	if len(f.batch) == 0 {
		return
	}
	d := f.dest
	err := f.s.sink.Append(d.Region, d.Group, d.Stream, f.batch)
	if err != nil && f.s.sink.EnsureStream(d.Region, d.Group, d.Stream) == nil {
		err = f.s.sink.Append(d.Region, d.Group, d.Stream, f.batch)
	}
	if err != nil && !f.dropped {
		f.dropped = true
		f.s.opts.Logger.Warn("dropping container logs", "container", f.id, "group", d.Group, "stream", d.Stream, "err", err)
	}
	clear(f.batch)
	f.batch, f.bytes = f.batch[:0], 0
}

// cursor is how far the output was read: the time of the last entry and
// how many entries had that very time. The engine's since is inclusive, so
// a new read skips that many entries at that time.
type cursor struct {
	at   time.Time
	seen int
}

func (c *cursor) advance(t time.Time) {
	switch {
	case t.Equal(c.at):
		c.seen++
	case t.After(c.at):
		c.at, c.seen = t, 1
	}
	// An entry without a time, or out of order, leaves the cursor.
}
