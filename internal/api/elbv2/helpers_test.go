package elbv2_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	elbapi "github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/testutil/opcoverage"
)

const (
	account = "000000000000"
	region  = "us-east-1"
	vpc     = "vpc-3ac0fb5f"
)

// handler is the emulator's real server, serving only this API.
func handler(api *elbapi.API) http.Handler {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	return server.New(server.Options{Services: []server.Service{{Spec: elbapi.Spec, Query: api}}, Region: region, AccountID: account, Version: "test", Logger: quiet}).Handler()
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
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

// env is one emulated ELBv2 endpoint with a recording SDK client.
type env struct {
	api *elbapi.API
	c   *elbv2.Client
	// nv skips the SDK's client-side check of required members, to reach
	// the server's own.
	nv      *elbv2.Client
	url     string
	clock   *clock
	changes atomic.Int64
}

// newEnv starts an API on a fake clock (unless opts set Now).
func newEnv(t testing.TB, opts ...func(*elbapi.Options)) *env {
	t.Helper()
	e := &env{clock: newClock()}
	o := elbapi.Options{Account: account, Now: e.clock.Now, OnChange: func() { e.changes.Add(1) }}
	for _, fn := range opts {
		fn(&o)
	}
	e.api = elbapi.New(o)
	srv := httptest.NewServer(handler(e.api))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	e.c = newClient(srv.URL)
	e.nv = elbv2.New(e.c.Options(), func(o *elbv2.Options) { o.APIOptions = append(o.APIOptions, withoutValidation) })
	return e
}

func withoutValidation(stack *middleware.Stack) error {
	_, err := stack.Initialize.Remove("OperationInputValidation")
	return err
}

func newClient(url string) *elbv2.Client {
	cfg := aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider("a", "b", ""),
		RetryMaxAttempts: 1,
	}
	return elbv2.NewFromConfig(cfg, func(o *elbv2.Options) {
		o.BaseEndpoint = aws.String(url)
		o.APIOptions = append(o.APIOptions, opcoverage.Record)
	})
}

// TestMain fails a complete run that never called one of the operations.
func TestMain(m *testing.M) {
	os.Exit(opcoverage.Main(m, elbapi.New(elbapi.Options{}).Operations()))
}

var ctx = context.Background()

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

// errCheck asserts something about an error.
type errCheck func(t *testing.T, err error)

// errOf checks that err is an E whose message contains part.
func errOf[E error](part string) errCheck {
	return func(t *testing.T, err error) {
		t.Helper()
		var target E
		if err == nil {
			t.Fatalf("no error, want %T", target)
		}
		if !errors.As(err, &target) {
			t.Fatalf("error = %v (%T), want %T", err, err, target)
		}
		if msg := apiMessage(err); !strings.Contains(msg, part) {
			t.Errorf("message = %q, want it to contain %q", msg, part)
		}
	}
}

// code checks an unmodeled error code (ValidationError, InvalidAction).
func code(c, part string) errCheck {
	return func(t *testing.T, err error) {
		t.Helper()
		var apiErr smithy.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("error = %v (%T), want API error %s", err, err, c)
		}
		if apiErr.ErrorCode() != c {
			t.Fatalf("code = %s (%v), want %s", apiErr.ErrorCode(), err, c)
		}
		if !strings.Contains(apiErr.ErrorMessage(), part) {
			t.Errorf("message = %q, want it to contain %q", apiErr.ErrorMessage(), part)
		}
	}
}

func validation(part string) errCheck { return code("ValidationError", part) }

func apiMessage(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorMessage()
	}
	return err.Error()
}

// Fixtures.

func (e *env) lb(t testing.TB, name string) types.LoadBalancer {
	t.Helper()
	out := must(e.c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{
		Name: aws.String(name), Subnets: []string{"subnet-aaaa1111", "subnet-bbbb2222"},
	}))(t)
	return out.LoadBalancers[0]
}

func (e *env) lbARN(t testing.TB, name string) string {
	t.Helper()
	return aws.ToString(e.lb(t, name).LoadBalancerArn)
}

func httpTG(name string) *elbv2.CreateTargetGroupInput {
	return &elbv2.CreateTargetGroupInput{
		Name: aws.String(name), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		VpcId: aws.String(vpc), TargetType: types.TargetTypeEnumIp,
	}
}

func (e *env) tg(t testing.TB, name string) string {
	t.Helper()
	out := must(e.c.CreateTargetGroup(ctx, httpTG(name)))(t)
	return aws.ToString(out.TargetGroups[0].TargetGroupArn)
}

func forward(tgARN string) types.Action {
	return types.Action{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}
}

func fixed(status string) types.Action {
	return types.Action{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String(status)}}
}

func (e *env) listener(t testing.TB, lbARN string, port int32, actions ...types.Action) string {
	t.Helper()
	out := must(e.c.CreateListener(ctx, &elbv2.CreateListenerInput{
		LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(port), Protocol: types.ProtocolEnumHttp, DefaultActions: actions,
	}))(t)
	return aws.ToString(out.Listeners[0].ListenerArn)
}

// wired is a load balancer with an HTTP listener on 80 forwarding to an ip
// target group.
type wired struct {
	lb, tg, listener string
}

func (e *env) wired(t testing.TB, name string) wired {
	t.Helper()
	lb := e.lbARN(t, name)
	tg := e.tg(t, name)
	return wired{lb: lb, tg: tg, listener: e.listener(t, lb, 80, forward(tg))}
}

func ipTarget(ip string, port int32) types.TargetDescription {
	return types.TargetDescription{Id: aws.String(ip), Port: aws.Int32(port)}
}

func (e *env) register(t testing.TB, tg string, targets ...types.TargetDescription) {
	t.Helper()
	must(e.c.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: targets}))(t)
}

// health returns "state/reason" per target ID:port.
func (e *env) health(t testing.TB, tg string, targets ...types.TargetDescription) map[string]string {
	t.Helper()
	out := must(e.c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg), Targets: targets}))(t)
	m := map[string]string{}
	for _, d := range out.TargetHealthDescriptions {
		key := aws.ToString(d.Target.Id)
		if d.Target.Port != nil {
			key += fmt.Sprintf(":%d", *d.Target.Port)
		}
		m[key] = string(d.TargetHealth.State) + "/" + string(d.TargetHealth.Reason)
	}
	return m
}

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func attrMap[A any](attrs []A, kv func(A) (*string, *string)) map[string]string {
	m := map[string]string{}
	for _, a := range attrs {
		k, v := kv(a)
		m[aws.ToString(k)] = aws.ToString(v)
	}
	return m
}

func lbAttr(a types.LoadBalancerAttribute) (*string, *string) { return a.Key, a.Value }
func tgAttr(a types.TargetGroupAttribute) (*string, *string)  { return a.Key, a.Value }
func lsAttr(a types.ListenerAttribute) (*string, *string)     { return a.Key, a.Value }
