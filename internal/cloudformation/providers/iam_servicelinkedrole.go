package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// IAMServiceLinkedRole is AWS::IAM::ServiceLinkedRole: Ref (and GetAtt
// RoleName) is the role IAM names after the service
// (AWSServiceRoleForECS, …, with _<CustomSuffix>). Only its Description
// changes in place.
type IAMServiceLinkedRole struct{ api *iamapi.API }

// NewIAMServiceLinkedRole returns the AWS::IAM::ServiceLinkedRole provider.
func NewIAMServiceLinkedRole(api *iamapi.API) *IAMServiceLinkedRole {
	return &IAMServiceLinkedRole{api: api}
}

func linkedRoleInput(p map[string]any) (*iam.CreateServiceLinkedRoleInput, error) {
	in := &iam.CreateServiceLinkedRoleInput{}
	if err := props.Decode(p, in); err != nil {
		return nil, err
	}
	if in.AWSServiceName == nil {
		return nil, &props.Error{Path: "#", Message: "required key [AWSServiceName] not found"}
	}
	return in, nil
}

// Create creates the role.
func (p *IAMServiceLinkedRole) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := linkedRoleInput(req.Properties)
	if err != nil {
		return nil, err
	}
	out, err := p.api.Store(req.Account).CreateServiceLinkedRole(callCtx(ctx, req), in)
	if err != nil {
		return nil, err
	}
	name := deref(out.Role.RoleName)
	return &engine.Result{PhysicalID: name, Attributes: map[string]any{"RoleName": name}}, nil
}

// Update sets the description.
func (p *IAMServiceLinkedRole) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := linkedRoleInput(req.Properties)
	if err != nil {
		return nil, err
	}
	upd := &iam.UpdateRoleDescriptionInput{RoleName: &req.PhysicalID, Description: ptr(deref(in.Description))}
	if _, err := p.api.Store(req.Account).UpdateRoleDescription(callCtx(ctx, req), upd); err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"RoleName": req.PhysicalID}}, nil
}

// Delete deletes the role (its deletion task succeeds at once here); one
// already gone is deleted.
func (p *IAMServiceLinkedRole) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.Store(req.Account).DeleteServiceLinkedRole(callCtx(ctx, req), &iam.DeleteServiceLinkedRoleInput{RoleName: &req.PhysicalID})
	return ignoreNoSuchEntity(err)
}

// Replaces: a new service or suffix is another role.
func (p *IAMServiceLinkedRole) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "AWSServiceName", "CustomSuffix")
}
