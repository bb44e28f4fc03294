package logs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
)

func TestPutLogEventsRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	e.group(t, "g")
	e.stream(t, "g", "s")
	now := e.Clock.Now().UnixMilli()
	ev := func(offset int64, msg string) types.InputLogEvent {
		return types.InputLogEvent{Timestamp: aws.Int64(now + offset), Message: aws.String(msg)}
	}
	many := make([]types.InputLogEvent, 10_001)
	for i := range many {
		many[i] = ev(0, "x")
	}
	big := strings.Repeat("x", 1_048_576-26)
	tests := []struct {
		name   string
		group  string
		stream string
		events []types.InputLogEvent
		code   string
		msg    string
	}{
		{"unsorted", "g", "s", []types.InputLogEvent{ev(5, "b"), ev(1, "a")}, "InvalidParameterException",
			"Log events in a single PutLogEvents request must be in chronological order."},
		{"over 24 hours", "g", "s", []types.InputLogEvent{ev(-25*3600*1000, "a"), ev(0, "b")}, "InvalidParameterException",
			"The batch of log events in a single PutLogEvents request cannot span more than 24 hours."},
		{"too many", "g", "s", many, "InvalidParameterException",
			"1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000"},
		{"too large", "g", "s", []types.InputLogEvent{ev(0, big), ev(0, "y")}, "InvalidParameterException",
			"Upload too large: 1048603 bytes exceeds limit of 1048576"},
		{"empty message", "g", "s", []types.InputLogEvent{ev(0, "")}, "InvalidParameterException",
			"1 validation error detected: Value '' at 'logEvents.1.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"no group", "none", "s", []types.InputLogEvent{ev(0, "a")}, "ResourceNotFoundException", "The specified log group does not exist."},
		{"no stream", "g", "none", []types.InputLogEvent{ev(0, "a")}, "ResourceNotFoundException", "The specified log stream does not exist."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.unvalidated().PutLogEvents(t.Context(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(tc.group),
				LogStreamName: aws.String(tc.stream), LogEvents: tc.events})
			if got := wantCode(t, err, tc.code).ErrorMessage(); got != tc.msg {
				t.Errorf("message = %q, want %q", got, tc.msg)
			}
		})
	}
	// A batch of exactly the limit is fine.
	must(e.C.PutLogEvents(t.Context(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"),
		LogStreamName: aws.String("s"), LogEvents: []types.InputLogEvent{ev(0, big)}}))(t)
}

func TestPutLogEventsRejectsTooOldAndTooNew(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	e.group(t, "g")
	e.stream(t, "g", "s")
	day := int(24 * time.Hour / time.Millisecond)
	hour := day / 24
	// A fresh upload (no token) then one with a stale token: both accepted.
	first := e.put(t, "g", "s", 0, "ok")
	if first.RejectedLogEventsInfo != nil {
		t.Errorf("rejected = %+v", first.RejectedLogEventsInfo)
	}
	out := must(e.C.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		SequenceToken: aws.String("49590000000000000000000000000000000000000000000000000001"),
		LogEvents: []types.InputLogEvent{
			{Timestamp: aws.Int64(e.Clock.Now().UnixMilli() - int64(14*day+2*hour)), Message: aws.String("old")},
			{Timestamp: aws.Int64(e.Clock.Now().UnixMilli() - int64(14*day+hour)), Message: aws.String("old too")},
			{Timestamp: aws.Int64(e.Clock.Now().UnixMilli() - int64(14*day-hour)), Message: aws.String("kept")},
		}}))(t)
	r := out.RejectedLogEventsInfo
	if r == nil || aws.ToInt32(r.TooOldLogEventEndIndex) != 1 || r.TooNewLogEventStartIndex != nil || r.ExpiredLogEventEndIndex != nil {
		t.Errorf("rejected = %+v", r)
	}
	r = e.put(t, "g", "s", hour, "soon", 3*hour, "future", 4*hour, "later").RejectedLogEventsInfo
	if r == nil || aws.ToInt32(r.TooNewLogEventStartIndex) != 1 || r.TooOldLogEventEndIndex != nil {
		t.Errorf("rejected = %+v", r)
	}
	if aws.ToString(out.NextSequenceToken) == aws.ToString(first.NextSequenceToken) {
		t.Error("the sequence token did not move")
	}
	if got := messages(getAll(t, e, "g", "s")); !equal(got, []string{"kept", "ok", "soon"}) {
		t.Errorf("stored = %q", got)
	}
	// With a retention, older events are expired.
	must(e.C.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)}))(t)
	out = e.put(t, "g", "s", -day-hour, "expired", -2*hour, "fresh")
	if r := out.RejectedLogEventsInfo; r == nil || aws.ToInt32(r.ExpiredLogEventEndIndex) != 0 || r.TooOldLogEventEndIndex != nil {
		t.Errorf("rejected = %+v", r)
	}
	// Events age out of the retention window on reads.
	e.Clock.Advance(26 * time.Hour)
	if got := messages(getAll(t, e, "g", "s")); len(got) != 0 {
		t.Errorf("after retention = %q", got)
	}
}

// TestStreamBounds: a stream keeps at most MaxEventsPerStream events and
// MaxBytesPerStream bytes, dropping the oldest (by timestamp) first.
func TestStreamBounds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{MaxEventsPerStream: 3, MaxBytesPerStream: 10})
	e.group(t, "g")
	e.stream(t, "g", "s")
	e.put(t, "g", "s", 1, "a", 2, "b", 3, "c", 4, "d")
	if got := messages(getAll(t, e, "g", "s")); !equal(got, []string{"b", "c", "d"}) {
		t.Errorf("by count = %q", got)
	}
	// A late event is placed in time order, after those of its timestamp;
	// the oldest goes (here the late one itself).
	e.put(t, "g", "s", 0, "z")
	if got := messages(getAll(t, e, "g", "s")); !equal(got, []string{"b", "c", "d"}) {
		t.Errorf("late and oldest = %q", got)
	}
	e.put(t, "g", "s", 2, "y")
	if got := messages(getAll(t, e, "g", "s")); !equal(got, []string{"y", "c", "d"}) {
		t.Errorf("late = %q", got)
	}
	e.put(t, "g", "s", 5, "eeeeeeeee")
	if got := messages(getAll(t, e, "g", "s")); !equal(got, []string{"d", "eeeeeeeee"}) {
		t.Errorf("by bytes = %q", got)
	}
	st := must(e.C.DescribeLogStreams(t.Context(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g")}))(t).LogStreams[0]
	if aws.ToInt64(st.StoredBytes) != 10 {
		t.Errorf("storedBytes = %d", aws.ToInt64(st.StoredBytes))
	}
}

func messages(events []types.OutputLogEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = aws.ToString(e.Message)
	}
	return out
}

func filteredMessages(events []types.FilteredLogEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = aws.ToString(e.Message)
	}
	return out
}
