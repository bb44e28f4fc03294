package ec2

import (
	"crypto/sha256"
	"fmt"
	"net/netip"
	"strings"
)

// parseBlock parses an IPv4 CIDR block of a VPC or subnet: /16 to /28 (EC2's
// bounds for both). The block is masked to its network address.
func parseBlock(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 28 {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// within reports whether sub lies entirely inside one of the blocks.
func within(sub netip.Prefix, blocks []netip.Prefix) bool {
	for _, b := range blocks {
		if sub.Bits() >= b.Bits() && b.Contains(sub.Addr()) {
			return true
		}
	}
	return false
}

// blockSize is the number of addresses of an IPv4 block.
func blockSize(p netip.Prefix) int { return 1 << (32 - p.Bits()) }

// reservedAddresses is what AWS keeps of every subnet: the network
// address, the router, DNS, one for future use and the broadcast address.
const reservedAddresses = 5

// usable reports whether an address of a subnet can be given out: not the
// first four nor the last.
func usable(sub netip.Prefix, a netip.Addr) bool {
	if !sub.Contains(a) {
		return false
	}
	off := addrOffset(sub, a)
	return off >= 4 && off < blockSize(sub)-1
}

func addrOffset(sub netip.Prefix, a netip.Addr) int {
	n, b := sub.Addr().As4(), a.As4()
	return int(u32(b) - u32(n))
}

func u32(b [4]byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func fromU32(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// macAddress is a locally administered MAC derived from the interface ID,
// so an interface keeps its MAC for its life.
func macAddress(eniID string) string {
	h := sha256.Sum256([]byte(eniID))
	return fmt.Sprintf("02:%02x:%02x:%02x:%02x:%02x", h[0], h[1], h[2], h[3], h[4])
}

// privateDNSName is EC2's name for a private address: ip-10-0-1-5.ec2.internal
// in us-east-1, ip-10-0-1-5.<region>.compute.internal elsewhere.
func privateDNSName(region string, a netip.Addr) string {
	host := "ip-" + strings.ReplaceAll(a.String(), ".", "-")
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
}

// publicPool is where Elastic IPs and public addresses come from.
var publicPool = netip.MustParseAddr("54.160.0.10")

// nextPublicIP hands out the region's next public address.
func (s *Store) nextPublicIP() string {
	s.nextPublic++
	s.touchMeta()
	return fromU32(u32(publicPool.As4()) + s.nextPublic).String()
}

// ipv6Block is the /56 EC2 would give a VPC, derived from its ID.
func ipv6Block(vpcID string) string {
	h := sha256.Sum256([]byte(vpcID))
	return fmt.Sprintf("2600:1f18:%02x%02x:%02x00::/56", h[0], h[1], h[2])
}
