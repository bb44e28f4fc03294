package logship

import (
	"context"
	"errors"
	"io"
	goruntime "runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/runtime"
)

var t0 = time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func line(ms int, text string) runtime.LogEntry { return runtime.LogEntry{Time: at(ms), Text: text} }

var dest = Destination{Region: "us-east-1", Group: "/ecs/app", Stream: "ecs/app/task1"}

// started returns a shipper on a fake engine, shipping to dest (created).
func started(t *testing.T, eng *fakeEngine) (*Shipper, *recordingSink, context.CancelFunc) {
	t.Helper()
	sink := newSink()
	if err := sink.CreateGroup(dest.Region, dest.Group, 0, nil); err != nil {
		t.Fatal(err)
	}
	s := New(eng, sink, Options{Retry: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(t.Context())
	s.Start(ctx)
	t.Cleanup(func() {
		cancel()
		s.Wait()
		if n := eng.openReaders(); n != 0 {
			t.Errorf("%d log readers left open", n)
		}
	})
	return s, sink, cancel
}

// shipAll ships the container and waits until shipping is done.
func shipAll(t *testing.T, s *Shipper) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		done, err := s.Ship("c1", dest)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("shipping not done after 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func messages(events []logs.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Message)
	}
	return out
}

func TestShipsLinesWithTheirTimes(t *testing.T) {
	eng := newFakeEngine()
	eng.log(
		line(1, "hello"),
		runtime.LogEntry{Time: at(2), Text: "first half ", Partial: true},
		runtime.LogEntry{Time: at(3), Stderr: true, Text: "ERROR on stderr"},
		runtime.LogEntry{Time: at(4), Text: "second half"},
		line(5, ""),
		runtime.LogEntry{Time: at(6), Text: "no newline at exit", Partial: true},
	)
	eng.exit()
	s, sink, _ := started(t, eng)
	shipAll(t, s)
	got := sink.events()
	want := []logs.Event{
		{Timestamp: at(1), Message: "hello"},
		{Timestamp: at(3), Message: "ERROR on stderr"},
		{Timestamp: at(2), Message: "first half second half"},
		{Timestamp: at(5), Message: ""},
		{Timestamp: at(6), Message: "no newline at exit"},
	}
	if len(got) != len(want) {
		t.Fatalf("shipped %q, want %q", messages(got), messages(want))
	}
	for i := range want {
		if got[i].Message != want[i].Message || !got[i].Timestamp.Equal(want[i].Timestamp) {
			t.Errorf("event %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// A line longer than an event is split, at a UTF-8 boundary, into events
// with the line's time.
func TestSplitsLongLines(t *testing.T) {
	eng := newFakeEngine()
	long := strings.Repeat("a", MaxEventBytes-1) + "é" + strings.Repeat("b", 10) // é straddles the limit
	var entries []runtime.LogEntry
	for rest := long; rest != ""; {
		n := min(len(rest), 16<<10)
		entries = append(entries, runtime.LogEntry{Time: at(len(entries)), Text: rest[:n], Partial: n < len(rest)})
		rest = rest[n:]
	}
	eng.log(entries...)
	eng.exit()
	s, sink, _ := started(t, eng)
	shipAll(t, s)
	got := sink.events()
	if len(got) != 2 || got[0].Message+got[1].Message != long {
		t.Fatalf("got %d events, want the line in 2", len(got))
	}
	if len(got[0].Message) != MaxEventBytes-1 || !utf8.ValidString(got[1].Message) || !got[1].Timestamp.Equal(at(0)) {
		t.Errorf("split into %d + %d bytes at %v", len(got[0].Message), len(got[1].Message), got[1].Timestamp)
	}
}

// Lines appear while the container runs, each as soon as it is logged.
func TestShipsWhileRunning(t *testing.T) {
	eng := newFakeEngine()
	s, sink, _ := started(t, eng)
	if _, err := s.Ship("c1", dest); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		eng.log(line(i, "line"))
		waitFor(t, func() bool { return len(sink.events()) == i+1 })
	}
	if done, _ := s.Ship("c1", dest); done {
		t.Fatal("done while the container runs")
	}
	eng.exit()
	shipAll(t, s)
}

// The engine ending a follow early, or a stream breaking, loses nothing
// and ships nothing twice: reads resume from the last entry read, whose
// time several entries may share.
func TestResumesWithoutLossOrDuplicates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		plans []plan
	}{
		{"follow ends early at exit", []plan{{after: 3}}},
		{"stream breaks twice", []plan{{after: 2, err: io.ErrUnexpectedEOF}, {after: 1, err: errors.New("reset")}}},
		{"engine refuses once", []plan{{after: 0, err: runtime.ErrEngineUnavailable}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := newFakeEngine()
			eng.plans = tc.plans
			// Three pieces of one long line share a time, as Docker's do.
			eng.log(line(1, "a"), runtime.LogEntry{Time: at(2), Text: "b1", Partial: true},
				runtime.LogEntry{Time: at(2), Text: "b2", Partial: true}, line(2, "b3"), line(3, "c"))
			s, sink, _ := started(t, eng)
			// The scripted reads happen while the container runs or
			// after it exited: either way nothing is lost.
			time.AfterFunc(20*time.Millisecond, eng.exit)
			shipAll(t, s)
			if got := strings.Join(messages(sink.events()), ","); got != "a,b1b2b3,c" {
				t.Errorf("shipped %s, want a,b1b2b3,c", got)
			}
		})
	}
}

// Under a steady flood batches stay within PutLogEvents' limits.
func TestBatchesAreBounded(t *testing.T) {
	eng := newFakeEngine()
	var entries []runtime.LogEntry
	for i := range 25_000 {
		entries = append(entries, line(i, strings.Repeat("x", 100)))
	}
	eng.log(entries...)
	eng.exit()
	s, sink, _ := started(t, eng)
	shipAll(t, s)
	if n := len(sink.events()); n != len(entries) {
		t.Fatalf("shipped %d events, want %d", n, len(entries))
	}
	for i, b := range sink.batches {
		size := 0
		for _, e := range b {
			size += len(e.Message)
		}
		if len(b) > maxBatchEvents || size > maxBatchBytes+MaxEventBytes {
			t.Errorf("batch %d: %d events, %d bytes", i, len(b), size)
		}
	}
	if len(sink.batches) < 3 {
		t.Errorf("%d batches for 25,000 waiting events, want them batched by 10,000", len(sink.batches))
	}
}

// Followers end with the shipper's context, closing their streams; what
// they read is shipped.
func TestFollowersEndWithTheirContext(t *testing.T) {
	before := goruntime.NumGoroutine()
	eng := newFakeEngine()
	s, sink, cancel := started(t, eng)
	eng.log(runtime.LogEntry{Time: at(1), Text: "unfinished", Partial: true})
	for _, id := range []string{"c1", "c2", "c3"} {
		if _, err := s.Ship(id, dest); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { return eng.openReaders() == 3 })
	cancel()
	ended := make(chan struct{})
	go func() { s.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("followers still running 5 s after their context ended")
	}
	if eng.openReaders() != 0 {
		t.Error("log stream left open")
	}
	waitFor(t, func() bool { return goruntime.NumGoroutine() <= before })
	if got := messages(sink.events()); len(got) != 3 || got[0] != "unfinished" {
		t.Errorf("shipped %q, want the unfinished line once per follower", got)
	}
}

// A container removed before it was read to its end ends its follower.
func TestRemovedContainerEndsShipping(t *testing.T) {
	eng := newFakeEngine()
	eng.gone = true
	s, _, _ := started(t, eng)
	shipAll(t, s)
	s.Forget("c1")
	if len(s.followers) != 0 {
		t.Error("Forget kept the follower")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 1 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// A container followed again after a restart (the emulator adopted it) is
// shipped from after the newest event its stream already has.
func TestResumesAfterTheStreamsNewestEvent(t *testing.T) {
	eng := newFakeEngine()
	eng.log(line(1, "before the restart"), line(2, "also before"), line(3, "after the restart"))
	eng.exit()
	s, sink, _ := started(t, eng)
	if err := sink.EnsureStream(dest.Region, dest.Group, dest.Stream); err != nil {
		t.Fatal(err)
	}
	if err := sink.API.Append(dest.Region, dest.Group, dest.Stream, []logs.Event{
		{Timestamp: at(1), Message: "before the restart"}, {Timestamp: at(2), Message: "also before"},
	}); err != nil {
		t.Fatal(err)
	}
	shipAll(t, s)
	if got := messages(sink.events()); len(got) != 1 || got[0] != "after the restart" {
		t.Fatalf("shipped %q, want only the line after the stream's newest event", got)
	}
}
