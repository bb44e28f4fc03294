// Package apitest is the harness of the API packages' tests: one service
// behind the emulator's real server (routing, codecs, error writing) under
// httptest, SDK configurations for it, an injectable clock, and the
// assertions every such test makes.
package apitest

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/localaws/ecsemu/internal/server"
)

// Account is the account the tests' servers answer for.
const Account = "000000000000"

// Serve serves the services through the real server in region, for the
// test's lifetime, and returns its URL. A 500 (a non-API error) fails t.
func Serve(t testing.TB, region string, services ...server.Service) string {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	real := server.New(server.Options{Services: services, Region: region, AccountID: Account, Version: "test", Logger: quiet}).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		real.ServeHTTP(rec, r)
		if rec.status == http.StatusInternalServerError {
			t.Errorf("%s %s: the server answered 500 (a non-API error)", r.Method, r.URL.Path)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Config is an aws.Config in a region with dummy credentials and no
// retries (a test should see the first answer).
func Config(region string) aws.Config {
	return ConfigAs(region, "AKIDTEST", "secret", "")
}

// ConfigAs is Config with the given credentials.
func ConfigAs(region, key, secret, token string) aws.Config {
	return aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
		HTTPClient:  HTTPClient,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 1
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

// SkipInputValidation is an APIOptions entry that removes the SDK's own
// check of required members, so that the server's checks are what a test
// sees.
func SkipInputValidation(s *middleware.Stack) error {
	_, err := s.Initialize.Remove("OperationInputValidation")
	return err
}

// Clock is an injected clock that tests move by hand.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Must(c.Op(ctx, in))(t) returns Op's output, failing t on an error.
func Must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// Unwrap returns v, panicking (which fails the test with the call's
// stack) on an error.
func Unwrap[T any](v T, err error) T {
	if err != nil {
		panic("unexpected error: " + err.Error())
	}
	return v
}

// WantError fails t unless err is an API error with the code and, when
// message is not "", the message.
func WantError(t testing.TB, err error, code, message string) smithy.APIError {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want API error %s", err, code)
	}
	if apiErr.ErrorCode() != code || (message != "" && apiErr.ErrorMessage() != message) {
		t.Fatalf("error %s: %q, want %s: %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), code, message)
	}
	return apiErr
}
