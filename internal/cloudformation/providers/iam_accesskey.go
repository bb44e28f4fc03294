package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// IAMAccessKey is AWS::IAM::AccessKey: Ref is the access key ID, GetAtt
// SecretAccessKey. Status updates in place; a new UserName or Serial makes
// a new key.
type IAMAccessKey struct{ api *iamapi.API }

// NewIAMAccessKey returns the AWS::IAM::AccessKey provider.
func NewIAMAccessKey(api *iamapi.API) *IAMAccessKey { return &IAMAccessKey{api: api} }

// accessKeyProps are the properties; Serial only forces a rotation.
type accessKeyProps struct {
	UserName *string
	Serial   *int64
	Status   types.StatusType
}

func accessKeyOf(p map[string]any) (accessKeyProps, error) {
	var k accessKeyProps
	if err := props.Decode(p, &k); err != nil {
		return k, err
	}
	if k.UserName == nil {
		return k, &props.Error{Path: "#", Message: "required key [UserName] not found"}
	}
	return k, nil
}

// Create creates the key, inactive when Status says so.
func (p *IAMAccessKey) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	k, err := accessKeyOf(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	out, err := s.CreateAccessKey(cctx, &iam.CreateAccessKeyInput{UserName: k.UserName})
	if err != nil {
		return nil, err
	}
	id := deref(out.AccessKey.AccessKeyId)
	if k.Status == types.StatusTypeInactive {
		if err := p.setStatus(cctx, s, k, id); err != nil {
			_ = p.Delete(ctx, &engine.Request{Region: req.Region, Account: req.Account, LogicalID: req.LogicalID, PhysicalID: id, Properties: req.Properties})
			return nil, err
		}
	}
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{"SecretAccessKey": deref(out.AccessKey.SecretAccessKey)}}, nil
}

func (p *IAMAccessKey) setStatus(ctx context.Context, s *iamapi.Store, k accessKeyProps, id string) error {
	status := k.Status
	if status == "" {
		status = types.StatusTypeActive
	}
	_, err := s.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: k.UserName, AccessKeyId: &id, Status: status})
	return err
}

// Update sets the Status; the secret stays what Create returned.
func (p *IAMAccessKey) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	k, err := accessKeyOf(req.Properties)
	if err != nil {
		return nil, err
	}
	if err := p.setStatus(callCtx(ctx, req), p.api.Store(req.Account), k, req.PhysicalID); err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: req.PreviousAttributes}, nil
}

// Delete deletes the key; one already gone (or whose user is) is deleted.
func (p *IAMAccessKey) Delete(ctx context.Context, req *engine.Request) error {
	k, err := accessKeyOf(req.Properties)
	if err != nil {
		return nil
	}
	_, err = p.api.Store(req.Account).DeleteAccessKey(callCtx(ctx, req), &iam.DeleteAccessKeyInput{UserName: k.UserName, AccessKeyId: &req.PhysicalID})
	return ignoreNoSuchEntity(err)
}

// Replaces: a new UserName or Serial makes a new key.
func (p *IAMAccessKey) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "UserName", "Serial")
}
