package providers

import (
	"context"
	"strings"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// LoadBalancer is AWS::ElasticLoadBalancingV2::LoadBalancer: Ref is the
// ARN; GetAtt DNSName, CanonicalHostedZoneID, LoadBalancerFullName,
// LoadBalancerName, SecurityGroups, LoadBalancerArn.
type LoadBalancer struct{ api *elbv2.API }

// NewLoadBalancer returns the load balancer provider.
func NewLoadBalancer(api *elbv2.API) *LoadBalancer { return &LoadBalancer{api: api} }

// lbSkipped are properties that are not CreateLoadBalancer members.
var lbSkipped = []string{"LoadBalancerAttributes", "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "MinimumLoadBalancerCapacity"}

func lbInput(p map[string]any) (*elb.CreateLoadBalancerInput, []types.LoadBalancerAttribute, error) {
	in := &elb.CreateLoadBalancerInput{}
	if err := props.Decode(p, in, lbSkipped...); err != nil {
		return nil, nil, err
	}
	var w struct{ LoadBalancerAttributes []types.LoadBalancerAttribute }
	if err := props.Decode(map[string]any{"LoadBalancerAttributes": p["LoadBalancerAttributes"]}, &w); err != nil {
		return nil, nil, err
	}
	return in, w.LoadBalancerAttributes, nil
}

// Create creates the load balancer (named after the stack, at most 32
// characters, when unnamed) and applies its attributes.
func (p *LoadBalancer) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, attrs, err := lbInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		in.Name = ptr(props.PhysicalName(req.StackName, req.LogicalID, 32))
	}
	in.Tags = stackTags(req, in.Tags, func(t types.Tag) string { return deref(t.Key) },
		func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} })
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.CreateLoadBalancer(cctx, in)
	if err != nil {
		return nil, err
	}
	lb := out.LoadBalancers[0]
	if len(attrs) > 0 {
		if _, err := s.ModifyLoadBalancerAttributes(cctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn, Attributes: attrs}); err != nil {
			_, _ = s.DeleteLoadBalancer(cctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
			return nil, err
		}
	}
	return lbResult(&lb), nil
}

func lbResult(lb *types.LoadBalancer) *engine.Result {
	arn := deref(lb.LoadBalancerArn)
	full := arn
	if i := strings.Index(arn, ":loadbalancer/"); i >= 0 {
		full = arn[i+len(":loadbalancer/"):]
	}
	return &engine.Result{PhysicalID: arn, Attributes: map[string]any{
		"DNSName":               deref(lb.DNSName),
		"CanonicalHostedZoneID": deref(lb.CanonicalHostedZoneId),
		"LoadBalancerFullName":  full,
		"LoadBalancerName":      deref(lb.LoadBalancerName),
		"SecurityGroups":        stringsAny(lb.SecurityGroups),
		"LoadBalancerArn":       arn,
	}}
}

// Update changes subnets, security groups, IP address type and attributes
// in place.
func (p *LoadBalancer) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, attrs, err := lbInput(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx, arn := p.api.Store(req.Region), callCtx(ctx, req), &req.PhysicalID
	old, nw := req.PreviousProperties, req.Properties
	if anyChanged(old, nw, "Subnets", "SubnetMappings") {
		if _, err := s.SetSubnets(cctx, &elb.SetSubnetsInput{LoadBalancerArn: arn, Subnets: in.Subnets, SubnetMappings: in.SubnetMappings}); err != nil {
			return nil, err
		}
	}
	if anyChanged(old, nw, "SecurityGroups") {
		if _, err := s.SetSecurityGroups(cctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: arn, SecurityGroups: nonNil(in.SecurityGroups)}); err != nil {
			return nil, err
		}
	}
	if anyChanged(old, nw, "IpAddressType") && in.IpAddressType != "" {
		if _, err := s.SetIpAddressType(cctx, &elb.SetIpAddressTypeInput{LoadBalancerArn: arn, IpAddressType: in.IpAddressType}); err != nil {
			return nil, err
		}
	}
	if len(attrs) > 0 {
		if _, err := s.ModifyLoadBalancerAttributes(cctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: arn, Attributes: attrs}); err != nil {
			return nil, err
		}
	}
	out, err := s.DescribeLoadBalancers(cctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{req.PhysicalID}})
	if err != nil {
		return nil, err
	}
	return lbResult(&out.LoadBalancers[0]), nil
}

// Delete deletes the load balancer; one already gone is deleted.
func (p *LoadBalancer) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.Store(req.Region).DeleteLoadBalancer(callCtx(ctx, req), &elb.DeleteLoadBalancerInput{LoadBalancerArn: &req.PhysicalID})
	if isCode(err, "LoadBalancerNotFound") {
		return nil
	}
	return err
}

// Replaces: Name, Scheme and Type cannot change in place.
func (p *LoadBalancer) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "Name", "Scheme", "Type")
}

func stringsAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
