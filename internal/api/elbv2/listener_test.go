package elbv2_test

import (
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

const certARN = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"

func TestCreateListener(t *testing.T) {
	e := newEnv(t)
	lb := e.lbARN(t, "web")
	blue, green := e.tg(t, "blue"), e.tg(t, "green")

	t.Run("forward to one group echoes both forms", func(t *testing.T) {
		l := must(e.c.CreateListener(ctx, &elbv2.CreateListenerInput{
			LoadBalancerArn: aws.String(lb), Port: aws.Int32(80), Protocol: types.ProtocolEnumHttp,
			DefaultActions: []types.Action{forward(blue)}, Tags: []types.Tag{tag("a", "b")},
		}))(t).Listeners[0]
		if !regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/[0-9a-f]{16}/[0-9a-f]{16}$`).MatchString(aws.ToString(l.ListenerArn)) {
			t.Errorf("ARN = %s", aws.ToString(l.ListenerArn))
		}
		want := []types.Action{{
			Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(blue),
			ForwardConfig: &types.ForwardActionConfig{
				TargetGroups:                []types.TargetGroupTuple{{TargetGroupArn: aws.String(blue), Weight: aws.Int32(1)}},
				TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(false)},
			},
		}}
		if !reflect.DeepEqual(l.DefaultActions, want) {
			t.Errorf("DefaultActions = %+v", l.DefaultActions)
		}
		if aws.ToString(l.LoadBalancerArn) != lb || aws.ToInt32(l.Port) != 80 || l.Protocol != types.ProtocolEnumHttp || l.SslPolicy != nil {
			t.Errorf("listener = %+v", l)
		}
		tg := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{blue}}))(t).TargetGroups[0]
		if !slices.Equal(tg.LoadBalancerArns, []string{lb}) {
			t.Errorf("target group LoadBalancerArns = %v", tg.LoadBalancerArns)
		}
	})

	t.Run("HTTPS weighted forward", func(t *testing.T) {
		l := must(e.c.CreateListener(ctx, &elbv2.CreateListenerInput{
			LoadBalancerArn: aws.String(lb), Port: aws.Int32(443), Protocol: types.ProtocolEnumHttps,
			Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}},
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
				TargetGroups:                []types.TargetGroupTuple{{TargetGroupArn: aws.String(blue), Weight: aws.Int32(80)}, {TargetGroupArn: aws.String(green), Weight: aws.Int32(20)}},
				TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true), DurationSeconds: aws.Int32(60)},
			}}},
		}))(t).Listeners[0]
		if aws.ToString(l.SslPolicy) != "ELBSecurityPolicy-2016-08" || len(l.Certificates) != 1 || aws.ToString(l.Certificates[0].CertificateArn) != certARN {
			t.Errorf("SslPolicy %s Certificates %+v", aws.ToString(l.SslPolicy), l.Certificates)
		}
		if a := l.DefaultActions[0]; a.TargetGroupArn != nil || len(a.ForwardConfig.TargetGroups) != 2 || aws.ToInt32(a.ForwardConfig.TargetGroups[1].Weight) != 20 {
			t.Errorf("action = %+v", a)
		}
	})

	t.Run("redirect gets its defaults", func(t *testing.T) {
		l := must(e.c.CreateListener(ctx, &elbv2.CreateListenerInput{
			LoadBalancerArn: aws.String(lb), Port: aws.Int32(8080), Protocol: types.ProtocolEnumHttp,
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{
				Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: types.RedirectActionStatusCodeEnumHttp301,
			}}},
		}))(t).Listeners[0]
		want := &types.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443"), Host: aws.String("#{host}"),
			Path: aws.String("/#{path}"), Query: aws.String("#{query}"), StatusCode: types.RedirectActionStatusCodeEnumHttp301}
		if !reflect.DeepEqual(l.DefaultActions[0].RedirectConfig, want) {
			t.Errorf("RedirectConfig = %+v", l.DefaultActions[0].RedirectConfig)
		}
	})

	t.Run("authenticate then forward on HTTPS", func(t *testing.T) {
		l := must(e.c.CreateListener(ctx, &elbv2.CreateListenerInput{
			LoadBalancerArn: aws.String(lb), Port: aws.Int32(8443), Protocol: types.ProtocolEnumHttps,
			Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}, SslPolicy: aws.String("ELBSecurityPolicy-TLS13-1-2-2021-06"),
			DefaultActions: []types.Action{
				{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(blue), Order: aws.Int32(2)},
				{Type: types.ActionTypeEnumAuthenticateCognito, Order: aws.Int32(1), AuthenticateCognitoConfig: &types.AuthenticateCognitoActionConfig{
					UserPoolArn: aws.String("arn:aws:cognito-idp:us-east-1:000000000000:userpool/p"), UserPoolClientId: aws.String("c"), UserPoolDomain: aws.String("d"),
				}},
			},
		}))(t).Listeners[0]
		if l.DefaultActions[0].Type != types.ActionTypeEnumAuthenticateCognito || aws.ToString(l.DefaultActions[0].AuthenticateCognitoConfig.Scope) != "openid" ||
			l.DefaultActions[1].Type != types.ActionTypeEnumForward {
			t.Errorf("actions = %+v", l.DefaultActions)
		}
	})

	other := e.lbARN(t, "other")
	http := func(port int32, actions ...types.Action) *elbv2.CreateListenerInput {
		return &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(lb), Port: aws.Int32(port), Protocol: types.ProtocolEnumHttp, DefaultActions: actions}
	}
	with := func(in *elbv2.CreateListenerInput, fn func(*elbv2.CreateListenerInput)) *elbv2.CreateListenerInput {
		fn(in)
		return in
	}
	oidc := types.Action{Type: types.ActionTypeEnumAuthenticateOidc, Order: aws.Int32(1), AuthenticateOidcConfig: &types.AuthenticateOidcActionConfig{
		Issuer: aws.String("i"), AuthorizationEndpoint: aws.String("a"), TokenEndpoint: aws.String("t"), UserInfoEndpoint: aws.String("u"), ClientId: aws.String("c"),
	}}
	tests := []struct {
		name  string
		in    *elbv2.CreateListenerInput
		check errCheck
	}{
		{"port in use", http(80, fixed("200")), errOf[*types.DuplicateListenerException]("A listener already exists on this port for this load balancer")},
		{"unknown load balancer", with(http(81, fixed("200")), func(in *elbv2.CreateListenerInput) { in.LoadBalancerArn = aws.String(lb + "0") }), errOf[*types.LoadBalancerNotFoundException]("")},
		{"unknown target group", http(81, forward(blue+"0")), errOf[*types.TargetGroupNotFoundException]("Target group '" + blue + "0' not found")},
		{"target group of another load balancer", with(http(81, forward(blue)), func(in *elbv2.CreateListenerInput) { in.LoadBalancerArn = aws.String(other) }), errOf[*types.TargetGroupAssociationLimitException]("more than one load balancer")},
		{"TCP", with(http(81, fixed("200")), func(in *elbv2.CreateListenerInput) { in.Protocol = types.ProtocolEnumTcp }), validation("Listener protocol 'TCP' must be one of 'HTTP, HTTPS'")},
		{"no protocol", with(http(81, fixed("200")), func(in *elbv2.CreateListenerInput) { in.Protocol = "" }), validation("protocol must be specified")},
		{"no port", with(http(81, fixed("200")), func(in *elbv2.CreateListenerInput) { in.Port = nil }), validation("port must be specified")},
		{"port 70000", http(70000, fixed("200")), validation("less than or equal to 65535")},
		{"HTTPS without certificate", with(http(444, fixed("200")), func(in *elbv2.CreateListenerInput) { in.Protocol = types.ProtocolEnumHttps }), validation("certificate must be specified")},
		{"certificate on HTTP", with(http(81, fixed("200")), func(in *elbv2.CreateListenerInput) {
			in.Certificates = []types.Certificate{{CertificateArn: aws.String(certARN)}}
		}), errOf[*types.InvalidConfigurationRequestException]("HTTPS listeners")},
		{"bad certificate", with(http(444, fixed("200")), func(in *elbv2.CreateListenerInput) {
			in.Protocol, in.Certificates = types.ProtocolEnumHttps, []types.Certificate{{CertificateArn: aws.String("cert")}}
		}), errOf[*types.CertificateNotFoundException]("cert")},
		{"unknown SSL policy", with(http(444, fixed("200")), func(in *elbv2.CreateListenerInput) {
			in.Protocol, in.Certificates, in.SslPolicy = types.ProtocolEnumHttps, []types.Certificate{{CertificateArn: aws.String(certARN)}}, aws.String("Nope")
		}), errOf[*types.SSLPolicyNotFoundException]("Nope")},
		{"unknown ALPN policy", with(http(81, fixed("200")), func(in *elbv2.CreateListenerInput) { in.AlpnPolicy = []string{"HTTP3"} }), errOf[*types.ALPNPolicyNotSupportedException]("HTTP3")},
		{"ALPN on an ALB", with(http(81, fixed("200")), func(in *elbv2.CreateListenerInput) { in.AlpnPolicy = []string{"HTTP2Preferred"} }), errOf[*types.InvalidConfigurationRequestException]("TLS listeners")},
		{"mutual TLS verify", with(http(444, fixed("200")), func(in *elbv2.CreateListenerInput) {
			in.Protocol, in.Certificates = types.ProtocolEnumHttps, []types.Certificate{{CertificateArn: aws.String(certARN)}}
			in.MutualAuthentication = &types.MutualAuthenticationAttributes{Mode: aws.String("verify"), TrustStoreArn: aws.String("arn:ts")}
		}), errOf[*types.TrustStoreNotFoundException]("arn:ts")},
		{"no actions", http(81), validation("defaultActions")},
		{"redirect loop", http(81, types.Action{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{StatusCode: types.RedirectActionStatusCodeEnumHttp302}}), errOf[*types.InvalidLoadBalancerActionException]("redirect loop")},
		{"redirect without status", http(81, types.Action{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{Host: aws.String("x")}}), validation("statusCode")},
		{"redirect bad protocol", http(81, types.Action{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{Protocol: aws.String("FTP"), StatusCode: types.RedirectActionStatusCodeEnumHttp301}}), validation("FTP")},
		{"fixed-response 302", http(81, fixed("302")), validation("^(2|4|5)")},
		{"fixed-response content type", http(81, types.Action{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200"), ContentType: aws.String("image/png")}}), validation("image/png")},
		{"forward without target", http(81, types.Action{Type: types.ActionTypeEnumForward}), validation("TargetGroupArn or ForwardConfig")},
		{"forward mismatch", http(81, types.Action{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(blue), ForwardConfig: &types.ForwardActionConfig{
			TargetGroups: []types.TargetGroupTuple{{TargetGroupArn: aws.String(green)}},
		}}), validation("different target groups")},
		{"stickiness without duration", http(81, types.Action{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
			TargetGroups: []types.TargetGroupTuple{{TargetGroupArn: aws.String(blue)}}, TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true)},
		}}), validation("duration")},
		{"weight 1000", http(81, types.Action{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
			TargetGroups: []types.TargetGroupTuple{{TargetGroupArn: aws.String(blue), Weight: aws.Int32(1000)}},
		}}), validation("weight")},
		{"wrong config for type", http(81, types.Action{Type: types.ActionTypeEnumFixedResponse, TargetGroupArn: aws.String(blue), FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200")}}), validation("cannot carry")},
		{"unknown action type", http(81, types.Action{Type: "teleport"}), validation("enum value set")},
		{"authentication on HTTP", http(81, oidc, func() types.Action { a := fixed("200"); a.Order = aws.Int32(2); return a }()), errOf[*types.InvalidLoadBalancerActionException]("HTTPS")},
		{"two actions without order", http(81, fixed("200"), fixed("404")), validation("order must be specified")},
		{"terminal action not last", http(81, func() types.Action { a := fixed("200"); a.Order = aws.Int32(1); return a }(), func() types.Action { a := fixed("404"); a.Order = aws.Int32(2); return a }()), errOf[*types.InvalidLoadBalancerActionException]("exactly one")},
		{"six actions", http(81, fixed("200"), fixed("200"), fixed("200"), fixed("200"), fixed("200"), fixed("200")), errOf[*types.TooManyActionsException]("5")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.nv.CreateListener(ctx, tc.in)
			tc.check(t, err)
		})
	}
}

func TestDescribeAndModifyListeners(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	second := e.listener(t, w.lb, 8080, fixed("503"))
	first := must(e.c.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(w.lb), PageSize: aws.Int32(1)}))(t)
	rest := must(e.c.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(w.lb), PageSize: aws.Int32(1), Marker: first.NextMarker}))(t)
	if len(first.Listeners) != 1 || aws.ToInt32(first.Listeners[0].Port) != 80 || len(rest.Listeners) != 1 || aws.ToString(rest.Listeners[0].ListenerArn) != second || rest.NextMarker != nil {
		t.Errorf("paged listeners: %+v then %+v", first.Listeners, rest.Listeners)
	}
	byARN := must(e.c.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{second}}))(t)
	if len(byARN.Listeners) != 1 || aws.ToInt32(byARN.Listeners[0].Port) != 8080 {
		t.Errorf("by ARN: %+v", byARN.Listeners)
	}
	for name, tc := range map[string]struct {
		in    elbv2.DescribeListenersInput
		check errCheck
	}{
		"neither":               {elbv2.DescribeListenersInput{}, validation("either listener ARNs or a load balancer ARN")},
		"unknown listener":      {elbv2.DescribeListenersInput{ListenerArns: []string{second + "0"}}, errOf[*types.ListenerNotFoundException]("")},
		"unknown load balancer": {elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(w.lb + "0")}, errOf[*types.LoadBalancerNotFoundException]("")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.c.DescribeListeners(ctx, &tc.in)
			tc.check(t, err)
		})
	}

	t.Run("modify port and default actions", func(t *testing.T) {
		other := e.tg(t, "other")
		l := must(e.c.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(second), Port: aws.Int32(8081), DefaultActions: []types.Action{forward(other)}}))(t).Listeners[0]
		if aws.ToInt32(l.Port) != 8081 || aws.ToString(l.DefaultActions[0].TargetGroupArn) != other {
			t.Errorf("modified = %+v", l)
		}
		rules := must(e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(second)}))(t).Rules
		if len(rules) != 1 || aws.ToString(rules[0].Actions[0].TargetGroupArn) != other {
			t.Errorf("default rule not updated: %+v", rules)
		}
		tg := must(e.c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{other}}))(t).TargetGroups[0]
		if !slices.Equal(tg.LoadBalancerArns, []string{w.lb}) {
			t.Errorf("LoadBalancerArns = %v", tg.LoadBalancerArns)
		}
	})
	t.Run("modify to HTTPS and back", func(t *testing.T) {
		_, err := e.c.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(second), Protocol: types.ProtocolEnumHttps})
		validation("certificate must be specified")(t, err)
		l := must(e.c.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(second), Protocol: types.ProtocolEnumHttps,
			Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}}))(t).Listeners[0]
		if l.Protocol != types.ProtocolEnumHttps || aws.ToString(l.SslPolicy) != "ELBSecurityPolicy-2016-08" {
			t.Errorf("HTTPS = %+v", l)
		}
		l = must(e.c.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(second), Protocol: types.ProtocolEnumHttp}))(t).Listeners[0]
		if l.Protocol != types.ProtocolEnumHttp || l.SslPolicy != nil || l.Certificates != nil {
			t.Errorf("back to HTTP = %+v", l)
		}
	})
	t.Run("modify errors", func(t *testing.T) {
		_, err := e.c.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(second), Port: aws.Int32(80)})
		errOf[*types.DuplicateListenerException]("already exists")(t, err)
		_, err = e.c.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(second + "0")})
		errOf[*types.ListenerNotFoundException]("")(t, err)
		_, err = e.c.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(second), DefaultActions: []types.Action{forward("arn:nope")}})
		errOf[*types.TargetGroupNotFoundException]("arn:nope")(t, err)
	})
	t.Run("delete", func(t *testing.T) {
		must(e.c.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: aws.String(second)}))(t)
		_, err := e.c.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: aws.String(second)})
		errOf[*types.ListenerNotFoundException]("")(t, err)
		_, err = e.c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(second)})
		errOf[*types.ListenerNotFoundException]("")(t, err)
	})
}

func TestListenerAttributes(t *testing.T) {
	e := newEnv(t)
	w := e.wired(t, "web")
	got := attrMap(must(e.c.DescribeListenerAttributes(ctx, &elbv2.DescribeListenerAttributesInput{ListenerArn: aws.String(w.listener)}))(t).Attributes, lsAttr)
	if got["routing.http.response.server.enabled"] != "true" || got["routing.http.request.x_amzn_tls_version.header_name"] != "X-Amzn-Tls-Version" ||
		got["routing.http.response.strict_transport_security.header_value"] != "" {
		t.Errorf("defaults = %v", got)
	}
	out := must(e.c.ModifyListenerAttributes(ctx, &elbv2.ModifyListenerAttributesInput{ListenerArn: aws.String(w.listener), Attributes: []types.ListenerAttribute{
		{Key: aws.String("routing.http.response.server.enabled"), Value: aws.String("false")},
		{Key: aws.String("routing.http.response.x_frame_options.header_value"), Value: aws.String("DENY")},
	}}))(t)
	m := attrMap(out.Attributes, lsAttr)
	if len(m) != len(got) || m["routing.http.response.server.enabled"] != "false" || m["routing.http.response.x_frame_options.header_value"] != "DENY" {
		t.Errorf("after modify = %v", m)
	}
	attr := func(k, v string) []types.ListenerAttribute {
		return []types.ListenerAttribute{{Key: aws.String(k), Value: aws.String(v)}}
	}
	for name, tc := range map[string]struct {
		arn   string
		attrs []types.ListenerAttribute
		check errCheck
	}{
		"NLB key":          {w.listener, attr("tcp.idle_timeout.seconds", "60"), errOf[*types.InvalidConfigurationRequestException]("not supported")},
		"unknown key":      {w.listener, attr("x.y", "1"), validation("not recognized")},
		"bad value":        {w.listener, attr("routing.http.response.x_content_type_options.header_value", "sniff"), validation("nosniff")},
		"bad header name":  {w.listener, attr("routing.http.request.x_amzn_tls_version.header_name", "X Tls"), validation("header name")},
		"unknown listener": {w.listener + "0", attr("routing.http.response.server.enabled", "true"), errOf[*types.ListenerNotFoundException]("")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.c.ModifyListenerAttributes(ctx, &elbv2.ModifyListenerAttributesInput{ListenerArn: aws.String(tc.arn), Attributes: tc.attrs})
			tc.check(t, err)
		})
	}
	_, err := e.c.DescribeListenerAttributes(ctx, &elbv2.DescribeListenerAttributesInput{ListenerArn: aws.String(w.listener + "0")})
	errOf[*types.ListenerNotFoundException]("")(t, err)
}

func TestListenerCertificates(t *testing.T) {
	e := newEnv(t)
	lb := e.lbARN(t, "web")
	l := aws.ToString(must(e.c.CreateListener(ctx, &elbv2.CreateListenerInput{
		LoadBalancerArn: aws.String(lb), Port: aws.Int32(443), Protocol: types.ProtocolEnumHttps,
		Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}, DefaultActions: []types.Action{fixed("200")},
	}))(t).Listeners[0].ListenerArn)
	extra := "arn:aws:acm:us-east-1:000000000000:certificate/extra"
	added := must(e.c.AddListenerCertificates(ctx, &elbv2.AddListenerCertificatesInput{ListenerArn: aws.String(l), Certificates: []types.Certificate{{CertificateArn: aws.String(extra)}}}))(t)
	if len(added.Certificates) != 1 || aws.ToBool(added.Certificates[0].IsDefault) {
		t.Errorf("added = %+v", added.Certificates)
	}
	list := func() []string {
		var out []string
		for _, c := range must(e.c.DescribeListenerCertificates(ctx, &elbv2.DescribeListenerCertificatesInput{ListenerArn: aws.String(l)}))(t).Certificates {
			out = append(out, aws.ToString(c.CertificateArn)+map[bool]string{true: " default", false: ""}[aws.ToBool(c.IsDefault)])
		}
		return out
	}
	if got := list(); !slices.Equal(got, []string{certARN + " default", extra}) {
		t.Errorf("certificates = %v", got)
	}
	_, err := e.c.RemoveListenerCertificates(ctx, &elbv2.RemoveListenerCertificatesInput{ListenerArn: aws.String(l), Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}})
	errOf[*types.OperationNotPermittedException]("default certificate")(t, err)
	must(e.c.RemoveListenerCertificates(ctx, &elbv2.RemoveListenerCertificatesInput{ListenerArn: aws.String(l), Certificates: []types.Certificate{{CertificateArn: aws.String(extra)}}}))(t)
	if got := list(); !slices.Equal(got, []string{certARN + " default"}) {
		t.Errorf("after remove = %v", got)
	}
	_, err = e.c.AddListenerCertificates(ctx, &elbv2.AddListenerCertificatesInput{ListenerArn: aws.String(l), Certificates: []types.Certificate{{CertificateArn: aws.String("bad")}}})
	errOf[*types.CertificateNotFoundException]("bad")(t, err)
	many := make([]types.Certificate, 25)
	for i := range many {
		many[i] = types.Certificate{CertificateArn: aws.String(extra + string(rune('a'+i)))}
	}
	_, err = e.c.AddListenerCertificates(ctx, &elbv2.AddListenerCertificatesInput{ListenerArn: aws.String(l), Certificates: many})
	errOf[*types.TooManyCertificatesException]("25")(t, err)
	_, err = e.c.DescribeListenerCertificates(ctx, &elbv2.DescribeListenerCertificatesInput{ListenerArn: aws.String(l + "0")})
	errOf[*types.ListenerNotFoundException]("")(t, err)
	httpListener := e.listener(t, lb, 80, fixed("200"))
	_, err = e.c.AddListenerCertificates(ctx, &elbv2.AddListenerCertificatesInput{ListenerArn: aws.String(httpListener), Certificates: []types.Certificate{{CertificateArn: aws.String(extra)}}})
	errOf[*types.InvalidConfigurationRequestException]("HTTPS")(t, err)
}

func TestTooManyListeners(t *testing.T) {
	e := newEnv(t)
	lb := e.lbARN(t, "web")
	for port := int32(1); port <= 50; port++ {
		e.listener(t, lb, port, fixed("200"))
	}
	_, err := e.c.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(lb), Port: aws.Int32(51), Protocol: types.ProtocolEnumHttp, DefaultActions: []types.Action{fixed("200")}})
	errOf[*types.TooManyListenersException]("50")(t, err)
}
