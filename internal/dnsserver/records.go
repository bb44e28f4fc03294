package dnsserver

import (
	"net"
	"net/netip"

	"github.com/miekg/dns"
)

// Tiny record builders. Every record is built once, when a snapshot is
// compiled, and then only read: miekg/dns packs records without writing to
// them, so answers share them across goroutines.

func hdr(name string, rrtype uint16, ttl uint32) dns.RR_Header {
	return dns.RR_Header{Name: name, Rrtype: rrtype, Class: dns.ClassINET, Ttl: ttl}
}

func newA(name string, ttl uint32, ip netip.Addr) *dns.A {
	b := ip.As4()
	return &dns.A{Hdr: hdr(name, dns.TypeA, ttl), A: net.IP(b[:])}
}

func newAAAA(name string, ttl uint32, ip netip.Addr) *dns.AAAA {
	b := ip.As16()
	return &dns.AAAA{Hdr: hdr(name, dns.TypeAAAA, ttl), AAAA: net.IP(b[:])}
}

// newAddr returns an A or AAAA record, whichever fits ip.
func newAddr(name string, ttl uint32, ip netip.Addr) dns.RR {
	if ip.Is4() {
		return newA(name, ttl, ip)
	}
	return newAAAA(name, ttl, ip)
}

// newSRV builds Cloud Map's SRV record: priority 1, weight 1.
func newSRV(name string, ttl uint32, port uint16, target string) *dns.SRV {
	return &dns.SRV{Hdr: hdr(name, dns.TypeSRV, ttl), Priority: 1, Weight: 1, Port: port, Target: target}
}

func newCNAME(name string, ttl uint32, target string) *dns.CNAME {
	return &dns.CNAME{Hdr: hdr(name, dns.TypeCNAME, ttl), Target: target}
}

// newSOA builds a zone's SOA. The TTL doubles as the SOA minimum, which
// resolvers use as the negative-caching TTL (RFC 2308).
func newSOA(zone string, ttl, serial uint32) *dns.SOA {
	return &dns.SOA{
		Hdr:     hdr(zone, dns.TypeSOA, ttl),
		Ns:      nsName(zone),
		Mbox:    under("hostmaster", zone),
		Serial:  serial,
		Refresh: 7200,
		Retry:   900,
		Expire:  1209600,
		Minttl:  ttl,
	}
}

func newNS(zone string, ttl uint32) *dns.NS {
	return &dns.NS{Hdr: hdr(zone, dns.TypeNS, ttl), Ns: nsName(zone)}
}

// nsName is the name server named by a zone's SOA and NS records. It is
// cosmetic: clients reach this server by address, never by this name, so
// it has no address records.
func nsName(zone string) string { return under("ns1", zone) }

// under returns label.zone for a fully qualified zone.
func under(label, zone string) string {
	if zone == "." {
		return label + "."
	}
	return label + "." + zone
}

// parseIP parses an address from the snapshot; zoned addresses
// ("fe80::1%eth0") cannot be published.
func parseIP(s string) (netip.Addr, bool) {
	ip, err := netip.ParseAddr(s)
	if err != nil || ip.Zone() != "" {
		return netip.Addr{}, false
	}
	return ip, true
}
