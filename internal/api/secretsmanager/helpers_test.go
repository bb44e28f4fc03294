package secretsmanager_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = "000000000000"
	region  = "us-east-1"
)

// fakeClock is the injected clock: tests move time by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one Secrets Manager API behind the emulator's real server under httptest,
// with a real SDK client in us-east-1.
type env struct {
	API   *smapi.API
	Clock *fakeClock
	URL   string
	C     *secretsmanager.Client
}

func newEnv(t testing.TB, opts smapi.Options) *env {
	t.Helper()
	e := &env{Clock: &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}}
	opts.Account = account
	opts.Now = e.Clock.Now
	e.API = smapi.New(opts)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	real := server.New(server.Options{Services: []server.Service{{Spec: smapi.Spec, JSON: e.API}},
		Region: region, AccountID: account, Version: "test", Logger: quiet}).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		real.ServeHTTP(rec, r)
		if rec.status == http.StatusInternalServerError {
			t.Errorf("%s: the server answered 500 (a non-API error)", r.Header.Get("X-Amz-Target"))
		}
	}))
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	e.C = e.client(region)
	return e
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// client is a real SDK client in a region; extra middleware may adjust it.
func (e *env) client(reg string, extra ...func(*middleware.Stack) error) *secretsmanager.Client {
	cfg := aws.Config{
		Region:      reg,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		HTTPClient:  &http.Client{Transport: bufferedTransport{http.DefaultTransport}},
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 1
				o.RateLimiter = ratelimit.None
			})
		},
	}
	return secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) {
		o.BaseEndpoint = aws.String(e.URL)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
		o.APIOptions = append(o.APIOptions, extra...)
	})
}

// unvalidated skips the SDK's own check of required members, so that the
// server's checks are what a test sees.
func (e *env) unvalidated() *secretsmanager.Client {
	return e.client(region, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

// bufferedTransport sends request bodies from memory (see
// internal/testutil/emulatortest/bufferedclient.go for why).
type bufferedTransport struct{ next http.RoundTripper }

func (b bufferedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	}
	return b.next.RoundTrip(r)
}

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, smapi.New(smapi.Options{}).Operations()))
}

// must(c.Op(ctx, in))(t) returns Op's output, failing t on an error.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// wantCode fails t unless err is an API error with the code.
func wantCode(t testing.TB, err error, code string) smithy.APIError {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want API error %s", err, code)
	}
	if apiErr.ErrorCode() != code {
		t.Fatalf("error code = %s (%s), want %s", apiErr.ErrorCode(), apiErr.ErrorMessage(), code)
	}
	return apiErr
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
