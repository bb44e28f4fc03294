package providers

import (
	"context"

	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// IAMPolicy is AWS::IAM::Policy: one inline policy put on each of its
// Roles and Users. Ref (and GetAtt Id) is the ID CloudFormation makes up
// for it, "<stack, 5>-<logical ID, 5>-<12 characters>"; nothing in IAM
// carries that ID.
type IAMPolicy struct{ api *iamapi.API }

// NewIAMPolicy returns the AWS::IAM::Policy provider.
func NewIAMPolicy(api *iamapi.API) *IAMPolicy { return &IAMPolicy{api: api} }

// inlinePolicy is the decoded resource.
type inlinePolicy struct {
	name, doc    string
	roles, users []string
}

func inlinePolicyOf(p map[string]any) (inlinePolicy, error) {
	var out inlinePolicy
	for k := range p {
		switch k {
		case "PolicyName", "PolicyDocument", "Roles", "Users", "Groups":
		default:
			return out, &props.Error{Message: "Encountered unsupported property " + k}
		}
	}
	if err := noGroups(p); err != nil {
		return out, err
	}
	var err error
	if out.roles, err = stringList(p, "Roles"); err != nil {
		return out, err
	}
	if out.users, err = stringList(p, "Users"); err != nil {
		return out, err
	}
	if out.doc, err = jsonText(p, "PolicyDocument"); err != nil {
		return out, err
	}
	out.name = str(p, "PolicyName")
	switch {
	case out.name == "":
		return out, &props.Error{Path: "#", Message: "required key [PolicyName] not found"}
	case out.doc == "":
		return out, &props.Error{Path: "#", Message: "required key [PolicyDocument] not found"}
	case len(out.roles)+len(out.users) == 0:
		return out, &engine.Failure{Message: "At least one of [Groups,Roles,Users] must be non-empty."}
	}
	return out, nil
}

// Create puts the policy on every role and user; a failure takes it off
// those it was put on.
func (p *IAMPolicy) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	pol, err := inlinePolicyOf(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	if err := p.put(cctx, s, pol); err != nil {
		p.remove(cctx, s, pol)
		return nil, err
	}
	id := props.PhysicalName(req.StackName, req.LogicalID, 24)
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{"Id": id}}, nil
}

func (p *IAMPolicy) entities(s *iamapi.Store, pol inlinePolicy) []entity {
	var out []entity
	for _, r := range pol.roles {
		out = append(out, roleEntity(s, r))
	}
	for _, u := range pol.users {
		out = append(out, userEntity(s, u))
	}
	return out
}

func (p *IAMPolicy) put(ctx context.Context, s *iamapi.Store, pol inlinePolicy) error {
	for _, e := range p.entities(s, pol) {
		if err := e.put(ctx, pol.name, pol.doc); err != nil {
			return err
		}
	}
	return nil
}

// remove deletes the policy from each entity, ignoring those gone.
func (p *IAMPolicy) remove(ctx context.Context, s *iamapi.Store, pol inlinePolicy) error {
	var first error
	for _, e := range p.entities(s, pol) {
		if err := e.del(ctx, pol.name); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Update puts the new policy everywhere it now belongs, then removes it
// (under its old name) from the entities it no longer names.
func (p *IAMPolicy) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	pol, err := inlinePolicyOf(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	if err := p.put(cctx, s, pol); err != nil {
		return nil, err
	}
	if old, err := inlinePolicyOf(req.PreviousProperties); err == nil {
		if old.name == pol.name {
			old.roles, old.users = removed(old.roles, pol.roles), removed(old.users, pol.users)
		}
		if err := p.remove(cctx, s, old); err != nil {
			return nil, err
		}
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"Id": req.PhysicalID}}, nil
}

// Delete takes the policy off its roles and users.
func (p *IAMPolicy) Delete(ctx context.Context, req *engine.Request) error {
	pol, err := inlinePolicyOf(req.Properties)
	if err != nil {
		return nil // it was never put anywhere
	}
	return p.remove(callCtx(ctx, req), p.api.Store(req.Account), pol)
}

// Replaces never: every property of AWS::IAM::Policy updates in place.
func (p *IAMPolicy) Replaces(_, _ map[string]any) bool { return false }
