package app

import (
	"github.com/localaws/ecsemu/internal/alb"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/runtime/simulated"
)

// Load balancer targets of simulated tasks (--runtime simulated). Nothing
// listens on their invented addresses, so the data plane must not probe
// them (every probe would fail, and thousands of them cost CPU): they are
// left out of its configuration and reported healthy as they register.

// simulatedRuntime returns the simulated runtime, or nil with Docker.
func (lb *loadBalancers) simulatedRuntime() *simulated.Runtime {
	sim, _ := lb.app.Runtime.(*simulated.Runtime)
	return sim
}

// passSimulatedTargets marks every simulated target healthy.
func (lb *loadBalancers) passSimulatedTargets(snap elbv2.Snapshot) {
	sim := lb.simulatedRuntime()
	if sim == nil {
		return
	}
	for _, region := range snap.Regions {
		for arn, tg := range region.TargetGroups {
			for _, t := range tg.Targets {
				if sim.Owns(t.ID) && t.State != elbv2.StateHealthy && t.State != elbv2.StateDraining {
					lb.setTargetHealth(arn, t.TargetKey, elbv2.StateHealthy, "", "")
				}
			}
		}
	}
}

// withoutSimulated drops simulated targets from a data-plane target group.
func (lb *loadBalancers) withoutSimulated(tg alb.TargetGroup) alb.TargetGroup {
	sim := lb.simulatedRuntime()
	if sim == nil {
		return tg
	}
	kept := tg.Targets[:0]
	for _, t := range tg.Targets {
		if !sim.Owns(t.ID) {
			kept = append(kept, t)
		}
	}
	tg.Targets = kept
	return tg
}
