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
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
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
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{clock: apitest.NewClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))}
	e.api = acmapi.New(acmapi.Options{Now: e.clock.Now, InUse: func(arn string) bool { _, ok := e.inUse.Load(arn); return ok }})
	url := apitest.Serve(t, region, server.Service{Spec: acmapi.Spec, JSON: e.api})
	e.c = acm.NewFromConfig(apitest.ConfigAs(region, "test", "test", ""), func(o *acm.Options) {
		o.BaseEndpoint = aws.String(url)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
	})
	return e
}

func apiError(t *testing.T, err error, code, message string) {
	t.Helper()
	apitest.WantError(t, err, code, message)
}

// must unwraps a call the test expects to succeed (see apitest.Unwrap).
func must[T any](v T, err error) T { return apitest.Unwrap(v, err) }

func ptr[T any](v T) *T { return &v }
