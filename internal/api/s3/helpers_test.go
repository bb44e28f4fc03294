package s3_test

import (
	"bytes"
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
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	s3api "github.com/localaws/ecsemu/internal/api/s3"
	"github.com/localaws/ecsemu/internal/server"
)

const (
	account = "000000000000"
	region  = "us-east-1"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// env is one S3 API behind the emulator's real server under httptest.
type env struct {
	API *s3api.API
	URL string
	C   *s3.Client // us-east-1, path style
}

func newEnv(t testing.TB, opts s3api.Options) *env {
	t.Helper()
	clock := &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	opts.Account = account
	opts.Now = clock.Now
	e := &env{API: s3api.New(opts)}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	real := server.New(server.Options{Services: []server.Service{{Spec: s3api.Spec, REST: e.API}},
		Region: region, AccountID: account, Version: "test", Logger: quiet}).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		real.ServeHTTP(rec, r)
		if rec.status == http.StatusInternalServerError {
			t.Errorf("%s %s: the server answered 500", r.Method, r.URL)
		}
	}))
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	e.C = e.client(region, nil)
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

// client is a real SDK client in a region, path style; transport nil
// sends bodies from memory (see bufferedTransport).
func (e *env) client(reg string, transport http.RoundTripper) *s3.Client {
	if transport == nil {
		transport = bufferedTransport{http.DefaultTransport}
	}
	cfg := aws.Config{
		Region:      reg,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		HTTPClient:  &http.Client{Transport: transport},
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 1
				o.RateLimiter = ratelimit.None
			})
		},
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(e.URL)
		o.UsePathStyle = true
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

func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want API error %s", err, code)
	}
	if apiErr.ErrorCode() != code {
		t.Fatalf("error code = %s (%s), want %s", apiErr.ErrorCode(), apiErr.ErrorMessage(), code)
	}
}

// raw sends a request as a hand-written client would, signed for s3 in
// us-east-1 unless unsigned.
func (e *env) raw(t testing.TB, method, path, host string, body []byte, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250102/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x")
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}
