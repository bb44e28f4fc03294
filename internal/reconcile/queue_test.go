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
	q := NewQueue(ctx, func(ctx context.Context, key string) time.Duration {
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
	q := NewQueue(ctx, func(ctx context.Context, key string) time.Duration {
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
	q := NewQueue(ctx, func(ctx context.Context, key string) time.Duration {
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
