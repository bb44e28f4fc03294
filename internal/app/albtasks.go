package app

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"github.com/localaws/ecsemu/internal/alb"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/runtime/docker"
)

// Load balancers for tasks. Task containers cannot reach the host's
// loopback addresses, so each load balancer also gets an address they do
// reach (the runtime's AddAddress: the gateway of a small network of its
// own), its listeners serve there too, and its DNS name resolves to that
// address for queries from tasks (a DNS view on the task network's
// gateway), to its loopback address for the host. Internal and
// internet-facing load balancers alike: both are reachable from inside
// the VPC on AWS.

// twinSuffix marks the data plane's copy of a load balancer and its
// listeners on the task-side address.
const twinSuffix = "#tasks"

// taskSide holds the task-side addresses (guarded by loadBalancers.mu).
type taskSide struct {
	pool netip.Prefix        // invalid when off
	addr map[string]string   // load balancer ARN → task-side address
	dns  map[string][]string // DNS name → task-side address
}

// syncTaskAddresses gives every load balancer of snap a task-side address
// and releases those of load balancers that are gone. Engine calls run
// outside the lock.
func (lb *loadBalancers) syncTaskAddresses(ctx context.Context, snap elbv2.Snapshot) {
	drt, ok := lb.app.Runtime.(*docker.Runtime)
	if !ok || !lb.tasks.pool.IsValid() {
		return
	}
	lb.mu.Lock()
	have := make(map[string]string, len(lb.tasks.addr))
	for arn, a := range lb.tasks.addr {
		have[arn] = a
	}
	lb.mu.Unlock()
	want := map[string]bool{}
	for _, region := range snap.Regions {
		for _, l := range region.LoadBalancers {
			want[l.ARN] = true
			if have[l.ARN] != "" {
				continue
			}
			cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			addr, err := drt.AddAddress(cctx, addressName(l.ARN), lb.tasks.pool)
			cancel()
			if err != nil {
				lb.app.log.Warn("load balancer not reachable from tasks", "load_balancer", l.Name, "err", err)
				continue
			}
			lb.setTaskAddress(l.ARN, addr)
		}
	}
	for arn := range have {
		if !want[arn] {
			lb.setTaskAddress(arn, "")
			if err := drt.RemoveAddress(ctx, addressName(arn)); err != nil {
				lb.app.log.Warn("removing a load balancer's task-side address failed", "err", err)
			}
		}
	}
}

func (lb *loadBalancers) setTaskAddress(arn, addr string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	if addr == "" {
		delete(lb.tasks.addr, arn)
		return
	}
	lb.tasks.addr[arn] = addr
}

// addressName names a load balancer's address network after the last
// part of its ARN (its ID, unique in the account).
func addressName(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// taskTwin is the load balancer's copy on its task-side address, if it
// has one: same rules and target groups (so the same health, draining and
// in-flight counts), its own sockets. Called under lb.mu.
func (lb *loadBalancers) taskTwin(l elbv2.LoadBalancer) (alb.LoadBalancer, bool) {
	addr := lb.tasks.addr[l.ARN]
	if addr == "" {
		return alb.LoadBalancer{}, false
	}
	lb.tasks.dns[l.DNSName] = []string{addr}
	twin := convertLB(l, addr)
	twin.ARN += twinSuffix
	for i := range twin.Listeners {
		twin.Listeners[i].ARN += twinSuffix
	}
	return twin, true
}

// taskDNS is the load balancers' DNS names as tasks resolve them.
func (lb *loadBalancers) taskDNS() map[string][]string {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	return lb.tasks.dns
}

// TaskLoadBalancerAddress is the address tasks reach a load balancer at
// ("" if it has none).
func (a *App) TaskLoadBalancerAddress(arn string) string {
	a.lbs.mu.Lock()
	defer a.lbs.mu.Unlock()
	return a.lbs.tasks.addr[arn]
}
