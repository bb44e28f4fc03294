package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// IAMInstanceProfile is AWS::IAM::InstanceProfile: Ref is its name,
// GetAtt Arn. Its Roles (at most one, as IAM allows) are added with it.
type IAMInstanceProfile struct{ api *iamapi.API }

// NewIAMInstanceProfile returns the AWS::IAM::InstanceProfile provider.
func NewIAMInstanceProfile(api *iamapi.API) *IAMInstanceProfile { return &IAMInstanceProfile{api: api} }

func profileInput(p map[string]any) (*iam.CreateInstanceProfileInput, []string, error) {
	in := &iam.CreateInstanceProfileInput{}
	if err := props.Decode(p, in, "Roles"); err != nil {
		return nil, nil, err
	}
	roles, err := stringList(p, "Roles")
	return in, roles, err
}

// Create creates the profile, named stack-logicalID-suffix when unnamed,
// and adds its roles; a failure deletes it again.
func (p *IAMInstanceProfile) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, roles, err := profileInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if in.InstanceProfileName == nil {
		in.InstanceProfileName = ptr(props.PhysicalName(req.StackName, req.LogicalID, 128))
	}
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	out, err := s.CreateInstanceProfile(cctx, in)
	if err != nil {
		return nil, err
	}
	name := *in.InstanceProfileName
	if err := p.setRoles(cctx, s, name, nil, roles); err != nil {
		_ = p.Delete(ctx, &engine.Request{Region: req.Region, Account: req.Account, LogicalID: req.LogicalID, PhysicalID: name})
		return nil, err
	}
	return &engine.Result{PhysicalID: name, Attributes: map[string]any{"Arn": deref(out.InstanceProfile.Arn)}}, nil
}

// setRoles removes the roles that went, then adds the new ones (IAM
// allows one role per profile, so a swap must remove first).
func (p *IAMInstanceProfile) setRoles(ctx context.Context, s *iamapi.Store, name string, from, to []string) error {
	for _, r := range removed(from, to) {
		_, err := s.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: &name, RoleName: &r})
		if ignoreNoSuchEntity(err) != nil {
			return err
		}
	}
	for _, r := range added(from, to) {
		if _, err := s.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: &name, RoleName: &r}); err != nil {
			return err
		}
	}
	return nil
}

// Update changes the profile's roles.
func (p *IAMInstanceProfile) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	_, roles, err := profileInput(req.Properties)
	if err != nil {
		return nil, err
	}
	_, old, _ := profileInput(req.PreviousProperties)
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	if err := p.setRoles(cctx, s, req.PhysicalID, old, roles); err != nil {
		return nil, err
	}
	out, err := s.GetInstanceProfile(cctx, &iam.GetInstanceProfileInput{InstanceProfileName: &req.PhysicalID})
	if err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"Arn": deref(out.InstanceProfile.Arn)}}, nil
}

// Delete removes the profile's roles and deletes it; one already gone is
// deleted.
func (p *IAMInstanceProfile) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx, name := p.api.Store(req.Account), callCtx(ctx, req), req.PhysicalID
	out, err := s.GetInstanceProfile(cctx, &iam.GetInstanceProfileInput{InstanceProfileName: &name})
	if err != nil {
		return ignoreNoSuchEntity(err)
	}
	var roles []string
	for _, r := range out.InstanceProfile.Roles {
		roles = append(roles, deref(r.RoleName))
	}
	if err := p.setRoles(cctx, s, name, roles, nil); err != nil {
		return err
	}
	_, err = s.DeleteInstanceProfile(cctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: &name})
	return ignoreNoSuchEntity(err)
}

// Replaces: a new InstanceProfileName or Path replaces the profile.
func (p *IAMInstanceProfile) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "InstanceProfileName", "Path")
}
