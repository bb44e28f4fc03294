package dnsserver

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// maxMultivalue is how many records a MULTIVALUE answer holds at most.
const maxMultivalue = 8

// policy says how many records of an rrset one answer carries.
type policy uint8

const (
	policyAll      policy = iota // every record (fixed data: SOA, NS, SRV targets, static)
	policyMulti                  // up to maxMultivalue
	policyWeighted               // exactly one
)

// entry is one record plus what goes with it in the Additional section
// (an SRV record's target addresses), each also in wire form (wire.go).
type entry struct {
	rr    dns.RR
	extra []dns.RR

	wire      []byte // rr packed, uncompressed; nil if it could not be packed
	extraWire []byte // extra packed, one record after the other
}

// rrset holds the records of one type at one name, split by health.
type rrset struct {
	policy    policy
	healthy   []entry
	unhealthy []entry
}

// pick chooses the entries of one answer. As in Route 53, the unhealthy
// entries are used only when none is healthy. The result must not be
// modified: it may share the rrset's backing array. A shuffle works in
// scratch when it is large enough (the UDP fast path passes its own, to
// answer without allocating), else in a new slice.
func (s *rrset) pick(rnd func(int) int, scratch []entry) []entry {
	pool := s.healthy
	if len(pool) == 0 {
		pool = s.unhealthy
	}
	n, k := len(pool), len(pool)
	switch s.policy {
	case policyMulti:
		k = min(n, maxMultivalue)
	case policyWeighted:
		k = min(n, 1)
	}
	if n <= 1 {
		return pool
	}
	if k == 1 {
		i := rnd(n)
		return pool[i : i+1]
	}
	// Partial Fisher-Yates over a copy: the first k are a uniform sample
	// in random order.
	out := append(scratch[:0], pool...)
	for i := range k {
		j := i + rnd(n-i)
		out[i], out[j] = out[j], out[i]
	}
	return out[:k]
}

// node is one name that exists in a zone. A node without rrsets is an
// empty non-terminal ("_tcp.internal.svc." below "_http._tcp.internal.svc."):
// it answers NODATA, never NXDOMAIN (RFC 8020).
type node struct {
	zone *zone
	sets map[uint16]*rrset
}

// zone is one authority. An exact zone stands for a Static name outside
// every zone: only the name itself is answered here, names below it are
// forwarded.
type zone struct {
	name    string
	soa     *dns.SOA
	soaWire []byte // soa packed (wire.go)
	exact   bool
}

// table is an immutable, compiled snapshot: built once by compile, then
// shared read-only by every query until the next Update replaces it.
type table struct {
	serial uint32
	zones  map[string]*zone      // by lower-case fqdn
	names  map[string]*node      // every existing name of every zone
	views  map[netip.Addr]*table // by local address (views.go)
}

func emptyTable() *table {
	return &table{zones: map[string]*zone{}, names: map[string]*node{}}
}

// lookup returns the zone that is authoritative for qname (nil when none
// is: the name is forwarded) and the node of qname (nil when it does not
// exist: NXDOMAIN). qname must be lower-case and fully qualified.
func (t *table) lookup(qname string) (*zone, *node) {
	if n := t.names[qname]; n != nil {
		return n.zone, n
	}
	return t.zoneOf(qname), nil
}

// zoneOf returns the most specific zone that contains name, ignoring
// exact zones.
func (t *table) zoneOf(name string) *zone {
	for off, end := 0, false; !end; off, end = dns.NextLabel(name, off) {
		if z := t.zones[name[off:]]; z != nil && !z.exact {
			return z
		}
	}
	if z := t.zones["."]; z != nil && !z.exact {
		return z
	}
	return nil
}

// canonical lower-cases s and adds the final dot. It reports whether the
// result is a valid domain name.
func canonical(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	name := strings.ToLower(dns.Fqdn(s))
	_, ok := dns.IsDomainName(name)
	return name, ok
}

// child joins a relative name and a zone ("worker" + "internal.svc.").
func child(rel, zone string) (string, bool) {
	rel = strings.TrimSuffix(rel, ".")
	if rel == "" {
		return "", false
	}
	if zone == "." {
		return canonical(rel + ".")
	}
	return canonical(rel + "." + zone)
}

var recordTypes = map[string]uint16{
	TypeA:     dns.TypeA,
	TypeAAAA:  dns.TypeAAAA,
	TypeSRV:   dns.TypeSRV,
	TypeCNAME: dns.TypeCNAME,
}

// builder compiles a Snapshot. Whatever it cannot use is skipped and
// reported; the rest is still served.
type builder struct {
	t    *table
	errs []error
}

func (b *builder) errorf(format string, args ...any) {
	b.errs = append(b.errs, fmt.Errorf(format, args...))
}

// compile turns a snapshot into a table. It runs outside any lock: the
// result is published with one atomic store.
func compile(snap Snapshot, serial uint32) (*table, error) {
	b := &builder{t: emptyTable()}
	b.t.serial = serial

	// Zones first, so every name can be given to its most specific zone.
	zones := make([]*zone, len(snap.Zones))
	for i, zs := range snap.Zones {
		name, ok := canonical(zs.Name)
		if !ok {
			b.errorf("zone %q: invalid name", zs.Name)
			continue
		}
		if b.t.zones[name] != nil {
			b.errorf("zone %q: duplicate", name)
			continue
		}
		z := &zone{name: name, soa: newSOA(name, zs.SOATTL, serial)}
		b.t.zones[name] = z
		zones[i] = z
		apex := b.node(z, name)
		apex.sets[dns.TypeSOA] = fixed(z.soa)
		apex.sets[dns.TypeNS] = fixed(newNS(name, zs.SOATTL))
	}
	for i, zs := range snap.Zones {
		if zones[i] == nil {
			continue
		}
		for _, svc := range zs.Services {
			b.service(zones[i], svc)
		}
	}
	b.static(snap.Static, snap.StaticTTL)

	// Empty non-terminals: every ancestor of a name, up to its zone apex,
	// exists too.
	names := make([]string, 0, len(b.t.names))
	for name := range b.t.names {
		names = append(names, name)
	}
	for _, name := range names {
		n := b.t.names[name]
		if n.zone.exact {
			continue
		}
		for off, end := dns.NextLabel(name, 0); !end; off, end = dns.NextLabel(name, off) {
			parent := name[off:]
			if parent == n.zone.name || len(parent) < len(n.zone.name) {
				break
			}
			if b.t.names[parent] == nil {
				b.t.names[parent] = &node{zone: n.zone, sets: map[uint16]*rrset{}}
			}
		}
	}
	packWire(b.t)
	if err := compileViews(b.t, snap, serial); err != nil {
		b.errs = append(b.errs, err)
	}
	return b.t, errors.Join(b.errs...)
}

// node returns the node of name in z, creating it.
func (b *builder) node(z *zone, name string) *node {
	n := b.t.names[name]
	if n == nil {
		n = &node{zone: z, sets: map[uint16]*rrset{}}
		b.t.names[name] = n
	}
	return n
}

// owner returns the most specific zone that contains name.
func (b *builder) owner(name string) *zone { return b.t.zoneOf(name) }

func fixed(rrs ...dns.RR) *rrset {
	s := &rrset{policy: policyAll}
	for _, rr := range rrs {
		s.healthy = append(s.healthy, entry{rr: rr})
	}
	return s
}

// service compiles one Cloud Map service: its records at
// "<service>.<zone>" and, for SRV, the address records of every target
// "<instance>.<service>.<zone>".
func (b *builder) service(z *zone, svc Service) {
	name, ok := child(svc.Name, z.name)
	if !ok {
		b.errorf("zone %q: service %q: invalid name", z.name, svc.Name)
		return
	}
	if o := b.owner(name); o != z {
		b.errorf("service %q: belongs to zone %q, not %q", name, o.name, z.name)
		return
	}
	if n := b.t.names[name]; n != nil && len(n.sets) > 0 {
		b.errorf("service %q: duplicate name", name)
		return
	}

	pol := policyMulti
	switch svc.Routing {
	case RoutingMultivalue, "":
	case RoutingWeighted:
		pol = policyWeighted
	default:
		b.errorf("service %q: unknown routing policy %q, using MULTIVALUE", name, svc.Routing)
	}

	ttls := map[uint16]uint32{}
	for _, rec := range svc.Records {
		rt, ok := recordTypes[rec.Type]
		if !ok {
			b.errorf("service %q: unsupported record type %q", name, rec.Type)
			continue
		}
		if _, dup := ttls[rt]; dup {
			b.errorf("service %q: record type %s listed twice", name, rec.Type)
			continue
		}
		ttls[rt] = rec.TTL
	}
	if ttl, ok := ttls[dns.TypeCNAME]; ok && len(ttls) > 1 {
		b.errorf("service %q: CNAME cannot be combined with other record types; serving only CNAME", name)
		ttls = map[uint16]uint32{dns.TypeCNAME: ttl}
	}

	sets := map[uint16]*rrset{}
	set := func(rt uint16) *rrset {
		s := sets[rt]
		if s == nil {
			s = &rrset{policy: pol}
			if rt == dns.TypeCNAME {
				s.policy = policyWeighted // a name has at most one CNAME
			}
			sets[rt] = s
		}
		return s
	}
	add := func(rt uint16, healthy bool, e entry) {
		s := set(rt)
		if healthy {
			s.healthy = append(s.healthy, e)
		} else {
			s.unhealthy = append(s.unhealthy, e)
		}
	}

	seen := map[string]bool{}
	for _, inst := range svc.Instances {
		id := strings.ToLower(inst.ID)
		if seen[id] {
			b.errorf("service %q: duplicate instance %q", name, inst.ID)
			continue
		}
		seen[id] = true

		v4, v6, ok := b.addrs(name, inst)
		if !ok {
			continue
		}
		if ttl, ok := ttls[dns.TypeA]; ok && v4 != nil {
			add(dns.TypeA, inst.Healthy, entry{rr: newAddr(name, ttl, *v4)})
		}
		if ttl, ok := ttls[dns.TypeAAAA]; ok && v6 != nil {
			add(dns.TypeAAAA, inst.Healthy, entry{rr: newAddr(name, ttl, *v6)})
		}
		if ttl, ok := ttls[dns.TypeSRV]; ok && inst.Port != 0 && (v4 != nil || v6 != nil) {
			if e, ok := b.srv(z, name, ttl, inst, v4, v6); ok {
				add(dns.TypeSRV, inst.Healthy, e)
			}
		}
		if ttl, ok := ttls[dns.TypeCNAME]; ok && inst.CNAME != "" {
			target, ok := canonical(inst.CNAME)
			if !ok {
				b.errorf("service %q: instance %q: invalid CNAME %q", name, inst.ID, inst.CNAME)
				continue
			}
			add(dns.TypeCNAME, inst.Healthy, entry{rr: newCNAME(name, ttl, target)})
		}
	}

	n := b.node(z, name)
	for rt, s := range sets {
		n.sets[rt] = s
	}
}

// addrs parses an instance's addresses; nil means "not set".
func (b *builder) addrs(service string, inst Instance) (v4, v6 *netip.Addr, ok bool) {
	if inst.IPv4 != "" {
		ip, good := parseIP(inst.IPv4)
		if !good || !ip.Unmap().Is4() {
			b.errorf("service %q: instance %q: invalid IPv4 address %q", service, inst.ID, inst.IPv4)
			return nil, nil, false
		}
		ip = ip.Unmap()
		v4 = &ip
	}
	if inst.IPv6 != "" {
		ip, good := parseIP(inst.IPv6)
		if !good || !ip.Is6() {
			b.errorf("service %q: instance %q: invalid IPv6 address %q", service, inst.ID, inst.IPv6)
			return nil, nil, false
		}
		v6 = &ip
	}
	return v4, v6, true
}

// srv builds an instance's SRV record and gives its target name address
// records, which also go in the Additional section of SRV answers. The
// target records carry the SRV record's TTL.
func (b *builder) srv(z *zone, service string, ttl uint32, inst Instance, v4, v6 *netip.Addr) (entry, bool) {
	target, ok := child(inst.ID, service)
	if !ok {
		b.errorf("service %q: instance %q: ID is not a valid DNS label", service, inst.ID)
		return entry{}, false
	}
	if o := b.owner(target); o != z {
		b.errorf("service %q: SRV target %q belongs to zone %q", service, target, o.name)
		return entry{}, false
	}
	var addrs []dns.RR
	if v4 != nil {
		addrs = append(addrs, newAddr(target, ttl, *v4))
	}
	if v6 != nil {
		addrs = append(addrs, newAddr(target, ttl, *v6))
	}
	n := b.node(z, target)
	for _, rr := range addrs {
		rt := rr.Header().Rrtype
		if n.sets[rt] != nil {
			b.errorf("service %q: SRV target %q already has %s records", service, target, dns.TypeToString[rt])
			continue
		}
		n.sets[rt] = fixed(rr)
	}
	return entry{rr: newSRV(service, ttl, inst.Port, target), extra: addrs}, true
}

// static adds Snapshot.Static. A name inside a zone joins it; any other
// name becomes an exact zone of its own, whose SOA makes NODATA answers
// (AAAA for an IPv4-only name) cacheable.
func (b *builder) static(static map[string][]string, ttl uint32) {
	if ttl == 0 {
		ttl = DefaultStaticTTL
	}
	keys := make([]string, 0, len(static))
	for k := range static {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		name, ok := canonical(key)
		if !ok {
			b.errorf("static %q: invalid name", key)
			continue
		}
		v4, v6 := fixed(), fixed()
		for _, s := range static[key] {
			ip, ok := parseIP(s)
			if !ok {
				b.errorf("static %q: invalid address %q", key, s)
				continue
			}
			ip = ip.Unmap()
			if ip.Is4() {
				v4.healthy = append(v4.healthy, entry{rr: newAddr(name, ttl, ip)})
			} else {
				v6.healthy = append(v6.healthy, entry{rr: newAddr(name, ttl, ip)})
			}
		}
		z := b.owner(name)
		if z == nil {
			if z = b.t.zones[name]; z == nil {
				z = &zone{name: name, soa: newSOA(name, ttl, b.t.serial), exact: true}
				b.t.zones[name] = z
			}
		}
		n := b.node(z, name)
		for rt, s := range map[uint16]*rrset{dns.TypeA: v4, dns.TypeAAAA: v6} {
			if len(s.healthy) == 0 {
				continue
			}
			if n.sets[rt] != nil || n.sets[dns.TypeCNAME] != nil {
				b.errorf("static %q: name already has records; %s records ignored", key, dns.TypeToString[rt])
				continue
			}
			n.sets[rt] = s
		}
	}
}
