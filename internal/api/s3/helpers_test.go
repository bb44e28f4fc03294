package s3_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	s3api "github.com/localaws/ecsemu/internal/api/s3"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/state"
	"github.com/localaws/ecsemu/internal/testutil/apitest"
	"github.com/localaws/ecsemu/internal/testutil/statetest"
)

const (
	account = apitest.Account
	region  = "us-east-1"
)

// env is one S3 API behind the emulator's real server.
type env struct {
	API *s3api.API
	URL string
	C   *s3.Client // us-east-1, path style
	DB  *state.DB
}

func newEnv(t testing.TB, opts s3api.Options) *env {
	t.Helper()
	return newEnvAt(t, opts, t.TempDir(), false)
}

// newEnvAt serves S3 on the state directory dir, restored from it first
// when restore is set. Every test runs against a state directory: after
// each request the store must hold exactly what the API holds, and at the
// end Restore must give it back.
func newEnvAt(t testing.TB, opts s3api.Options, dir string, restore bool) *env {
	t.Helper()
	e := &env{DB: statetest.Open(t, dir)}
	opts.Account = account
	opts.Now = apitest.NewClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)).Now
	opts.State = e.DB.Bucket(s3api.Spec.Name)
	e.API = s3api.New(opts)
	if restore {
		if err := e.API.Restore(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { e.closeState(t) })
	checked := statetest.REST(t, e.API, func() error { return s3api.CheckStored(e.API) })
	e.URL = apitest.Serve(t, region, server.Service{Spec: s3api.Spec, REST: checked})
	e.C = e.client(region, nil)
	return e
}

// closeState checks the state directory against the API and closes it
// (a restart: the API must not be used afterwards).
func (e *env) closeState(t testing.TB) {
	t.Helper()
	if e.DB == nil {
		return
	}
	if err := s3api.CheckState(e.API); err != nil {
		t.Error(err)
	}
	if err := e.DB.Close(); err != nil {
		t.Error(err)
	}
	e.DB = nil
}

// client is a real SDK client in a region, path style; transport nil
// sends bodies from memory (see apitest.Transport).
func (e *env) client(reg string, transport http.RoundTripper) *s3.Client {
	cfg := apitest.Config(reg)
	if transport != nil {
		cfg.HTTPClient = &http.Client{Transport: transport}
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(e.URL)
		o.UsePathStyle = true
	})
}

func must[T any](v T, err error) func(testing.TB) T { return apitest.Must(v, err) }

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	apitest.WantError(t, err, code, "")
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
