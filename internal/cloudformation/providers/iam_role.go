package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// IAMRole is AWS::IAM::Role: Ref is the role name; GetAtt Arn and RoleId.
// Its inline Policies and ManagedPolicyArns are put and attached with it.
type IAMRole struct{ api *iamapi.API }

// NewIAMRole returns the AWS::IAM::Role provider.
func NewIAMRole(api *iamapi.API) *IAMRole { return &IAMRole{api: api} }

// roleInput decodes the properties CreateRole takes; the trust policy is
// a Json property, Policies and ManagedPolicyArns are separate calls.
func roleInput(p map[string]any) (*iam.CreateRoleInput, entityPolicies, error) {
	in := &iam.CreateRoleInput{}
	if err := props.Decode(p, in, "AssumeRolePolicyDocument", "Policies", "ManagedPolicyArns"); err != nil {
		return nil, entityPolicies{}, err
	}
	doc, err := jsonText(p, "AssumeRolePolicyDocument")
	if err != nil {
		return nil, entityPolicies{}, err
	}
	if doc == "" {
		return nil, entityPolicies{}, &props.Error{Path: "#", Message: "required key [AssumeRolePolicyDocument] not found"}
	}
	in.AssumeRolePolicyDocument = &doc
	pols, err := entityPoliciesOf(p)
	return in, pols, err
}

func iamTags(req *engine.Request, explicit []types.Tag) []types.Tag {
	return stackTags(req, explicit, func(t types.Tag) string { return deref(t.Key) },
		func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} })
}

// Create creates the role, named stack-logicalID-suffix when unnamed, then
// its policies. A failure after the role exists removes it again: the
// engine records no physical ID for a failed create, so nothing else would.
func (p *IAMRole) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, pols, err := roleInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if in.RoleName == nil {
		in.RoleName = ptr(props.PhysicalName(req.StackName, req.LogicalID, 64))
	}
	in.Tags = iamTags(req, in.Tags)
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	out, err := s.CreateRole(cctx, in)
	if err != nil {
		return nil, err
	}
	e := roleEntity(s, *in.RoleName)
	if err := e.apply(cctx, entityPolicies{}, pols); err != nil {
		_ = p.Delete(ctx, &engine.Request{Region: req.Region, Account: req.Account, LogicalID: req.LogicalID, PhysicalID: *in.RoleName})
		return nil, err
	}
	return roleResult(out.Role), nil
}

func roleResult(r *types.Role) *engine.Result {
	return &engine.Result{PhysicalID: deref(r.RoleName),
		Attributes: map[string]any{"Arn": deref(r.Arn), "RoleId": deref(r.RoleId)}}
}

// Update changes the trust policy, description, session duration, tags
// and policies in place.
func (p *IAMRole) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, pols, err := roleInput(req.Properties)
	if err != nil {
		return nil, err
	}
	old, oldPols, prevErr := roleInput(req.PreviousProperties)
	if prevErr != nil { // the previous properties were accepted once
		old, oldPols = &iam.CreateRoleInput{}, entityPolicies{}
	}
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	name := req.PhysicalID
	if deref(in.AssumeRolePolicyDocument) != deref(old.AssumeRolePolicyDocument) {
		if _, err := s.UpdateAssumeRolePolicy(cctx, &iam.UpdateAssumeRolePolicyInput{RoleName: &name, PolicyDocument: in.AssumeRolePolicyDocument}); err != nil {
			return nil, err
		}
	}
	if deref(in.Description) != deref(old.Description) || deref(in.MaxSessionDuration) != deref(old.MaxSessionDuration) {
		upd := &iam.UpdateRoleInput{RoleName: &name, Description: ptr(deref(in.Description)), MaxSessionDuration: in.MaxSessionDuration}
		if upd.MaxSessionDuration == nil {
			upd.MaxSessionDuration = ptr(int32(3600))
		}
		if _, err := s.UpdateRole(cctx, upd); err != nil {
			return nil, err
		}
	}
	if err := p.setBoundary(cctx, s, name, old.PermissionsBoundary, in.PermissionsBoundary); err != nil {
		return nil, err
	}
	untag := func(keys []string) error {
		_, err := s.UntagRole(cctx, &iam.UntagRoleInput{RoleName: &name, TagKeys: keys})
		return err
	}
	tag := func(tags []types.Tag) error {
		_, err := s.TagRole(cctx, &iam.TagRoleInput{RoleName: &name, Tags: tags})
		return err
	}
	if err := retagIAM(iamTags(req, old.Tags), iamTags(req, in.Tags), untag, tag); err != nil {
		return nil, err
	}
	if err := roleEntity(s, name).apply(cctx, oldPols, pols); err != nil {
		return nil, err
	}
	out, err := s.GetRole(cctx, &iam.GetRoleInput{RoleName: &name})
	if err != nil {
		return nil, err
	}
	return roleResult(out.Role), nil
}

// setBoundary puts or deletes the permissions boundary when it changed.
func (p *IAMRole) setBoundary(ctx context.Context, s *iamapi.Store, name string, from, to *string) error {
	var err error
	switch {
	case deref(from) == deref(to):
	case to == nil:
		_, err = s.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: &name})
	default:
		_, err = s.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: &name, PermissionsBoundary: to})
	}
	return err
}

// Delete removes the role's policies, takes it out of its instance
// profiles and deletes it; a role already gone is deleted.
func (p *IAMRole) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	name := req.PhysicalID
	if err := roleEntity(s, name).strip(cctx); err != nil {
		return ignoreNoSuchEntity(err)
	}
	profiles, err := s.ListInstanceProfilesForRole(cctx, &iam.ListInstanceProfilesForRoleInput{RoleName: &name, MaxItems: ptr(int32(1000))})
	if err != nil {
		return ignoreNoSuchEntity(err)
	}
	for _, ip := range profiles.InstanceProfiles {
		if _, err := s.RemoveRoleFromInstanceProfile(cctx, &iam.RemoveRoleFromInstanceProfileInput{
			InstanceProfileName: ip.InstanceProfileName, RoleName: &name}); ignoreNoSuchEntity(err) != nil {
			return err
		}
	}
	_, err = s.DeleteRole(cctx, &iam.DeleteRoleInput{RoleName: &name})
	return ignoreNoSuchEntity(err)
}

// Replaces: a new RoleName or Path replaces the role.
func (p *IAMRole) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "RoleName", "Path")
}
