package iam_test

import (
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const account = apitest.Account

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, iamapi.New(iamapi.Options{}).Operations()))
}

// env is an IAM endpoint on the real server.
type env struct {
	api *iamapi.API
	url string
	c   *iam.Client
}

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{api: iamapi.New(iamapi.Options{Now: func() time.Time { return now }})}
	e.url = apitest.Serve(t, "us-east-1", server.Service{Spec: iamapi.Spec, Query: e.api})
	e.c = e.client("test", "eu-west-1")
	return e
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
