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

// startDNS starts the Cloud Map DNS server on the host address, at once
// (the task network's resolver follows in startTaskDNS).
// The sync loop starts only once a.DNS is set: it reads the field.
func (a *App) startDNS(ctx context.Context) error {
	if a.cfg.DNSListen == "" || a.cfg.DNSListen == "off" {
		go a.dnsLoop(ctx)
		return nil
	}
	a.DNS = dnsserver.New(dnsserver.Options{Addrs: []string{a.cfg.DNSListen}, Logger: a.log})
	if err := a.DNS.Start(ctx); err != nil {
		return err
	}
	a.syncDNS()
	go a.dnsLoop(ctx)
	a.log.Info("DNS server ready", "addrs", a.DNS.Addrs())
	return nil
}

// taskResolver is the DNS server on the task network's gateway (port
// 53): every task's resolver.
type taskResolver struct {
	srv     *dnsserver.Server
	gateway string
}

// startTaskDNS serves DNS on the task network's gateway, when task DNS is
// on and the engine answers, and makes it the resolver of tasks started
// from now on. Part of startTasks, before the reconciler starts.
func (a *App) startTaskDNS(ctx context.Context) {
	if !a.cfg.DNSForTasks {
		return
	}
	gw := a.taskNetwork(ctx).gateway
	if gw == "" {
		return // tasks use Docker's default DNS
	}
	addr := net.JoinHostPort(gw, "53")
	srv := dnsserver.New(dnsserver.Options{Addrs: []string{addr}, Allow: a.taskDNSClients(ctx, addr), Logger: a.log})
	if err := srv.Start(ctx); err != nil {
		// Port 53 needs root or CAP_NET_BIND_SERVICE: without it tasks keep
		// Docker's resolver, and Cloud Map names resolve from the host only.
		a.log.Warn("cannot serve DNS to tasks; they keep Docker's resolver", "addr", addr, "err", err)
		return
	}
	a.Reconciler.SetTaskDNS([]string{gw})
	a.taskDNS.Store(&taskResolver{srv: srv, gateway: gw})
	a.syncDNS()
	a.log.Info("DNS server for tasks ready", "addr", addr)
}

// taskDNSClients limits the resolver on the task network's gateway to
// clients on that network: containers of other Docker networks (and other
// hosts, where the host routes) get REFUSED instead of a resolver that
// forwards for them.
func (a *App) taskDNSClients(ctx context.Context, addr string) map[string][]netip.Prefix {
	subnet, err := netip.ParsePrefix(a.taskNetwork(ctx).subnet)
	if err != nil {
		// Without the subnet, answer nobody there rather than everybody.
		a.log.Warn("the task network's subnet is unknown: its resolver refuses every client", "err", err)
		subnet = netip.MustParsePrefix("255.255.255.255/32")
	}
	return map[string][]netip.Prefix{addr: {subnet.Masked()}}
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

// syncDNS publishes Cloud Map's records and the load balancers' names to
// the host's DNS server and the tasks'.
func (a *App) syncDNS() {
	snap := dnsSnapshot(a.CloudMap.DNSSnapshot())
	snap.Static = a.lbs.staticDNS()
	tr := a.taskDNS.Load()
	if tr != nil {
		snap.Views = map[string]map[string][]string{tr.gateway: a.lbs.taskDNS()}
	}
	for _, srv := range []*dnsserver.Server{a.DNS, tr.server()} {
		if srv == nil {
			continue
		}
		if err := srv.Update(snap); err != nil {
			a.log.Warn("some Cloud Map records cannot be served over DNS", "err", err)
		}
	}
}

// server is the resolver's server, nil without one.
func (tr *taskResolver) server() *dnsserver.Server {
	if tr == nil {
		return nil
	}
	return tr.srv
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
