package providers

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// SecurityGroupRule is AWS::EC2::SecurityGroupIngress or
// AWS::EC2::SecurityGroupEgress, one rule of a group defined apart from
// it (the CDK writes every rule between two groups this way): Ref and
// GetAtt Id are the security group rule ID.
type SecurityGroupRule struct {
	api    *ec2api.API
	egress bool
}

// NewSecurityGroupIngress returns the AWS::EC2::SecurityGroupIngress
// provider.
func NewSecurityGroupIngress(api *ec2api.API) *SecurityGroupRule { return &SecurityGroupRule{api: api} }

// NewSecurityGroupEgress returns the AWS::EC2::SecurityGroupEgress
// provider.
func NewSecurityGroupEgress(api *ec2api.API) *SecurityGroupRule {
	return &SecurityGroupRule{api: api, egress: true}
}

// ruleGroup names the group a rule belongs to: by ID, or (ingress, default
// VPC) by name.
type ruleGroup struct{ GroupId, GroupName *string }

func (p *SecurityGroupRule) typeName() string {
	if p.egress {
		return "AWS::EC2::SecurityGroupEgress"
	}
	return "AWS::EC2::SecurityGroupIngress"
}

// decode reads the group and the rule's permission.
func (p *SecurityGroupRule) decode(m map[string]any) (ruleGroup, types.IpPermission, *string, error) {
	var g ruleGroup
	var perm types.IpPermission
	var desc *string
	groupKeys := map[string]any{"GroupId": m["GroupId"]}
	if p.egress {
		var r egressRule
		if err := props.Decode(m, &r, "GroupId"); err != nil {
			return g, perm, nil, err
		}
		perm, desc = r.permission(), r.Description
	} else {
		var r ingressRule
		if err := props.Decode(m, &r, "GroupId", "GroupName"); err != nil {
			return g, perm, nil, err
		}
		perm, desc = r.permission(), r.Description
		groupKeys["GroupName"] = m["GroupName"]
	}
	if err := props.Decode(groupKeys, &g); err != nil {
		return g, perm, nil, err
	}
	if g.GroupId == nil && (p.egress || g.GroupName == nil) {
		return g, perm, nil, &engine.Failure{Message: "Properties validation failed for resource with message: #: required key [GroupId] not found"}
	}
	if peers(perm) != 1 {
		return g, perm, nil, &engine.Failure{Message: fmt.Sprintf("%s needs exactly one of CidrIp, CidrIpv6, a prefix list or a security group as its peer", p.typeName())}
	}
	return g, perm, desc, nil
}

// Create authorizes the rule.
func (p *SecurityGroupRule) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	g, perm, _, err := p.decode(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	var rules []types.SecurityGroupRule
	if p.egress {
		out, err := s.AuthorizeSecurityGroupEgress(cctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: g.GroupId, IpPermissions: []types.IpPermission{perm}})
		if err != nil {
			return nil, err
		}
		rules = out.SecurityGroupRules
	} else {
		out, err := s.AuthorizeSecurityGroupIngress(cctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, GroupName: g.GroupName,
			IpPermissions: []types.IpPermission{perm}})
		if err != nil {
			return nil, err
		}
		rules = out.SecurityGroupRules
	}
	id := deref(rules[0].SecurityGroupRuleId)
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{"Id": id}}, nil
}

// Update changes the description, the only property that does not
// replace the rule.
func (p *SecurityGroupRule) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	g, _, desc, err := p.decode(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	d := []types.SecurityGroupRuleDescription{{SecurityGroupRuleId: &req.PhysicalID, Description: desc}}
	if p.egress {
		_, err = s.UpdateSecurityGroupRuleDescriptionsEgress(cctx, &ec2.UpdateSecurityGroupRuleDescriptionsEgressInput{GroupId: g.GroupId,
			SecurityGroupRuleDescriptions: d})
	} else {
		_, err = s.UpdateSecurityGroupRuleDescriptionsIngress(cctx, &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: g.GroupId,
			GroupName: g.GroupName, SecurityGroupRuleDescriptions: d})
	}
	if err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"Id": req.PhysicalID}}, nil
}

// Delete revokes the rule; one already gone, or whose group is, is
// deleted.
func (p *SecurityGroupRule) Delete(ctx context.Context, req *engine.Request) error {
	m := req.PreviousProperties
	if m == nil {
		m = req.Properties
	}
	g, _, _, err := p.decode(m)
	if err != nil {
		return err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	ids := []string{req.PhysicalID}
	if p.egress {
		_, err = s.RevokeSecurityGroupEgress(cctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: g.GroupId, SecurityGroupRuleIds: ids})
	} else {
		_, err = s.RevokeSecurityGroupIngress(cctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: g.GroupId, GroupName: g.GroupName, SecurityGroupRuleIds: ids})
	}
	if isCode(err, "InvalidSecurityGroupRuleId.NotFound", "InvalidGroup.NotFound") {
		return nil
	}
	return err
}

// Replaces: every property but Description.
func (p *SecurityGroupRule) Replaces(oldProps, newProps map[string]any) bool {
	return changedExcept(oldProps, newProps, "Description")
}
