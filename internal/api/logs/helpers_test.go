package logs_test

import (
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	logsapi "github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/state"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
	"github.com/localaws/ecsemu/internal/testutil/statetest"
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
	DB    *state.DB
	// direct is set by tests that write in process (API.Append) while
	// requests run: the store then agrees with memory only at the end.
	direct atomic.Bool
}

// t0 is the fake clock's start, in epoch ms for event timestamps.
var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func newEnv(t testing.TB, opts logsapi.Options) *env {
	t.Helper()
	return newEnvAt(t, opts, t.TempDir(), false)
}

// newEnvAt serves Logs on the state directory dir, restored from it first
// when restore is set. Every test runs against a state directory: after
// each request the store must hold exactly what the API holds, and at the
// end Restore must give it back.
func newEnvAt(t testing.TB, opts logsapi.Options, dir string, restore bool) *env {
	t.Helper()
	e := &env{Clock: apitest.NewClock(t0)}
	e.DB = statetest.Open(t, dir)
	opts.Account = account
	if opts.Now == nil {
		opts.Now = e.Clock.Now
	}
	opts.State = e.DB.Bucket(logsapi.Spec.Name)
	e.API = logsapi.New(opts)
	if restore {
		if err := e.API.Restore(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { e.closeState(t) })
	checked := statetest.JSON(t, e.API, func() error {
		if e.direct.Load() {
			return nil // in-process writes run beside the requests: see direct
		}
		return logsapi.CheckStored(e.API)
	})
	e.URL = apitest.Serve(t, region, server.Service{Spec: logsapi.Spec, JSON: checked})
	e.C = e.client(region)
	return e
}

// closeState checks the state directory against the API and closes it
// (a restart: the API must not be used afterwards).
func (e *env) closeState(t testing.TB) {
	t.Helper()
	if e.DB == nil {
		return
	}
	if err := logsapi.CheckState(e.API); err != nil {
		t.Error(err)
	}
	if err := e.DB.Close(); err != nil {
		t.Error(err)
	}
	e.DB = nil
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
