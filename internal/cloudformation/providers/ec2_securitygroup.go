package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// SecurityGroup is AWS::EC2::SecurityGroup with its inline
// SecurityGroupIngress and SecurityGroupEgress rules: Ref is the group ID
// when VpcId is given, else (a group of the default VPC) its name; GetAtt
// GroupId and VpcId.
type SecurityGroup struct {
	api *ec2api.API
	ec2Waits
}

// NewSecurityGroup returns the security group provider.
func NewSecurityGroup(api *ec2api.API) *SecurityGroup {
	return &SecurityGroup{api: api, ec2Waits: defaultEC2Waits()}
}

// sgProps are AWS::EC2::SecurityGroup's properties.
type sgProps struct {
	GroupDescription     *string
	GroupName            *string
	VpcId                *string
	SecurityGroupIngress []ingressRule
	SecurityGroupEgress  []egressRule
	Tags                 []types.Tag
}

func decodeSG(p map[string]any) (*sgProps, error) {
	v := &sgProps{}
	return v, props.Decode(p, v)
}

// Create creates the group (named after the stack when GroupName is
// absent) and its rules. Listed egress rules take the place of EC2's
// default allow-all rule, as on AWS.
func (p *SecurityGroup) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeSG(req.Properties)
	if err != nil {
		return nil, err
	}
	if v.GroupName == nil {
		v.GroupName = ptr(props.PhysicalName(req.StackName, req.LogicalID, 255))
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.CreateSecurityGroup(cctx, &ec2.CreateSecurityGroupInput{GroupName: v.GroupName, Description: v.GroupDescription,
		VpcId: v.VpcId, TagSpecifications: tagSpec(types.ResourceTypeSecurityGroup, ec2Tags(req, v.Tags))})
	if err != nil {
		return nil, err
	}
	id := *out.GroupId
	if err := p.applyRules(cctx, s, id, v, &sgProps{}); err != nil {
		_, _ = s.DeleteSecurityGroup(cctx, &ec2.DeleteSecurityGroupInput{GroupId: &id})
		return nil, err
	}
	return p.result(req.Region, id, v)
}

// applyRules brings the group's rules from old's to v's: rules that went
// are revoked first, then new ones authorized. The default egress rule
// goes when the first egress rule is listed; it does not come back when
// the last listed one goes (CloudFormation's documented behaviour).
func (p *SecurityGroup) applyRules(ctx context.Context, s *ec2api.Store, id string, v, old *sgProps) error {
	revokeIn, authIn := ruleDiff(old.SecurityGroupIngress, v.SecurityGroupIngress)
	revokeOut, authOut := ruleDiff(old.SecurityGroupEgress, v.SecurityGroupEgress)
	if len(old.SecurityGroupEgress) == 0 && len(v.SecurityGroupEgress) > 0 {
		_, err := s.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: &id, IpPermissions: []types.IpPermission{allTraffic()}})
		if err != nil && !isCode(err, "InvalidPermission.NotFound") {
			return err
		}
	}
	if len(revokeIn) > 0 {
		if _, err := s.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: &id, IpPermissions: revokeIn}); err != nil {
			return err
		}
	}
	if len(revokeOut) > 0 {
		if _, err := s.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: &id, IpPermissions: revokeOut}); err != nil {
			return err
		}
	}
	if len(authIn) > 0 {
		if _, err := s.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &id, IpPermissions: authIn}); err != nil {
			return err
		}
	}
	if len(authOut) > 0 {
		if _, err := s.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: &id, IpPermissions: authOut}); err != nil {
			return err
		}
	}
	return nil
}

func (p *SecurityGroup) result(region, id string, v *sgProps) (*engine.Result, error) {
	g, err := p.api.SecurityGroup(region, id)
	if err != nil {
		return nil, err
	}
	res := &engine.Result{PhysicalID: id, Attributes: map[string]any{"GroupId": id, "VpcId": deref(g.VpcId)}}
	if v.VpcId == nil {
		res.Ref = deref(g.GroupName)
	}
	return res, nil
}

// Update changes the rules and the tags in place.
func (p *SecurityGroup) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeSG(req.Properties)
	if err != nil {
		return nil, err
	}
	old, err := decodeSG(req.PreviousProperties)
	if err != nil {
		old = &sgProps{}
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	if err := p.applyRules(cctx, s, req.PhysicalID, v, old); err != nil {
		return nil, err
	}
	if err := retagFrom(cctx, s, req, req.PhysicalID); err != nil {
		return nil, err
	}
	return p.result(req.Region, req.PhysicalID, v)
}

// Delete deletes the group, waiting out interfaces and other groups'
// rules still using it; one already gone is deleted.
func (p *SecurityGroup) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	err := retryDependency(cctx, p.ec2Waits, func() error {
		_, err := s.DeleteSecurityGroup(cctx, &ec2.DeleteSecurityGroupInput{GroupId: &req.PhysicalID})
		return err
	})
	if isCode(err, "InvalidGroup.NotFound") {
		return nil
	}
	return err
}

// Replaces: GroupDescription, GroupName and VpcId.
func (p *SecurityGroup) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "GroupDescription", "GroupName", "VpcId")
}
