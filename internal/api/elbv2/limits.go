package elbv2

import (
	"context"

	sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// accountLimits are the quotas DescribeAccountLimits reports: the ones the
// emulator enforces use the same numbers, the others are AWS's defaults.
var accountLimits = []types.Limit{
	{Name: ptr("application-load-balancers"), Max: ptr(itoa(maxLoadBalancers))},
	{Name: ptr("target-groups"), Max: ptr(itoa(maxTargetGroups))},
	{Name: ptr("targets-per-application-load-balancer"), Max: ptr("1000")},
	{Name: ptr("listeners-per-application-load-balancer"), Max: ptr(itoa(maxListeners))},
	{Name: ptr("rules-per-application-load-balancer"), Max: ptr(itoa(maxRules))},
	{Name: ptr("target-groups-per-application-load-balancer"), Max: ptr("100")},
	{Name: ptr("target-groups-per-action-on-application-load-balancer"), Max: ptr(itoa(maxForwardTargets))},
	{Name: ptr("targets-per-target-group"), Max: ptr(itoa(maxTargetsPerGroup))},
	{Name: ptr("certificates-per-application-load-balancer"), Max: ptr(itoa(maxCertificates))},
	{Name: ptr("condition-values-per-alb-rule"), Max: ptr(itoa(maxConditionValues))},
	{Name: ptr("condition-wildcards-per-alb-rule"), Max: ptr(itoa(maxConditionWildcards))},
	{Name: ptr("target-id-registrations-per-application-load-balancer"), Max: ptr("1000")},
	{Name: ptr("network-load-balancers"), Max: ptr("50")},
	{Name: ptr("gateway-load-balancers"), Max: ptr("100")},
}

// DescribeAccountLimits lists the account's ELBv2 quotas.
func (s *Store) DescribeAccountLimits(_ context.Context, in *sdk.DescribeAccountLimitsInput) (*sdk.DescribeAccountLimitsOutput, error) {
	pg, next, err := page(accountLimits, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	return &sdk.DescribeAccountLimitsOutput{Limits: clone.Of(pg), NextMarker: next}, nil
}

func ciphers(names ...string) []types.Cipher {
	out := make([]types.Cipher, len(names))
	for i, n := range names {
		out[i] = types.Cipher{Name: ptr(n), Priority: ptr(int32(i + 1))}
	}
	return out
}

// sslPolicies are a few of AWS's predefined policies: the default one for
// new HTTPS listeners, the current recommended TLS 1.3 one and a TLS 1.2
// only one.
var sslPolicies = []types.SslPolicy{
	{
		Name:                       ptr(defaultSSLPolicy),
		SslProtocols:               []string{"TLSv1", "TLSv1.1", "TLSv1.2"},
		SupportedLoadBalancerTypes: []string{"application", "network"},
		Ciphers: ciphers("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256",
			"ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-GCM-SHA384",
			"ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA",
			"ECDHE-ECDSA-AES256-SHA", "AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA"),
	},
	{
		Name:                       ptr("ELBSecurityPolicy-TLS13-1-2-2021-06"),
		SslProtocols:               []string{"TLSv1.2", "TLSv1.3"},
		SupportedLoadBalancerTypes: []string{"application", "network"},
		Ciphers: ciphers("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
			"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
			"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384"),
	},
	{
		Name:                       ptr("ELBSecurityPolicy-TLS-1-2-2017-01"),
		SslProtocols:               []string{"TLSv1.2"},
		SupportedLoadBalancerTypes: []string{"application", "network"},
		Ciphers: ciphers("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256",
			"ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384",
			"ECDHE-RSA-AES256-SHA384", "AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"),
	},
}

func findSSLPolicy(name string) *types.SslPolicy {
	for i := range sslPolicies {
		if *sslPolicies[i].Name == name {
			return &sslPolicies[i]
		}
	}
	return nil
}

// DescribeSSLPolicies lists the predefined SSL policies, all or by name
// (an unknown name is SSLPolicyNotFound).
func (s *Store) DescribeSSLPolicies(_ context.Context, in *sdk.DescribeSSLPoliciesInput) (*sdk.DescribeSSLPoliciesOutput, error) {
	var picked []types.SslPolicy
	switch in.LoadBalancerType {
	case "", types.LoadBalancerTypeEnumApplication, types.LoadBalancerTypeEnumNetwork:
	case types.LoadBalancerTypeEnumGateway:
		return &sdk.DescribeSSLPoliciesOutput{SslPolicies: []types.SslPolicy{}}, nil
	default:
		return nil, errConstraint(in.LoadBalancerType, "loadBalancerType", "Member must satisfy enum value set: [application, network, gateway]")
	}
	if len(in.Names) > 0 {
		for _, n := range dedupe(in.Names) {
			p := findSSLPolicy(n)
			if p == nil {
				return nil, &types.SSLPolicyNotFoundException{Message: msgf("SSL policy '%s' not found", n)}
			}
			picked = append(picked, *p)
		}
	} else {
		picked = sslPolicies
	}
	pg, next, err := page(picked, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	return &sdk.DescribeSSLPoliciesOutput{SslPolicies: clone.Of(pg), NextMarker: next}, nil
}
