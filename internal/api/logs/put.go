package logs

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// PutLogEvents' limits, as AWS documents them.
const (
	maxBatchEvents = 10_000
	maxBatchBytes  = 1_048_576
	eventOverhead  = 26 // bytes AWS adds to each message when sizing a batch
	maxBatchSpan   = 24 * time.Hour
	maxFuture      = 2 * time.Hour
	maxPast        = 14 * 24 * time.Hour
)

// PutLogEvents appends a chronological batch to a stream. Events more than
// two hours ahead, more than 14 days old or older than the group's
// retention are not stored and are reported in rejectedLogEventsInfo. A
// sequence token is accepted and ignored, as AWS does since 2023.
func (s *Store) PutLogEvents(_ context.Context, in *cloudwatchlogs.PutLogEventsInput) (*cloudwatchlogs.PutLogEventsOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	if err := checkStreamName(in.LogStreamName, "logStreamName"); err != nil {
		return nil, err
	}
	if err := checkBatch(in.LogEvents); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	g, st, err := s.stream(*in.LogGroupName, *in.LogStreamName)
	if err != nil {
		return nil, err
	}
	lo, hi, rejected := s.classify(in.LogEvents, s.retentionCutoff(g))
	batch := make([]event, 0, hi-lo)
	for _, e := range in.LogEvents[lo:hi] {
		batch = append(batch, event{ts: *e.Timestamp, msg: *e.Message})
	}
	s.ingest(g, st, batch)
	return &cloudwatchlogs.PutLogEventsOutput{NextSequenceToken: ptr(st.sequenceToken()), RejectedLogEventsInfo: rejected}, nil
}

// checkBatch applies the batch rules that refuse a whole request: size,
// members, chronological order and span.
func checkBatch(events []types.InputLogEvent) error {
	switch {
	case events == nil:
		return errRequired("logEvents")
	case len(events) == 0:
		return errConstraint("[]", "logEvents", "Member must have length greater than or equal to 1")
	case len(events) > maxBatchEvents:
		return errInvalidParameter("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to %d", maxBatchEvents)
	}
	size := 0
	for i, e := range events {
		member := "logEvents." + strconv.Itoa(i+1) + ".member."
		if e.Timestamp == nil {
			return errRequired(member + "timestamp")
		}
		if e.Message == nil {
			return errRequired(member + "message")
		}
		if *e.Message == "" {
			return errConstraint("", member+"message", "Member must have length greater than or equal to 1")
		}
		size += len(*e.Message) + eventOverhead
	}
	if size > maxBatchBytes {
		return errInvalidParameter("Upload too large: %d bytes exceeds limit of %d", size, maxBatchBytes)
	}
	for i := 1; i < len(events); i++ {
		if *events[i].Timestamp < *events[i-1].Timestamp {
			return errInvalidParameter("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	if span := *events[len(events)-1].Timestamp - *events[0].Timestamp; span > maxBatchSpan.Milliseconds() {
		return errInvalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	return nil
}

// classify splits a chronological batch into the accepted events [lo, hi)
// and the rejected info: a prefix too old or past retention, a suffix too
// new. The info is nil when nothing is rejected.
func (s *Store) classify(events []types.InputLogEvent, cutoff int64) (lo, hi int, info *types.RejectedLogEventsInfo) {
	now := s.nowMillis()
	tooOld, tooNew := now-maxPast.Milliseconds(), now+maxFuture.Milliseconds()
	lo, hi = 0, len(events)
	for hi > 0 && *events[hi-1].Timestamp > tooNew {
		hi--
	}
	lastOld, lastExpired := -1, -1
	for i := 0; i < hi; i++ {
		ts := *events[i].Timestamp
		if ts >= tooOld && ts >= cutoff {
			break
		}
		if ts < tooOld {
			lastOld = i
		}
		if ts < cutoff {
			lastExpired = i
		}
		lo = i + 1
	}
	if lo == 0 && hi == len(events) {
		return lo, hi, nil
	}
	info = &types.RejectedLogEventsInfo{}
	if hi < len(events) {
		info.TooNewLogEventStartIndex = ptr(int32(hi))
	}
	if lastOld >= 0 {
		info.TooOldLogEventEndIndex = ptr(int32(lastOld))
	}
	if lastExpired >= 0 {
		info.ExpiredLogEventEndIndex = ptr(int32(lastExpired))
	}
	return lo, hi, info
}

// ingest stamps a chronological batch with sequences and the ingestion
// time and stores it in the stream. An upload counts even when all its
// events were rejected, as AWS hands out a new token for it. Callers hold
// the lock.
func (s *Store) ingest(g *group, st *stream, batch []event) {
	now := s.nowMillis()
	id := s.seq + 1
	for i := range batch {
		s.seq++
		batch[i].seq, batch[i].ingest, batch[i].batch = s.seq, now, id
	}
	if len(batch) > 0 {
		s.touchBatch(g.name, st.name, id)
		s.touchMeta()
	}
	for _, b := range st.insert(batch, s.retentionCutoff(g), s.opts.MaxEventsPerStream, s.opts.MaxBytesPerStream) {
		s.touchBatch(g.name, st.name, b)
	}
	st.uploads++
	st.lastIngest = now
	s.touchStream(g.name, st.name)
}
