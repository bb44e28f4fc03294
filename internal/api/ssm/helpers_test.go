package ssm_test

import (
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
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

// env is one SSM API behind the emulator's real server, with a real SDK
// client in us-east-1.
type env struct {
	API   *ssmapi.API
	Clock *apitest.Clock
	URL   string
	C     *ssm.Client
	DB    *state.DB
}

func newEnv(t testing.TB, opts ssmapi.Options) *env {
	t.Helper()
	return newEnvAt(t, opts, t.TempDir(), false)
}

// newEnvAt serves SSM on the state directory dir, restored from it first
// when restore is set. Every test runs against a state directory: after
// each request the store must hold exactly what the API holds, and at the
// end Restore must give it back.
func newEnvAt(t testing.TB, opts ssmapi.Options, dir string, restore bool) *env {
	t.Helper()
	e := &env{Clock: apitest.NewClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))}
	e.DB = statetest.Open(t, dir)
	opts.Account = account
	opts.Now = e.Clock.Now
	opts.State = e.DB.Bucket(ssmapi.Spec.Name)
	e.API = ssmapi.New(opts)
	if restore {
		if err := e.API.Restore(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { e.closeState(t) })
	checked := statetest.JSON(t, e.API, func() error { return ssmapi.CheckStored(e.API) })
	e.URL = apitest.Serve(t, region, server.Service{Spec: ssmapi.Spec, JSON: checked})
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
	if err := ssmapi.CheckState(e.API); err != nil {
		t.Error(err)
	}
	if err := e.DB.Close(); err != nil {
		t.Error(err)
	}
	e.DB = nil
}

// client is a real SDK client in a region; extra middleware may adjust it.
func (e *env) client(reg string, extra ...func(*middleware.Stack) error) *ssm.Client {
	return ssm.NewFromConfig(apitest.Config(reg), func(o *ssm.Options) {
		o.BaseEndpoint = aws.String(e.URL)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
		o.APIOptions = append(o.APIOptions, extra...)
	})
}

// unvalidated skips the SDK's own check of required members, so that the
// server's checks are what a test sees.
func (e *env) unvalidated() *ssm.Client {
	return e.client(region, apitest.SkipInputValidation)
}

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, ssmapi.New(ssmapi.Options{}).Operations()))
}

// must(c.Op(ctx, in))(t) returns Op's output, failing t on an error.
func must[T any](v T, err error) func(testing.TB) T { return apitest.Must(v, err) }

// wantCode fails t unless err is an API error with the code.
func wantCode(t testing.TB, err error, code string) smithy.APIError {
	t.Helper()
	return apitest.WantError(t, err, code, "")
}

// put creates a String parameter.
func (e *env) put(t testing.TB, name, value string) int64 {
	t.Helper()
	out := must(e.C.PutParameter(t.Context(), &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Type: "String"}))(t)
	return out.Version
}
