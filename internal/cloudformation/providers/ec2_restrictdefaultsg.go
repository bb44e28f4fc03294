package providers

import (
	"context"
	"crypto/rand"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// RestrictDefaultSG is Custom::VpcRestrictDefaultSG, the custom resource
// a stock CDK ec2.Vpc adds (restrictDefaultSecurityGroup, on by default).
// On AWS a Lambda function carries it out; there is no Lambda here, so it
// is done natively, as that function does it: on create the VPC default
// security group loses its two default rules (all traffic from itself,
// all traffic out to 0.0.0.0/0); on delete they come back. ServiceToken
// names the function and is not called. Ref is a generated ID; it has no
// attributes.
type RestrictDefaultSG struct{ api *ec2api.API }

// NewRestrictDefaultSG returns the provider of Custom::VpcRestrictDefaultSG.
func NewRestrictDefaultSG(api *ec2api.API) *RestrictDefaultSG { return &RestrictDefaultSG{api: api} }

type restrictProps struct {
	ServiceToken           *string
	DefaultSecurityGroupId *string
	Account                *string
}

func decodeRestrict(p map[string]any) (*restrictProps, error) {
	v := &restrictProps{}
	if err := props.Decode(p, v); err != nil {
		return nil, err
	}
	if v.DefaultSecurityGroupId == nil {
		return nil, &engine.Failure{Message: "Custom::VpcRestrictDefaultSG needs DefaultSecurityGroupId"}
	}
	return v, nil
}

// defaultRules are the default group's two rules: ingress from the group
// itself, egress to everywhere.
func defaultRules(group, account string) (ingress, egress types.IpPermission) {
	ingress = types.IpPermission{IpProtocol: ptr("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: &group, UserId: &account}}}
	return ingress, allTraffic()
}

func (v *restrictProps) account(req *engine.Request) string {
	if v.Account != nil {
		return *v.Account
	}
	return req.Account
}

// Create revokes the default rules; rules already gone are fine.
func (p *RestrictDefaultSG) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeRestrict(req.Properties)
	if err != nil {
		return nil, err
	}
	if err := p.restrict(callCtx(ctx, req), p.api.Store(req.Region), *v.DefaultSecurityGroupId, v.account(req)); err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: rand.Text()}, nil
}

func (p *RestrictDefaultSG) restrict(ctx context.Context, s *ec2api.Store, group, account string) error {
	in, out := defaultRules(group, account)
	_, err := s.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: &group, IpPermissions: []types.IpPermission{out}})
	if err != nil && !isCode(err, "InvalidPermission.NotFound") {
		return err
	}
	_, err = s.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: &group, IpPermissions: []types.IpPermission{in}})
	if err != nil && !isCode(err, "InvalidPermission.NotFound") {
		return err
	}
	return nil
}

// restore authorizes the default rules again; rules already there, or a
// group already gone, are fine.
func (p *RestrictDefaultSG) restore(ctx context.Context, s *ec2api.Store, group, account string) error {
	in, out := defaultRules(group, account)
	_, err := s.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &group, IpPermissions: []types.IpPermission{in}})
	if err != nil && !isCode(err, "InvalidPermission.Duplicate", "InvalidGroup.NotFound") {
		return err
	}
	_, err = s.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: &group, IpPermissions: []types.IpPermission{out}})
	if err != nil && !isCode(err, "InvalidPermission.Duplicate", "InvalidGroup.NotFound") {
		return err
	}
	return nil
}

// Update moves the restriction when the group changed: the old group gets
// its rules back, the new one loses them.
func (p *RestrictDefaultSG) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeRestrict(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	if old, err := decodeRestrict(req.PreviousProperties); err == nil && *old.DefaultSecurityGroupId != *v.DefaultSecurityGroupId {
		if err := p.restore(cctx, s, *old.DefaultSecurityGroupId, old.account(req)); err != nil {
			return nil, err
		}
		if err := p.restrict(cctx, s, *v.DefaultSecurityGroupId, v.account(req)); err != nil {
			return nil, err
		}
	}
	return &engine.Result{PhysicalID: req.PhysicalID}, nil
}

// Delete gives the group its default rules back.
func (p *RestrictDefaultSG) Delete(ctx context.Context, req *engine.Request) error {
	m := req.PreviousProperties
	if m == nil {
		m = req.Properties
	}
	v, err := decodeRestrict(m)
	if err != nil {
		return err
	}
	return p.restore(callCtx(ctx, req), p.api.Store(req.Region), *v.DefaultSecurityGroupId, v.account(req))
}

// Replaces never: like the Lambda function it stands for, a change is an
// update.
func (p *RestrictDefaultSG) Replaces(_, _ map[string]any) bool { return false }
