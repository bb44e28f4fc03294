package elbv2

import (
	"context"
	"slices"
	"sort"
	"strings"

	sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

const (
	maxListeners     = 50
	maxCertificates  = 25
	defaultSSLPolicy = "ELBSecurityPolicy-2016-08"
)

var alpnPolicies = []string{"HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"}

// listenerSettings are the members CreateListener and ModifyListener share.
type listenerSettings struct {
	port          *int32
	protocol      types.ProtocolEnum
	sslPolicy     *string
	certificates  []types.Certificate
	alpn          []string
	mutualAuth    *types.MutualAuthenticationAttributes
	defaultAction []types.Action
}

// validCertificateARN accepts ACM and IAM server certificate ARNs.
func validCertificateARN(arn *string) error {
	if arn == nil {
		return errRequired("certificates.member.certificateArn")
	}
	if !strings.HasPrefix(*arn, "arn:") || !(strings.Contains(*arn, ":acm:") || strings.Contains(*arn, ":iam:")) {
		return &types.CertificateNotFoundException{Message: msgf("Certificate '%s' not found", *arn)}
	}
	return nil
}

// applyListenerSettings validates the given settings over the listener's
// current view (zero for a new listener) and returns the new view.
func (s *Store) applyListenerSettings(view types.Listener, in listenerSettings, lbARN string) (types.Listener, error) {
	oldProtocol := view.Protocol
	if in.protocol != "" {
		switch in.protocol {
		case types.ProtocolEnumHttp, types.ProtocolEnumHttps:
		case types.ProtocolEnumTcp, types.ProtocolEnumTls, types.ProtocolEnumUdp, types.ProtocolEnumTcpUdp,
			types.ProtocolEnumGeneve, types.ProtocolEnumQuic, types.ProtocolEnumTcpQuic:
			return view, errValidation("Listener protocol '%s' must be one of 'HTTP, HTTPS'", in.protocol)
		default:
			return view, errConstraint(in.protocol, "protocol", "Member must satisfy enum value set: [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE, QUIC, TCP_QUIC]")
		}
		if view.Protocol != in.protocol && in.protocol == types.ProtocolEnumHttp {
			view.Certificates, view.SslPolicy, view.MutualAuthentication = nil, nil, nil
		}
		view.Protocol = in.protocol
	}
	if view.Protocol == "" {
		return view, errValidation("A listener protocol must be specified")
	}
	if in.port != nil {
		if err := validPort(in.port, "port"); err != nil {
			return view, err
		}
		view.Port = ptr(*in.port)
	}
	if view.Port == nil {
		return view, errValidation("A listener port must be specified")
	}
	https := view.Protocol == types.ProtocolEnumHttps
	if !https && (in.certificates != nil || in.sslPolicy != nil || in.mutualAuth != nil) {
		return view, errInvalidConfig("Certificates, SSL policies and mutual authentication can only be set on HTTPS listeners")
	}
	if in.certificates != nil {
		if len(in.certificates) != 1 {
			return view, errValidation("You must specify exactly one default certificate")
		}
		if err := validCertificateARN(in.certificates[0].CertificateArn); err != nil {
			return view, err
		}
		view.Certificates = []types.Certificate{{CertificateArn: ptr(*in.certificates[0].CertificateArn)}}
	}
	if in.sslPolicy != nil {
		if findSSLPolicy(*in.sslPolicy) == nil {
			return view, &types.SSLPolicyNotFoundException{Message: msgf("SSL policy '%s' not found", *in.sslPolicy)}
		}
		view.SslPolicy = ptr(*in.sslPolicy)
	}
	if https {
		if len(view.Certificates) == 0 {
			return view, errValidation("A certificate must be specified for HTTPS listeners")
		}
		if view.SslPolicy == nil {
			view.SslPolicy = ptr(defaultSSLPolicy)
		}
	}
	if in.alpn != nil {
		for _, p := range in.alpn {
			if !slices.Contains(alpnPolicies, p) {
				return view, &types.ALPNPolicyNotSupportedException{Message: msgf("ALPN policy '%s' is not supported", p)}
			}
		}
		return view, errInvalidConfig("ALPN policies are supported only on TLS listeners of Network Load Balancers")
	}
	if m := in.mutualAuth; m != nil {
		switch deref(m.Mode) {
		case "", "off", "passthrough":
			view.MutualAuthentication = &types.MutualAuthenticationAttributes{Mode: ptr(deref(m.Mode))}
			if *view.MutualAuthentication.Mode == "" {
				view.MutualAuthentication.Mode = ptr("off")
			}
		case "verify":
			return view, &types.TrustStoreNotFoundException{Message: msgf("Trust store '%s' not found", deref(m.TrustStoreArn))}
		default:
			return view, errValidation("Mutual authentication mode '%s' must be one of 'off, passthrough, verify'", *m.Mode)
		}
	}
	if in.defaultAction != nil {
		actions, err := s.normalizeActions(in.defaultAction, actionContext{lbARN: lbARN, protocol: view.Protocol, member: "defaultActions"})
		if err != nil {
			return view, err
		}
		view.DefaultActions = actions
	} else if oldProtocol != view.Protocol {
		// A protocol change re-validates the existing actions
		// (authentication needs HTTPS).
		if _, err := s.normalizeActions(view.DefaultActions, actionContext{lbARN: lbARN, protocol: view.Protocol, member: "defaultActions"}); err != nil {
			return view, err
		}
	}
	return view, nil
}

// portTaken reports whether another listener of the load balancer uses
// port.
func (s *Store) portTaken(lbARN string, port int32, except string) bool {
	for arn, l := range s.listeners {
		if arn != except && deref(l.view.LoadBalancerArn) == lbARN && deref(l.view.Port) == port {
			return true
		}
	}
	return false
}

// CreateListener adds an HTTP or HTTPS listener and its default rule.
func (s *Store) CreateListener(_ context.Context, in *sdk.CreateListenerInput) (*sdk.CreateListenerOutput, error) {
	if in.LoadBalancerArn == nil {
		return nil, errRequired("loadBalancerArn")
	}
	if in.DefaultActions == nil {
		return nil, errRequired("defaultActions")
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	lbARN := *in.LoadBalancerArn
	if s.lbs[lbARN] == nil {
		return nil, errLoadBalancerNotFound()
	}
	view, err := s.applyListenerSettings(types.Listener{}, listenerSettings{
		port: in.Port, protocol: in.Protocol, sslPolicy: in.SslPolicy, certificates: in.Certificates,
		alpn: in.AlpnPolicy, mutualAuth: in.MutualAuthentication, defaultAction: in.DefaultActions,
	}, lbARN)
	if err != nil {
		return nil, err
	}
	if s.portTaken(lbARN, *view.Port, "") {
		return nil, &types.DuplicateListenerException{Message: msgf("A listener already exists on this port for this load balancer '%s'", lbARN)}
	}
	if len(s.listenersOf(lbARN)) >= maxListeners {
		return nil, &types.TooManyListenersException{Message: msgf("A load balancer can have at most %d listeners", maxListeners)}
	}
	arn := listenerARN(lbARN, s.api.opts.IDs.ResourceID())
	view.ListenerArn, view.LoadBalancerArn = ptr(arn), ptr(lbARN)
	l := &listener{seq: s.nextSeq(), view: view, attrs: defaults(listenerAttrs)}
	def := &rule{seq: s.nextSeq(), arn: ruleARN(arn, s.api.opts.IDs.ResourceID()), listenerARN: arn, isDefault: true, actions: clone.Of(view.DefaultActions)}
	l.defaultRule = def.arn
	s.listeners[arn] = l
	s.rules[def.arn] = def
	s.setInitialTags(arn, in.Tags)
	s.touchARN(arn)
	s.touchARN(def.arn)
	s.refreshUsage()
	return &sdk.CreateListenerOutput{Listeners: []types.Listener{clone.Of(l.view)}}, nil
}

// listenersOf lists a load balancer's listeners by port.
func (s *Store) listenersOf(lbARN string) []*listener {
	var out []*listener
	for _, l := range s.listeners {
		if deref(l.view.LoadBalancerArn) == lbARN {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return deref(out[i].view.Port) < deref(out[j].view.Port) })
	return out
}

func (s *Store) lookupListener(arn *string) (*listener, error) {
	if arn == nil {
		return nil, errRequired("listenerArn")
	}
	l := s.listeners[*arn]
	if l == nil {
		return nil, errListenerNotFound()
	}
	return l, nil
}

// deleteListener removes a listener with its rules and their tags.
func (s *Store) deleteListener(arn string) {
	for rarn, r := range s.rules {
		if r.listenerARN == arn {
			delete(s.rules, rarn)
			delete(s.tags, rarn)
			s.touchARN(rarn)
		}
	}
	delete(s.listeners, arn)
	delete(s.tags, arn)
	s.touchARN(arn)
}

// DeleteListener deletes a listener and its rules.
func (s *Store) DeleteListener(_ context.Context, in *sdk.DeleteListenerInput) (*sdk.DeleteListenerOutput, error) {
	unlock := s.lock()
	defer unlock()
	if _, err := s.lookupListener(in.ListenerArn); err != nil {
		return nil, err
	}
	s.deleteListener(*in.ListenerArn)
	s.refreshUsage()
	return &sdk.DeleteListenerOutput{}, nil
}

// DescribeListeners lists the listeners of a load balancer (by port) or
// the listeners named by ARN.
func (s *Store) DescribeListeners(_ context.Context, in *sdk.DescribeListenersInput) (*sdk.DescribeListenersOutput, error) {
	if (in.LoadBalancerArn == nil) == (len(in.ListenerArns) == 0) {
		return nil, errValidation("You must specify either listener ARNs or a load balancer ARN")
	}
	unlock := s.lock()
	defer unlock()
	var picked []*listener
	if in.LoadBalancerArn != nil {
		if s.lbs[*in.LoadBalancerArn] == nil {
			return nil, errLoadBalancerNotFound()
		}
		picked = s.listenersOf(*in.LoadBalancerArn)
	} else {
		for _, arn := range dedupe(in.ListenerArns) {
			l := s.listeners[arn]
			if l == nil {
				return nil, errListenerNotFound()
			}
			picked = append(picked, l)
		}
	}
	pg, next, err := page(picked, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &sdk.DescribeListenersOutput{Listeners: make([]types.Listener, 0, len(pg)), NextMarker: next}
	for _, l := range pg {
		out.Listeners = append(out.Listeners, clone.Of(l.view))
	}
	return out, nil
}

// ModifyListener changes port, protocol, certificate, SSL policy or
// default actions (which are the actions of the default rule).
func (s *Store) ModifyListener(_ context.Context, in *sdk.ModifyListenerInput) (*sdk.ModifyListenerOutput, error) {
	unlock := s.lock()
	defer unlock()
	l, err := s.lookupListener(in.ListenerArn)
	if err != nil {
		return nil, err
	}
	lbARN := deref(l.view.LoadBalancerArn)
	view, err := s.applyListenerSettings(clone.Of(l.view), listenerSettings{
		port: in.Port, protocol: in.Protocol, sslPolicy: in.SslPolicy, certificates: in.Certificates,
		alpn: in.AlpnPolicy, mutualAuth: in.MutualAuthentication, defaultAction: in.DefaultActions,
	}, lbARN)
	if err != nil {
		return nil, err
	}
	if s.portTaken(lbARN, *view.Port, *in.ListenerArn) {
		return nil, &types.DuplicateListenerException{Message: msgf("A listener already exists on this port for this load balancer '%s'", lbARN)}
	}
	if view.Protocol != types.ProtocolEnumHttps {
		l.extraCerts = nil
	}
	l.view = view
	s.rules[l.defaultRule].actions = clone.Of(view.DefaultActions)
	s.touchARN(*in.ListenerArn)
	s.touchARN(l.defaultRule)
	s.refreshUsage()
	return &sdk.ModifyListenerOutput{Listeners: []types.Listener{clone.Of(l.view)}}, nil
}

func listenerAttributeList(attrs map[string]string) []types.ListenerAttribute {
	out := make([]types.ListenerAttribute, 0, len(listenerAttrs))
	for _, a := range listenerAttrs {
		out = append(out, types.ListenerAttribute{Key: ptr(a.key), Value: ptr(attrs[a.key])})
	}
	return out
}

// DescribeListenerAttributes returns every ALB listener attribute.
func (s *Store) DescribeListenerAttributes(_ context.Context, in *sdk.DescribeListenerAttributesInput) (*sdk.DescribeListenerAttributesOutput, error) {
	unlock := s.lock()
	defer unlock()
	l, err := s.lookupListener(in.ListenerArn)
	if err != nil {
		return nil, err
	}
	return &sdk.DescribeListenerAttributesOutput{Attributes: listenerAttributeList(l.attrs)}, nil
}

// ModifyListenerAttributes changes attributes and returns all of them.
func (s *Store) ModifyListenerAttributes(_ context.Context, in *sdk.ModifyListenerAttributesInput) (*sdk.ModifyListenerAttributesOutput, error) {
	unlock := s.lock()
	defer unlock()
	l, err := s.lookupListener(in.ListenerArn)
	if err != nil {
		return nil, err
	}
	changes := make([]attrChange, len(in.Attributes))
	for i, a := range in.Attributes {
		changes[i] = attrChange{a.Key, a.Value}
	}
	merged, err := applyAttrs(l.attrs, listenerAttrs, knownListenerAttr, changes)
	if err != nil {
		return nil, err
	}
	l.attrs = merged
	s.touchARN(*in.ListenerArn)
	s.changed()
	return &sdk.ModifyListenerAttributesOutput{Attributes: listenerAttributeList(merged)}, nil
}

// AddListenerCertificates adds certificates to an HTTPS listener's
// certificate list (for SNI); the default certificate is set with
// CreateListener or ModifyListener.
func (s *Store) AddListenerCertificates(_ context.Context, in *sdk.AddListenerCertificatesInput) (*sdk.AddListenerCertificatesOutput, error) {
	if len(in.Certificates) == 0 {
		return nil, errRequired("certificates")
	}
	for _, c := range in.Certificates {
		if err := validCertificateARN(c.CertificateArn); err != nil {
			return nil, err
		}
	}
	unlock := s.lock()
	defer unlock()
	l, err := s.lookupListener(in.ListenerArn)
	if err != nil {
		return nil, err
	}
	if l.view.Protocol != types.ProtocolEnumHttps {
		return nil, errInvalidConfig("Certificates can only be added to HTTPS listeners")
	}
	certs := slices.Clone(l.extraCerts)
	out := &sdk.AddListenerCertificatesOutput{Certificates: []types.Certificate{}}
	for _, c := range in.Certificates {
		if !slices.Contains(certs, *c.CertificateArn) && *c.CertificateArn != deref(l.view.Certificates[0].CertificateArn) {
			certs = append(certs, *c.CertificateArn)
		}
		out.Certificates = append(out.Certificates, types.Certificate{CertificateArn: ptr(*c.CertificateArn), IsDefault: ptr(false)})
	}
	if len(certs)+1 > maxCertificates {
		return nil, &types.TooManyCertificatesException{Message: msgf("A listener can have at most %d certificates", maxCertificates)}
	}
	l.extraCerts = certs
	s.touchARN(*in.ListenerArn)
	s.changed()
	return out, nil
}

// RemoveListenerCertificates removes added certificates; the default
// certificate cannot be removed.
func (s *Store) RemoveListenerCertificates(_ context.Context, in *sdk.RemoveListenerCertificatesInput) (*sdk.RemoveListenerCertificatesOutput, error) {
	if len(in.Certificates) == 0 {
		return nil, errRequired("certificates")
	}
	unlock := s.lock()
	defer unlock()
	l, err := s.lookupListener(in.ListenerArn)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, c := range in.Certificates {
		arn := deref(c.CertificateArn)
		if len(l.view.Certificates) > 0 && arn == deref(l.view.Certificates[0].CertificateArn) || deref(c.IsDefault) {
			return nil, errOperationNotPermitted("The default certificate of a listener cannot be removed")
		}
		drop[arn] = true
	}
	l.extraCerts = slices.DeleteFunc(slices.Clone(l.extraCerts), func(arn string) bool { return drop[arn] })
	s.touchARN(*in.ListenerArn)
	s.changed()
	return &sdk.RemoveListenerCertificatesOutput{}, nil
}

// DescribeListenerCertificates lists the default certificate (IsDefault
// true) and the added ones.
func (s *Store) DescribeListenerCertificates(_ context.Context, in *sdk.DescribeListenerCertificatesInput) (*sdk.DescribeListenerCertificatesOutput, error) {
	unlock := s.lock()
	defer unlock()
	l, err := s.lookupListener(in.ListenerArn)
	if err != nil {
		return nil, err
	}
	all := []types.Certificate{}
	for _, c := range l.view.Certificates {
		all = append(all, types.Certificate{CertificateArn: ptr(deref(c.CertificateArn)), IsDefault: ptr(true)})
	}
	for _, arn := range l.extraCerts {
		all = append(all, types.Certificate{CertificateArn: ptr(arn), IsDefault: ptr(false)})
	}
	pg, next, err := page(all, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	return &sdk.DescribeListenerCertificatesOutput{Certificates: pg, NextMarker: next}, nil
}
