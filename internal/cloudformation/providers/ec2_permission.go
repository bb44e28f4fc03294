package providers

import (
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ingressRule is one inbound rule as CloudFormation writes it, inline in
// AWS::EC2::SecurityGroup or as AWS::EC2::SecurityGroupIngress: one peer,
// one protocol and port range.
type ingressRule struct {
	IpProtocol                 *string
	FromPort, ToPort           *int32
	CidrIp, CidrIpv6           *string
	SourcePrefixListId         *string
	SourceSecurityGroupId      *string
	SourceSecurityGroupName    *string
	SourceSecurityGroupOwnerId *string
	Description                *string
}

// egressRule is one outbound rule, inline or as
// AWS::EC2::SecurityGroupEgress.
type egressRule struct {
	IpProtocol                 *string
	FromPort, ToPort           *int32
	CidrIp, CidrIpv6           *string
	DestinationPrefixListId    *string
	DestinationSecurityGroupId *string
	Description                *string
}

// rulePeer is the peer of a rule, whichever direction.
type rulePeer struct {
	cidr, cidr6, prefixList, group, groupName, owner, desc *string
}

func (r ingressRule) permission() types.IpPermission {
	return permission(r.IpProtocol, r.FromPort, r.ToPort, rulePeer{r.CidrIp, r.CidrIpv6, r.SourcePrefixListId,
		r.SourceSecurityGroupId, r.SourceSecurityGroupName, r.SourceSecurityGroupOwnerId, r.Description})
}

func (r egressRule) permission() types.IpPermission {
	return permission(r.IpProtocol, r.FromPort, r.ToPort, rulePeer{r.CidrIp, r.CidrIpv6, r.DestinationPrefixListId,
		r.DestinationSecurityGroupId, nil, nil, r.Description})
}

// permission is the EC2 permission of one CloudFormation rule.
func permission(proto *string, from, to *int32, p rulePeer) types.IpPermission {
	out := types.IpPermission{IpProtocol: proto, FromPort: from, ToPort: to}
	if p.cidr != nil {
		out.IpRanges = []types.IpRange{{CidrIp: p.cidr, Description: p.desc}}
	}
	if p.cidr6 != nil {
		out.Ipv6Ranges = []types.Ipv6Range{{CidrIpv6: p.cidr6, Description: p.desc}}
	}
	if p.prefixList != nil {
		out.PrefixListIds = []types.PrefixListId{{PrefixListId: p.prefixList, Description: p.desc}}
	}
	if p.group != nil || p.groupName != nil {
		out.UserIdGroupPairs = []types.UserIdGroupPair{{GroupId: p.group, GroupName: p.groupName, UserId: p.owner, Description: p.desc}}
	}
	return out
}

// peers counts the peers of a permission: a standalone rule has exactly
// one.
func peers(p types.IpPermission) int {
	return len(p.IpRanges) + len(p.Ipv6Ranges) + len(p.PrefixListIds) + len(p.UserIdGroupPairs)
}

// allTraffic is EC2's default egress rule of a new group: everything to
// 0.0.0.0/0.
func allTraffic() types.IpPermission {
	return types.IpPermission{IpProtocol: ptr("-1"), IpRanges: []types.IpRange{{CidrIp: ptr("0.0.0.0/0")}}}
}

// ruleDiff splits two rule lists into the permissions to revoke (in old,
// not in want) and to authorize (in want, not in old). Rules compare
// whole, descriptions included: CloudFormation replaces a changed rule.
func ruleDiff[R interface{ permission() types.IpPermission }](old, want []R) (revoke, authorize []types.IpPermission) {
	key := func(r R) string { b, _ := json.Marshal(r); return string(b) }
	have, keep := map[string]bool{}, map[string]bool{}
	for _, r := range old {
		have[key(r)] = true
	}
	for _, r := range want {
		keep[key(r)] = true
		if !have[key(r)] {
			authorize = append(authorize, r.permission())
		}
	}
	for _, r := range old {
		if !keep[key(r)] {
			revoke = append(revoke, r.permission())
		}
	}
	return revoke, authorize
}
