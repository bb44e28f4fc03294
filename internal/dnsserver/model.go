package dnsserver

// This file is the server's input model. It knows nothing of the Cloud Map
// API: the caller converts its store into a Snapshot and hands it to
// Server.Update whenever something changes.

// Routing policies (Cloud Map's RoutingPolicy values).
const (
	RoutingMultivalue = "MULTIVALUE" // up to 8 healthy records, shuffled
	RoutingWeighted   = "WEIGHTED"   // one random healthy record
)

// Record types a service can publish (Cloud Map's RecordType values).
const (
	TypeA     = "A"
	TypeAAAA  = "AAAA"
	TypeSRV   = "SRV"
	TypeCNAME = "CNAME"
)

// DefaultStaticTTL is the TTL of Snapshot.Static records when
// Snapshot.StaticTTL is zero. It matches the TTL of an ALB's DNS name.
const DefaultStaticTTL = 60

// Snapshot is everything the server answers authoritatively. It is
// compiled into lookup tables by Update; the server keeps no reference to
// it, so the caller may reuse or change it afterwards.
type Snapshot struct {
	Zones []Zone
	// Static holds extra address records by fully qualified name, for
	// example a load balancer's DNS name → its IPs. Each value is an IPv4
	// (A) or IPv6 (AAAA) address. A name inside a zone joins that zone; any
	// other name is answered for exactly that name (names below it are
	// still forwarded).
	Static map[string][]string
	// StaticTTL is the TTL of the Static records; 0 means DefaultStaticTTL.
	StaticTTL uint32
	// Views replace Static records for the queries that arrive at one of
	// the server's addresses, keyed by its IP: the names they list get
	// their addresses instead, every other name is answered as usual.
	Views map[string]map[string][]string
}

// Zone is one DNS namespace, for example "internal.svc.".
type Zone struct {
	Name string // fully qualified; a missing final dot is added
	// SOATTL is the TTL of the zone's SOA and NS records and the
	// negative-caching TTL (SOA minimum) of NXDOMAIN and NODATA answers.
	// It is used as given: Cloud Map's default is 15.
	SOATTL   uint32
	Services []Service
}

// Service publishes records at "<Name>.<zone>". Name is relative to the
// zone and may have several labels ("_http._tcp").
type Service struct {
	Name    string
	Routing string // RoutingMultivalue (also the default) or RoutingWeighted
	Records []RecordSpec
	// Instances registered in the service. A defined service always
	// exists as a name: with no usable instance it answers NODATA, not
	// NXDOMAIN, so a resolver never caches "no such name" for a service
	// that is just scaling up.
	Instances []Instance
}

// RecordSpec is one of the service's DnsRecords.
type RecordSpec struct {
	Type string // TypeA, TypeAAAA, TypeSRV or TypeCNAME
	TTL  uint32
}

// Instance is one registered instance. A record type is published for an
// instance only when its value is set (IPv4 for A, IPv6 for AAAA, Port and
// an address for SRV, CNAME for CNAME).
type Instance struct {
	ID      string // becomes the SRV target "<ID>.<service>.<zone>"
	IPv4    string
	IPv6    string
	CNAME   string
	Port    uint16
	Healthy bool
}
