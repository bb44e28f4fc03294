package ec2_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/state"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = "000000000000"
	region  = "us-east-1"
)

var ctx = context.Background()

// TestMain fails a complete run that never called one of the operations.
func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, ec2api.New(ec2api.Options{}).Operations()))
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

// env is one emulated EC2 endpoint (the real server) with an SDK client.
type env struct {
	api   *ec2api.API
	c     *ec2.Client
	nv    *ec2.Client // without the SDK's client-side required-member checks
	clock *clock
	db    *state.DB
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvAt(t, t.TempDir(), false)
}

// newEnvAt serves EC2 on the state directory dir, restored from it first
// when restore is set. Every test runs against a state directory: after
// each request the store must hold exactly what the API holds
// (CheckStored), and at the end Restore must give it back (CheckState).
func newEnvAt(t testing.TB, dir string, restore bool) *env {
	t.Helper()
	e := &env{clock: &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := state.Open(dir, state.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	e.db = db
	e.api = ec2api.New(ec2api.Options{Account: account, Now: e.clock.Now, State: db.Bucket("ec2")})
	if restore {
		if err := e.api.Restore(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { e.closeState(t) })
	h := server.New(server.Options{Services: []server.Service{{Spec: ec2api.Spec, Query: e.api}}, Region: region, AccountID: account, Version: "test", Logger: quiet}).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The check runs before the answer leaves, so that the test cannot
		// have gone on (or closed the state directory) meanwhile.
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if _, err := ec2api.CheckStored(e.api); err != nil {
			t.Errorf("after %s: %v", r.URL, err)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider("a", "b", ""), RetryMaxAttempts: 1,
		HTTPClient: &http.Client{Transport: bufferedTransport{http.DefaultTransport}}}
	e.c = ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
	})
	e.nv = ec2.New(e.c.Options(), func(o *ec2.Options) { o.APIOptions = append(o.APIOptions, withoutValidation) })
	return e
}

// closeState checks the state directory against the API and closes it
// (a restart: the API must not be used afterwards).
func (e *env) closeState(t testing.TB) {
	t.Helper()
	if e.db == nil {
		return
	}
	if err := ec2api.CheckState(e.api); err != nil {
		t.Error(err)
	}
	if err := e.db.Close(); err != nil {
		t.Error(err)
	}
	e.db = nil
}

func withoutValidation(stack *middleware.Stack) error {
	_, err := stack.Initialize.Remove("OperationInputValidation")
	return err
}

// bufferedTransport sends request bodies from memory: the SDK can close
// its body stream while the transport still writes it
// (aws/aws-sdk-go-v2#2737), see internal/testutil/emulatortest.
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

// wantErr checks that err is the EC2 API error code whose message
// contains part.
func wantErr(t testing.TB, err error, code, part string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want API error %s", err, code)
	}
	if apiErr.ErrorCode() != code || !strings.Contains(apiErr.ErrorMessage(), part) {
		t.Fatalf("error = %s: %q, want %s containing %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), code, part)
	}
}

// httpStatus is the HTTP status of an SDK error.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func filter(name string, values ...string) types.Filter {
	return types.Filter{Name: aws.String(name), Values: values}
}

func tagSpec(rt types.ResourceType, kv ...string) []types.TagSpecification {
	spec := types.TagSpecification{ResourceType: rt}
	for i := 0; i+1 < len(kv); i += 2 {
		spec.Tags = append(spec.Tags, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return []types.TagSpecification{spec}
}

// newVpc creates a VPC with a block.
func (e *env) newVpc(t testing.TB, cidr string) string {
	t.Helper()
	out := must(e.c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)}))(t)
	return *out.Vpc.VpcId
}

// newSubnet creates a subnet in a zone.
func (e *env) newSubnet(t testing.TB, vpc, cidr, zone string) string {
	t.Helper()
	out := must(e.c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(zone)}))(t)
	return *out.Subnet.SubnetId
}

// newGroup creates a security group in a VPC.
func (e *env) newGroup(t testing.TB, vpc, name string) string {
	t.Helper()
	out := must(e.c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: aws.String(vpc), GroupName: aws.String(name), Description: aws.String(name)}))(t)
	return *out.GroupId
}

// defaultVPC is the test account's default VPC in us-east-1.
func defaultVPC() (string, []string, string) { return ec2api.DefaultVPCIDs(account, region) }
