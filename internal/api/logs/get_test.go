package logs_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
)

// getAll reads a whole stream forward from its head, page by page, until
// the token comes back unchanged (what the SDK's paginator does).
func getAll(t testing.TB, e *env, group, stream string) []types.OutputLogEvent {
	t.Helper()
	var all []types.OutputLogEvent
	in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)}
	for range 1000 {
		out := must(e.C.GetLogEvents(t.Context(), in))(t)
		all = append(all, out.Events...)
		if in.NextToken != nil && aws.ToString(out.NextForwardToken) == *in.NextToken {
			return all
		}
		in.NextToken = out.NextForwardToken
	}
	t.Fatal("GetLogEvents never returned its token")
	return nil
}

func TestGetLogEventsPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	e.group(t, "g")
	e.stream(t, "g", "s")
	var pairs []any
	for i := range 7 {
		pairs = append(pairs, i*10, "m"+strconv.Itoa(i))
	}
	e.put(t, "g", "s", pairs...)
	base := e.Clock.Now().UnixMilli()
	get := func(in cloudwatchlogs.GetLogEventsInput) *cloudwatchlogs.GetLogEventsOutput {
		t.Helper()
		in.LogGroupName, in.LogStreamName = aws.String("g"), aws.String("s")
		return must(e.C.GetLogEvents(ctx, &in))(t)
	}
	tail := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(3)})
	if got := messages(tail.Events); !equal(got, []string{"m4", "m5", "m6"}) {
		t.Errorf("newest = %q", got)
	}
	for _, tok := range []*string{tail.NextForwardToken, tail.NextBackwardToken} {
		if s := aws.ToString(tok); len(s) != 60 || !strings.HasSuffix(s, "/s") {
			t.Errorf("token %q is not AWS-shaped", s)
		}
	}
	if !strings.HasPrefix(*tail.NextForwardToken, "f/") || !strings.HasPrefix(*tail.NextBackwardToken, "b/") {
		t.Errorf("tokens = %s %s", *tail.NextForwardToken, *tail.NextBackwardToken)
	}
	back := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(3), NextToken: tail.NextBackwardToken})
	if got := messages(back.Events); !equal(got, []string{"m1", "m2", "m3"}) {
		t.Errorf("backward = %q", got)
	}
	back = get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(3), NextToken: back.NextBackwardToken})
	if got := messages(back.Events); !equal(got, []string{"m0"}) {
		t.Errorf("backward 2 = %q", got)
	}
	end := get(cloudwatchlogs.GetLogEventsInput{NextToken: back.NextBackwardToken})
	if len(end.Events) != 0 || *end.NextBackwardToken != *back.NextBackwardToken {
		t.Errorf("at the head: %d events, token %s (sent %s)", len(end.Events), *end.NextBackwardToken, *back.NextBackwardToken)
	}
	// Forward from the tail's page: nothing yet, the same token, then new
	// events when they come.
	fwd := get(cloudwatchlogs.GetLogEventsInput{NextToken: tail.NextForwardToken})
	if len(fwd.Events) != 0 || *fwd.NextForwardToken != *tail.NextForwardToken {
		t.Errorf("at the tail: %q, token %s", messages(fwd.Events), *fwd.NextForwardToken)
	}
	e.put(t, "g", "s", 70, "m7")
	if got := messages(get(cloudwatchlogs.GetLogEventsInput{NextToken: fwd.NextForwardToken}).Events); !equal(got, []string{"m7"}) {
		t.Errorf("new events = %q", got)
	}
	// Time window: startTime inclusive, endTime exclusive.
	win := get(cloudwatchlogs.GetLogEventsInput{StartTime: aws.Int64(base + 20), EndTime: aws.Int64(base + 50), StartFromHead: aws.Bool(true)})
	if got := messages(win.Events); !equal(got, []string{"m2", "m3", "m4"}) {
		t.Errorf("window = %q", got)
	}
	// The whole stream, one event a page.
	all := getAll(t, e, "g", "s")
	if len(all) != 8 || aws.ToInt64(all[0].Timestamp) != base || aws.ToInt64(all[0].IngestionTime) != base {
		t.Errorf("all = %+v", all)
	}
	// Ingestion order does not matter: events come out in time order.
	e.put(t, "g", "s", 5, "late")
	if got := messages(getAll(t, e, "g", "s"))[:3]; !equal(got, []string{"m0", "late", "m1"}) {
		t.Errorf("with a late event = %q", got)
	}
	for _, bad := range []string{"x", "f/123/s", "q/00000000000000000000000000000000000000000000000000000000/s", "f/-0000000000000000000000000000000000000000000000000000000/s"} {
		_, err := e.C.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: aws.String(bad)})
		if got := wantCode(t, err, "InvalidParameterException").ErrorMessage(); got != "The specified nextToken is invalid." {
			t.Errorf("%s: message = %q", bad, got)
		}
	}
	_, err := e.C.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int32(10_001)})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("none")})
	wantCode(t, err, "ResourceNotFoundException")
}

// TestGetLogEventsPaginator: the SDK's own paginator, told to stop on a
// repeated token (on AWS, too, a stream has no end without it), ends.
func TestGetLogEventsPaginator(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	e.group(t, "g")
	e.stream(t, "g", "s")
	e.put(t, "g", "s", 0, "a", 1, "b", 2, "c")
	p := cloudwatchlogs.NewGetLogEventsPaginator(e.C, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"),
		LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true), Limit: aws.Int32(2)},
		func(o *cloudwatchlogs.GetLogEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
	var got []string
	for pages := 0; p.HasMorePages(); pages++ {
		if pages > 5 {
			t.Fatal("the paginator does not end")
		}
		got = append(got, messages(must(p.NextPage(t.Context()))(t).Events)...)
	}
	if !equal(got, []string{"a", "b", "c"}) {
		t.Errorf("paginated = %q", got)
	}
}
