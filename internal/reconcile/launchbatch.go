package reconcile

import (
	"sync"
	"time"
)

// The scheduler launches a service's tasks in batches, as ECS does: at
// most launchBatch task records are built in one pass, and after a full
// batch the next one waits launchBatchPause. That is ECS's "Rate of tasks
// launched by a service on AWS Fargate" quota (500 a minute, ECS service
// quotas page), and it keeps a large desired count from building
// thousands of task records and containers at once.
const (
	launchBatch      = 10
	launchBatchPause = 1200 * time.Millisecond
)

// batchPacer remembers, per service, when its next batch may start.
type batchPacer struct {
	mu   sync.Mutex
	next map[string]time.Time
}

// wait is how long the service's next batch must still wait (0: now).
func (b *batchPacer) wait(arn string, now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	left := b.next[arn].Sub(now)
	if left <= 0 {
		delete(b.next, arn) // the map holds only services being paced
		return 0
	}
	return left
}

// launched records a batch of n tasks; only a full batch paces the next.
func (b *batchPacer) launched(arn string, n int, now time.Time) {
	if n < launchBatch {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.next == nil {
		b.next = map[string]time.Time{}
	}
	b.next[arn] = now.Add(launchBatchPause)
}
