package providers

import (
	"context"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// ListenerRule is AWS::ElasticLoadBalancingV2::ListenerRule: Ref is the
// ARN; GetAtt RuleArn, IsDefault.
type ListenerRule struct{ api *elbv2.API }

// NewListenerRule returns the listener rule provider.
func NewListenerRule(api *elbv2.API) *ListenerRule { return &ListenerRule{api: api} }

// Create creates the rule.
func (p *ListenerRule) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in := &elb.CreateRuleInput{}
	if err := props.Decode(req.Properties, in); err != nil {
		return nil, err
	}
	in.Tags = stackTags(req, in.Tags, func(t types.Tag) string { return deref(t.Key) },
		func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} })
	out, err := p.api.Store(req.Region).CreateRule(callCtx(ctx, req), in)
	if err != nil {
		return nil, err
	}
	return ruleResult(&out.Rules[0]), nil
}

func ruleResult(r *types.Rule) *engine.Result {
	arn := deref(r.RuleArn)
	return &engine.Result{PhysicalID: arn, Attributes: map[string]any{"RuleArn": arn, "IsDefault": deref(r.IsDefault)}}
}

// Update modifies actions and conditions, and the priority when it
// changed.
func (p *ListenerRule) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in := &elb.CreateRuleInput{}
	if err := props.Decode(req.Properties, in); err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	if anyChanged(req.PreviousProperties, req.Properties, "Priority") {
		set := &elb.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{{RuleArn: &req.PhysicalID, Priority: in.Priority}}}
		if _, err := s.SetRulePriorities(cctx, set); err != nil {
			return nil, err
		}
	}
	out, err := s.ModifyRule(cctx, &elb.ModifyRuleInput{RuleArn: &req.PhysicalID, Actions: in.Actions, Conditions: in.Conditions})
	if err != nil {
		return nil, err
	}
	return ruleResult(&out.Rules[0]), nil
}

// Delete deletes the rule; one already gone is deleted.
func (p *ListenerRule) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.Store(req.Region).DeleteRule(callCtx(ctx, req), &elb.DeleteRuleInput{RuleArn: &req.PhysicalID})
	if isCode(err, "RuleNotFound") {
		return nil
	}
	return err
}

// Replaces: a rule cannot move to another listener.
func (p *ListenerRule) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "ListenerArn")
}
