package app

import (
	"context"
	"crypto/tls"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/localaws/ecsemu/internal/alb"
	"github.com/localaws/ecsemu/internal/api/elbv2"
)

// loadBalancers runs the ALB data plane from the ELBv2 control plane: each
// load balancer gets a loopback address of its own (so that two can listen
// on port 80), its listeners bind there and its DNS name resolves to it.
type loadBalancers struct {
	elb  *elbv2.API
	data *alb.Server
	app  *App
	wake chan struct{}

	mu      sync.Mutex
	pool    netip.Prefix
	next    netip.Addr
	address map[string]string // load balancer ARN → address
	dns     map[string][]string
	tasks   taskSide // addresses for task containers (albtasks.go)
}

func newLoadBalancers(a *App, pool, taskPool string) *loadBalancers {
	lb := &loadBalancers{app: a, wake: make(chan struct{}, 1), address: map[string]string{}}
	lb.tasks.addr = map[string]string{}
	if taskPool != "" {
		lb.tasks.pool = netip.MustParsePrefix(taskPool).Masked()
	}
	lb.pool = netip.MustParsePrefix(pool).Masked()
	lb.next = lb.pool.Addr().Next()
	lb.elb = elbv2.New(elbv2.Options{Account: a.cfg.AccountID, Logger: a.log, OnChange: lb.nudge, Network: network{a.EC2}, State: a.State.Bucket(elbv2.Spec.Name)})
	lb.data = alb.New(alb.Options{
		Logger:            a.log,
		CertificateLookup: a.certificate,
		HealthReporter: func(tg string, k alb.TargetKey, state, reason, desc string) {
			lb.setTargetHealth(tg, elbv2.TargetKey{ID: k.ID, Port: int32(k.Port)}, state, reason, desc)
		},
	})
	return lb
}

// setTargetHealth records a target's new health and wakes the services
// behind its target group: no ECS change tells them.
func (lb *loadBalancers) setTargetHealth(tg string, k elbv2.TargetKey, state, reason, desc string) {
	lb.elb.SetTargetHealth(tg, k, state, reason, desc)
	lb.app.Reconciler.TargetHealthChanged(tg)
}

// nudge asks for a data-plane update without blocking (ELBv2's OnChange).
func (lb *loadBalancers) nudge() {
	select {
	case lb.wake <- struct{}{}:
	default:
	}
}

// run applies every change, and wakes itself when a draining target's
// deregistration delay ends.
func (lb *loadBalancers) run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		next := lb.sync(ctx)
		if !next.IsZero() {
			timer.Reset(time.Until(next))
		}
		select {
		case <-ctx.Done():
			return
		case <-lb.wake:
		case <-timer.C:
		}
	}
}

// sync pushes the current configuration to the data plane and DNS, and
// returns the earliest drain deadline still to come.
func (lb *loadBalancers) sync(ctx context.Context) time.Time {
	snap := lb.elb.Snapshot()
	lb.syncTaskAddresses(ctx, snap)
	lb.passSimulatedTargets(snap)
	data, next, fresh := lb.convert(snap)
	for arn, addr := range fresh {
		lb.elb.SetLoadBalancerAddress(arn, addr)
	}
	if err := lb.data.Update(data); err != nil {
		lb.app.log.Warn("some load balancer configuration could not be applied", "err", err)
	}
	lb.app.wakeDNS()
	return next
}

// reset applies the (emptied) configuration at once, closing every
// listener, and hands the addresses out again from the start of the pool.
func (lb *loadBalancers) reset(ctx context.Context) {
	lb.sync(ctx)
	lb.mu.Lock()
	lb.address = map[string]string{}
	lb.next = lb.pool.Addr().Next()
	lb.mu.Unlock()
}

// claimAddresses takes back the addresses load balancers restored from the
// state directory were served at, before any new load balancer is given
// one, and moves the next free address past them. Addresses no longer in
// the pool are ignored (the load balancer gets a new one). Called under
// lb.mu.
func (lb *loadBalancers) claimAddresses(snap elbv2.Snapshot) {
	taken := map[string]bool{}
	for _, a := range lb.address {
		taken[a] = true
	}
	for _, region := range snap.Regions {
		for _, l := range region.LoadBalancers {
			addr, err := netip.ParseAddr(l.Address)
			if _, ok := lb.address[l.ARN]; ok || err != nil || !lb.pool.Contains(addr) || taken[l.Address] {
				continue
			}
			lb.address[l.ARN], taken[l.Address] = l.Address, true
			if !addr.Less(lb.next) {
				lb.next = addr.Next()
			}
		}
	}
}

// addressOf returns the load balancer's address, allocating one on first use.
func (lb *loadBalancers) addressOf(arn string) string {
	if a, ok := lb.address[arn]; ok {
		return a
	}
	if !lb.pool.Contains(lb.next.Next()) {
		return "" // pool exhausted: the load balancer is not served
	}
	a := lb.next.String()
	lb.next = lb.next.Next()
	lb.address[arn] = a
	return a
}

// staticDNS is the DNS names of the load balancers and their addresses.
func (lb *loadBalancers) staticDNS() map[string][]string {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	return lb.dns
}

// convert builds the data plane's configuration, and returns with it the
// earliest drain deadline to come and the addresses the control plane does
// not know yet (by load balancer ARN), to record there.
func (lb *loadBalancers) convert(snap elbv2.Snapshot) (alb.Snapshot, time.Time, map[string]string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	var out alb.Snapshot
	var next time.Time
	fresh := map[string]string{}
	lb.dns = map[string][]string{}
	lb.tasks.dns = map[string][]string{}
	lb.claimAddresses(snap)
	for _, region := range snap.Regions {
		for _, l := range region.LoadBalancers {
			addr := lb.addressOf(l.ARN)
			if addr == "" {
				continue
			}
			if addr != l.Address {
				fresh[l.ARN] = addr
			}
			lb.dns[l.DNSName] = []string{addr}
			out.LoadBalancers = append(out.LoadBalancers, convertLB(l, addr))
			if twin, ok := lb.taskTwin(l); ok {
				out.LoadBalancers = append(out.LoadBalancers, twin)
			}
		}
		for _, tg := range region.TargetGroups {
			out.TargetGroups = append(out.TargetGroups, lb.withoutSimulated(convertTG(tg)))
			for _, t := range tg.Targets {
				if !t.DrainDeadline.IsZero() && t.DrainDeadline.After(snap.Taken) && (next.IsZero() || t.DrainDeadline.Before(next)) {
					next = t.DrainDeadline
				}
			}
		}
	}
	return out, next, fresh
}

func convertLB(l elbv2.LoadBalancer, addr string) alb.LoadBalancer {
	out := alb.LoadBalancer{ARN: l.ARN, Name: l.Name, Address: addr}
	if secs, err := strconv.Atoi(l.Attributes["idle_timeout.timeout_seconds"]); err == nil {
		out.IdleTimeout = time.Duration(secs) * time.Second
	}
	for _, ls := range l.Listeners {
		listener := alb.Listener{ARN: ls.ARN, Port: int(ls.Port), Protocol: ls.Protocol, Certificates: ls.Certs}
		for _, r := range ls.Rules {
			if r.IsDefault {
				listener.DefaultActions = convertActions(r.Actions)
				continue
			}
			listener.Rules = append(listener.Rules, alb.Rule{ARN: r.ARN, Priority: r.Priority, Conditions: convertConditions(r.Conditions), Actions: convertActions(r.Actions)})
		}
		out.Listeners = append(out.Listeners, listener)
	}
	return out
}

func convertConditions(cs []elbv2.Condition) []alb.Condition {
	var out []alb.Condition
	for _, c := range cs {
		cond := alb.Condition{Field: c.Field, HeaderName: c.HeaderName, Values: c.Values}
		for _, q := range c.Query {
			cond.QueryStrings = append(cond.QueryStrings, alb.QueryStringPair{Key: q.Key, Value: q.Value})
		}
		out = append(out, cond)
	}
	return out
}

func convertActions(as []elbv2.Action) []alb.Action {
	var out []alb.Action
	for _, a := range as {
		act := alb.Action{Type: a.Type, Order: int(a.Order)}
		if a.Forward != nil {
			for _, tg := range a.Forward.TargetGroups {
				act.TargetGroups = append(act.TargetGroups, alb.WeightedTargetGroup{ARN: tg.ARN, Weight: int(tg.Weight)})
			}
		}
		if r := a.Redirect; r != nil {
			act.Redirect = &alb.RedirectConfig{Protocol: r.Protocol, Host: r.Host, Port: r.Port, Path: r.Path, Query: r.Query, StatusCode: "HTTP_" + strconv.Itoa(r.StatusCode)}
		}
		if f := a.FixedResponse; f != nil {
			act.FixedResponse = &alb.FixedResponseConfig{StatusCode: strconv.Itoa(f.StatusCode), ContentType: f.ContentType, MessageBody: f.MessageBody}
		}
		out = append(out, act)
	}
	return out
}

func convertTG(tg *elbv2.TargetGroup) alb.TargetGroup {
	hc := tg.HealthCheck
	out := alb.TargetGroup{
		ARN: tg.ARN, Name: tg.Name, Protocol: tg.Protocol, Port: int(tg.Port),
		DeregistrationDelay: tg.DeregistrationDelay,
		HealthCheck: alb.HealthCheck{
			Enabled: hc.Enabled, Protocol: hc.Protocol, Port: hc.Port, Path: hc.Path,
			Interval: hc.Interval, Timeout: hc.Timeout,
			HealthyThreshold: hc.HealthyThreshold, UnhealthyThreshold: hc.UnhealthyThreshold, Matcher: hc.HTTPCodes,
		},
	}
	for _, t := range tg.Targets {
		out.Targets = append(out.Targets, alb.Target{ID: t.ID, Port: int(t.Port), Draining: t.State == elbv2.StateDraining, Healthy: t.State == elbv2.StateHealthy})
	}
	return out
}

// LoadBalancerAddress is the address a load balancer's listeners bind to
// ("" if it has none yet).
func (a *App) LoadBalancerAddress(arn string) string {
	a.lbs.mu.Lock()
	defer a.lbs.mu.Unlock()
	return a.lbs.address[arn]
}

// certificate resolves an HTTPS listener's certificate ARN: ACM's
// certificates, then IAM's server certificates.
func (a *App) certificate(arn string) (*tls.Certificate, error) {
	if strings.HasPrefix(arn, "arn:aws:acm:") {
		return a.ACM.TLSCertificate(arn)
	}
	return a.IAM.TLSCertificate(arn)
}
