package cloudformation_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	cfnapi "github.com/localaws/ecsemu/internal/api/cloudformation"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/state"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = "000000000000"
	region  = "us-east-1"
)

func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, cfnapi.New(cfnapi.Options{}).Operations()))
}

// thing is a resource provider keeping its resources in memory: the
// physical ID is the Name property (a change of it replaces) or a counter;
// Fail: "create" fails the create; Block: "true" holds it until gate
// closes (Hold: "true" too, even when cancelled; Early: "true" once it
// exists, told with Request.Created), BlockDelete: "true" the delete.
type thing struct {
	mu   sync.Mutex
	n    int
	live map[string]bool
	gate chan struct{}
}

func (p *thing) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	if req.Properties["Fail"] == "create" {
		return nil, errors.New("the thing refused to be")
	}
	if req.Properties["Early"] == "true" { // made, then waits to be ready
		p.mu.Lock()
		p.n++
		id := fmt.Sprintf("%s-%s-%d", req.StackName, req.LogicalID, p.n)
		p.live[id] = true
		p.mu.Unlock()
		req.Created(id)
		select {
		case <-p.gate:
			return &engine.Result{PhysicalID: id}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if req.Properties["Hold"] == "true" { // deaf to cancellation, as a provider in a call
		<-p.gate
	}
	if req.Properties["Block"] == "true" {
		select {
		case <-p.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	id, _ := req.Properties["Name"].(string)
	if id == "" {
		p.n++
		id = fmt.Sprintf("%s-%s-%d", req.StackName, req.LogicalID, p.n)
	}
	p.live[id] = true
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{"Arn": "arn:aws:thing:::" + id}}, nil
}

func (p *thing) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: req.PreviousAttributes}, nil
}

func (p *thing) Delete(ctx context.Context, req *engine.Request) error {
	if req.PreviousProperties["BlockDelete"] == "true" {
		select {
		case <-p.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.live, req.PhysicalID)
	return nil
}

func (p *thing) Replaces(o, n map[string]any) bool { return !reflect.DeepEqual(o["Name"], n["Name"]) }

func (p *thing) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.live)
}

// env is a CloudFormation endpoint on the real server.
type env struct {
	api    *cfnapi.API
	cfn    *cloudformation.Client
	things *thing
	urls   map[string]string // TemplateURL → body
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, nil, nil)
}

// newEnvOn is newEnv keeping its state in bucket, over things (nil: new
// ones), as a restarted emulator finds the other services' resources.
func newEnvOn(t *testing.T, bucket *state.Bucket, things *thing) *env {
	t.Helper()
	if things == nil {
		things = &thing{live: map[string]bool{}, gate: make(chan struct{})}
	}
	e := &env{things: things, urls: map[string]string{}}
	e.api = cfnapi.New(cfnapi.Options{
		State:     bucket,
		Providers: engine.Registry{"Test::Thing": e.things, "AWS::IAM::Role": e.things},
		SSMParameter: func(region, name string) (string, error) {
			if name == "/cdk-bootstrap/hnb659fds/version" {
				return "30", nil
			}
			return "", &smithy.GenericAPIError{Code: "ValidationError", Message: "Unable to fetch parameters [" + name + "] from parameter store for this account."}
		},
		FetchTemplate: func(_ context.Context, _, u string) ([]byte, error) {
			if b, ok := e.urls[u]; ok {
				return []byte(b), nil
			}
			return nil, errors.New("no such object")
		},
	})
	t.Cleanup(e.api.Close)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(server.New(server.Options{Services: []server.Service{{Spec: cfnapi.Spec, Query: e.api}},
		Region: region, AccountID: account, Version: "test", Logger: quiet}).Handler())
	t.Cleanup(srv.Close)
	e.cfn = cloudformation.New(cloudformation.Options{
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
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
	}
	return b.next.RoundTrip(r)
}

// apiError checks that err is the AWS error code with the message.
func apiError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s %q, got %v", code, msg, err)
	}
	if ae.ErrorCode() != code || msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("want %s %q, got %s %q", code, msg, ae.ErrorCode(), ae.ErrorMessage())
	}
}

// httpStatus is the HTTP status of a failed call.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// wait polls DescribeStacks until the stack leaves *_IN_PROGRESS.
func (e *env) wait(t *testing.T, name string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := e.cfn.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		st := string(out.Stacks[0].StackStatus)
		if len(st) < 12 || st[len(st)-12:] != "_IN_PROGRESS" {
			return st
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("stack %s never settled", name)
	return ""
}

// waiterOpts make the SDK waiters poll fast.
func fastCreate(o *cloudformation.StackCreateCompleteWaiterOptions) {
	o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
}
