package logs_test

import (
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
)

func TestFilterLogEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	e.group(t, "g")
	for _, s := range []string{"web/1", "web/2", "api/1"} {
		e.stream(t, "g", s)
	}
	e.put(t, "g", "web/1", 0, "ERROR one", 30, "INFO two")
	e.put(t, "g", "web/2", 10, `{"level":"error","code":500}`, 40, "ERROR four")
	e.put(t, "g", "api/1", 20, "ERROR three", 50, `{"level":"info","code":200}`)
	base := e.Clock.Now().UnixMilli()
	filter := func(in cloudwatchlogs.FilterLogEventsInput) []string {
		t.Helper()
		in.LogGroupName = aws.String("g")
		return filteredMessages(must(e.C.FilterLogEvents(ctx, &in))(t).Events)
	}
	tests := []struct {
		name string
		in   cloudwatchlogs.FilterLogEventsInput
		want []string
	}{
		{"all, interleaved by time", cloudwatchlogs.FilterLogEventsInput{},
			[]string{"ERROR one", `{"level":"error","code":500}`, "ERROR three", "INFO two", "ERROR four", `{"level":"info","code":200}`}},
		{"term", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("ERROR")}, []string{"ERROR one", "ERROR three", "ERROR four"}},
		{"json", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`{ $.code >= 500 }`)}, []string{`{"level":"error","code":500}`}},
		{"stream names", cloudwatchlogs.FilterLogEventsInput{LogStreamNames: []string{"web/1", "api/1", "missing"}, FilterPattern: aws.String("ERROR")},
			[]string{"ERROR one", "ERROR three"}},
		{"stream prefix", cloudwatchlogs.FilterLogEventsInput{LogStreamNamePrefix: aws.String("web/"), FilterPattern: aws.String("?ERROR ?INFO")},
			[]string{"ERROR one", "INFO two", "ERROR four"}},
		{"window", cloudwatchlogs.FilterLogEventsInput{StartTime: aws.Int64(base + 10), EndTime: aws.Int64(base + 40)},
			[]string{`{"level":"error","code":500}`, "ERROR three", "INFO two"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := filter(tc.in); !equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	out := must(e.C.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(1)}))(t)
	ev := out.Events[0]
	if aws.ToString(ev.LogStreamName) != "web/1" || aws.ToInt64(ev.Timestamp) != base || aws.ToInt64(ev.IngestionTime) != base ||
		len(aws.ToString(ev.EventId)) != 56 || out.NextToken == nil || out.SearchedLogStreams == nil {
		t.Errorf("first page = %+v %+v", ev, out)
	}

	_, err := e.C.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String(`{ $.a = `)})
	if got := wantCode(t, err, "InvalidParameterException").ErrorMessage(); got != "Invalid filter pattern" {
		t.Errorf("message = %q", got)
	}
	_, err = e.C.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), LogStreamNames: []string{"a"}, LogStreamNamePrefix: aws.String("a")})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), NextToken: aws.String("bogus")})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("none")})
	wantCode(t, err, "ResourceNotFoundException")
}

// TestFilterLogEventsPaging: the SDK's paginator walks every match once,
// and a page's token also finds events that arrive after it was issued.
func TestFilterLogEventsPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	e.group(t, "g")
	e.stream(t, "g", "a")
	e.stream(t, "g", "b")
	for i := range 10 {
		stream := []string{"a", "b"}[i%2]
		e.put(t, "g", stream, i, "match "+strconv.Itoa(i), i, "skip "+strconv.Itoa(i))
	}
	in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String("match"), Limit: aws.Int32(3)}
	var got []string
	p := cloudwatchlogs.NewFilterLogEventsPaginator(e.C, in)
	pages := 0
	for ; p.HasMorePages(); pages++ {
		got = append(got, filteredMessages(must(p.NextPage(ctx))(t).Events)...)
	}
	if len(got) != 10 || got[0] != "match 0" || got[9] != "match 9" || pages != 4 {
		t.Errorf("%d pages: %q", pages, got)
	}
	// Stop after the first page, add a later event, resume.
	first := must(e.C.FilterLogEvents(ctx, in))(t)
	e.put(t, "g", "a", 100, "match late")
	in.NextToken, in.Limit = first.NextToken, nil
	rest := filteredMessages(must(e.C.FilterLogEvents(ctx, in))(t).Events)
	if len(rest) != 8 || rest[7] != "match late" {
		t.Errorf("rest = %q", rest)
	}
}
