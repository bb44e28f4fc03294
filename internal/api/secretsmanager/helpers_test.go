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
	"github.com/localaws/ecsemu/internal/state"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
	"github.com/localaws/ecsemu/internal/testutil/statetest"
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
	DB    *state.DB
}

func newEnv(t testing.TB, opts smapi.Options) *env {
	t.Helper()
	return newEnvAt(t, opts, t.TempDir(), false)
}

// newEnvAt serves Secrets Manager on the state directory dir, restored
// from it first when restore is set. Every test runs against a state
// directory: after each request the store must hold exactly what the API
// holds, and at the end Restore must give it back.
func newEnvAt(t testing.TB, opts smapi.Options, dir string, restore bool) *env {
	t.Helper()
	e := &env{Clock: apitest.NewClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))}
	e.DB = statetest.Open(t, dir)
	opts.Account = account
	opts.Now = e.Clock.Now
	opts.State = e.DB.Bucket(smapi.Spec.Name)
	e.API = smapi.New(opts)
	if restore {
		if err := e.API.Restore(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { e.closeState(t) })
	checked := statetest.JSON(t, e.API, func() error { return smapi.CheckStored(e.API) })
	e.URL = apitest.Serve(t, region, server.Service{Spec: smapi.Spec, JSON: checked})
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
	if err := smapi.CheckState(e.API); err != nil {
		t.Error(err)
	}
	if err := e.DB.Close(); err != nil {
		t.Error(err)
	}
	e.DB = nil
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
