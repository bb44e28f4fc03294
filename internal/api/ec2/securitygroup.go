package ec2

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// groupRecord is a security group and its rules, one rule per source or
// destination, in creation order.
type groupRecord struct {
	group types.SecurityGroup // without permissions and tags
	rules []*types.SecurityGroupRule
}

func (s *Store) groupARN(id string) string {
	return fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", s.region, s.account, id)
}

// addGroup creates a security group with EC2's default egress rule (all
// traffic to 0.0.0.0/0) under the rule ID given.
func (s *Store) addGroup(id, vpc, name, desc, egressRule string) *groupRecord {
	g := &groupRecord{group: types.SecurityGroup{
		GroupId: ptr(id), GroupName: ptr(name), Description: ptr(desc), VpcId: ptr(vpc),
		OwnerId: ptr(s.account), SecurityGroupArn: ptr(s.groupARN(id)),
	}}
	g.rules = append(g.rules, s.newRule(egressRule, g, true, "-1", -1, -1, func(r *types.SecurityGroupRule) { r.CidrIpv4 = ptr("0.0.0.0/0") }))
	s.groups[id] = g
	return g
}

// addDefaultGroup creates a VPC's "default" group: it also lets in all
// traffic from its own members.
func (s *Store) addDefaultGroup(ids vpcIDs) {
	g := s.addGroup(ids.group, ids.vpc, "default", "default VPC security group", ids.egressRule)
	g.rules = append(g.rules, s.newRule(ids.ingressRule, g, false, "-1", -1, -1, func(r *types.SecurityGroupRule) {
		r.ReferencedGroupInfo = &types.ReferencedSecurityGroup{GroupId: ptr(ids.group), UserId: ptr(s.account)}
	}))
}

// groupView is the group as Describe shows it, rules folded into
// IpPermissions.
func (s *Store) groupView(g *groupRecord) types.SecurityGroup {
	v := clone.Of(g.group)
	v.Tags = s.tagsOf(*v.GroupId)
	v.IpPermissions, v.IpPermissionsEgress = permissionsOf(g.rules, false), permissionsOf(g.rules, true)
	return v
}

// groupByName finds a group by name in a VPC.
func (s *Store) groupByName(vpc, name string) *groupRecord {
	for _, id := range s.sortedGroupIDs() {
		g := s.groups[id]
		if *g.group.VpcId == vpc && *g.group.GroupName == name {
			return g
		}
	}
	return nil
}

func (s *Store) sortedGroupIDs() []string {
	ids := make([]string, 0, len(s.groups))
	for id := range s.groups {
		ids = append(ids, id)
	}
	s.sortIDs(ids)
	return ids
}

// resolveGroup finds the group of a request naming it by ID or, in the
// default VPC, by name.
func (s *Store) resolveGroup(id, name *string) (*groupRecord, error) {
	if id != nil {
		return lookup(s.groups, "sg", *id)
	}
	if name == nil {
		return nil, errMissing("groupId")
	}
	vpc := s.defaultVpcID()
	if g := s.groupByName(vpc, *name); g != nil {
		return g, nil
	}
	return nil, errorf("InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC '%s'", *name, vpc)
}

// CreateSecurityGroup creates a group in a VPC (the default VPC when none
// is named); names are unique per VPC.
func (s *Store) CreateSecurityGroup(_ context.Context, in *ec2.CreateSecurityGroupInput) (*ec2.CreateSecurityGroupOutput, error) {
	if in.GroupName == nil {
		return nil, errMissing("groupName")
	}
	if in.Description == nil {
		return nil, errMissing("groupDescription")
	}
	name := *in.GroupName
	switch {
	case name == "" || len(name) > 255:
		return nil, errInvalidParameterValue("Invalid value '%s' for groupName. Length must be between 1 and 255 characters.", name)
	case strings.EqualFold(name, "default"):
		return nil, errorf("InvalidGroup.Reserved", "The security group 'default' is reserved")
	case strings.HasPrefix(name, "sg-"):
		return nil, errInvalidParameterValue("Group names may not be in the format sg-*")
	case len(*in.Description) > 255:
		return nil, errInvalidParameterValue("Invalid value for groupDescription. Length must be between 0 and 255 characters.")
	}
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeSecurityGroup)
	if err != nil {
		return nil, err
	}
	var out ec2.CreateSecurityGroupOutput
	err = s.write(func() error {
		vpc := deref(in.VpcId)
		if vpc == "" {
			vpc = s.defaultVpcID()
		}
		if _, err := lookup(s.vpcs, "vpc", vpc); err != nil {
			return err
		}
		if s.groupByName(vpc, name) != nil {
			return errorf("InvalidGroup.Duplicate", "The security group '%s' already exists for VPC '%s'", name, vpc)
		}
		g := s.addGroup(s.newID("sg"), vpc, name, *in.Description, s.newID("sgr"))
		s.addTags(*g.group.GroupId, tags)
		out = ec2.CreateSecurityGroupOutput{GroupId: ptr(*g.group.GroupId), SecurityGroupArn: ptr(*g.group.SecurityGroupArn), Tags: s.tagsOf(*g.group.GroupId)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteSecurityGroup deletes a group that is not a VPC's default group,
// is not referenced by another group's rules and no interface uses.
func (s *Store) DeleteSecurityGroup(_ context.Context, in *ec2.DeleteSecurityGroupInput) (*ec2.DeleteSecurityGroupOutput, error) {
	var out ec2.DeleteSecurityGroupOutput
	err := s.write(func() error {
		g, err := s.resolveGroup(in.GroupId, in.GroupName)
		if err != nil {
			return err
		}
		id := *g.group.GroupId
		if *g.group.GroupName == "default" {
			return errorf("CannotDelete", "the specified group: \"%s\" name: \"default\" cannot be deleted by a user", id)
		}
		if s.groupInUse(id) {
			return errorf("DependencyViolation", "resource %s has a dependent object", id)
		}
		for _, r := range g.rules {
			s.forget(*r.SecurityGroupRuleId)
		}
		delete(s.groups, id)
		s.forget(id)
		out = ec2.DeleteSecurityGroupOutput{GroupId: ptr(id), Return: ptr(true)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// groupInUse reports whether another group's rule or an interface refers
// to a group.
func (s *Store) groupInUse(id string) bool {
	for gid, g := range s.groups {
		if gid == id {
			continue
		}
		for _, r := range g.rules {
			if r.ReferencedGroupInfo != nil && deref(r.ReferencedGroupInfo.GroupId) == id {
				return true
			}
		}
	}
	for _, e := range s.enis {
		for _, gi := range e.Groups {
			if deref(gi.GroupId) == id {
				return true
			}
		}
	}
	return false
}

// permissionFilter gives the values of one IpPermission field over a
// group's ingress or egress rules.
func permissionFilter(egress bool, field func(types.IpPermission) []string) func(*groupRecord) []string {
	return func(g *groupRecord) []string {
		var out []string
		for _, p := range permissionsOf(g.rules, egress) {
			out = append(out, field(p)...)
		}
		return out
	}
}

func permCIDRs(p types.IpPermission) []string {
	var out []string
	for _, r := range p.IpRanges {
		out = append(out, deref(r.CidrIp))
	}
	return out
}

func permIPv6(p types.IpPermission) []string {
	var out []string
	for _, r := range p.Ipv6Ranges {
		out = append(out, deref(r.CidrIpv6))
	}
	return out
}

func permGroupIDs(p types.IpPermission) []string {
	var out []string
	for _, r := range p.UserIdGroupPairs {
		out = append(out, deref(r.GroupId))
	}
	return out
}

func permPrefixLists(p types.IpPermission) []string {
	var out []string
	for _, r := range p.PrefixListIds {
		out = append(out, deref(r.PrefixListId))
	}
	return out
}

var groupFilters = func() filterSet[*groupRecord] {
	fs := filterSet[*groupRecord]{
		"group-id":    func(g *groupRecord) []string { return strv(g.group.GroupId) },
		"group-name":  func(g *groupRecord) []string { return strv(g.group.GroupName) },
		"description": func(g *groupRecord) []string { return strv(g.group.Description) },
		"vpc-id":      func(g *groupRecord) []string { return strv(g.group.VpcId) },
		"owner-id":    func(g *groupRecord) []string { return strv(g.group.OwnerId) },
	}
	for prefix, egress := range map[string]bool{"ip-permission.": false, "egress.ip-permission.": true} {
		fs[prefix+"cidr"] = permissionFilter(egress, permCIDRs)
		fs[prefix+"ipv6-cidr"] = permissionFilter(egress, permIPv6)
		fs[prefix+"group-id"] = permissionFilter(egress, permGroupIDs)
		fs[prefix+"prefix-list-id"] = permissionFilter(egress, permPrefixLists)
		fs[prefix+"protocol"] = permissionFilter(egress, func(p types.IpPermission) []string { return strv(p.IpProtocol) })
		fs[prefix+"from-port"] = permissionFilter(egress, func(p types.IpPermission) []string { return intv(p.FromPort) })
		fs[prefix+"to-port"] = permissionFilter(egress, func(p types.IpPermission) []string { return intv(p.ToPort) })
		fs[prefix+"user-id"] = permissionFilter(egress, func(p types.IpPermission) []string {
			var out []string
			for _, r := range p.UserIdGroupPairs {
				out = append(out, deref(r.UserId))
			}
			return out
		})
	}
	return fs
}()

// DescribeSecurityGroups lists groups by ID, by name (default VPC) and
// filters.
func (s *Store) DescribeSecurityGroups(_ context.Context, in *ec2.DescribeSecurityGroupsInput) (*ec2.DescribeSecurityGroupsOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.groups, "sg", in.GroupIds)
	if err != nil {
		return nil, err
	}
	if len(in.GroupNames) > 0 {
		var byName []*groupRecord
		for _, n := range in.GroupNames {
			g, err := s.resolveGroup(nil, ptr(n))
			if err != nil {
				return nil, err
			}
			if len(in.GroupIds) == 0 || containsGroup(recs, g) {
				byName = append(byName, g)
			}
		}
		recs = byName
	}
	recs, err = filterItems(s, groupFilters, in.Filters, recs, func(g *groupRecord) string { return *g.group.GroupId })
	if err != nil {
		return nil, err
	}
	recs, next, err := page(recs, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]types.SecurityGroup, 0, len(recs))
	for _, g := range recs {
		out = append(out, s.groupView(g))
	}
	return &ec2.DescribeSecurityGroupsOutput{SecurityGroups: out, NextToken: next}, nil
}

func containsGroup(gs []*groupRecord, g *groupRecord) bool {
	for _, x := range gs {
		if x == g {
			return true
		}
	}
	return false
}
