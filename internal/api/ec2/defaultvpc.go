package ec2

import (
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// defaultVpcBlock is the block of every default VPC.
var defaultVpcBlock = netip.MustParsePrefix("172.31.0.0/16")

// defaultIDs derives the IDs of a region's default VPC and what comes with
// it from account and region, so they survive restarts.
func defaultIDs(account, region string) (vpcIDs, []string, string) {
	id := func(prefix, name string) string { return stableID(prefix, account, region, "default", name) }
	ids := vpcIDs{
		vpc: id("vpc", "vpc"), cidrAssoc: id("vpc-cidr-assoc", "cidr"), group: id("sg", "sg"), table: id("rtb", "rtb"),
		mainAssoc: id("rtbassoc", "main"), acl: id("acl", "acl"), egressRule: id("sgr", "egress"), ingressRule: id("sgr", "ingress"),
	}
	var subnets []string
	for _, z := range zonesOf(region) {
		subnets = append(subnets, id("subnet", z.name))
	}
	return ids, subnets, id("igw", "igw")
}

// DefaultVPCIDs are the IDs of a region's default VPC, of its default
// subnets (one per zone, in zone order) and of its default security group.
func DefaultVPCIDs(account, region string) (vpc string, subnets []string, sg string) {
	ids, subnets, _ := defaultIDs(account, region)
	return ids.vpc, subnets, ids.group
}

// seedDefaultVPC creates the default VPC as a new account has it:
// 172.31.0.0/16, a default /20 subnet per zone with public IPs on launch,
// an attached internet gateway and 0.0.0.0/0 routed to it.
func (s *Store) seedDefaultVPC() {
	ids, subnets, igw := defaultIDs(s.account, s.region)
	for _, id := range []string{s.dhcp, ids.vpc, ids.group, ids.egressRule, ids.ingressRule, ids.table, ids.mainAssoc, ids.acl} {
		s.created(id)
	}
	s.addVpc(ids, defaultVpcBlock, true, types.TenancyDefault)
	base := defaultVpcBlock.Addr().As4()
	for i, z := range zonesOf(s.region) {
		block := netip.PrefixFrom(netip.AddrFrom4([4]byte{base[0], base[1], byte(16 * i), 0}), 20)
		s.created(subnets[i])
		s.addSubnet(subnets[i], ids.vpc, block, z, true)
	}
	s.created(igw)
	g := s.addInternetGateway(igw)
	g.Attachments = []types.InternetGatewayAttachment{{VpcId: ptr(ids.vpc), State: types.AttachmentStatus("available")}}
	t := s.rtbs[ids.table]
	t.Routes = append(t.Routes, types.Route{DestinationCidrBlock: ptr("0.0.0.0/0"), GatewayId: ptr(igw),
		Origin: types.RouteOriginCreateRoute, State: types.RouteStateActive})
}

// defaultVpcID is the region's default VPC, "" once it is deleted.
func (s *Store) defaultVpcID() string {
	for id, v := range s.vpcs {
		if deref(v.vpc.IsDefault) {
			return id
		}
	}
	return ""
}
