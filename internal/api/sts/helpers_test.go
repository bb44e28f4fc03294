package sts_test

import (
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	stsapi "github.com/localaws/ecsemu/internal/api/sts"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = apitest.Account
	region  = "us-east-1"
)

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, stsapi.New(stsapi.Options{}).Operations()))
}

// env is an STS endpoint on the real server.
type env struct {
	api   *stsapi.API
	url   string
	clock *apitest.Clock
}

func newEnv(t *testing.T, opts stsapi.Options) *env {
	t.Helper()
	e := &env{clock: apitest.NewClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))}
	if opts.Now == nil {
		opts.Now = e.clock.Now
	}
	e.api = stsapi.New(opts)
	e.url = apitest.Serve(t, region, server.Service{Spec: stsapi.Spec, Query: e.api})
	return e
}

// client is an SDK client signing with the given credentials.
func (e *env) client(key, secret, token string) *sts.Client {
	return sts.NewFromConfig(apitest.ConfigAs(region, key, secret, token), func(o *sts.Options) {
		o.BaseEndpoint = aws.String(e.url)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
	})
}

// as is a client signing with credentials STS returned.
func (e *env) as(c *types.Credentials) *sts.Client {
	return e.client(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
}

// apiError asserts err is an API error with code and message.
func apiError(t *testing.T, err error, code, message string) {
	t.Helper()
	apitest.WantError(t, err, code, message)
}
