package iam_test

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/state"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const account = apitest.Account

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, iamapi.New(iamapi.Options{}).Operations()))
}

// env is an IAM endpoint on the real server.
type env struct {
	db  *state.DB
	api *iamapi.API
	url string
	c   *iam.Client
}

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvAt(t, t.TempDir(), false)
}

// newEnvAt serves IAM on the state directory dir, restored from it first
// when restore is set. Every test runs against a state directory: after
// each request the store must hold exactly what the API holds
// (CheckStored), and at the end Restore must give it back (CheckState).
func newEnvAt(t *testing.T, dir string, restore bool) *env {
	t.Helper()
	db, err := state.Open(dir, state.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, api: iamapi.New(iamapi.Options{Now: func() time.Time { return now }, State: db.Bucket(iamapi.Spec.Name)})}
	if restore {
		if err := e.api.Restore(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { e.closeState(t) })
	e.url = apitest.Serve(t, "us-east-1", server.Service{Spec: iamapi.Spec, Query: checked{t, e.api}})
	e.c = e.client("test", "eu-west-1")
	return e
}

// closeState checks the state directory against the API and closes it
// (a restart: the API must not be used afterwards).
func (e *env) closeState(t *testing.T) {
	t.Helper()
	if e.db == nil {
		return
	}
	if err := iamapi.CheckState(e.api); err != nil {
		t.Error(err)
	}
	if err := e.db.Close(); err != nil {
		t.Error(err)
	}
	e.db = nil
}

// checked checks the state directory after every operation, before the
// answer leaves.
type checked struct {
	t   *testing.T
	api *iamapi.API
}

func (c checked) Handle(ctx context.Context, action string, values url.Values) (any, error) {
	out, err := c.api.Handle(ctx, action, values)
	if _, cerr := iamapi.CheckStored(c.api); cerr != nil {
		c.t.Errorf("after %s: %v", action, cerr)
	}
	return out, err
}

// client signs with key for region (IAM is global: the region must not matter).
func (e *env) client(key, region string) *iam.Client {
	return iam.NewFromConfig(apitest.ConfigAs(region, key, "secret", ""), func(o *iam.Options) {
		o.BaseEndpoint = aws.String(e.url)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
	})
}

// apiError asserts err is an API error with code and (unless empty) message.
func apiError(t *testing.T, err error, code, message string) {
	t.Helper()
	apitest.WantError(t, err, code, message)
}

// must unwraps a call that the test expects to succeed (see apitest.Unwrap).
func must[T any](v T, err error) T { return apitest.Unwrap(v, err) }

const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
const allowLogs = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}`
