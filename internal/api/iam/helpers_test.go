package iam_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const account = "000000000000"

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
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(server.New(server.Options{Services: []server.Service{{Spec: iamapi.Spec, Query: e.api}}, Region: "us-east-1", AccountID: account, Version: "test", Logger: quiet}).Handler())
	t.Cleanup(srv.Close)
	e.url = srv.URL
	e.c = e.client("test", "eu-west-1")
	return e
}

// client signs with key for region (IAM is global: the region must not matter).
func (e *env) client(key, region string) *iam.Client {
	return iam.New(iam.Options{
		Region:           region,
		BaseEndpoint:     aws.String(e.url),
		Credentials:      credentials.NewStaticCredentialsProvider(key, "secret", ""),
		HTTPClient:       &http.Client{Transport: buffered{http.DefaultTransport}},
		APIOptions:       []func(*middleware.Stack) error{opcoverage.Record},
		RetryMaxAttempts: 1,
	})
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

// apiError asserts err is an API error with code and (unless empty) message.
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

// must unwraps a call that the test expects to succeed. Go cannot pass
// (v, err) and t together, so a failure panics, which fails the test with
// the stack of the call.
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
const allowLogs = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}`
