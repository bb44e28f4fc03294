package logs

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// The most events and bytes (of messages plus overhead) one page of
// GetLogEvents or FilterLogEvents returns.
const (
	maxReadEvents = 10_000
	maxReadBytes  = 1_048_576
)

// GetLogEvents reads a stream page by page: without a token the newest
// events of the time window (the oldest with startFromHead), with a
// forward token the events after the previous page, with a backward token
// those before it. At either end it returns the token it was given.
func (s *Store) GetLogEvents(_ context.Context, in *cloudwatchlogs.GetLogEventsInput) (*cloudwatchlogs.GetLogEventsOutput, error) {
	groupName, err := s.groupIdentifier(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if err := checkStreamName(in.LogStreamName, "logStreamName"); err != nil {
		return nil, err
	}
	limit, err := checkLimit(in.Limit, maxReadEvents)
	if err != nil {
		return nil, err
	}
	if err := checkTimeRange(in.StartTime, in.EndTime); err != nil {
		return nil, err
	}
	var tok *streamToken
	if in.NextToken != nil {
		t, err := parseStreamToken(*in.NextToken)
		if err != nil {
			return nil, err
		}
		tok = &t
	}
	window, err := s.streamWindow(groupName, *in.LogStreamName, in.StartTime, in.EndTime)
	if err != nil {
		return nil, err
	}
	forward := deref(in.StartFromHead)
	if tok != nil {
		forward = tok.forward
		window = cutAt(window, tok.at, tok.forward)
	}
	pg := pickPage(window, limit, forward)
	out := &cloudwatchlogs.GetLogEventsOutput{Events: make([]types.OutputLogEvent, len(pg))}
	for i, e := range pg {
		out.Events[i] = types.OutputLogEvent{Timestamp: ptr(e.ts), Message: ptr(e.msg), IngestionTime: ptr(e.ingest)}
	}
	fwd, back := pageTokens(pg, tok, deref(in.StartTime))
	out.NextForwardToken, out.NextBackwardToken = ptr(fwd.String()), ptr(back.String())
	return out, nil
}

// checkTimeRange applies the model's minimum of 0 to a time window.
func checkTimeRange(start, end *int64) error {
	if start != nil && *start < 0 {
		return errConstraint(*start, "startTime", "Member must have value greater than or equal to 0")
	}
	if end != nil && *end < 0 {
		return errConstraint(*end, "endTime", "Member must have value greater than or equal to 0")
	}
	return nil
}

// streamWindow copies the stream's live events with start <= timestamp <
// end out of the lock.
func (s *Store) streamWindow(groupName, streamName string, start, end *int64) ([]event, error) {
	s.mu.Lock()
	defer s.unlock()
	g, st, err := s.stream(groupName, streamName)
	if err != nil {
		return nil, err
	}
	live := st.since(max(s.retentionCutoff(g), deref(start)))
	n := len(live)
	if end != nil {
		n = len(st.since(*end)) // events at or after end
		n = len(live) - min(n, len(live))
	}
	return append([]event(nil), live[:n]...), nil
}

// cutAt keeps the events at or after a key (forward) or before it.
func cutAt(events []event, at key, forward bool) []event {
	i, _ := slices.BinarySearchFunc(events, at, func(e event, k key) int { return compareKeys(e.key(), k) })
	if forward {
		return events[i:]
	}
	return events[:i]
}

// pickPage takes up to limit events and maxReadBytes from the head
// (forward) or the tail of a window.
func pickPage(events []event, limit int, forward bool) []event {
	size, n := 0, 0
	for n < len(events) && n < limit {
		i := n
		if !forward {
			i = len(events) - 1 - n
		}
		size += len(events[i].msg) + eventOverhead
		if size > maxReadBytes && n > 0 {
			break
		}
		n++
	}
	if forward {
		return events[:n]
	}
	return events[len(events)-n:]
}

// pageTokens are the tokens after and before a page. An empty page keeps
// the position it was asked for (the token given, or the window's start).
func pageTokens(pg []event, tok *streamToken, start int64) (fwd, back streamToken) {
	if len(pg) == 0 {
		at := key{ts: start}
		if tok != nil {
			at = tok.at
		}
		return streamToken{forward: true, at: at}, streamToken{at: at}
	}
	last := pg[len(pg)-1].key()
	return streamToken{forward: true, at: key{last.ts, last.seq + 1}}, streamToken{at: pg[0].key()}
}
