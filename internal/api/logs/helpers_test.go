package logs_test

import (
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = apitest.Account
	region  = "us-east-1"
)

// env is one Logs API behind the emulator's real server, with a real SDK
// client in us-east-1.
type env struct {
	API   *logsapi.API
	Clock *apitest.Clock
	URL   string
	C     *cloudwatchlogs.Client
}

// t0 is the fake clock's start, in epoch ms for event timestamps.
var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func newEnv(t testing.TB, opts logsapi.Options) *env {
	t.Helper()
	e := &env{Clock: apitest.NewClock(t0)}
	opts.Account = account
	if opts.Now == nil {
		opts.Now = e.Clock.Now
	}
	e.API = logsapi.New(opts)
	e.URL = apitest.Serve(t, region, server.Service{Spec: logsapi.Spec, JSON: e.API})
	e.C = e.client(region)
	return e
}

// client is a real SDK client in a region; extra middleware may adjust it.
func (e *env) client(reg string, extra ...func(*middleware.Stack) error) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(apitest.Config(reg), func(o *cloudwatchlogs.Options) {
		o.BaseEndpoint = aws.String(e.URL)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
		o.APIOptions = append(o.APIOptions, extra...)
	})
}

// unvalidated skips the SDK's own check of required members, so that the
// server's checks are what a test sees.
func (e *env) unvalidated() *cloudwatchlogs.Client {
	return e.client(region, apitest.SkipInputValidation)
}

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, logsapi.New(logsapi.Options{}).Operations()))
}

// must(c.Op(ctx, in))(t) returns Op's output, failing t on an error.
func must[T any](v T, err error) func(testing.TB) T { return apitest.Must(v, err) }

// wantCode fails t unless err is an API error with the code.
func wantCode(t testing.TB, err error, code string) smithy.APIError {
	t.Helper()
	return apitest.WantError(t, err, code, "")
}

// group creates a log group; stream creates a stream in it.
func (e *env) group(t testing.TB, name string) {
	t.Helper()
	must(e.C.CreateLogGroup(t.Context(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name)}))(t)
}

func (e *env) stream(t testing.TB, group, name string) {
	t.Helper()
	must(e.C.CreateLogStream(t.Context(), &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(name)}))(t)
}

// put sends events with the given offsets (ms after the clock's now) and
// messages: put(t, g, s, 0, "a", 5, "b").
func (e *env) put(t testing.TB, group, stream string, pairs ...any) *cloudwatchlogs.PutLogEventsOutput {
	t.Helper()
	now := e.Clock.Now().UnixMilli()
	var events []types.InputLogEvent
	for i := 0; i < len(pairs); i += 2 {
		events = append(events, types.InputLogEvent{Timestamp: aws.Int64(now + int64(pairs[i].(int))), Message: aws.String(pairs[i+1].(string))})
	}
	return must(e.C.PutLogEvents(t.Context(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group),
		LogStreamName: aws.String(stream), LogEvents: events}))(t)
}
