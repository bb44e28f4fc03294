package elbv2

import (
	"context"
	"sort"
	"strconv"

	sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

const (
	maxPriority = 50000
	// maxRules is the limit of non-default rules per load balancer.
	maxRules = 100
)

// sortedRules lists rules in creation order.
func sortedRules(rules map[string]*rule) []*rule {
	out := make([]*rule, 0, len(rules))
	for _, r := range rules {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// rulesOf lists a listener's rules in evaluation order: ascending
// priority, the default rule last.
func (s *Store) rulesOf(listenerARN string) []*rule {
	var out []*rule
	for _, r := range s.rules {
		if r.listenerARN == listenerARN {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].isDefault != out[j].isDefault {
			return out[j].isDefault
		}
		return out[i].priority < out[j].priority
	})
	return out
}

// ruleView is the wire view of a rule; Priority is a string, "default"
// for the default rule.
func ruleView(r *rule) types.Rule {
	prio := "default"
	if !r.isDefault {
		prio = strconv.Itoa(r.priority)
	}
	v := types.Rule{
		RuleArn:    ptr(r.arn),
		Priority:   ptr(prio),
		IsDefault:  ptr(r.isDefault),
		Conditions: clone.Of(r.conditions),
		Actions:    clone.Of(r.actions),
		Transforms: clone.Of(r.transforms),
	}
	if v.Conditions == nil {
		v.Conditions = []types.RuleCondition{}
	}
	return v
}

func validPriority(p *int32, member string) error {
	if p == nil {
		return errRequired(member)
	}
	return validRange(p, member, 1, maxPriority)
}

func validTransforms(ts []types.RuleTransform) error {
	for i, t := range ts {
		member := "transforms." + itoa(i+1) + ".member"
		switch t.Type {
		case types.TransformTypeEnumHostHeaderRewrite:
			if t.HostHeaderRewriteConfig == nil || t.UrlRewriteConfig != nil {
				return errValidation("A 'host-header-rewrite' transform needs HostHeaderRewriteConfig only")
			}
		case types.TransformTypeEnumUrlRewrite:
			if t.UrlRewriteConfig == nil || t.HostHeaderRewriteConfig != nil {
				return errValidation("A 'url-rewrite' transform needs UrlRewriteConfig only")
			}
		case "":
			return errRequired(member + ".type")
		default:
			return errConstraint(t.Type, member+".type", "Member must satisfy enum value set: [host-header-rewrite, url-rewrite]")
		}
	}
	return nil
}

// priorityTaken reports whether another rule of the listener has prio.
func (s *Store) priorityTaken(listenerARN string, prio int, except string) bool {
	for arn, r := range s.rules {
		if arn != except && r.listenerARN == listenerARN && !r.isDefault && r.priority == prio {
			return true
		}
	}
	return false
}

func errPriorityInUse(prio int) error {
	return &types.PriorityInUseException{Message: msgf("Priority '%d' is currently in use", prio)}
}

// CreateRule adds a rule to a listener.
func (s *Store) CreateRule(_ context.Context, in *sdk.CreateRuleInput) (*sdk.CreateRuleOutput, error) {
	if in.ListenerArn == nil {
		return nil, errRequired("listenerArn")
	}
	if err := validPriority(in.Priority, "priority"); err != nil {
		return nil, err
	}
	if in.Conditions == nil {
		return nil, errRequired("conditions")
	}
	if in.Actions == nil {
		return nil, errRequired("actions")
	}
	conds, err := normalizeConditions(in.Conditions)
	if err != nil {
		return nil, err
	}
	if err := validTransforms(in.Transforms); err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	l, err := s.lookupListener(in.ListenerArn)
	if err != nil {
		return nil, err
	}
	lbARN := deref(l.view.LoadBalancerArn)
	actions, err := s.normalizeActions(in.Actions, actionContext{lbARN: lbARN, protocol: l.view.Protocol, member: "actions"})
	if err != nil {
		return nil, err
	}
	prio := int(*in.Priority)
	if s.priorityTaken(*in.ListenerArn, prio, "") {
		return nil, errPriorityInUse(prio)
	}
	if s.ruleCount(lbARN) >= maxRules {
		return nil, &types.TooManyRulesException{Message: msgf("A load balancer can have at most %d rules", maxRules)}
	}
	r := &rule{
		seq: s.nextSeq(), arn: ruleARN(*in.ListenerArn, s.api.opts.IDs.ResourceID()), listenerARN: *in.ListenerArn,
		priority: prio, conditions: conds, actions: actions, transforms: clone.Of(in.Transforms),
	}
	s.rules[r.arn] = r
	s.setInitialTags(r.arn, in.Tags)
	s.touchARN(r.arn)
	s.refreshUsage()
	return &sdk.CreateRuleOutput{Rules: []types.Rule{ruleView(r)}}, nil
}

// ruleCount counts the non-default rules of a load balancer.
func (s *Store) ruleCount(lbARN string) int {
	n := 0
	for _, r := range s.rules {
		if l := s.listeners[r.listenerARN]; l != nil && !r.isDefault && deref(l.view.LoadBalancerArn) == lbARN {
			n++
		}
	}
	return n
}

func (s *Store) lookupRule(arn *string) (*rule, error) {
	if arn == nil {
		return nil, errRequired("ruleArn")
	}
	r := s.rules[*arn]
	if r == nil {
		return nil, errRuleNotFound()
	}
	return r, nil
}

// DeleteRule deletes a rule; the default rule cannot be deleted.
func (s *Store) DeleteRule(_ context.Context, in *sdk.DeleteRuleInput) (*sdk.DeleteRuleOutput, error) {
	unlock := s.lock()
	defer unlock()
	r, err := s.lookupRule(in.RuleArn)
	if err != nil {
		return nil, err
	}
	if r.isDefault {
		return nil, errOperationNotPermitted("Default rule '%s' cannot be deleted", r.arn)
	}
	delete(s.rules, r.arn)
	delete(s.tags, r.arn)
	s.touchARN(r.arn)
	s.refreshUsage()
	return &sdk.DeleteRuleOutput{}, nil
}

// DescribeRules lists a listener's rules in evaluation order, or the rules
// named by ARN.
func (s *Store) DescribeRules(_ context.Context, in *sdk.DescribeRulesInput) (*sdk.DescribeRulesOutput, error) {
	if (in.ListenerArn == nil) == (len(in.RuleArns) == 0) {
		return nil, errValidation("You must specify either listener ARN or rule ARNs")
	}
	unlock := s.lock()
	defer unlock()
	var picked []*rule
	if in.ListenerArn != nil {
		if s.listeners[*in.ListenerArn] == nil {
			return nil, errListenerNotFound()
		}
		picked = s.rulesOf(*in.ListenerArn)
	} else {
		for _, arn := range dedupe(in.RuleArns) {
			r := s.rules[arn]
			if r == nil {
				return nil, errRuleNotFound()
			}
			picked = append(picked, r)
		}
	}
	pg, next, err := page(picked, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &sdk.DescribeRulesOutput{Rules: make([]types.Rule, 0, len(pg)), NextMarker: next}
	for _, r := range pg {
		out.Rules = append(out.Rules, ruleView(r))
	}
	return out, nil
}

// ModifyRule replaces a rule's conditions, actions or transforms. The
// default rule's conditions cannot be set; its actions are the listener's
// default actions.
func (s *Store) ModifyRule(_ context.Context, in *sdk.ModifyRuleInput) (*sdk.ModifyRuleOutput, error) {
	if err := validTransforms(in.Transforms); err != nil {
		return nil, err
	}
	if deref(in.ResetTransforms) && in.Transforms != nil {
		return nil, errValidation("Transforms and ResetTransforms cannot be specified together")
	}
	unlock := s.lock()
	defer unlock()
	r, err := s.lookupRule(in.RuleArn)
	if err != nil {
		return nil, err
	}
	conds := r.conditions
	if in.Conditions != nil {
		if r.isDefault {
			return nil, errOperationNotPermitted("The conditions of default rule '%s' cannot be modified", r.arn)
		}
		if conds, err = normalizeConditions(in.Conditions); err != nil {
			return nil, err
		}
	}
	l := s.listeners[r.listenerARN]
	actions := r.actions
	if in.Actions != nil {
		actions, err = s.normalizeActions(in.Actions, actionContext{lbARN: deref(l.view.LoadBalancerArn), protocol: l.view.Protocol, member: "actions"})
		if err != nil {
			return nil, err
		}
	}
	r.conditions, r.actions = conds, actions
	switch {
	case deref(in.ResetTransforms):
		r.transforms = nil
	case in.Transforms != nil:
		r.transforms = clone.Of(in.Transforms)
	}
	if r.isDefault {
		l.view.DefaultActions = clone.Of(actions)
		s.touchARN(r.listenerARN)
	}
	s.touchARN(r.arn)
	s.refreshUsage()
	return &sdk.ModifyRuleOutput{Rules: []types.Rule{ruleView(r)}}, nil
}

// SetRulePriorities changes the priorities of several rules at once: the
// result must leave every listener's priorities unique.
func (s *Store) SetRulePriorities(_ context.Context, in *sdk.SetRulePrioritiesInput) (*sdk.SetRulePrioritiesOutput, error) {
	if len(in.RulePriorities) == 0 {
		return nil, errRequired("rulePriorities")
	}
	seenPrio := map[int32]bool{}
	seenRule := map[string]bool{}
	for i, p := range in.RulePriorities {
		member := "rulePriorities." + itoa(i+1) + ".member"
		if p.RuleArn == nil {
			return nil, errRequired(member + ".ruleArn")
		}
		if err := validPriority(p.Priority, member+".priority"); err != nil {
			return nil, err
		}
		if seenPrio[*p.Priority] {
			return nil, errValidation("Priority '%d' was provided multiple times", *p.Priority)
		}
		if seenRule[*p.RuleArn] {
			return nil, errValidation("Rule '%s' was provided multiple times", *p.RuleArn)
		}
		seenPrio[*p.Priority], seenRule[*p.RuleArn] = true, true
	}
	unlock := s.lock()
	defer unlock()
	for _, p := range in.RulePriorities {
		r := s.rules[*p.RuleArn]
		if r == nil {
			return nil, errRuleNotFound()
		}
		if r.isDefault {
			return nil, errOperationNotPermitted("The priority of default rule '%s' cannot be changed", r.arn)
		}
	}
	// The new priority of every rule, to check each listener as a whole.
	final := map[string]int{}
	for arn, r := range s.rules {
		if !r.isDefault {
			final[arn] = r.priority
		}
	}
	for _, p := range in.RulePriorities {
		final[*p.RuleArn] = int(*p.Priority)
	}
	taken := map[string]map[int]bool{}
	for arn, prio := range final {
		l := s.rules[arn].listenerARN
		if taken[l] == nil {
			taken[l] = map[int]bool{}
		}
		if taken[l][prio] {
			return nil, errPriorityInUse(prio)
		}
		taken[l][prio] = true
	}
	out := &sdk.SetRulePrioritiesOutput{Rules: make([]types.Rule, 0, len(in.RulePriorities))}
	for _, p := range in.RulePriorities {
		r := s.rules[*p.RuleArn]
		r.priority = int(*p.Priority)
		s.touchARN(r.arn)
		out.Rules = append(out.Rules, ruleView(r))
	}
	s.changed()
	return out, nil
}
