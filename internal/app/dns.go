package app

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	"github.com/localaws/ecsemu/internal/dnsserver"
)

// startDNS starts the Cloud Map DNS server on the host address and, when
// task DNS is on and the engine answers, on the task network's gateway
// (port 53), which then becomes every task's resolver.
func (a *App) startDNS(ctx context.Context) error {
	host, task := a.dnsAddrs(ctx)
	addrs := append(host, task...)
	if len(addrs) == 0 {
		return nil
	}
	a.DNS = dnsserver.New(dnsserver.Options{Addrs: addrs, Allow: a.taskDNSClients(ctx, task), Logger: a.log})
	err := a.DNS.Start(ctx)
	if err != nil && len(task) > 0 {
		// Port 53 needs root or CAP_NET_BIND_SERVICE: without it tasks keep
		// Docker's resolver, and Cloud Map names resolve from the host only.
		a.log.Warn("cannot serve DNS to tasks; they keep Docker's resolver", "addr", task[0], "err", err)
		a.Reconciler.SetTaskDNS(nil)
		a.DNS = dnsserver.New(dnsserver.Options{Addrs: host, Logger: a.log})
		err = a.DNS.Start(ctx)
	}
	if err != nil {
		return err
	}
	a.syncDNS()
	go a.dnsLoop(ctx)
	a.log.Info("DNS server ready", "addrs", a.DNS.Addrs())
	return nil
}

// dnsAddrs lists the addresses to serve DNS on: for the host, and on the
// task network's gateway for tasks.
func (a *App) dnsAddrs(ctx context.Context) (host, task []string) {
	if a.cfg.DNSListen != "" && a.cfg.DNSListen != "off" {
		host = append(host, a.cfg.DNSListen)
	}
	if !a.cfg.DNSForTasks {
		return host, nil
	}
	gw := a.taskNetwork(ctx).gateway
	if gw == "" {
		return host, nil // tasks use Docker's default DNS
	}
	a.Reconciler.SetTaskDNS([]string{gw})
	return host, []string{net.JoinHostPort(gw, "53")}
}

// taskDNSClients limits the resolver on the task network's gateway to
// clients on that network: containers of other Docker networks (and other
// hosts, where the host routes) get REFUSED instead of a resolver that
// forwards for them.
func (a *App) taskDNSClients(ctx context.Context, task []string) map[string][]netip.Prefix {
	if len(task) == 0 {
		return nil
	}
	subnet, err := netip.ParsePrefix(a.taskNetwork(ctx).subnet)
	if err != nil {
		// Without the subnet, answer nobody there rather than everybody.
		a.log.Warn("the task network's subnet is unknown: its resolver refuses every client", "err", err)
		subnet = netip.MustParsePrefix("255.255.255.255/32")
	}
	return map[string][]netip.Prefix{task[0]: {subnet.Masked()}}
}

// wakeDNS asks for a DNS rebuild without blocking (Cloud Map's OnChange).
func (a *App) wakeDNS() {
	select {
	case a.dnsSync <- struct{}{}:
	default:
	}
}

// dnsLoop rebuilds the DNS tables from Cloud Map whenever it changed.
func (a *App) dnsLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.dnsSync:
			a.syncDNS()
		}
	}
}

// syncDNS publishes Cloud Map's records and the load balancers' names.
func (a *App) syncDNS() {
	snap := dnsSnapshot(a.CloudMap.DNSSnapshot())
	snap.Static = a.lbs.staticDNS()
	if gw := a.tnet.gateway; gw != "" && a.cfg.DNSForTasks {
		snap.Views = map[string]map[string][]string{gw: a.lbs.taskDNS()}
	}
	if err := a.DNS.Update(snap); err != nil {
		a.log.Warn("some Cloud Map records cannot be served over DNS", "err", err)
	}
}

// dnsSnapshot turns Cloud Map's DNS view into the DNS server's model.
func dnsSnapshot(s servicediscovery.Snapshot) dnsserver.Snapshot {
	var out dnsserver.Snapshot
	for _, r := range s.Regions {
		for _, ns := range r.Namespaces {
			out.Zones = append(out.Zones, zoneOf(ns))
		}
	}
	return out
}

func zoneOf(ns servicediscovery.DNSNamespace) dnsserver.Zone {
	z := dnsserver.Zone{Name: ns.Name, SOATTL: ttl(ns.SOATTL)}
	for _, svc := range ns.Services {
		s := dnsserver.Service{Name: svc.Name, Routing: string(svc.RoutingPolicy)}
		for _, rec := range svc.Records {
			s.Records = append(s.Records, dnsserver.RecordSpec{Type: string(rec.Type), TTL: ttl(rec.TTL)})
		}
		for _, in := range svc.Instances {
			port, _ := strconv.ParseUint(in.Port(), 10, 16)
			s.Instances = append(s.Instances, dnsserver.Instance{
				ID: in.ID, IPv4: in.IPv4(), IPv6: in.IPv6(), CNAME: in.CNAME(), Port: uint16(port),
				Healthy: !strings.EqualFold(string(in.Health), "UNHEALTHY"),
			})
		}
		z.Services = append(z.Services, s)
	}
	return z
}

func ttl(v int64) uint32 {
	return uint32(min(max(v, 0), 1<<31-1))
}
