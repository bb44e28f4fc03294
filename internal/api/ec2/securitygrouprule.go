package ec2

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

// newRule makes one rule of a group; peer sets its source or destination.
func (s *Store) newRule(id string, g *groupRecord, egress bool, proto string, from, to int32, peer func(*types.SecurityGroupRule)) *types.SecurityGroupRule {
	r := &types.SecurityGroupRule{
		SecurityGroupRuleId: ptr(id), GroupId: ptr(*g.group.GroupId), GroupOwnerId: ptr(s.account), IsEgress: ptr(egress),
		IpProtocol: ptr(proto), FromPort: ptr(from), ToPort: ptr(to),
		SecurityGroupRuleArn: ptr(fmt.Sprintf("arn:aws:ec2:%s:%s:security-group-rule/%s", s.region, s.account, id)),
	}
	peer(r)
	return r
}

// findRule finds a rule by ID in any group.
func (s *Store) findRule(id string) (*groupRecord, *types.SecurityGroupRule, bool) {
	for _, g := range s.groups {
		for _, r := range g.rules {
			if *r.SecurityGroupRuleId == id {
				return g, r, true
			}
		}
	}
	return nil, nil, false
}

// ruleKey is what makes two rules the same rule: direction, protocol,
// ports and peer.
func ruleKey(r *types.SecurityGroupRule) string {
	peer := deref(r.CidrIpv4) + "|" + deref(r.CidrIpv6) + "|" + deref(r.PrefixListId)
	if r.ReferencedGroupInfo != nil {
		peer += "|" + deref(r.ReferencedGroupInfo.GroupId)
	}
	return fmt.Sprintf("%t|%s|%d|%d|%s", deref(r.IsEgress), deref(r.IpProtocol), deref(r.FromPort), deref(r.ToPort), peer)
}

// ruleText is how EC2 names a rule in InvalidPermission.Duplicate.
func ruleText(r *types.SecurityGroupRule) string {
	peer := deref(r.CidrIpv4) + deref(r.CidrIpv6) + deref(r.PrefixListId)
	if r.ReferencedGroupInfo != nil {
		peer = deref(r.ReferencedGroupInfo.GroupId)
	}
	proto := strings.ToUpper(deref(r.IpProtocol))
	if proto == "-1" {
		return fmt.Sprintf("peer: %s, ALL, ALLOW", peer)
	}
	return fmt.Sprintf("peer: %s, %s, from port: %d, to port: %d, ALLOW", peer, proto, deref(r.FromPort), deref(r.ToPort))
}

// protocolNames are the protocol numbers EC2 answers with names.
var protocolNames = map[string]string{"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}

// normalizePorts checks a permission's protocol and ports, and gives the
// protocol name and port range its rules carry (-1 when none apply).
func normalizePorts(p types.IpPermission) (string, int32, int32, error) {
	proto := strings.ToLower(deref(p.IpProtocol))
	if n, ok := protocolNames[proto]; ok {
		proto = n
	}
	switch proto {
	case "":
		return "", 0, 0, errMissing("ipProtocol")
	case "tcp", "udp":
		if p.FromPort == nil || p.ToPort == nil {
			return "", 0, 0, errInvalidParameterValue("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.")
		}
		from, to := *p.FromPort, *p.ToPort
		if from < 0 || to > 65535 || from > to {
			return "", 0, 0, errInvalidParameterValue("Invalid value '%d-%d' for portRange. Must be between 0 and 65535, and from must not exceed to.", from, to)
		}
		return proto, from, to, nil
	case "icmp", "icmpv6":
		from, to := int32(-1), int32(-1)
		if p.FromPort != nil {
			from = *p.FromPort
		}
		if p.ToPort != nil {
			to = *p.ToPort
		}
		return proto, from, to, nil
	case "-1":
		return proto, -1, -1, nil
	}
	if n, err := strconv.Atoi(proto); err != nil || n < 0 || n > 255 {
		return "", 0, 0, errInvalidParameterValue("Invalid value '%s' for IP protocol. Unknown protocol.", deref(p.IpProtocol))
	}
	return proto, -1, -1, nil
}

// expand turns the permissions of a request into single rules (without
// IDs), checking every peer.
func (s *Store) expand(g *groupRecord, egress bool, perms []types.IpPermission) ([]*types.SecurityGroupRule, error) {
	var out []*types.SecurityGroupRule
	for _, p := range perms {
		proto, from, to, err := normalizePorts(p)
		if err != nil {
			return nil, err
		}
		add := func(peer func(*types.SecurityGroupRule)) {
			out = append(out, s.newRule("", g, egress, proto, from, to, peer))
		}
		for _, r := range p.IpRanges {
			c, err := netip.ParsePrefix(deref(r.CidrIp))
			if err != nil || !c.Addr().Is4() {
				return nil, errInvalidParameterValue("CIDR block %s is malformed", deref(r.CidrIp))
			}
			desc := r.Description
			add(func(x *types.SecurityGroupRule) { x.CidrIpv4, x.Description = ptr(c.String()), clone.Of(desc) })
		}
		for _, r := range p.Ipv6Ranges {
			c, err := netip.ParsePrefix(deref(r.CidrIpv6))
			if err != nil || !c.Addr().Is6() {
				return nil, errInvalidParameterValue("CIDR block %s is malformed", deref(r.CidrIpv6))
			}
			desc := r.Description
			add(func(x *types.SecurityGroupRule) { x.CidrIpv6, x.Description = ptr(c.String()), clone.Of(desc) })
		}
		for _, r := range p.PrefixListIds {
			id := deref(r.PrefixListId)
			if !knownPrefixList(s.region, id) {
				return nil, errNotFound("pl", id)
			}
			desc := r.Description
			add(func(x *types.SecurityGroupRule) { x.PrefixListId, x.Description = ptr(id), clone.Of(desc) })
		}
		for _, r := range p.UserIdGroupPairs {
			peer, err := s.pairGroup(g, r)
			if err != nil {
				return nil, err
			}
			desc := r.Description
			add(func(x *types.SecurityGroupRule) {
				x.ReferencedGroupInfo = &types.ReferencedSecurityGroup{GroupId: ptr(peer), UserId: ptr(s.account)}
				x.Description = clone.Of(desc)
			})
		}
		if len(p.IpRanges)+len(p.Ipv6Ranges)+len(p.PrefixListIds)+len(p.UserIdGroupPairs) == 0 {
			return nil, errInvalidParameterValue("The request must specify a source or destination: IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs")
		}
	}
	return out, nil
}

// pairGroup resolves the group a UserIdGroupPair refers to (by ID, or by
// name in the rule's VPC).
func (s *Store) pairGroup(g *groupRecord, p types.UserIdGroupPair) (string, error) {
	if p.GroupId != nil {
		peer, err := lookup(s.groups, "sg", *p.GroupId)
		if err != nil {
			return "", err
		}
		return *peer.group.GroupId, nil
	}
	if p.GroupName != nil {
		if peer := s.groupByName(*g.group.VpcId, *p.GroupName); peer != nil {
			return *peer.group.GroupId, nil
		}
		return "", errorf("InvalidGroup.NotFound", "The security group '%s' does not exist in VPC '%s'", *p.GroupName, *g.group.VpcId)
	}
	return "", errMissing("groupId")
}

// legacyPermission is the permission of the flat parameters (CidrIp,
// IpProtocol, FromPort, ToPort, SourceSecurityGroupName) older clients send.
func legacyPermission(cidr, proto *string, from, to *int32, srcGroup *string) []types.IpPermission {
	if proto == nil && cidr == nil && srcGroup == nil {
		return nil
	}
	p := types.IpPermission{IpProtocol: proto, FromPort: from, ToPort: to}
	if p.IpProtocol == nil {
		p.IpProtocol = ptr("-1")
	}
	if cidr != nil {
		p.IpRanges = []types.IpRange{{CidrIp: cidr}}
	}
	if srcGroup != nil {
		p.UserIdGroupPairs = []types.UserIdGroupPair{{GroupName: srcGroup}}
	}
	return []types.IpPermission{p}
}

// authorize adds rules to a group; a rule it already has, or one asked
// twice, is InvalidPermission.Duplicate and nothing is added.
func (s *Store) authorize(g *groupRecord, egress bool, perms []types.IpPermission, specs []types.TagSpecification) ([]types.SecurityGroupRule, error) {
	s.touch(*g.group.GroupId)
	tags, err := specTags(specs, types.ResourceTypeSecurityGroupRule)
	if err != nil {
		return nil, err
	}
	rules, err := s.expand(g, egress, perms)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, r := range g.rules {
		have[ruleKey(r)] = true
	}
	for _, r := range rules {
		if have[ruleKey(r)] {
			return nil, errorf("InvalidPermission.Duplicate", "the specified rule \"%s\" already exists", ruleText(r))
		}
		have[ruleKey(r)] = true
	}
	out := make([]types.SecurityGroupRule, 0, len(rules))
	for _, r := range rules {
		id := s.newID("sgr")
		r.SecurityGroupRuleId = ptr(id)
		r.SecurityGroupRuleArn = ptr(fmt.Sprintf("arn:aws:ec2:%s:%s:security-group-rule/%s", s.region, s.account, id))
		s.addTags(id, tags)
		g.rules = append(g.rules, r)
		out = append(out, s.ruleView(r))
	}
	return out, nil
}

// revoke removes rules matching the permissions or with the IDs given;
// every one must exist.
func (s *Store) revoke(g *groupRecord, egress bool, perms []types.IpPermission, ids []string) ([]types.SecurityGroupRule, error) {
	s.touch(*g.group.GroupId)
	drop := map[*types.SecurityGroupRule]bool{}
	for _, id := range ids {
		i := slices.IndexFunc(g.rules, func(r *types.SecurityGroupRule) bool { return *r.SecurityGroupRuleId == id && *r.IsEgress == egress })
		if i < 0 {
			return nil, errNotFound("sgr", id)
		}
		drop[g.rules[i]] = true
	}
	asked, err := s.expand(g, egress, perms)
	if err != nil {
		return nil, err
	}
	for _, a := range asked {
		i := slices.IndexFunc(g.rules, func(r *types.SecurityGroupRule) bool { return ruleKey(r) == ruleKey(a) })
		if i < 0 {
			return nil, errorf("InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
		}
		drop[g.rules[i]] = true
	}
	if len(drop) == 0 {
		return nil, errMissing("ipPermissions")
	}
	var revoked []types.SecurityGroupRule
	g.rules = slices.DeleteFunc(g.rules, func(r *types.SecurityGroupRule) bool {
		if drop[r] {
			revoked = append(revoked, s.ruleView(r))
			s.forget(*r.SecurityGroupRuleId)
		}
		return drop[r]
	})
	return revoked, nil
}

func (s *Store) ruleView(r *types.SecurityGroupRule) types.SecurityGroupRule {
	v := clone.Of(*r)
	v.Tags = s.tagsOf(*v.SecurityGroupRuleId)
	return v
}

// permissionsOf folds rules of one direction into IpPermissions, one per
// protocol and port range, in the order the ranges first appear.
func permissionsOf(rules []*types.SecurityGroupRule, egress bool) []types.IpPermission {
	out := []types.IpPermission{}
	index := map[string]int{}
	for _, r := range rules {
		if *r.IsEgress != egress {
			continue
		}
		k := fmt.Sprintf("%s|%d|%d", *r.IpProtocol, *r.FromPort, *r.ToPort)
		i, ok := index[k]
		if !ok {
			p := types.IpPermission{IpProtocol: ptr(*r.IpProtocol), IpRanges: []types.IpRange{}, Ipv6Ranges: []types.Ipv6Range{},
				PrefixListIds: []types.PrefixListId{}, UserIdGroupPairs: []types.UserIdGroupPair{}}
			if *r.IpProtocol != "-1" {
				p.FromPort, p.ToPort = ptr(*r.FromPort), ptr(*r.ToPort)
			}
			out = append(out, p)
			i = len(out) - 1
			index[k] = i
		}
		p := &out[i]
		desc := clone.Of(r.Description)
		switch {
		case r.CidrIpv4 != nil:
			p.IpRanges = append(p.IpRanges, types.IpRange{CidrIp: ptr(*r.CidrIpv4), Description: desc})
		case r.CidrIpv6 != nil:
			p.Ipv6Ranges = append(p.Ipv6Ranges, types.Ipv6Range{CidrIpv6: ptr(*r.CidrIpv6), Description: desc})
		case r.PrefixListId != nil:
			p.PrefixListIds = append(p.PrefixListIds, types.PrefixListId{PrefixListId: ptr(*r.PrefixListId), Description: desc})
		case r.ReferencedGroupInfo != nil:
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, types.UserIdGroupPair{
				GroupId: ptr(deref(r.ReferencedGroupInfo.GroupId)), UserId: ptr(deref(r.ReferencedGroupInfo.UserId)), Description: desc})
		}
	}
	return out
}

// AuthorizeSecurityGroupIngress adds inbound rules.
func (s *Store) AuthorizeSecurityGroupIngress(_ context.Context, in *ec2.AuthorizeSecurityGroupIngressInput) (*ec2.AuthorizeSecurityGroupIngressOutput, error) {
	var out []types.SecurityGroupRule
	err := s.write(func() error {
		g, err := s.resolveGroup(in.GroupId, in.GroupName)
		if err != nil {
			return err
		}
		perms := append(clone.Of(in.IpPermissions), legacyPermission(in.CidrIp, in.IpProtocol, in.FromPort, in.ToPort, in.SourceSecurityGroupName)...)
		out, err = s.authorize(g, false, perms, in.TagSpecifications)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ec2.AuthorizeSecurityGroupIngressOutput{Return: ptr(true), SecurityGroupRules: out}, nil
}

// AuthorizeSecurityGroupEgress adds outbound rules.
func (s *Store) AuthorizeSecurityGroupEgress(_ context.Context, in *ec2.AuthorizeSecurityGroupEgressInput) (*ec2.AuthorizeSecurityGroupEgressOutput, error) {
	if in.GroupId == nil {
		return nil, errMissing("groupId")
	}
	var out []types.SecurityGroupRule
	err := s.write(func() error {
		g, err := lookup(s.groups, "sg", *in.GroupId)
		if err != nil {
			return err
		}
		perms := append(clone.Of(in.IpPermissions), legacyPermission(in.CidrIp, in.IpProtocol, in.FromPort, in.ToPort, in.SourceSecurityGroupName)...)
		out, err = s.authorize(g, true, perms, in.TagSpecifications)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ec2.AuthorizeSecurityGroupEgressOutput{Return: ptr(true), SecurityGroupRules: out}, nil
}

// RevokeSecurityGroupIngress removes inbound rules.
func (s *Store) RevokeSecurityGroupIngress(_ context.Context, in *ec2.RevokeSecurityGroupIngressInput) (*ec2.RevokeSecurityGroupIngressOutput, error) {
	var out []types.SecurityGroupRule
	err := s.write(func() error {
		g, err := s.resolveGroup(in.GroupId, in.GroupName)
		if err != nil {
			return err
		}
		perms := append(clone.Of(in.IpPermissions), legacyPermission(in.CidrIp, in.IpProtocol, in.FromPort, in.ToPort, in.SourceSecurityGroupName)...)
		out, err = s.revoke(g, false, perms, in.SecurityGroupRuleIds)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ec2.RevokeSecurityGroupIngressOutput{Return: ptr(true), RevokedSecurityGroupRules: revokedOf(out)}, nil
}

// RevokeSecurityGroupEgress removes outbound rules.
func (s *Store) RevokeSecurityGroupEgress(_ context.Context, in *ec2.RevokeSecurityGroupEgressInput) (*ec2.RevokeSecurityGroupEgressOutput, error) {
	if in.GroupId == nil {
		return nil, errMissing("groupId")
	}
	var out []types.SecurityGroupRule
	err := s.write(func() error {
		g, err := lookup(s.groups, "sg", *in.GroupId)
		if err != nil {
			return err
		}
		perms := append(clone.Of(in.IpPermissions), legacyPermission(in.CidrIp, in.IpProtocol, in.FromPort, in.ToPort, in.SourceSecurityGroupName)...)
		out, err = s.revoke(g, true, perms, in.SecurityGroupRuleIds)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ec2.RevokeSecurityGroupEgressOutput{Return: ptr(true), RevokedSecurityGroupRules: revokedOf(out)}, nil
}

func revokedOf(rules []types.SecurityGroupRule) []types.RevokedSecurityGroupRule {
	out := make([]types.RevokedSecurityGroupRule, 0, len(rules))
	for _, r := range rules {
		rv := types.RevokedSecurityGroupRule{
			SecurityGroupRuleId: r.SecurityGroupRuleId, GroupId: r.GroupId, IsEgress: r.IsEgress, IpProtocol: r.IpProtocol,
			FromPort: r.FromPort, ToPort: r.ToPort, CidrIpv4: r.CidrIpv4, CidrIpv6: r.CidrIpv6, PrefixListId: r.PrefixListId, Description: r.Description,
		}
		if r.ReferencedGroupInfo != nil {
			rv.ReferencedGroupId = r.ReferencedGroupInfo.GroupId
		}
		out = append(out, rv)
	}
	return out
}

var ruleFilters = filterSet[*types.SecurityGroupRule]{
	"group-id":               func(r *types.SecurityGroupRule) []string { return strv(r.GroupId) },
	"security-group-rule-id": func(r *types.SecurityGroupRule) []string { return strv(r.SecurityGroupRuleId) },
	"is-egress":              func(r *types.SecurityGroupRule) []string { return boolv(r.IsEgress) },
	"ip-protocol":            func(r *types.SecurityGroupRule) []string { return strv(r.IpProtocol) },
	"cidr-ipv4":              func(r *types.SecurityGroupRule) []string { return strv(r.CidrIpv4) },
	"referenced-group-id": func(r *types.SecurityGroupRule) []string {
		if r.ReferencedGroupInfo == nil {
			return nil
		}
		return strv(r.ReferencedGroupInfo.GroupId)
	},
}

// DescribeSecurityGroupRules lists single rules by ID and filters.
func (s *Store) DescribeSecurityGroupRules(_ context.Context, in *ec2.DescribeSecurityGroupRulesInput) (*ec2.DescribeSecurityGroupRulesOutput, error) {
	s.lock()
	defer s.unlock()
	all := map[string]*types.SecurityGroupRule{}
	for _, g := range s.groups {
		for _, r := range g.rules {
			all[*r.SecurityGroupRuleId] = r
		}
	}
	recs, err := selectIDs(s, all, "sgr", in.SecurityGroupRuleIds)
	if err != nil {
		return nil, err
	}
	recs, err = filterItems(s, ruleFilters, in.Filters, recs, func(r *types.SecurityGroupRule) string { return *r.SecurityGroupRuleId })
	if err != nil {
		return nil, err
	}
	recs, next, err := page(recs, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]types.SecurityGroupRule, 0, len(recs))
	for _, r := range recs {
		out = append(out, s.ruleView(r))
	}
	return &ec2.DescribeSecurityGroupRulesOutput{SecurityGroupRules: out, NextToken: next}, nil
}

// ModifySecurityGroupRules replaces rules of a group by ID.
func (s *Store) ModifySecurityGroupRules(_ context.Context, in *ec2.ModifySecurityGroupRulesInput) (*ec2.ModifySecurityGroupRulesOutput, error) {
	if in.GroupId == nil {
		return nil, errMissing("groupId")
	}
	return &ec2.ModifySecurityGroupRulesOutput{Return: ptr(true)}, s.write(func() error {
		g, err := lookup(s.groups, "sg", *in.GroupId)
		if err != nil {
			return err
		}
		s.touch(*g.group.GroupId)
		for _, u := range in.SecurityGroupRules {
			i := slices.IndexFunc(g.rules, func(r *types.SecurityGroupRule) bool { return *r.SecurityGroupRuleId == deref(u.SecurityGroupRuleId) })
			if i < 0 {
				return errNotFound("sgr", deref(u.SecurityGroupRuleId))
			}
			if u.SecurityGroupRule == nil {
				return errMissing("SecurityGroupRule")
			}
			repl, err := s.ruleFromRequest(g, *g.rules[i].IsEgress, *u.SecurityGroupRule)
			if err != nil {
				return err
			}
			repl.SecurityGroupRuleId, repl.SecurityGroupRuleArn = g.rules[i].SecurityGroupRuleId, g.rules[i].SecurityGroupRuleArn
			g.rules[i] = repl
		}
		return nil
	})
}

// ruleFromRequest builds the one rule of a SecurityGroupRuleRequest.
func (s *Store) ruleFromRequest(g *groupRecord, egress bool, q types.SecurityGroupRuleRequest) (*types.SecurityGroupRule, error) {
	p := types.IpPermission{IpProtocol: q.IpProtocol, FromPort: q.FromPort, ToPort: q.ToPort}
	switch {
	case q.CidrIpv4 != nil:
		p.IpRanges = []types.IpRange{{CidrIp: q.CidrIpv4, Description: q.Description}}
	case q.CidrIpv6 != nil:
		p.Ipv6Ranges = []types.Ipv6Range{{CidrIpv6: q.CidrIpv6, Description: q.Description}}
	case q.PrefixListId != nil:
		p.PrefixListIds = []types.PrefixListId{{PrefixListId: q.PrefixListId, Description: q.Description}}
	case q.ReferencedGroupId != nil:
		p.UserIdGroupPairs = []types.UserIdGroupPair{{GroupId: q.ReferencedGroupId, Description: q.Description}}
	}
	rules, err := s.expand(g, egress, []types.IpPermission{p})
	if err != nil {
		return nil, err
	}
	return rules[0], nil
}

// UpdateSecurityGroupRuleDescriptionsIngress sets descriptions of inbound
// rules, named by ID or by permission.
func (s *Store) UpdateSecurityGroupRuleDescriptionsIngress(_ context.Context, in *ec2.UpdateSecurityGroupRuleDescriptionsIngressInput) (*ec2.UpdateSecurityGroupRuleDescriptionsIngressOutput, error) {
	return &ec2.UpdateSecurityGroupRuleDescriptionsIngressOutput{Return: ptr(true)}, s.write(func() error {
		g, err := s.resolveGroup(in.GroupId, in.GroupName)
		if err != nil {
			return err
		}
		return s.describeRules(g, false, in.IpPermissions, in.SecurityGroupRuleDescriptions)
	})
}

// UpdateSecurityGroupRuleDescriptionsEgress sets descriptions of outbound
// rules.
func (s *Store) UpdateSecurityGroupRuleDescriptionsEgress(_ context.Context, in *ec2.UpdateSecurityGroupRuleDescriptionsEgressInput) (*ec2.UpdateSecurityGroupRuleDescriptionsEgressOutput, error) {
	return &ec2.UpdateSecurityGroupRuleDescriptionsEgressOutput{Return: ptr(true)}, s.write(func() error {
		g, err := s.resolveGroup(in.GroupId, in.GroupName)
		if err != nil {
			return err
		}
		return s.describeRules(g, true, in.IpPermissions, in.SecurityGroupRuleDescriptions)
	})
}

func (s *Store) describeRules(g *groupRecord, egress bool, perms []types.IpPermission, byID []types.SecurityGroupRuleDescription) error {
	s.touch(*g.group.GroupId)
	for _, d := range byID {
		i := slices.IndexFunc(g.rules, func(r *types.SecurityGroupRule) bool { return *r.SecurityGroupRuleId == deref(d.SecurityGroupRuleId) })
		if i < 0 {
			return errNotFound("sgr", deref(d.SecurityGroupRuleId))
		}
		g.rules[i].Description = clone.Of(d.Description)
	}
	asked, err := s.expand(g, egress, perms)
	if err != nil {
		return err
	}
	for _, a := range asked {
		i := slices.IndexFunc(g.rules, func(r *types.SecurityGroupRule) bool { return ruleKey(r) == ruleKey(a) })
		if i < 0 {
			return errorf("InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
		}
		g.rules[i].Description = a.Description
	}
	return nil
}
