package sts_test

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
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	stsapi "github.com/localaws/ecsemu/internal/api/sts"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = "000000000000"
	region  = "us-east-1"
)

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, stsapi.New(stsapi.Options{}).Operations()))
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

// env is an STS endpoint on the real server.
type env struct {
	api   *stsapi.API
	url   string
	clock *clock
}

func newEnv(t *testing.T, opts stsapi.Options) *env {
	t.Helper()
	e := &env{clock: &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}}
	if opts.Now == nil {
		opts.Now = e.clock.Now
	}
	e.api = stsapi.New(opts)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(server.New(server.Options{Services: []server.Service{{Spec: stsapi.Spec, Query: e.api}}, Region: region, AccountID: account, Version: "test", Logger: quiet}).Handler())
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// client is an SDK client signing with the given credentials.
func (e *env) client(key, secret, token string) *sts.Client {
	return sts.New(sts.Options{
		Region:           region,
		BaseEndpoint:     aws.String(e.url),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, token),
		HTTPClient:       &http.Client{Transport: buffered{http.DefaultTransport}},
		APIOptions:       []func(*middleware.Stack) error{opcoverage.Record},
		RetryMaxAttempts: 1,
	})
}

// as is a client signing with credentials STS returned.
func (e *env) as(c *types.Credentials) *sts.Client {
	return e.client(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
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

// apiError asserts err is an API error with code and message.
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
