package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// IAMUser is AWS::IAM::User: Ref is the user name, GetAtt Arn. Inline
// Policies, ManagedPolicyArns and a PermissionsBoundary come with it;
// Groups and LoginProfile fail (the emulator's IAM has neither).
type IAMUser struct{ api *iamapi.API }

// NewIAMUser returns the AWS::IAM::User provider.
func NewIAMUser(api *iamapi.API) *IAMUser { return &IAMUser{api: api} }

func userInput(p map[string]any) (*iam.CreateUserInput, entityPolicies, error) {
	in := &iam.CreateUserInput{}
	if err := props.Decode(p, in, "Policies", "ManagedPolicyArns", "Groups", "LoginProfile"); err != nil {
		return nil, entityPolicies{}, err
	}
	if err := noGroups(p); err != nil {
		return nil, entityPolicies{}, err
	}
	if p["LoginProfile"] != nil {
		return nil, entityPolicies{}, &engine.Failure{Message: "LoginProfile (console passwords) is not supported by this emulator's IAM"}
	}
	pols, err := entityPoliciesOf(p)
	return in, pols, err
}

// Create creates the user, named stack-logicalID-suffix when unnamed, and
// its policies; a failure deletes it again.
func (p *IAMUser) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, pols, err := userInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if in.UserName == nil {
		in.UserName = ptr(props.PhysicalName(req.StackName, req.LogicalID, 64))
	}
	in.Tags = iamTags(req, in.Tags)
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	out, err := s.CreateUser(cctx, in)
	if err != nil {
		return nil, err
	}
	if err := userEntity(s, *in.UserName).apply(cctx, entityPolicies{}, pols); err != nil {
		_ = p.Delete(ctx, &engine.Request{Region: req.Region, Account: req.Account, LogicalID: req.LogicalID, PhysicalID: *in.UserName})
		return nil, err
	}
	return &engine.Result{PhysicalID: *in.UserName, Attributes: map[string]any{"Arn": deref(out.User.Arn)}}, nil
}

// Update changes the user's path, tags, boundary and policies in place.
func (p *IAMUser) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, pols, err := userInput(req.Properties)
	if err != nil {
		return nil, err
	}
	old, oldPols, prevErr := userInput(req.PreviousProperties)
	if prevErr != nil {
		old, oldPols = &iam.CreateUserInput{}, entityPolicies{}
	}
	s, cctx, name := p.api.Store(req.Account), callCtx(ctx, req), req.PhysicalID
	if deref(in.Path) != deref(old.Path) {
		if _, err := s.UpdateUser(cctx, &iam.UpdateUserInput{UserName: &name, NewPath: ptr(pathOr(in.Path))}); err != nil {
			return nil, err
		}
	}
	untag := func(keys []string) error {
		_, err := s.UntagUser(cctx, &iam.UntagUserInput{UserName: &name, TagKeys: keys})
		return err
	}
	tag := func(tags []types.Tag) error {
		_, err := s.TagUser(cctx, &iam.TagUserInput{UserName: &name, Tags: tags})
		return err
	}
	if err := retagIAM(iamTags(req, old.Tags), iamTags(req, in.Tags), untag, tag); err != nil {
		return nil, err
	}
	var berr error
	switch b := in.PermissionsBoundary; {
	case deref(b) == deref(old.PermissionsBoundary):
	case b == nil:
		_, berr = s.DeleteUserPermissionsBoundary(cctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: &name})
	default:
		_, berr = s.PutUserPermissionsBoundary(cctx, &iam.PutUserPermissionsBoundaryInput{UserName: &name, PermissionsBoundary: b})
	}
	if berr != nil {
		return nil, berr
	}
	if err := userEntity(s, req.PhysicalID).apply(cctx, oldPols, pols); err != nil {
		return nil, err
	}
	out, err := s.GetUser(cctx, &iam.GetUserInput{UserName: &req.PhysicalID})
	if err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"Arn": deref(out.User.Arn)}}, nil
}

// Delete removes the user's policies and deletes it; one already gone is
// deleted. Its access keys are AWS::IAM::AccessKey resources, which
// depend on the user and so are deleted first.
func (p *IAMUser) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	if err := userEntity(s, req.PhysicalID).strip(cctx); err != nil {
		return ignoreNoSuchEntity(err)
	}
	_, err := s.DeleteUser(cctx, &iam.DeleteUserInput{UserName: &req.PhysicalID})
	return ignoreNoSuchEntity(err)
}

// Replaces: only a new UserName replaces the user.
func (p *IAMUser) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "UserName")
}

// pathOr is a path property, "/" when absent (IAM's default).
func pathOr(p *string) string {
	if p == nil {
		return "/"
	}
	return *p
}
