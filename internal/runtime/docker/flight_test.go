package docker

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFlightGroupSharesOneCall(t *testing.T) {
	var g flightGroup
	var calls atomic.Int32
	release := make(chan struct{})
	want := errors.New("boom")
	fn := func(context.Context) error {
		calls.Add(1)
		<-release
		return want
	}
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() { errs <- g.do(context.Background(), "img", fn) }()
	}
	waitUntil(t, 5*time.Second, func() bool { return g.waiting("img") == n })
	close(release)
	for range n {
		if err := <-errs; err != want {
			t.Fatalf("err = %v, want the shared %v", err, want)
		}
	}
	if c := calls.Load(); c != 1 {
		t.Fatalf("fn ran %d times, want 1", c)
	}
	// The result is not cached: a later caller starts a fresh attempt.
	release = make(chan struct{})
	close(release)
	if err := g.do(context.Background(), "img", fn); err != want || calls.Load() != 2 {
		t.Fatalf("second flight: err %v, calls %d", err, calls.Load())
	}
}

func TestFlightGroupKeysAreIndependent(t *testing.T) {
	var g flightGroup
	var wg sync.WaitGroup
	var calls atomic.Int32
	for _, k := range []string{"a", "b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = g.do(context.Background(), k, func(context.Context) error { calls.Add(1); return nil })
		}()
	}
	wg.Wait()
	if calls.Load() != 3 {
		t.Fatalf("calls = %d, want 3", calls.Load())
	}
}

// A caller that gives up gets its ctx error, and the work it started goes
// on for the others with a context that the caller's cancel does not end.
func TestFlightGroupCallerCancelDoesNotCancelWork(t *testing.T) {
	var g flightGroup
	release := make(chan struct{})
	workErr := make(chan error, 1)
	fn := func(ctx context.Context) error {
		<-release
		workErr <- ctx.Err()
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { first <- g.do(ctx, "k", fn) }()
	waitUntil(t, 5*time.Second, func() bool { return g.waiting("k") == 1 })
	second := make(chan error, 1)
	go func() { second <- g.do(context.Background(), "k", fn) }()
	waitUntil(t, 5*time.Second, func() bool { return g.waiting("k") == 2 })

	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: err = %v", err)
	}
	close(release)
	if err := <-second; err != nil {
		t.Fatalf("other caller: err = %v", err)
	}
	if err := <-workErr; err != nil {
		t.Fatalf("work saw ctx error %v", err)
	}
}

func waitUntil(t *testing.T, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
