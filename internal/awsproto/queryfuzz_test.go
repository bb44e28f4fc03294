package awsproto

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go/middleware"
)

// queryFuzzTarget is an ELBv2 operation whose input the fuzzer decodes
// into and the real SDK serializes again.
type queryFuzzTarget struct {
	op    string
	newIn func() any
	send  func(ctx context.Context, c *elbv2.Client, in any) error
}

func fuzzOp[I, O any](op string, m func(*elbv2.Client, context.Context, *I, ...func(*elbv2.Options)) (*O, error)) queryFuzzTarget {
	return queryFuzzTarget{
		op:    op,
		newIn: func() any { return new(I) },
		send: func(ctx context.Context, c *elbv2.Client, in any) error {
			_, err := m(c, ctx, in.(*I))
			return err
		},
	}
}

var queryFuzzTargets = []queryFuzzTarget{
	fuzzOp("CreateTargetGroup", (*elbv2.Client).CreateTargetGroup),
	fuzzOp("CreateListener", (*elbv2.Client).CreateListener),
	fuzzOp("CreateRule", (*elbv2.Client).CreateRule),
	fuzzOp("RegisterTargets", (*elbv2.Client).RegisterTargets),
	fuzzOp("ModifyRule", (*elbv2.Client).ModifyRule),
	fuzzOp("DescribeTargetHealth", (*elbv2.Client).DescribeTargetHealth),
	fuzzOp("CreateLoadBalancer", (*elbv2.Client).CreateLoadBalancer),
	fuzzOp("ModifyLoadBalancerAttributes", (*elbv2.Client).ModifyLoadBalancerAttributes),
	fuzzOp("SetRulePriorities", (*elbv2.Client).SetRulePriorities),
}

// captureDoer is an in-process HTTP client: it keeps the last request body
// and answers with an empty result of the operation, so the SDK's own
// serializer can be driven without a network.
type captureDoer struct {
	mu   sync.Mutex
	body []byte
}

func (c *captureDoer) Do(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	values, _ := url.ParseQuery(string(body))
	c.mu.Lock()
	c.body = body
	c.mu.Unlock()
	op := values.Get("Action")
	reply, _ := EncodeQuery(ELBv2Namespace, op, "fuzz", nil)
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": []string{"text/xml"}},
		Body:       io.NopCloser(bytes.NewReader(reply)),
		Request:    r,
	}, nil
}

func (c *captureDoer) last() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.body
}

// withoutValidation lets the SDK serialize inputs that lack required
// members, as fuzzed inputs often do.
func withoutValidation(stack *middleware.Stack) error {
	_, err := stack.Initialize.Remove("OperationInputValidation")
	if err != nil && !strings.Contains(err.Error(), "not found") {
		return err
	}
	return nil
}

func captureClient(doer *captureDoer) *elbv2.Client {
	return elbv2.NewFromConfig(testConfig(), func(o *elbv2.Options) {
		o.BaseEndpoint = aws.String("http://elbv2.fuzz")
		o.HTTPClient = doer
		o.APIOptions = append(o.APIOptions, withoutValidation)
	})
}

// FuzzDecodeQuery checks that no parameter set makes DecodeQuery panic or
// fail with anything but a *ValidationError, and that whatever it accepts
// is canonical: serialized again by the real SDK and decoded once more, it
// is the same value.
func FuzzDecodeQuery(f *testing.F) {
	doer := &captureDoer{}
	client := captureClient(doer)
	for _, seed := range querySeedBodies(f, client, doer) {
		f.Add(seed.target, string(seed.body))
	}
	for _, body := range []string{
		"", "Names=", "Tags=x", "Targets.member.1.Port=abc", "Targets.member.0.Id=a", "Targets.member.01.Id=a",
		"Conditions.member.1.Values=&Conditions.member.2.Field=", "Actions.member.1.Type=&Actions.member.2.Order=1",
		"Attributes.member.3.Key=a&Attributes.member.1.Value=&Attributes.member.1", "Port=+80&HealthCheckEnabled=True",
		"Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value.x=1&Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key=",
		"Matcher.HttpCode.member.1=2&Matcher=", "a..b=1&.=2&Name.=3", "%zz=1",
	} {
		for i := range queryFuzzTargets {
			f.Add(uint8(i), body)
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, body string) {
		ft := queryFuzzTargets[int(target)%len(queryFuzzTargets)]
		values, _ := url.ParseQuery(body) // keeps the pairs that parse
		first, ok := fuzzDecodeQuery(t, ft, values)
		if !ok {
			return
		}
		if err := ft.send(context.Background(), client, first); err != nil {
			t.Fatalf("SDK could not send %#v: %v", first, err)
		}
		wire := doer.last()
		again, err := url.ParseQuery(string(wire))
		if err != nil {
			t.Fatalf("SDK body %q does not parse: %v", wire, err)
		}
		second, ok := fuzzDecodeQuery(t, ft, again)
		if !ok {
			t.Fatalf("re-decoding the SDK body %s failed", wire)
		}
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("not canonical for %q\nSDK sent %s\nfirst  %s\nsecond %s", body, wire, mustEncode(t, first, AsIs), mustEncode(t, second, AsIs))
		}
	})
}

func fuzzDecodeQuery(t *testing.T, ft queryFuzzTarget, values url.Values) (any, bool) {
	in := ft.newIn()
	err := DecodeQuery(values, in)
	var ve *ValidationError
	if err != nil && !errors.As(err, &ve) {
		t.Fatalf("DecodeQuery(%v) returned %T %v, want *ValidationError", values, err, err)
	}
	return in, err == nil
}

type querySeed struct {
	target uint8
	body   []byte
}

// querySeedBodies captures what the SDK sends for realistic inputs.
func querySeedBodies(tb testing.TB, client *elbv2.Client, doer *captureDoer) []querySeed {
	inputs := map[string]any{
		"CreateTargetGroup": &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: "HTTP", Port: aws.Int32(80), VpcId: aws.String("vpc-1"),
			Matcher: &elbtypes.Matcher{HttpCode: aws.String("200")}, HealthCheckPath: aws.String("/"), Tags: []elbtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}},
		"CreateListener":       &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(443), Protocol: "HTTPS", DefaultActions: richActions()},
		"CreateRule":           &elbv2.CreateRuleInput{ListenerArn: aws.String(lsnARN), Priority: aws.Int32(1), Conditions: richConditions(), Actions: []elbtypes.Action{forwardWeighted()}},
		"RegisterTargets":      &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(tgARN), Targets: []elbtypes.TargetDescription{{Id: aws.String("10.0.0.1"), Port: aws.Int32(80)}}},
		"ModifyRule":           &elbv2.ModifyRuleInput{RuleArn: aws.String(rulARN), Conditions: []elbtypes.RuleCondition{}, Actions: richActions()},
		"DescribeTargetHealth": &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN), Include: []elbtypes.DescribeTargetHealthInputIncludeEnum{"All"}},
		"CreateLoadBalancer":   &elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"subnet-1", "subnet-2"}, SubnetMappings: []elbtypes.SubnetMapping{{SubnetId: aws.String("subnet-3")}}},
		"ModifyLoadBalancerAttributes": &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lbARN), Attributes: []elbtypes.LoadBalancerAttribute{
			{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("30")}}},
		"SetRulePriorities": &elbv2.SetRulePrioritiesInput{RulePriorities: []elbtypes.RulePriorityPair{{RuleArn: aws.String(rulARN), Priority: aws.Int32(3)}}},
	}
	var seeds []querySeed
	for i, ft := range queryFuzzTargets {
		in, ok := inputs[ft.op]
		if !ok {
			tb.Fatalf("no seed input for %s", ft.op)
		}
		if err := ft.send(context.Background(), client, in); err != nil {
			tb.Fatalf("capturing seed for %s: %v", ft.op, err)
		}
		seeds = append(seeds, querySeed{uint8(i), doer.last()})
	}
	return seeds
}
