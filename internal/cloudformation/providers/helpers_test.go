package providers

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	logsapi "github.com/localaws/ecsemu/internal/api/logs"
	s3api "github.com/localaws/ecsemu/internal/api/s3"
	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
)

const (
	testRegion  = "us-east-1"
	testAccount = "000000000000"
)

// env is the real APIs, in process, behind a registry.
type env struct {
	apis APIs
	reg  engine.Registry
}

func newEnv(t *testing.T) *env {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	apis := APIs{
		ECS:      ecsapi.New(ecsapi.Options{Account: testAccount, Logger: quiet}),
		ELB:      elbv2.New(elbv2.Options{Account: testAccount, ProvisioningDelay: -1, Logger: quiet}),
		CloudMap: servicediscovery.New(servicediscovery.Options{Account: testAccount}),
		IAM:      iamapi.New(iamapi.Options{}),
		Logs:     logsapi.New(logsapi.Options{Account: testAccount}),
		SSM:      ssmapi.New(ssmapi.Options{Account: testAccount}),
		S3:       s3api.New(s3api.Options{Account: testAccount}),
		Secrets:  smapi.New(smapi.Options{Account: testAccount}),
		EC2:      ec2api.New(ec2api.Options{Account: testAccount, Logger: quiet}),
	}
	reg := engine.Registry{}
	Register(reg, apis)
	for _, p := range reg {
		setPoll(p, time.Millisecond)
	}
	return &env{apis: apis, reg: reg}
}

// setPoll shortens the waits of providers that poll.
func setPoll(p engine.Provider, d time.Duration) {
	switch v := p.(type) {
	case *ECSService:
		v.Poll = d
	case *Namespace:
		v.Poll = d
	case *CloudMapService:
		v.Poll = d
	case *CloudMapInstance:
		v.Poll = d
	case interface {
		SetWaits(poll, dependency time.Duration)
	}:
		v.SetWaits(d, 50*d)
	}
}

func request(typ, logicalID string, props map[string]any) *engine.Request {
	return &engine.Request{Region: testRegion, Account: testAccount, Partition: "aws",
		StackName: "TutorialStack", StackID: "arn:aws:cloudformation:us-east-1:000000000000:stack/TutorialStack/1",
		LogicalID: logicalID, Type: typ, Properties: props,
		Tags: map[string]string{"team": "blue", "aws:cloudformation:stack-name": "TutorialStack"}}
}

// create runs Create and fails the test on error.
func (e *env) create(t *testing.T, typ, logicalID string, props map[string]any) (*engine.Request, *engine.Result) {
	t.Helper()
	req := request(typ, logicalID, props)
	res, err := e.reg[typ].Create(testCtx(t), req)
	if err != nil {
		t.Fatalf("Create %s: %v", typ, err)
	}
	req.PhysicalID = res.PhysicalID
	return req, res
}

// update runs Update from req's properties to props.
func (e *env) update(t *testing.T, req *engine.Request, props map[string]any) *engine.Result {
	t.Helper()
	next := *req
	next.PreviousProperties, next.Properties = req.Properties, props
	res, err := e.reg[req.Type].Update(testCtx(t), &next)
	if err != nil {
		t.Fatalf("Update %s: %v", req.Type, err)
	}
	return res
}

// deleteTwice deletes and deletes again: the second must succeed too.
func (e *env) deleteTwice(t *testing.T, req *engine.Request) {
	t.Helper()
	for i := range 2 {
		if err := e.reg[req.Type].Delete(testCtx(t), req); err != nil {
			t.Fatalf("Delete %s (#%d): %v", req.Type, i+1, err)
		}
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

type requestRef struct {
	typ string
	req *engine.Request
}

// Properties restored from the state directory (numbers float64, lists
// []any) ask for no replacement where the template says the same.
func TestChangedThroughJSON(t *testing.T) {
	old := map[string]any{"Port": float64(80), "Subnets": []any{"a", "b"}}
	next := map[string]any{"Port": 80, "Subnets": []string{"a", "b"}}
	if anyChanged(old, next, "Port", "Subnets") || changedExcept(old, next) {
		t.Error("a JSON round trip counts as a change")
	}
	if !anyChanged(old, map[string]any{"Port": 81, "Subnets": []string{"a", "b"}}, "Port") {
		t.Error("a new port is no change")
	}
}
