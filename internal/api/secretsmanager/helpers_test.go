package secretsmanager_test

import (
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = apitest.Account
	region  = "us-east-1"
)

// env is one Secrets Manager API behind the emulator's real server, with
// a real SDK client in us-east-1.
type env struct {
	API   *smapi.API
	Clock *apitest.Clock
	URL   string
	C     *secretsmanager.Client
}

func newEnv(t testing.TB, opts smapi.Options) *env {
	t.Helper()
	e := &env{Clock: apitest.NewClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))}
	opts.Account = account
	opts.Now = e.Clock.Now
	e.API = smapi.New(opts)
	e.URL = apitest.Serve(t, region, server.Service{Spec: smapi.Spec, JSON: e.API})
	e.C = e.client(region)
	return e
}

// client is a real SDK client in a region.
func (e *env) client(reg string) *secretsmanager.Client {
	return secretsmanager.NewFromConfig(apitest.Config(reg), func(o *secretsmanager.Options) {
		o.BaseEndpoint = aws.String(e.URL)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
	})
}

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, smapi.New(smapi.Options{}).Operations()))
}

// must(c.Op(ctx, in))(t) returns Op's output, failing t on an error.
func must[T any](v T, err error) func(testing.TB) T { return apitest.Must(v, err) }

// wantCode fails t unless err is an API error with the code.
func wantCode(t testing.TB, err error, code string) smithy.APIError {
	t.Helper()
	return apitest.WantError(t, err, code, "")
}

// create makes a secret holding a string and returns its ARN.
func (e *env) create(t testing.TB, name, value string) string {
	t.Helper()
	out := must(e.C.CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(value)}))(t)
	return aws.ToString(out.ARN)
}

// value reads the AWSCURRENT string of a secret.
func (e *env) value(t testing.TB, id string) string {
	t.Helper()
	out := must(e.C.GetSecretValue(t.Context(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)}))(t)
	return aws.ToString(out.SecretString)
}
