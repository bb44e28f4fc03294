package awsproto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// queryFake is an httptest handler in the shape of the ELBv2 adapter:
// classify, parse the form, decode into a fresh input, answer through
// WriteQuery or WriteQueryError. reply computes the answer from the
// decoded input.
type queryFake struct {
	t     *testing.T
	op    string
	in    reflect.Type
	reply func(in any) any

	mu      sync.Mutex
	decoded []any
	bodies  []string
}

func newQueryFake(t *testing.T, op string, in any, reply func(any) any) *queryFake {
	t.Helper()
	return &queryFake{t: t, op: op, in: reflect.TypeOf(in).Elem(), reply: reply}
}

func (f *queryFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	reqID := NewRequestID()
	route, err := testRouter.Classify(r, body, "us-east-1")
	if err != nil || route.Service != "elbv2" || route.Operation != f.op {
		f.t.Errorf("Classify = %+v, %v; want ELBv2 %s", route, err, f.op)
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		f.t.Errorf("ParseQuery(%s): %v", body, err)
	}
	in := reflect.New(f.in).Interface()
	if err := DecodeQuery(values, in); err != nil {
		f.t.Errorf("DecodeQuery(%s): %v", body, err)
	}
	f.mu.Lock()
	f.decoded, f.bodies = append(f.decoded, in), append(f.bodies, string(body))
	f.mu.Unlock()
	reply := f.reply(in)
	if replyErr, ok := reply.(error); ok {
		WriteQueryError(w, reqID, ELBv2Namespace, replyErr, ELBv2Status)
		return
	}
	if err := WriteQuery(w, reqID, ELBv2Namespace, route.Operation, reply); err != nil {
		f.t.Errorf("WriteQuery: %v", err)
	}
}

func (f *queryFake) last() (any, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.decoded) == 0 {
		return nil, ""
	}
	return f.decoded[len(f.decoded)-1], f.bodies[len(f.bodies)-1]
}

func elbv2Client(url string) *elbv2.Client {
	return elbv2.NewFromConfig(testConfig(), func(o *elbv2.Options) { o.BaseEndpoint = aws.String(url) })
}

func runQueryRoundTrip(t *testing.T, tc roundTrip[elbv2.Client]) {
	t.Helper()
	fake := newQueryFake(t, tc.op, tc.in, func(any) any { return tc.out })
	srv := httptest.NewServer(fake)
	defer srv.Close()

	got, err := tc.invoke(context.Background(), elbv2Client(srv.URL))
	if err != nil {
		t.Fatalf("%s: %v", tc.op, err)
	}
	decoded, body := fake.last()
	t.Logf("request body: %s", body)
	if !reflect.DeepEqual(decoded, tc.in) {
		t.Errorf("server decoded a different input\nwire: %s\ngot:  %s\nwant: %s", body, mustEncode(t, decoded, AsIs), mustEncode(t, tc.in, AsIs))
	}
	clearResultMetadata(got)
	if !reflect.DeepEqual(got, tc.out) {
		xml, _ := EncodeQuery(ELBv2Namespace, tc.op, "r", tc.out)
		t.Errorf("client decoded a different output\nwire: %s\ngot:  %s\nwant: %s", xml, mustEncode(t, got, AsIs), mustEncode(t, tc.out, AsIs))
	}
}

const (
	lbARN  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/50dc6c495c0c9188"
	tgARN  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/73e2d6bc24d8a067"
	tg2ARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/canary/83e2d6bc24d8a067"
	lsnARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
	rulARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"
)

func loadBalancer() elbtypes.LoadBalancer {
	return elbtypes.LoadBalancer{
		LoadBalancerArn:       aws.String(lbARN),
		LoadBalancerName:      aws.String("web"),
		DNSName:               aws.String("web-424835706.us-east-1.elb.amazonaws.com"),
		CanonicalHostedZoneId: aws.String("Z35SXDOTRQ7X7K"),
		CreatedTime:           ms(2016, 3, 25, 21, 26, 12, 920),
		Scheme:                elbtypes.LoadBalancerSchemeEnumInternetFacing,
		Type:                  elbtypes.LoadBalancerTypeEnumApplication,
		IpAddressType:         elbtypes.IpAddressTypeIpv4,
		VpcId:                 aws.String("vpc-3ac0fb5f"),
		State:                 &elbtypes.LoadBalancerState{Code: elbtypes.LoadBalancerStateEnumProvisioning},
		SecurityGroups:        []string{"sg-5943793c"},
		AvailabilityZones: []elbtypes.AvailabilityZone{
			{ZoneName: aws.String("us-east-1a"), SubnetId: aws.String("subnet-8360a9e7"), LoadBalancerAddresses: []elbtypes.LoadBalancerAddress{}},
			{ZoneName: aws.String("us-east-1b"), SubnetId: aws.String("subnet-b7d581c0"), LoadBalancerAddresses: []elbtypes.LoadBalancerAddress{}},
		},
	}
}

func forwardWeighted() elbtypes.Action {
	return elbtypes.Action{
		Type: elbtypes.ActionTypeEnumForward,
		ForwardConfig: &elbtypes.ForwardActionConfig{
			TargetGroups: []elbtypes.TargetGroupTuple{
				{TargetGroupArn: aws.String(tgARN), Weight: aws.Int32(90)},
				{TargetGroupArn: aws.String(tg2ARN), Weight: aws.Int32(10)},
			},
			TargetGroupStickinessConfig: &elbtypes.TargetGroupStickinessConfig{Enabled: aws.Bool(true), DurationSeconds: aws.Int32(3600)},
		},
	}
}

func richActions() []elbtypes.Action {
	return []elbtypes.Action{
		{
			Type:  elbtypes.ActionTypeEnumAuthenticateOidc,
			Order: aws.Int32(1),
			AuthenticateOidcConfig: &elbtypes.AuthenticateOidcActionConfig{
				Issuer:                           aws.String("https://idp.example.com"),
				AuthorizationEndpoint:            aws.String("https://idp.example.com/auth"),
				TokenEndpoint:                    aws.String("https://idp.example.com/token"),
				UserInfoEndpoint:                 aws.String("https://idp.example.com/userinfo"),
				ClientId:                         aws.String("client"),
				AuthenticationRequestExtraParams: map[string]string{"prompt": "login", "display": "page & <more>", "empty": ""},
				SessionTimeout:                   aws.Int64(604800),
				OnUnauthenticatedRequest:         elbtypes.AuthenticateOidcActionConditionalBehaviorEnumAuthenticate,
			},
		},
		func() elbtypes.Action { a := forwardWeighted(); a.Order = aws.Int32(2); return a }(),
	}
}

func richConditions() []elbtypes.RuleCondition {
	return []elbtypes.RuleCondition{
		{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{"/api/*", "/v2/*"}}},
		{Field: aws.String("host-header"), Values: []string{"*.example.com"}},
		{Field: aws.String("http-header"), HttpHeaderConfig: &elbtypes.HttpHeaderConditionConfig{HttpHeaderName: aws.String("X-Env"), Values: []string{"blue", "green"}}},
		{Field: aws.String("query-string"), QueryStringConfig: &elbtypes.QueryStringConditionConfig{Values: []elbtypes.QueryStringKeyValuePair{
			{Key: aws.String("version"), Value: aws.String("v1")},
			{Value: aws.String("*example*")},
		}}},
		{Field: aws.String("source-ip"), SourceIpConfig: &elbtypes.SourceIpConditionConfig{Values: []string{"10.0.0.0/8", "2001:db8::/32"}}},
		{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &elbtypes.HttpRequestMethodConditionConfig{Values: []string{"GET", "HEAD"}}},
	}
}

func TestELBv2RoundTrips(t *testing.T) {
	tags := []elbtypes.Tag{{Key: aws.String("env"), Value: aws.String("dev")}, {Key: aws.String("empty"), Value: aws.String("")}}

	clbIn := &elbv2.CreateLoadBalancerInput{
		Name:           aws.String("web"),
		Subnets:        []string{"subnet-8360a9e7", "subnet-b7d581c0"},
		SecurityGroups: []string{"sg-5943793c"},
		Scheme:         elbtypes.LoadBalancerSchemeEnumInternetFacing,
		Type:           elbtypes.LoadBalancerTypeEnumApplication,
		IpAddressType:  elbtypes.IpAddressTypeIpv4,
		Tags:           tags,
	}
	clbOut := &elbv2.CreateLoadBalancerOutput{LoadBalancers: []elbtypes.LoadBalancer{loadBalancer()}}

	ctgIn := &elbv2.CreateTargetGroupInput{
		Name:                       aws.String("web"),
		Protocol:                   elbtypes.ProtocolEnumHttp,
		ProtocolVersion:            aws.String("HTTP1"),
		Port:                       aws.Int32(80),
		VpcId:                      aws.String("vpc-3ac0fb5f"),
		TargetType:                 elbtypes.TargetTypeEnumIp,
		HealthCheckEnabled:         aws.Bool(true),
		HealthCheckProtocol:        elbtypes.ProtocolEnumHttp,
		HealthCheckPort:            aws.String("traffic-port"),
		HealthCheckPath:            aws.String("/health?full=1&x=<y>"),
		HealthCheckIntervalSeconds: aws.Int32(10),
		HealthCheckTimeoutSeconds:  aws.Int32(5),
		HealthyThresholdCount:      aws.Int32(2),
		UnhealthyThresholdCount:    aws.Int32(3),
		Matcher:                    &elbtypes.Matcher{HttpCode: aws.String("200-299")},
		IpAddressType:              elbtypes.TargetGroupIpAddressTypeEnumIpv4,
		Tags:                       tags[:1],
	}
	ctgOut := &elbv2.CreateTargetGroupOutput{TargetGroups: []elbtypes.TargetGroup{{
		TargetGroupArn:             aws.String(tgARN),
		TargetGroupName:            aws.String("web"),
		Protocol:                   elbtypes.ProtocolEnumHttp,
		ProtocolVersion:            aws.String("HTTP1"),
		Port:                       aws.Int32(80),
		VpcId:                      aws.String("vpc-3ac0fb5f"),
		HealthCheckEnabled:         aws.Bool(true),
		HealthCheckProtocol:        elbtypes.ProtocolEnumHttp,
		HealthCheckPort:            aws.String("traffic-port"),
		HealthCheckPath:            aws.String("/health?full=1&x=<y>"),
		HealthCheckIntervalSeconds: aws.Int32(10),
		HealthCheckTimeoutSeconds:  aws.Int32(5),
		HealthyThresholdCount:      aws.Int32(2),
		UnhealthyThresholdCount:    aws.Int32(3),
		Matcher:                    &elbtypes.Matcher{HttpCode: aws.String("200-299")},
		LoadBalancerArns:           []string{}, // empty but present: must survive as []
		TargetType:                 elbtypes.TargetTypeEnumIp,
		IpAddressType:              elbtypes.TargetGroupIpAddressTypeEnumIpv4,
	}}}

	redirect := elbtypes.Action{Type: elbtypes.ActionTypeEnumRedirect, RedirectConfig: &elbtypes.RedirectActionConfig{
		Protocol: aws.String("HTTPS"), Port: aws.String("443"), Host: aws.String("#{host}"), Path: aws.String("/#{path}"),
		Query: aws.String("#{query}"), StatusCode: elbtypes.RedirectActionStatusCodeEnumHttp301,
	}}
	fixed := elbtypes.Action{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{
		StatusCode: aws.String("503"), ContentType: aws.String("text/plain"), MessageBody: aws.String("down\nfor <maintenance> & \"more\""),
	}}
	listener := func(port int32, proto elbtypes.ProtocolEnum, actions ...elbtypes.Action) *elbv2.CreateListenerInput {
		return &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(port), Protocol: proto, DefaultActions: actions}
	}
	clForwardIn := listener(80, elbtypes.ProtocolEnumHttp, forwardWeighted())
	clForwardIn.Tags = tags
	clRedirectIn := listener(8080, elbtypes.ProtocolEnumHttp, redirect)
	clFixedIn := listener(443, elbtypes.ProtocolEnumHttps, richActions()...)
	clFixedIn.Certificates = []elbtypes.Certificate{{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/1")}}
	clFixedIn.SslPolicy = aws.String("ELBSecurityPolicy-2016-08")
	clFixedIn.AlpnPolicy = []string{"HTTP2Preferred"}
	clOut := func(in *elbv2.CreateListenerInput) *elbv2.CreateListenerOutput {
		return &elbv2.CreateListenerOutput{Listeners: []elbtypes.Listener{{
			ListenerArn: aws.String(lsnARN), LoadBalancerArn: in.LoadBalancerArn, Port: in.Port, Protocol: in.Protocol,
			DefaultActions: in.DefaultActions, Certificates: in.Certificates, SslPolicy: in.SslPolicy, AlpnPolicy: in.AlpnPolicy,
		}}}
	}
	clFixed2In := listener(81, elbtypes.ProtocolEnumHttp, fixed)

	crIn := &elbv2.CreateRuleInput{ListenerArn: aws.String(lsnARN), Priority: aws.Int32(10), Conditions: richConditions(), Actions: []elbtypes.Action{forwardWeighted()}, Tags: tags}
	crOut := &elbv2.CreateRuleOutput{Rules: []elbtypes.Rule{{
		RuleArn: aws.String(rulARN), Priority: aws.String("10"), IsDefault: aws.Bool(false), Conditions: richConditions(), Actions: []elbtypes.Action{forwardWeighted()},
	}}}

	rtIn := &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(tgARN), Targets: []elbtypes.TargetDescription{
		{Id: aws.String("10.0.0.1"), Port: aws.Int32(8080)},
		{Id: aws.String("10.0.0.2"), Port: aws.Int32(8081), AvailabilityZone: aws.String("all")},
		{Id: aws.String("10.0.0.3")},
	}}
	rtOut := &elbv2.RegisterTargetsOutput{}

	dthIn := &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN), Include: []elbtypes.DescribeTargetHealthInputIncludeEnum{elbtypes.DescribeTargetHealthInputIncludeEnumAll}}
	dthOut := &elbv2.DescribeTargetHealthOutput{TargetHealthDescriptions: []elbtypes.TargetHealthDescription{
		{
			Target:          &elbtypes.TargetDescription{Id: aws.String("10.0.0.1"), Port: aws.Int32(8080), AvailabilityZone: aws.String("us-east-1a")},
			HealthCheckPort: aws.String("8080"),
			TargetHealth:    &elbtypes.TargetHealth{State: elbtypes.TargetHealthStateEnumHealthy},
			AnomalyDetection: &elbtypes.AnomalyDetection{
				Result: elbtypes.AnomalyResultEnumNormal, MitigationInEffect: elbtypes.MitigationInEffectEnumNo,
			},
			AdministrativeOverride: &elbtypes.AdministrativeOverride{
				State: elbtypes.TargetAdministrativeOverrideStateEnumNoOverride, Reason: elbtypes.TargetAdministrativeOverrideReasonEnumNoOverrideEngaged,
				Description: aws.String("No override is currently active on target"),
			},
		},
		{
			Target:          &elbtypes.TargetDescription{Id: aws.String("10.0.0.2"), Port: aws.Int32(8081)},
			HealthCheckPort: aws.String("8081"),
			TargetHealth: &elbtypes.TargetHealth{
				State: elbtypes.TargetHealthStateEnumUnhealthy, Reason: elbtypes.TargetHealthReasonEnumResponseCodeMismatch,
				Description: aws.String("Health checks failed with these codes: [502]"),
			},
		},
	}}

	dlbIn := &elbv2.DescribeLoadBalancersInput{Names: []string{"web"}, Marker: aws.String("m-1"), PageSize: aws.Int32(1)}
	lb := loadBalancer()
	lb.State = &elbtypes.LoadBalancerState{Code: elbtypes.LoadBalancerStateEnumFailed, Reason: aws.String("subnet gone")}
	dlbOut := &elbv2.DescribeLoadBalancersOutput{LoadBalancers: []elbtypes.LoadBalancer{lb}, NextMarker: aws.String("m-2")}

	dtgIn := &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{tgARN, tg2ARN}}
	dtgOut := &elbv2.DescribeTargetGroupsOutput{TargetGroups: ctgOut.TargetGroups}

	mtgaIn := &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(tgARN), Attributes: []elbtypes.TargetGroupAttribute{
		{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")},
		{Key: aws.String("stickiness.app_cookie.cookie_name"), Value: aws.String("")},
	}}
	mtgaOut := &elbv2.ModifyTargetGroupAttributesOutput{Attributes: []elbtypes.TargetGroupAttribute{
		{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")},
		{Key: aws.String("stickiness.enabled"), Value: aws.String("false")},
		{Key: aws.String("stickiness.app_cookie.cookie_name"), Value: aws.String("")},
	}}

	dtIn := &elbv2.DescribeTagsInput{ResourceArns: []string{lbARN, tgARN}}
	dtOut := &elbv2.DescribeTagsOutput{TagDescriptions: []elbtypes.TagDescription{
		{ResourceArn: aws.String(lbARN), Tags: tags},
		{ResourceArn: aws.String(tgARN), Tags: []elbtypes.Tag{}},
	}}

	dtgdIn := &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(tgARN)}
	dtgdOut := &elbv2.DeleteTargetGroupOutput{}

	// An empty list is sent as "Name=" and must come back empty, not nil.
	emptyIn := &elbv2.DescribeListenersInput{ListenerArns: []string{}, LoadBalancerArn: aws.String(lbARN)}
	emptyOut := &elbv2.DescribeListenersOutput{Listeners: []elbtypes.Listener{}}

	srpIn := &elbv2.SetRulePrioritiesInput{RulePriorities: []elbtypes.RulePriorityPair{{RuleArn: aws.String(rulARN), Priority: aws.Int32(5)}}}
	srpOut := &elbv2.SetRulePrioritiesOutput{Rules: []elbtypes.Rule{{RuleArn: aws.String(rulARN), Priority: aws.String("5"), IsDefault: aws.Bool(false), Conditions: []elbtypes.RuleCondition{}, Actions: []elbtypes.Action{fixed}}}}

	dcrIn := &elbv2.DescribeCapacityReservationInput{LoadBalancerArn: aws.String(lbARN)}
	dcrOut := &elbv2.DescribeCapacityReservationOutput{
		LastModifiedTime:            ms(2025, 6, 1, 0, 0, 0, 0),
		DecreaseRequestsRemaining:   aws.Int32(3),
		MinimumLoadBalancerCapacity: &elbtypes.MinimumLoadBalancerCapacity{CapacityUnits: aws.Int32(100)},
		CapacityReservationState: []elbtypes.ZonalCapacityReservationState{{
			AvailabilityZone: aws.String("us-east-1a"), EffectiveCapacityUnits: aws.Float64(50.5),
			State: &elbtypes.CapacityReservationStatus{Code: elbtypes.CapacityReservationStateEnumProvisioned},
		}},
	}

	tests := []roundTrip[elbv2.Client]{
		{"CreateLoadBalancer", "CreateLoadBalancer", clbIn, clbOut, call((*elbv2.Client).CreateLoadBalancer, clbIn)},
		{"CreateTargetGroup with health check and matcher", "CreateTargetGroup", ctgIn, ctgOut, call((*elbv2.Client).CreateTargetGroup, ctgIn)},
		{"CreateListener weighted forward", "CreateListener", clForwardIn, clOut(clForwardIn), call((*elbv2.Client).CreateListener, clForwardIn)},
		{"CreateListener redirect", "CreateListener", clRedirectIn, clOut(clRedirectIn), call((*elbv2.Client).CreateListener, clRedirectIn)},
		{"CreateListener HTTPS oidc + forward (map member)", "CreateListener", clFixedIn, clOut(clFixedIn), call((*elbv2.Client).CreateListener, clFixedIn)},
		{"CreateListener fixed-response", "CreateListener", clFixed2In, clOut(clFixed2In), call((*elbv2.Client).CreateListener, clFixed2In)},
		{"CreateRule with every condition", "CreateRule", crIn, crOut, call((*elbv2.Client).CreateRule, crIn)},
		{"RegisterTargets", "RegisterTargets", rtIn, rtOut, call((*elbv2.Client).RegisterTargets, rtIn)},
		{"DescribeTargetHealth", "DescribeTargetHealth", dthIn, dthOut, call((*elbv2.Client).DescribeTargetHealth, dthIn)},
		{"DescribeLoadBalancers with Marker", "DescribeLoadBalancers", dlbIn, dlbOut, call((*elbv2.Client).DescribeLoadBalancers, dlbIn)},
		{"DescribeTargetGroups", "DescribeTargetGroups", dtgIn, dtgOut, call((*elbv2.Client).DescribeTargetGroups, dtgIn)},
		{"ModifyTargetGroupAttributes", "ModifyTargetGroupAttributes", mtgaIn, mtgaOut, call((*elbv2.Client).ModifyTargetGroupAttributes, mtgaIn)},
		{"DescribeTags", "DescribeTags", dtIn, dtOut, call((*elbv2.Client).DescribeTags, dtIn)},
		{"DeleteTargetGroup empty result", "DeleteTargetGroup", dtgdIn, dtgdOut, call((*elbv2.Client).DeleteTargetGroup, dtgdIn)},
		{"empty list in and out", "DescribeListeners", emptyIn, emptyOut, call((*elbv2.Client).DescribeListeners, emptyIn)},
		{"SetRulePriorities", "SetRulePriorities", srpIn, srpOut, call((*elbv2.Client).SetRulePriorities, srpIn)},
		{"DescribeCapacityReservation (float, time)", "DescribeCapacityReservation", dcrIn, dcrOut, call((*elbv2.Client).DescribeCapacityReservation, dcrIn)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runQueryRoundTrip(t, tc) })
	}
}

// TestELBv2MarkerPaging drives the SDK paginator through three pages.
func TestELBv2MarkerPaging(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e"}
	fake := newQueryFake(t, "DescribeLoadBalancers", &elbv2.DescribeLoadBalancersInput{}, func(in any) any {
		req := in.(*elbv2.DescribeLoadBalancersInput)
		start := 0
		if req.Marker != nil {
			fmt.Sscanf(*req.Marker, "after-%d", &start)
		}
		end := min(start+int(aws.ToInt32(req.PageSize)), len(names))
		out := &elbv2.DescribeLoadBalancersOutput{LoadBalancers: []elbtypes.LoadBalancer{}}
		for _, n := range names[start:end] {
			out.LoadBalancers = append(out.LoadBalancers, elbtypes.LoadBalancer{LoadBalancerName: aws.String(n)})
		}
		if end < len(names) {
			out.NextMarker = aws.String(fmt.Sprintf("after-%d", end))
		}
		return out
	})
	srv := httptest.NewServer(fake)
	defer srv.Close()

	p := elbv2.NewDescribeLoadBalancersPaginator(elbv2Client(srv.URL), &elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(2)})
	var got []string
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, lb := range out.LoadBalancers {
			got = append(got, aws.ToString(lb.LoadBalancerName))
		}
	}
	if pages != 3 || !reflect.DeepEqual(got, names) {
		t.Errorf("got %d pages %v, want 3 pages %v", pages, got, names)
	}
}

func callELBv2WithError(t *testing.T, reply error) error {
	t.Helper()
	fake := newQueryFake(t, "DescribeTargetHealth", &elbv2.DescribeTargetHealthInput{}, func(any) any { return reply })
	srv := httptest.NewServer(fake)
	defer srv.Close()
	_, err := elbv2Client(srv.URL).DescribeTargetHealth(context.Background(), &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN)})
	return requireError(t, err)
}

func TestELBv2ErrorRoundTrips(t *testing.T) {
	t.Run("TargetGroupNotFound", func(t *testing.T) {
		want := &elbtypes.TargetGroupNotFoundException{Message: aws.String("One or more target groups not found")}
		err := callELBv2WithError(t, want)
		var got *elbtypes.TargetGroupNotFoundException
		if !errors.As(err, &got) {
			t.Fatalf("error %T %v is not a TargetGroupNotFoundException", err, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
		assertStatus(t, err, http.StatusBadRequest)
	})
	t.Run("code differing from the shape name (ALPNPolicyNotFound)", func(t *testing.T) {
		err := callELBv2WithError(t, &elbtypes.ALPNPolicyNotSupportedException{Message: aws.String("bad alpn")})
		var got *elbtypes.ALPNPolicyNotSupportedException
		if !errors.As(err, &got) || aws.ToString(got.Message) != "bad alpn" {
			t.Fatalf("error %T %v is not ALPNPolicyNotSupportedException", err, err)
		}
	})
	t.Run("HealthUnavailable is 500", func(t *testing.T) {
		err := callELBv2WithError(t, &elbtypes.HealthUnavailableException{Message: aws.String("later")})
		var got *elbtypes.HealthUnavailableException
		if !errors.As(err, &got) {
			t.Fatalf("error %T %v is not HealthUnavailableException", err, err)
		}
		assertStatus(t, err, http.StatusInternalServerError)
	})
	t.Run("PriorRequestNotComplete is 429", func(t *testing.T) {
		err := callELBv2WithError(t, &elbtypes.PriorRequestNotCompleteException{Message: aws.String("wait")})
		var got *elbtypes.PriorRequestNotCompleteException
		if !errors.As(err, &got) {
			t.Fatalf("error %T %v is not PriorRequestNotCompleteException", err, err)
		}
		assertStatus(t, err, http.StatusTooManyRequests)
	})
	t.Run("ValidationError is a generic API error", func(t *testing.T) {
		err := callELBv2WithError(t, &ValidationError{Message: "bad"})
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != "ValidationError" || api.ErrorMessage() != "bad" {
			t.Fatalf("error %T %v, want ValidationError/bad", err, err)
		}
		assertStatus(t, err, http.StatusBadRequest)
	})
	t.Run("non-API error becomes InternalFailure", func(t *testing.T) {
		err := callELBv2WithError(t, errors.New("bug"))
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != "InternalFailure" {
			t.Fatalf("error %T %v, want InternalFailure", err, err)
		}
		assertStatus(t, err, http.StatusInternalServerError)
	})
}

func TestELBv2Status(t *testing.T) {
	tests := []struct {
		code  string
		fault smithy.ErrorFault
		want  int
	}{
		{"TargetGroupNotFound", smithy.FaultClient, 400},
		{"ValidationError", smithy.FaultClient, 400},
		{"PriorRequestNotComplete", smithy.FaultClient, 429},
		{"HealthUnavailable", smithy.FaultServer, 500},
		{"InsufficientCapacity", smithy.FaultServer, 500},
	}
	for _, tc := range tests {
		if got := ELBv2Status(tc.code, tc.fault); got != tc.want {
			t.Errorf("ELBv2Status(%s) = %d, want %d", tc.code, got, tc.want)
		}
	}
}

func TestDecodeQuery(t *testing.T) {
	tests := []struct {
		name  string
		query string
		into  any
		want  any
	}{
		{
			"scalars, enums, Action and Version skipped",
			"Action=CreateTargetGroup&Version=2015-12-01&Name=web&Port=80&Protocol=HTTP&HealthCheckEnabled=TRUE",
			&elbv2.CreateTargetGroupInput{},
			&elbv2.CreateTargetGroupInput{Name: aws.String("web"), Port: aws.Int32(80), Protocol: elbtypes.ProtocolEnumHttp, HealthCheckEnabled: aws.Bool(true)},
		},
		{
			"list items in index order, gaps closed",
			"Names.member.10=c&Names.member.2=b&Names.member.1=a",
			&elbv2.DescribeLoadBalancersInput{},
			&elbv2.DescribeLoadBalancersInput{Names: []string{"a", "b", "c"}},
		},
		{
			"empty list marker",
			"Names=",
			&elbv2.DescribeLoadBalancersInput{},
			&elbv2.DescribeLoadBalancersInput{Names: []string{}},
		},
		{
			"empty string member",
			"Names.member.1=",
			&elbv2.DescribeLoadBalancersInput{},
			&elbv2.DescribeLoadBalancersInput{Names: []string{""}},
		},
		{
			"unknown members ignored; struct without known members absent",
			"Bogus=1&Matcher.Nope=2&TargetGroupArn=x&Matcher=",
			&elbv2.ModifyTargetGroupInput{},
			&elbv2.ModifyTargetGroupInput{TargetGroupArn: aws.String("x")},
		},
		{
			"list item without known members dropped",
			"TargetGroupArn=x&Targets.member.1.Nope=1&Targets.member.2.Id=10.0.0.1",
			&elbv2.RegisterTargetsInput{},
			&elbv2.RegisterTargetsInput{TargetGroupArn: aws.String("x"), Targets: []elbtypes.TargetDescription{{Id: aws.String("10.0.0.1")}}},
		},
		{
			"nested lists and maps",
			"Actions.member.1.Type=authenticate-oidc&Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key=a" +
				"&Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value=1" +
				"&Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.2.key=b" +
				"&Actions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.3.value=orphan" +
				"&Conditions.member.1.Field=http-header&Conditions.member.1.HttpHeaderConfig.Values.member.1=v",
			&elbv2.CreateRuleInput{},
			&elbv2.CreateRuleInput{
				Actions: []elbtypes.Action{{Type: "authenticate-oidc", AuthenticateOidcConfig: &elbtypes.AuthenticateOidcActionConfig{
					AuthenticationRequestExtraParams: map[string]string{"a": "1", "b": ""},
				}}},
				Conditions: []elbtypes.RuleCondition{{Field: aws.String("http-header"), HttpHeaderConfig: &elbtypes.HttpHeaderConditionConfig{Values: []string{"v"}}}},
			},
		},
		{
			"int64 and repeated key keeps the first value",
			"Actions.member.1.AuthenticateCognitoConfig.SessionTimeout=604800",
			&elbv2.ModifyRuleInput{},
			&elbv2.ModifyRuleInput{Actions: []elbtypes.Action{{AuthenticateCognitoConfig: &elbtypes.AuthenticateCognitoActionConfig{SessionTimeout: aws.Int64(604800)}}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			values, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if err := DecodeQuery(values, tc.into); err != nil {
				t.Fatalf("DecodeQuery: %v", err)
			}
			if !reflect.DeepEqual(tc.into, tc.want) {
				t.Errorf("got  %s\nwant %s", mustEncode(t, tc.into, AsIs), mustEncode(t, tc.want, AsIs))
			}
		})
	}
}

func TestDecodeQueryErrors(t *testing.T) {
	tests := []struct {
		name, query, wantPart string
	}{
		{"not an integer", "Port=eighty", "'Port'"},
		{"integer overflow", "Port=4294967296", "32 bits"},
		{"not a boolean", "HealthCheckEnabled=yes", "boolean"},
		{"bad list index", "Tags.member.x.Key=a", "index 'x'"},
		{"zero list index", "Tags.member.0.Key=a", "index '0'"},
		{"leading zero index", "Tags.member.01.Key=a", "index '01'"},
		{"list given a value", "Tags=a", "a list"},
		{"nested bad value", "Matcher.HttpCode=200&HealthyThresholdCount=1.5", "'HealthyThresholdCount'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			values, _ := url.ParseQuery(tc.query)
			err := DecodeQuery(values, &elbv2.CreateTargetGroupInput{})
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("DecodeQuery(%s) = %T %v, want *ValidationError", tc.query, err, err)
			}
			if !strings.Contains(ve.Message, tc.wantPart) {
				t.Errorf("message %q does not mention %q", ve.Message, tc.wantPart)
			}
			if ve.ErrorCode() != "ValidationError" || ve.ErrorFault() != smithy.FaultClient {
				t.Errorf("code/fault = %s/%v", ve.ErrorCode(), ve.ErrorFault())
			}
		})
	}
	if err := DecodeQuery(url.Values{}, elbv2.CreateTargetGroupInput{}); err == nil {
		t.Error("DecodeQuery into a non-pointer succeeded")
	}
}

func TestEncodeQuery(t *testing.T) {
	out := &elbv2.DescribeTagsOutput{TagDescriptions: []elbtypes.TagDescription{
		{ResourceArn: aws.String("arn:a"), Tags: []elbtypes.Tag{{Key: aws.String("k"), Value: aws.String("a<b>&\"c\"\n")}}},
		{ResourceArn: aws.String("arn:b"), Tags: []elbtypes.Tag{}},
	}}
	got, err := EncodeQuery(ELBv2Namespace, "DescribeTags", "req-1", out)
	if err != nil {
		t.Fatal(err)
	}
	want := `<DescribeTagsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTagsResult>` +
		`<TagDescriptions><member><ResourceArn>arn:a</ResourceArn><Tags><member><Key>k</Key><Value>a&lt;b&gt;&amp;&#34;c&#34;&#xA;</Value></member></Tags></member>` +
		`<member><ResourceArn>arn:b</ResourceArn><Tags></Tags></member></TagDescriptions>` +
		`</DescribeTagsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeTagsResponse>`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	empty, err := EncodeQuery(ELBv2Namespace, "DeleteTargetGroup", "req-2", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantEmpty := `<DeleteTargetGroupResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DeleteTargetGroupResult></DeleteTargetGroupResult>` +
		`<ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></DeleteTargetGroupResponse>`
	if string(empty) != wantEmpty {
		t.Errorf("got  %s\nwant %s", empty, wantEmpty)
	}

	for _, bad := range []string{"", "Describe Tags", "<x>", "1Op"} {
		if _, err := EncodeQuery(ELBv2Namespace, bad, "r", nil); err == nil {
			t.Errorf("EncodeQuery(ELBv2Namespace, %q) succeeded", bad)
		}
	}
	if _, err := EncodeQuery(ELBv2Namespace, "Op", "r", 42); err == nil {
		t.Error("EncodeQuery of a non-struct succeeded")
	}
}

func TestWriteQuery(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := WriteQuery(rec, "req-9", ELBv2Namespace, "DeleteRule", &elbv2.DeleteRuleOutput{}); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/xml" || rec.Header().Get("x-amzn-RequestId") != "req-9" {
		t.Errorf("status %d, headers %v", rec.Code, rec.Header())
	}
	if !strings.Contains(rec.Body.String(), "<DeleteRuleResult></DeleteRuleResult>") {
		t.Errorf("body %s", rec.Body)
	}

	rec = httptest.NewRecorder()
	if err := WriteQuery(rec, "req-9", ELBv2Namespace, "bad action", nil); err == nil {
		t.Error("WriteQuery with a bad action succeeded")
	}
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "<Code>InternalFailure</Code>") {
		t.Errorf("status %d body %s, want InternalFailure", rec.Code, rec.Body)
	}
}
