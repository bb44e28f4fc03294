package servicediscovery_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	cloudmap "github.com/localaws/ecsemu/internal/api/servicediscovery"
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

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
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

// env is one Cloud Map API behind an httptest server, with a real SDK
// client in us-east-1.
type env struct {
	API     *cloudmap.API
	Clock   *fakeClock
	URL     string
	C       *sd.Client
	changes atomic.Int64 // OnChange calls

	mu        sync.Mutex
	hosts     []string // Host headers the handler saw
	onChangeF func()
}

// newEnv starts an API with a fake clock. Its OnChange counts calls and
// runs e.onChange, if a test set one.
func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, func(*cloudmap.Options) {})
}

// newEnvWith is newEnv with options changed by tune.
func newEnvWith(t testing.TB, tune func(*cloudmap.Options)) *env {
	t.Helper()
	e := &env{Clock: newClock()}
	opts := cloudmap.Options{
		Account: account,
		Now:     e.Clock.Now,
		OnChange: func() {
			e.changes.Add(1)
			e.mu.Lock()
			f := e.onChangeF
			e.mu.Unlock()
			if f != nil {
				f()
			}
		},
	}
	tune(&opts)
	e.API = cloudmap.New(opts)
	srv := httptest.NewServer(e.handler(t))
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	e.C = e.client(region)
	return e
}

func (e *env) setOnChange(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.onChangeF = f
}

// handler is the emulator's real server, serving only this API. It also
// notes the Host headers it sees, and fails the test on a 500: an error
// that is not an API error is a bug.
func (e *env) handler(t testing.TB) http.Handler {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	real := server.New(server.Options{Services: []server.Service{{Spec: cloudmap.Spec, JSON: e.API}}, Region: region, AccountID: account, Version: "test", Logger: quiet}).Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.hosts = append(e.hosts, r.Host)
		e.mu.Unlock()
		rec := &statusRecorder{ResponseWriter: w}
		real.ServeHTTP(rec, r)
		if rec.status == http.StatusInternalServerError {
			t.Errorf("%s: the server answered 500 (a non-API error)", r.Header.Get("X-Amz-Target"))
		}
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (e *env) seenHosts() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.hosts...)
}

// testConfig has dummy credentials and retries nothing but broken
// connections, at once: a test sees the service's first answer, while the
// SDK's known client-side race (a response body read failing with "use of
// closed network connection", aws/aws-sdk-go-v2#2737, which the default
// retryer covers) cannot make a busy test flaky.
func testConfig(reg string) aws.Config {
	return aws.Config{
		Region:      reg,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.Retryables = []retry.IsErrorRetryable{retry.RetryableConnectionError{}}
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

// client is a real SDK client for the env in a region. DiscoverInstances
// and DiscoverInstancesRevision carry the "data-" host prefix; the client
// disables it (spec §1.5 (a)) since data-127.0.0.1 does not resolve.
func (e *env) client(reg string, extra ...func(*middleware.Stack) error) *sd.Client {
	return sd.NewFromConfig(testConfig(reg), func(o *sd.Options) {
		o.BaseEndpoint = aws.String(e.URL)
		o.APIOptions = append(o.APIOptions, opcoverage.Record, disableHostPrefix)
		o.APIOptions = append(o.APIOptions, extra...)
	})
}

// unvalidated is a client that skips the SDK's own check of required
// members, so the server's checks can be tested.
func (e *env) unvalidated() *sd.Client {
	return e.client(region, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

func disableHostPrefix(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("disableHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}

// TestMain fails a complete run that never called one of the operations.
func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, cloudmap.New(cloudmap.Options{}).Operations()))
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

// wantCode checks that err is an API error with the code and HTTP status.
func wantCode(t testing.TB, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %T %v is not an API error", err, err)
	}
	if apiErr.ErrorCode() != code {
		t.Errorf("error code = %s (%v), want %s", apiErr.ErrorCode(), err, code)
	}
	if apiErr.ErrorMessage() == "" {
		t.Errorf("%s has no message", code)
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Errorf("HTTP status = %d, want %d", re.HTTPStatusCode(), status)
	}
}

// requireErr returns err as an E (errors.As), failing t otherwise.
func requireErr[E error](t testing.TB, err error) E {
	t.Helper()
	var target E
	if !errors.As(err, &target) {
		t.Fatalf("error = %v (%T), want %T", err, err, target)
	}
	return target
}

// errCase is a table entry: a call expected to fail with code and status.
type errCase struct {
	name   string
	call   func(ctx context.Context) error
	code   string
	status int
}

func runErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.call(t.Context()), tc.code, tc.status)
		})
	}
}

// call adapts a client method to an errCase call.
func call[I, O any](method func(context.Context, *I, ...func(*sd.Options)) (*O, error), in *I) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := method(ctx, in)
		return err
	}
}

const (
	s400 = http.StatusBadRequest
	s404 = http.StatusNotFound
	s409 = http.StatusConflict
)

// Fixtures.

func (e *env) httpNamespace(t testing.TB, name string) types.Namespace {
	t.Helper()
	op := must(e.C.CreateHttpNamespace(context.Background(), &sd.CreateHttpNamespaceInput{Name: aws.String(name)}))(t)
	return e.namespaceOf(t, *op.OperationId)
}

func (e *env) privateNamespace(t testing.TB, name, vpc string) types.Namespace {
	t.Helper()
	op := must(e.C.CreatePrivateDnsNamespace(context.Background(), &sd.CreatePrivateDnsNamespaceInput{Name: aws.String(name), Vpc: aws.String(vpc)}))(t)
	return e.namespaceOf(t, *op.OperationId)
}

func (e *env) publicNamespace(t testing.TB, name string) types.Namespace {
	t.Helper()
	op := must(e.C.CreatePublicDnsNamespace(context.Background(), &sd.CreatePublicDnsNamespaceInput{Name: aws.String(name)}))(t)
	return e.namespaceOf(t, *op.OperationId)
}

// namespaceOf follows a CREATE_NAMESPACE operation to its namespace.
func (e *env) namespaceOf(t testing.TB, opID string) types.Namespace {
	t.Helper()
	op := must(e.C.GetOperation(context.Background(), &sd.GetOperationInput{OperationId: aws.String(opID)}))(t).Operation
	id := op.Targets["NAMESPACE"]
	return *must(e.C.GetNamespace(context.Background(), &sd.GetNamespaceInput{Id: aws.String(id)}))(t).Namespace
}

// dnsService creates a service with the given records in a DNS namespace.
func (e *env) dnsService(t testing.TB, nsID, name string, policy types.RoutingPolicy, records ...types.RecordType) types.Service {
	t.Helper()
	var recs []types.DnsRecord
	for _, r := range records {
		recs = append(recs, types.DnsRecord{Type: r, TTL: aws.Int64(10)})
	}
	return e.createService(t, &sd.CreateServiceInput{
		Name: aws.String(name), NamespaceId: aws.String(nsID),
		DnsConfig: &types.DnsConfig{RoutingPolicy: policy, DnsRecords: recs},
	})
}

func (e *env) createService(t testing.TB, in *sd.CreateServiceInput) types.Service {
	t.Helper()
	return *must(e.C.CreateService(context.Background(), in))(t).Service
}

func (e *env) register(t testing.TB, serviceID, instanceID string, attrs map[string]string) string {
	t.Helper()
	out := must(e.C.RegisterInstance(context.Background(), &sd.RegisterInstanceInput{
		ServiceId: aws.String(serviceID), InstanceId: aws.String(instanceID), Attributes: attrs,
	}))(t)
	return *out.OperationId
}

func ip(n int) map[string]string {
	return map[string]string{"AWS_INSTANCE_IPV4": fmt.Sprintf("10.0.0.%d", n)}
}

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func tagsOf(tags []types.Tag) string {
	var kv []string
	for _, t := range tags {
		kv = append(kv, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	sort.Strings(kv)
	return strings.Join(kv, ",")
}
