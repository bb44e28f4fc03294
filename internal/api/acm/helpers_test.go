package acm_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"

	acmapi "github.com/localaws/ecsemu/internal/api/acm"
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

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, acmapi.New(acmapi.Options{}).Operations()))
}

// env is an ACM endpoint on the real server.
type env struct {
	api   *acmapi.API
	c     *acm.Client
	clock *apitest.Clock
	inUse sync.Map // ARN → true
	db    *state.DB
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvAt(t, t.TempDir(), false)
}

// newEnvAt serves ACM on the state directory dir, restored from it first
// when restore is set. Every test runs against a state directory: after
// each request the store must hold exactly what the API holds, and at the
// end Restore must give it back.
func newEnvAt(t *testing.T, dir string, restore bool) *env {
	t.Helper()
	e := &env{clock: apitest.NewClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))}
	e.db = statetest.Open(t, dir)
	e.api = acmapi.New(acmapi.Options{Now: e.clock.Now, InUse: func(arn string) bool { _, ok := e.inUse.Load(arn); return ok },
		State: e.db.Bucket(acmapi.Spec.Name)})
	if restore {
		if err := e.api.Restore(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { e.closeState(t) })
	checked := statetest.JSON(t, e.api, func() error { return acmapi.CheckStored(e.api) })
	url := apitest.Serve(t, region, server.Service{Spec: acmapi.Spec, JSON: checked})
	e.c = acm.NewFromConfig(apitest.ConfigAs(region, "test", "test", ""), func(o *acm.Options) {
		o.BaseEndpoint = aws.String(url)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
	})
	return e
}

// closeState checks the state directory against the API and closes it
// (a restart: the API must not be used afterwards).
func (e *env) closeState(t *testing.T) {
	t.Helper()
	if e.db == nil {
		return
	}
	if err := acmapi.CheckState(e.api); err != nil {
		t.Error(err)
	}
	if err := e.db.Close(); err != nil {
		t.Error(err)
	}
	e.db = nil
}

func apiError(t *testing.T, err error, code, message string) {
	t.Helper()
	apitest.WantError(t, err, code, message)
}

// must unwraps a call the test expects to succeed (see apitest.Unwrap).
func must[T any](v T, err error) T { return apitest.Unwrap(v, err) }

func ptr[T any](v T) *T { return &v }
