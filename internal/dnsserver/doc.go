// Package dnsserver serves the Cloud Map DNS namespaces of the emulator
// and forwards every other name, so that task containers can use it as
// their only resolver (HostConfig.DNS = the task network's gateway IP).
//
// # Data
//
// The caller converts its Cloud Map store into a Snapshot (zones,
// services, instances, plus static address records such as load balancer
// names) and calls Update after every change. Update compiles the
// snapshot into an immutable table of names → records, outside any lock,
// and publishes it with one atomic pointer swap: queries never lock, and
// each sees one whole snapshot.
//
// # Answers
//
// Every zone is answered authoritatively (AA):
//   - "<service>.<zone>": A, AAAA, SRV ("1 1 <port> <id>.<service>.<zone>",
//     targets' A/AAAA in Additional) or CNAME, with the service's TTLs.
//     MULTIVALUE returns up to 8 healthy records, shuffled; WEIGHTED one
//     random healthy record. With no healthy instance both use the
//     unhealthy ones, as Route 53 does.
//   - "<id>.<service>.<zone>": the SRV target's A/AAAA, whatever its health.
//   - CNAMEs are followed, inside the zones from the table and outside
//     them through the upstreams, as the recursive resolver the client
//     believes this server to be.
//   - A name that exists without the asked type (AAAA of an IPv4 service,
//     a service with no instance, an empty non-terminal) is NODATA:
//     NOERROR, no answer, the zone's SOA in Authority. Resolvers send AAAA
//     with every A lookup; NXDOMAIN or REFUSED there makes some fail.
//   - A name with nothing is NXDOMAIN with the SOA.
//   - SOA and NS at the apex.
//
// Names outside every zone go to the upstreams (forward.go): UDP, then
// TCP when the answer is truncated, bounded by ForwardTimeout per upstream
// and ForwardBudget overall, SERVFAIL when none answers, REFUSED when
// there are no upstreams.
//
// UDP answers are cut to the client's EDNS0 size (512 without EDNS0, at
// most 1232) with TC set, so the client retries over TCP, which carries
// the whole answer. The common UDP queries are answered by a fast path
// (fastpath.go, fastudp.go) with the same bytes, copied from the records
// packed with the snapshot; it leaves every other query to ServeDNS.
// Names are case-insensitive. Malformed messages get
// FORMERR or NOTIMP (or nothing, when not even the header parses).
//
// # Port 53
//
// Docker's --dns takes an IP without a port, so the address given to
// containers must listen on port 53: run as root, or grant the binary
// CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep ./ecsemu), or
// lower net.ipv4.ip_unprivileged_port_start to 53. The gateway IP exists
// only once Docker has created the network.
package dnsserver
