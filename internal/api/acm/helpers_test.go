package acm_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	acmapi "github.com/localaws/ecsemu/internal/api/acm"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = "000000000000"
	region  = "us-east-1"
)

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, acmapi.New(acmapi.Options{}).Operations()))
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is an ACM endpoint on the real server.
type env struct {
	api   *acmapi.API
	c     *acm.Client
	clock *clock
	inUse sync.Map // ARN → true
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{clock: &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}}
	e.api = acmapi.New(acmapi.Options{Now: e.clock.Now, InUse: func(arn string) bool { _, ok := e.inUse.Load(arn); return ok }})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(server.New(server.Options{Services: []server.Service{{Spec: acmapi.Spec, JSON: e.api}}, Region: region, AccountID: account, Version: "test", Logger: quiet}).Handler())
	t.Cleanup(srv.Close)
	e.c = acm.New(acm.Options{
		Region:           region,
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:       &http.Client{Transport: buffered{http.DefaultTransport}},
		APIOptions:       []func(*middleware.Stack) error{opcoverage.Record},
		RetryMaxAttempts: 1,
	})
	return e
}

// buffered sends request bodies from memory (see emulatortest).
type buffered struct{ next http.RoundTripper }

func (b buffered) RoundTrip(r *http.Request) (*http.Response, error) {
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

func apiError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || (message != "" && ae.ErrorMessage() != message) {
		t.Fatalf("error %s: %q, want %s: %q", ae.ErrorCode(), ae.ErrorMessage(), code, message)
	}
}

// must unwraps a call the test expects to succeed (a failure panics,
// failing the test with the call's stack).
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

func ptr[T any](v T) *T { return &v }
