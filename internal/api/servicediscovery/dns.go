package servicediscovery

import (
	"cmp"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

// Snapshot is the DNS view of every store: each DNS namespace (private and
// public; HTTP namespaces are not served by DNS) with its services that
// create DNS records and their instances. It is built fresh by each
// DNSSnapshot call and shares no memory with the stores; treat it as
// immutable (a DNS server keeps it behind an atomic.Pointer).
type Snapshot struct {
	// Version grows each time something DNS serves changes (the same
	// events that call Options.OnChange). Two snapshots with the same
	// Version have the same content.
	Version uint64
	// Regions lists, sorted by region then account, every store that has
	// at least one DNS namespace.
	Regions []RegionDNS
}

// RegionDNS is the DNS namespaces of one account in one region.
type RegionDNS struct {
	Region, Account string
	Namespaces      []DNSNamespace // in creation order
}

// DNSNamespace is a private or public DNS namespace: one hosted zone.
type DNSNamespace struct {
	ID           string
	Name         string              // the zone name, as given at creation (e.g. "internal.local")
	Type         types.NamespaceType // DNS_PRIVATE or DNS_PUBLIC
	HostedZoneID string
	Vpc          string       // DNS_PRIVATE only
	SOATTL       int64        // seconds
	Services     []DNSService // in creation order
}

// DNSService is a service that creates records named
// <service name>.<namespace name>.
type DNSService struct {
	ID            string
	Name          string
	RoutingPolicy types.RoutingPolicy // MULTIVALUE or WEIGHTED
	Records       []DNSRecord
	// HealthChecked is true when the service has a health check (custom
	// or Route 53): DNS then answers with healthy instances only (or, as
	// Route 53 does, with all of them when none is healthy). Without one
	// every instance is UNKNOWN and answered.
	HealthChecked bool
	Instances     []DNSInstance // in registration order
}

// DNSRecord is one record type a service creates, with its TTL.
type DNSRecord struct {
	Type types.RecordType // A, AAAA, SRV or CNAME
	TTL  int64            // seconds
}

// DNSInstance is a registered instance.
type DNSInstance struct {
	ID         string
	Attributes map[string]string  // a copy; AWS_INSTANCE_IPV4, AWS_INSTANCE_PORT, ...
	Health     types.HealthStatus // HEALTHY, UNHEALTHY, or UNKNOWN without a health check
}

// IPv4 is the AWS_INSTANCE_IPV4 attribute ("" if absent).
func (i DNSInstance) IPv4() string { return i.Attributes[AttrIPv4] }

// IPv6 is the AWS_INSTANCE_IPV6 attribute ("" if absent).
func (i DNSInstance) IPv6() string { return i.Attributes[AttrIPv6] }

// Port is the AWS_INSTANCE_PORT attribute ("" if absent; validated as a
// number in 0–65535 at registration).
func (i DNSInstance) Port() string { return i.Attributes[AttrPort] }

// CNAME is the AWS_INSTANCE_CNAME attribute ("" if absent).
func (i DNSInstance) CNAME() string { return i.Attributes[AttrCNAME] }

// AliasDNSName is the AWS_ALIAS_DNS_NAME attribute ("" if absent).
func (i DNSInstance) AliasDNSName() string { return i.Attributes[AttrAliasDNSName] }

// DNSSnapshot returns the current DNS view of every region.
func (a *API) DNSSnapshot() Snapshot {
	// Read the version first: a change racing with the build bumps it
	// again and calls OnChange, so the DNS server rebuilds once more.
	snap := Snapshot{Version: a.version.Load()}
	for _, s := range a.Stores() {
		if r := s.dnsView(); len(r.Namespaces) > 0 {
			snap.Regions = append(snap.Regions, r)
		}
	}
	return snap
}

// dnsView is the DNS view of one store.
func (s *Store) dnsView() RegionDNS {
	unlock := s.lock()
	defer unlock()
	out := RegionDNS{Region: s.region, Account: s.account}
	services := slices.Collect(maps.Values(s.services))
	slices.SortFunc(services, func(a, b *service) int { return cmp.Compare(a.seq, b.seq) })
	for _, ns := range s.sortedNamespaces() {
		if !ns.isDNS() {
			continue
		}
		dns := DNSNamespace{
			ID:   deref(ns.Id),
			Name: deref(ns.Name),
			Type: ns.Type,
			Vpc:  ns.vpc,
		}
		if p := ns.Properties.DnsProperties; p != nil {
			dns.HostedZoneID = deref(p.HostedZoneId)
			if p.SOA != nil {
				dns.SOATTL = deref(p.SOA.TTL)
			}
		}
		for _, svc := range services {
			if deref(svc.NamespaceId) != dns.ID || !svc.servesDNS() {
				continue
			}
			ds := DNSService{
				ID:            deref(svc.Id),
				Name:          deref(svc.Name),
				RoutingPolicy: svc.DnsConfig.RoutingPolicy,
				HealthChecked: svc.hasHealthCheck(),
			}
			for _, r := range svc.DnsConfig.DnsRecords {
				ds.Records = append(ds.Records, DNSRecord{Type: r.Type, TTL: deref(r.TTL)})
			}
			for _, inst := range sortedInstances(svc) {
				ds.Instances = append(ds.Instances, DNSInstance{
					ID:         deref(inst.Id),
					Attributes: maps.Clone(inst.Attributes),
					Health:     healthOf(svc, inst),
				})
			}
			dns.Services = append(dns.Services, ds)
		}
		out.Namespaces = append(out.Namespaces, dns)
	}
	return out
}
