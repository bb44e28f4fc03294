package providers

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// IAMManagedPolicy is AWS::IAM::ManagedPolicy: a customer managed policy
// attached to its Roles and Users. Ref is the policy ARN; GetAtt
// PolicyArn, PolicyId, DefaultVersionId, AttachmentCount, IsAttachable,
// CreateDate, UpdateDate.
type IAMManagedPolicy struct{ api *iamapi.API }

// NewIAMManagedPolicy returns the AWS::IAM::ManagedPolicy provider.
func NewIAMManagedPolicy(api *iamapi.API) *IAMManagedPolicy { return &IAMManagedPolicy{api: api} }

// managedPolicy is the decoded resource.
type managedPolicy struct {
	in           *iam.CreatePolicyInput
	roles, users []string
}

func managedPolicyOf(p map[string]any) (managedPolicy, error) {
	var out managedPolicy
	rest := map[string]any{}
	for k, v := range p {
		switch k {
		case "ManagedPolicyName":
			rest["PolicyName"] = v
		case "Path", "Description":
			rest[k] = v
		case "PolicyDocument", "Roles", "Users", "Groups":
		default:
			return out, &props.Error{Message: "Encountered unsupported property " + k}
		}
	}
	out.in = &iam.CreatePolicyInput{}
	if err := props.Decode(rest, out.in); err != nil {
		return out, err
	}
	doc, err := jsonText(p, "PolicyDocument")
	if err != nil {
		return out, err
	}
	if doc == "" {
		return out, &props.Error{Path: "#", Message: "required key [PolicyDocument] not found"}
	}
	out.in.PolicyDocument = &doc
	if err := noGroups(p); err != nil {
		return out, err
	}
	if out.roles, err = stringList(p, "Roles"); err != nil {
		return out, err
	}
	out.users, err = stringList(p, "Users")
	return out, err
}

func (mp managedPolicy) entities(s *iamapi.Store, roles, users []string) []entity {
	var out []entity
	for _, r := range roles {
		out = append(out, roleEntity(s, r))
	}
	for _, u := range users {
		out = append(out, userEntity(s, u))
	}
	return out
}

// Create creates the policy (named stack-logicalID-suffix when unnamed)
// and attaches it; a failed attachment deletes it again.
func (p *IAMManagedPolicy) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	mp, err := managedPolicyOf(req.Properties)
	if err != nil {
		return nil, err
	}
	if mp.in.PolicyName == nil {
		mp.in.PolicyName = ptr(props.PhysicalName(req.StackName, req.LogicalID, 128))
	}
	s, cctx := p.api.Store(req.Account), callCtx(ctx, req)
	out, err := s.CreatePolicy(cctx, mp.in)
	if err != nil {
		return nil, err
	}
	arn := deref(out.Policy.Arn)
	for _, e := range mp.entities(s, mp.roles, mp.users) {
		if err := e.attach(cctx, arn); err != nil {
			_ = p.Delete(ctx, &engine.Request{Region: req.Region, Account: req.Account, LogicalID: req.LogicalID, PhysicalID: arn, Properties: req.Properties})
			return nil, err
		}
	}
	return p.result(cctx, s, arn)
}

func (p *IAMManagedPolicy) result(ctx context.Context, s *iamapi.Store, arn string) (*engine.Result, error) {
	out, err := s.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &arn})
	if err != nil {
		return nil, err
	}
	pol := out.Policy
	return &engine.Result{PhysicalID: arn, Attributes: map[string]any{
		"PolicyArn": arn, "PolicyId": deref(pol.PolicyId), "DefaultVersionId": deref(pol.DefaultVersionId),
		"AttachmentCount": int(deref(pol.AttachmentCount)), "IsAttachable": pol.IsAttachable,
		"CreateDate": deref(pol.CreateDate).Format(time.RFC3339), "UpdateDate": deref(pol.UpdateDate).Format(time.RFC3339),
	}}, nil
}

// Update makes a changed document the new default version (dropping the
// oldest non-default one at IAM's limit of five, as CloudFormation does)
// and attaches and detaches for changed Roles and Users.
func (p *IAMManagedPolicy) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	mp, err := managedPolicyOf(req.Properties)
	if err != nil {
		return nil, err
	}
	old, prevErr := managedPolicyOf(req.PreviousProperties)
	if prevErr != nil {
		old = managedPolicy{in: &iam.CreatePolicyInput{}}
	}
	s, cctx, arn := p.api.Store(req.Account), callCtx(ctx, req), req.PhysicalID
	if deref(mp.in.PolicyDocument) != deref(old.in.PolicyDocument) {
		if err := p.newVersion(cctx, s, arn, *mp.in.PolicyDocument); err != nil {
			return nil, err
		}
	}
	for _, e := range mp.entities(s, added(old.roles, mp.roles), added(old.users, mp.users)) {
		if err := e.attach(cctx, arn); err != nil {
			return nil, err
		}
	}
	for _, e := range mp.entities(s, removed(old.roles, mp.roles), removed(old.users, mp.users)) {
		if err := e.detach(cctx, arn); err != nil {
			return nil, err
		}
	}
	return p.result(cctx, s, arn)
}

func (p *IAMManagedPolicy) newVersion(ctx context.Context, s *iamapi.Store, arn, doc string) error {
	versions, err := s.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: &arn})
	if err != nil {
		return err
	}
	if n := len(versions.Versions); n >= 5 {
		for i := n - 1; i >= 0; i-- { // newest first: the last is the oldest
			if v := versions.Versions[i]; !v.IsDefaultVersion {
				if _, err := s.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: &arn, VersionId: v.VersionId}); err != nil {
					return err
				}
				break
			}
		}
	}
	_, err = s.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &arn, PolicyDocument: &doc, SetAsDefault: true})
	return err
}

// Delete detaches the policy from its Roles and Users, deletes its other
// versions and then the policy; one already gone is deleted.
func (p *IAMManagedPolicy) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx, arn := p.api.Store(req.Account), callCtx(ctx, req), req.PhysicalID
	if mp, err := managedPolicyOf(req.Properties); err == nil {
		for _, e := range mp.entities(s, mp.roles, mp.users) {
			if err := e.detach(cctx, arn); err != nil {
				return err
			}
		}
	}
	versions, err := s.ListPolicyVersions(cctx, &iam.ListPolicyVersionsInput{PolicyArn: &arn})
	if err != nil {
		return ignoreNoSuchEntity(err)
	}
	for _, v := range versions.Versions {
		if !v.IsDefaultVersion {
			if _, err := s.DeletePolicyVersion(cctx, &iam.DeletePolicyVersionInput{PolicyArn: &arn, VersionId: v.VersionId}); ignoreNoSuchEntity(err) != nil {
				return err
			}
		}
	}
	_, err = s.DeletePolicy(cctx, &iam.DeletePolicyInput{PolicyArn: &arn})
	return ignoreNoSuchEntity(err)
}

// Replaces: a new ManagedPolicyName, Path or Description replaces the
// policy (IAM cannot rename a policy or change its description).
func (p *IAMManagedPolicy) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "ManagedPolicyName", "Path", "Description")
}
