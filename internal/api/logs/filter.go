package logs

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// maxFilterStreams is how many logStreamNames FilterLogEvents takes.
const maxFilterStreams = 100

// streamEvent is an event copied out of its stream for filtering.
type streamEvent struct {
	event
	stream string
}

// FilterLogEvents searches a group's streams (all, a list, or those with a
// prefix) for events in a time window that match a filter pattern, in
// timestamp order across streams (always interleaved, as AWS is now). A
// page ends at limit events or 1 MB; nextToken resumes after its last
// event, so that events arriving meanwhile are found by the next page.
func (s *Store) FilterLogEvents(_ context.Context, in *cloudwatchlogs.FilterLogEventsInput) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	groupName, err := s.groupIdentifier(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	selects, err := streamSelector(in.LogStreamNames, in.LogStreamNamePrefix)
	if err != nil {
		return nil, err
	}
	limit, err := checkLimit(in.Limit, maxReadEvents)
	if err != nil {
		return nil, err
	}
	if err := checkTimeRange(in.StartTime, in.EndTime); err != nil {
		return nil, err
	}
	pat, err := compilePattern(deref(in.FilterPattern))
	if err != nil {
		return nil, errInvalidPattern()
	}
	after := key{ts: minInt64}
	if in.NextToken != nil {
		if after, err = parseFilterToken(*in.NextToken); err != nil {
			return nil, err
		}
	}
	candidates, err := s.filterCandidates(groupName, selects, in.StartTime, in.EndTime, after)
	if err != nil {
		return nil, err
	}
	out := &cloudwatchlogs.FilterLogEventsOutput{Events: []types.FilteredLogEvent{}, SearchedLogStreams: []types.SearchedLogStream{}}
	size := 0
	for _, e := range candidates {
		if !pat.match(e.msg) {
			continue
		}
		size += len(e.msg) + eventOverhead
		if len(out.Events) == limit || (size > maxReadBytes && len(out.Events) > 0) {
			out.NextToken = ptr(filterToken(out.Events[len(out.Events)-1]))
			break
		}
		out.Events = append(out.Events, types.FilteredLogEvent{LogStreamName: ptr(e.stream), Timestamp: ptr(e.ts),
			Message: ptr(e.msg), IngestionTime: ptr(e.ingest), EventId: ptr(e.eventID())})
	}
	return out, nil
}

// streamSelector checks the stream filters and returns them as one
// predicate on stream names.
func streamSelector(names []string, prefix *string) (func(string) bool, error) {
	if names != nil && prefix != nil {
		return nil, errInvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
	}
	if names != nil && (len(names) < 1 || len(names) > maxFilterStreams) {
		return nil, errConstraint(names, "logStreamNames", fmt.Sprintf("Member must have length between 1 and %d", maxFilterStreams))
	}
	for i := range names {
		if err := checkStreamName(&names[i], "logStreamNames"); err != nil {
			return nil, err
		}
	}
	if err := checkOptionalPrefix(prefix, "logStreamNamePrefix", checkStreamName); err != nil {
		return nil, err
	}
	return func(name string) bool {
		return (names == nil || slices.Contains(names, name)) && strings.HasPrefix(name, deref(prefix))
	}, nil
}

// filterCandidates copies, under the lock, the live events of the
// selected streams in [start, end) that come after a key, sorted by key.
// Patterns are matched on the copy, outside the lock.
func (s *Store) filterCandidates(groupName string, selects func(string) bool, start, end *int64, after key) ([]streamEvent, error) {
	s.mu.Lock()
	g, err := s.group(groupName)
	if err != nil {
		s.unlock()
		return nil, err
	}
	from := max(s.retentionCutoff(g), deref(start), after.ts)
	var out []streamEvent
	for _, st := range g.streams {
		if !selects(st.name) {
			continue
		}
		for _, e := range st.since(from) {
			if end != nil && e.ts >= *end {
				break
			}
			if compareKeys(e.key(), after) > 0 {
				out = append(out, streamEvent{e, st.name})
			}
		}
	}
	s.unlock()
	slices.SortFunc(out, func(a, b streamEvent) int { return compareKeys(a.key(), b.key()) })
	return out, nil
}

// A FilterLogEvents token names the key of the last event returned.
const filterTokenScope = "logs-filter:"

func filterToken(e types.FilteredLogEvent) string {
	id := *e.EventId // ts (20 digits) + seq (36 digits)
	return base64.RawURLEncoding.EncodeToString([]byte(filterTokenScope + id))
}

func parseFilterToken(tok string) (key, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	id, ok := strings.CutPrefix(string(b), filterTokenScope)
	if err != nil || !ok || len(id) != 56 {
		return key{}, errInvalidToken()
	}
	t, err := parseStreamToken("f/" + id + "/s")
	if err != nil {
		return key{}, err
	}
	return t.at, nil
}
