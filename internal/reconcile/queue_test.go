package reconcile

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestQueueSerialisesAKeyAndCoalescesWakeUps(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var running, maxRunning, runs atomic.Int32
	release := make(chan struct{})
	q := NewQueue(ctx, 0, func(ctx context.Context, key string) time.Duration {
		n := running.Add(1)
		if n > maxRunning.Load() {
			maxRunning.Store(n)
		}
		if runs.Add(1) == 1 {
			<-release
		}
		running.Add(-1)
		return 0
	})
	q.Enqueue("a")
	time.Sleep(10 * time.Millisecond)
	for range 5 {
		q.Enqueue("a") // all during the first run: one more run, not five
	}
	close(release)
	waitFor(t, func() bool { return runs.Load() == 2 })
	time.Sleep(20 * time.Millisecond)
	if runs.Load() != 2 || maxRunning.Load() != 1 {
		t.Fatalf("runs=%d maxRunning=%d, want 2 and 1", runs.Load(), maxRunning.Load())
	}
	cancel()
	q.Wait()
}

func TestQueueRunsKeysInParallel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(2)
	both := make(chan struct{})
	q := NewQueue(ctx, 0, func(ctx context.Context, key string) time.Duration {
		wg.Done()
		select {
		case <-both:
		case <-time.After(2 * time.Second):
			t.Errorf("key %s: the other key did not run in parallel", key)
		}
		return 0
	})
	q.Enqueue("a")
	q.Enqueue("b")
	wg.Wait()
	close(both)
	cancel()
	q.Wait()
}

func TestQueueRequeueAfter(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var runs atomic.Int32
	q := NewQueue(ctx, 0, func(ctx context.Context, key string) time.Duration {
		if runs.Add(1) < 3 {
			return 5 * time.Millisecond
		}
		return 0
	})
	q.Enqueue("a")
	waitFor(t, func() bool { return runs.Load() == 3 })
	time.Sleep(30 * time.Millisecond)
	if runs.Load() != 3 {
		t.Fatalf("runs = %d, want 3", runs.Load())
	}
	cancel()
	q.Wait()
	q.Enqueue("a") // after Wait: ignored, no panic
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 2s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestQueueBoundsRunsAndBlockingFreesTheSlot(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var running, maxRunning, done atomic.Int32
	slow := make(chan struct{})
	q := NewQueue(ctx, 2, func(ctx context.Context, key string) time.Duration {
		n := running.Add(1)
		for m := maxRunning.Load(); n > m && !maxRunning.CompareAndSwap(m, n); m = maxRunning.Load() {
		}
		if key == "slow" {
			Blocking(ctx, func() { <-slow }) // holds no slot meanwhile
		} else {
			time.Sleep(5 * time.Millisecond)
		}
		running.Add(-1)
		done.Add(1)
		return 0
	})
	q.Enqueue("slow")
	for i := range 10 {
		q.Enqueue(string(rune('a' + i)))
	}
	waitFor(t, func() bool { return done.Load() == 10 }) // all but the slow one
	close(slow)
	waitFor(t, func() bool { return done.Load() == 11 })
	if m := maxRunning.Load(); m > 3 {
		t.Fatalf("%d runs at once, want at most 2 holding slots (plus the one blocked)", m)
	}
	cancel()
	q.Wait()
}

func TestQueueBacksOffOnRetry(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var at []time.Time
	q := NewQueue(ctx, 0, func(ctx context.Context, key string) time.Duration {
		mu.Lock()
		defer mu.Unlock()
		at = append(at, time.Now())
		if len(at) < 4 {
			return Retry
		}
		return 0
	})
	q.Enqueue("a")
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(at) == 4 })
	for i, want := range []time.Duration{RetryMin, 2 * RetryMin, 4 * RetryMin} {
		if gap := at[i+1].Sub(at[i]); gap < want || gap > want+200*time.Millisecond {
			t.Errorf("retry %d after %v, want %v", i+1, gap, want)
		}
	}
	if backoff(30) != RetryMax {
		t.Errorf("backoff after 30 failures %v, want the cap %v", backoff(30), RetryMax)
	}
	cancel()
	q.Wait()
}
