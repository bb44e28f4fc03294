package logs

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// stream is a log stream: its events, sorted by (timestamp, sequence),
// and the bookkeeping DescribeLogStreams reports.
type stream struct {
	name       string
	created    int64 // epoch ms
	events     []event
	bytes      int    // message bytes of events
	lastIngest int64  // epoch ms of the last accepted upload; 0 before any
	uploads    uint64 // accepted PutLogEvents/Append calls, for sequence tokens
}

// sequenceToken is the stream's current upload sequence token: 56 digits,
// the shape of AWS's. Tokens are reported but never required.
func (st *stream) sequenceToken() string {
	return fmt.Sprintf("4959%052d", st.uploads)
}

// CreateLogStream creates an empty stream in a group.
func (s *Store) CreateLogStream(_ context.Context, in *cloudwatchlogs.CreateLogStreamInput) (*cloudwatchlogs.CreateLogStreamOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	if err := checkStreamName(in.LogStreamName, "logStreamName"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	g, err := s.group(*in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if g.streams[*in.LogStreamName] != nil {
		return nil, errStreamExists()
	}
	if err := s.addStream(g, *in.LogStreamName); err != nil {
		return nil, err
	}
	return &cloudwatchlogs.CreateLogStreamOutput{}, nil
}

// addStream adds a new stream to a group within the region's bound.
// Callers hold the lock.
func (s *Store) addStream(g *group, name string) error {
	if s.streams >= s.opts.MaxStreams {
		return errLimitExceeded()
	}
	s.touchStream(g.name, name)
	g.streams[name] = &stream{name: name, created: s.nowMillis()}
	s.streams++
	return nil
}

// DeleteLogStream deletes a stream and its events.
func (s *Store) DeleteLogStream(_ context.Context, in *cloudwatchlogs.DeleteLogStreamInput) (*cloudwatchlogs.DeleteLogStreamOutput, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	if err := checkStreamName(in.LogStreamName, "logStreamName"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	g, st, err := s.stream(*in.LogGroupName, *in.LogStreamName)
	if err != nil {
		return nil, err
	}
	s.touchStreamAll(g.name, st)
	delete(g.streams, *in.LogStreamName)
	s.streams--
	return &cloudwatchlogs.DeleteLogStreamOutput{}, nil
}

// DescribeLogStreams lists a group's streams by name (optionally with a
// prefix) or by the time of their last event, ascending or descending, at
// most 50 a page.
func (s *Store) DescribeLogStreams(_ context.Context, in *cloudwatchlogs.DescribeLogStreamsInput) (*cloudwatchlogs.DescribeLogStreamsOutput, error) {
	groupName, err := s.groupIdentifier(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if err := checkOptionalPrefix(in.LogStreamNamePrefix, "logStreamNamePrefix", checkStreamName); err != nil {
		return nil, err
	}
	switch in.OrderBy {
	case "", types.OrderByLogStreamName:
	case types.OrderByLastEventTime:
		if in.LogStreamNamePrefix != nil {
			return nil, errInvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.")
		}
	default:
		return nil, errConstraint(in.OrderBy, "orderBy", "Member must satisfy enum value set: [LogStreamName, LastEventTime]")
	}
	limit, err := checkLimit(in.Limit, maxDescribe)
	if err != nil {
		return nil, err
	}
	found, err := s.listStreams(groupName, deref(in.LogStreamNamePrefix))
	if err != nil {
		return nil, err
	}
	sortStreams(found, in.OrderBy, deref(in.Descending))
	pg, next, err := page(found, in.NextToken, limit)
	if err != nil {
		return nil, err
	}
	return &cloudwatchlogs.DescribeLogStreamsOutput{LogStreams: nonNil(pg), NextToken: next}, nil
}

// listStreams describes a group's streams with a name prefix, in no order.
func (s *Store) listStreams(groupName, prefix string) ([]types.LogStream, error) {
	s.mu.Lock()
	defer s.unlock()
	g, err := s.group(groupName)
	if err != nil {
		return nil, err
	}
	cutoff := s.retentionCutoff(g)
	var found []types.LogStream
	for _, st := range g.streams {
		if strings.HasPrefix(st.name, prefix) {
			found = append(found, s.describeStream(g, st, cutoff))
		}
	}
	return found, nil
}

// sortStreams orders a listing by name or by last event time (streams
// without events first, then by name, so that the order is total).
func sortStreams(streams []types.LogStream, by types.OrderBy, descending bool) {
	slices.SortFunc(streams, func(a, b types.LogStream) int {
		c := 0
		if by == types.OrderByLastEventTime {
			c = cmp.Compare(deref(a.LastEventTimestamp), deref(b.LastEventTimestamp))
		}
		if c == 0 {
			c = strings.Compare(*a.LogStreamName, *b.LogStreamName)
		}
		if descending {
			return -c
		}
		return c
	})
}

// describeStream is the LogStream of a stream, its event times over the
// events still kept. Callers hold the lock.
func (s *Store) describeStream(g *group, st *stream, cutoff int64) types.LogStream {
	out := types.LogStream{
		LogStreamName: ptr(st.name),
		CreationTime:  ptr(st.created),
		Arn:           ptr(streamARN(s.region, s.account, g.name, st.name)),
		StoredBytes:   ptr(int64(st.bytes)),
	}
	if live := st.since(cutoff); len(live) > 0 {
		out.FirstEventTimestamp = ptr(live[0].ts)
		out.LastEventTimestamp = ptr(live[len(live)-1].ts)
	}
	if st.uploads > 0 {
		out.LastIngestionTime = ptr(st.lastIngest)
		out.UploadSequenceToken = ptr(st.sequenceToken())
	}
	return out
}

// groupIdentifier resolves the logGroupName / logGroupIdentifier pair of
// the read operations: exactly one, the identifier a name or an ARN.
func (s *Store) groupIdentifier(name, identifier *string) (string, error) {
	switch {
	case name != nil && identifier != nil:
		return "", errInvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case name != nil:
		return *name, checkGroupName(name, "logGroupName")
	case identifier != nil:
		if *identifier == "" {
			return "", errConstraint("", "logGroupIdentifier", "Member must have length greater than or equal to 1")
		}
		return s.groupNameOf(*identifier), nil
	}
	return "", errInvalidParameter("Should provide either name or ARN of the log group.")
}
