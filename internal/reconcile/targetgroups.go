package reconcile

import (
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
)

// Target health changes in the load balancers, not in the ECS store, so
// no store change wakes the services it concerns. The reconciler learns
// on each service pass which target groups the service uses, and the
// load balancer side reports each change of a target's health with
// TargetHealthChanged, which wakes those services at once.
type targetGroupServices struct {
	mu     sync.Mutex
	byTG   map[string]map[string]bool // target group ARN → service ARNs
	groups map[string][]string        // service ARN → its target groups
}

// track records the target groups a service uses now (none: forget it).
func (g *targetGroupServices) track(service string, tgs []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.byTG == nil {
		g.byTG, g.groups = map[string]map[string]bool{}, map[string][]string{}
	}
	for _, tg := range g.groups[service] {
		delete(g.byTG[tg], service)
		if len(g.byTG[tg]) == 0 {
			delete(g.byTG, tg)
		}
	}
	delete(g.groups, service)
	if len(tgs) == 0 {
		return
	}
	g.groups[service] = tgs
	for _, tg := range tgs {
		if g.byTG[tg] == nil {
			g.byTG[tg] = map[string]bool{}
		}
		g.byTG[tg][service] = true
	}
}

func (g *targetGroupServices) services(tg string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for svc := range g.byTG[tg] {
		out = append(out, svc)
	}
	return out
}

// TargetHealthChanged wakes the services that use a target group, whose
// target's health just changed. It never blocks.
func (r *Reconciler) TargetHealthChanged(tgARN string) {
	q := r.queue.Load()
	if q == nil {
		return
	}
	for _, svc := range r.targetGroups.services(tgARN) {
		q.Enqueue(serviceKeyPrefix + svc)
	}
}

// targetGroupsOf lists the target groups of a service and of its tasks
// (launched before an update may have changed the service's).
func targetGroupsOf(svc *ecsapi.Service, tasks []ecsapi.Task) []string {
	var tgs []string
	add := func(lbs []types.LoadBalancer) {
		for _, lb := range lbs {
			if tg := deref(lb.TargetGroupArn); tg != "" && !slices.Contains(tgs, tg) {
				tgs = append(tgs, tg)
			}
		}
	}
	add(svc.LoadBalancers)
	for i := range tasks {
		add(tasks[i].LoadBalancers)
	}
	return tgs
}
