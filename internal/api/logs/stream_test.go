package logs_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
)

func TestLogStreamLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	_, err := e.C.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	wantCode(t, err, "ResourceNotFoundException")
	e.group(t, "g")
	e.stream(t, "g", "s")
	_, err = e.C.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if got := wantCode(t, err, "ResourceAlreadyExistsException").ErrorMessage(); got != "The specified log stream already exists" {
		t.Errorf("message = %q", got)
	}
	_, err = e.C.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("a:b")})
	wantCode(t, err, "InvalidParameterException")

	st := must(e.C.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g")}))(t).LogStreams[0]
	if aws.ToString(st.Arn) != "arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:s" || st.FirstEventTimestamp != nil ||
		st.LastIngestionTime != nil || st.UploadSequenceToken != nil || aws.ToInt64(st.CreationTime) != t0.UnixMilli() {
		t.Errorf("new stream = %+v", st)
	}
	e.Clock.Advance(time.Second)
	out := e.put(t, "g", "s", -500, "first", -100, "second")
	st = must(e.C.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupIdentifier: aws.String(logsapi.GroupARN(region, account, "g"))}))(t).LogStreams[0]
	now := e.Clock.Now().UnixMilli()
	if aws.ToInt64(st.FirstEventTimestamp) != now-500 || aws.ToInt64(st.LastEventTimestamp) != now-100 ||
		aws.ToInt64(st.LastIngestionTime) != now || aws.ToString(st.UploadSequenceToken) != aws.ToString(out.NextSequenceToken) ||
		aws.ToInt64(st.StoredBytes) != int64(len("first")+len("second")) || len(aws.ToString(st.UploadSequenceToken)) != 56 {
		t.Errorf("stream after put = %+v", st)
	}
	g := must(e.C.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{}))(t).LogGroups[0]
	if aws.ToInt64(g.StoredBytes) != 11 {
		t.Errorf("group storedBytes = %d", aws.ToInt64(g.StoredBytes))
	}

	must(e.C.DeleteLogStream(ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")}))(t)
	_, err = e.C.DeleteLogStream(ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if got := wantCode(t, err, "ResourceNotFoundException").ErrorMessage(); got != "The specified log stream does not exist." {
		t.Errorf("message = %q", got)
	}
}

func TestDescribeLogStreamsOrderAndPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, logsapi.Options{})
	ctx := t.Context()
	e.group(t, "g")
	for _, s := range []string{"web/1", "web/2", "api/1", "empty"} {
		e.stream(t, "g", s)
	}
	e.put(t, "g", "web/2", 10, "x")
	e.put(t, "g", "api/1", 20, "x")
	e.put(t, "g", "web/1", 30, "x")
	names := func(in cloudwatchlogs.DescribeLogStreamsInput) []string {
		t.Helper()
		in.LogGroupName = aws.String("g")
		in.Limit = aws.Int32(1)
		var got []string
		p := cloudwatchlogs.NewDescribeLogStreamsPaginator(e.C, &in)
		for p.HasMorePages() {
			for _, s := range must(p.NextPage(ctx))(t).LogStreams {
				got = append(got, *s.LogStreamName)
			}
		}
		return got
	}
	tests := []struct {
		name string
		in   cloudwatchlogs.DescribeLogStreamsInput
		want []string
	}{
		{"by name", cloudwatchlogs.DescribeLogStreamsInput{}, []string{"api/1", "empty", "web/1", "web/2"}},
		{"prefix", cloudwatchlogs.DescribeLogStreamsInput{LogStreamNamePrefix: aws.String("web/")}, []string{"web/1", "web/2"}},
		{"by name descending", cloudwatchlogs.DescribeLogStreamsInput{Descending: aws.Bool(true)}, []string{"web/2", "web/1", "empty", "api/1"}},
		{"by last event", cloudwatchlogs.DescribeLogStreamsInput{OrderBy: types.OrderByLastEventTime}, []string{"empty", "web/2", "api/1", "web/1"}},
		{"newest first", cloudwatchlogs.DescribeLogStreamsInput{OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true)}, []string{"web/1", "api/1", "web/2", "empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(tc.in); !equal(got, tc.want) {
				t.Errorf("names = %q, want %q", got, tc.want)
			}
		})
	}
	_, err := e.C.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"),
		OrderBy: types.OrderByLastEventTime, LogStreamNamePrefix: aws.String("web")})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("none")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = e.C.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{})
	wantCode(t, err, "InvalidParameterException")
	_, err = e.C.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogGroupIdentifier: aws.String("g")})
	wantCode(t, err, "InvalidParameterException")
}
