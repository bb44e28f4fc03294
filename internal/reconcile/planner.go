package reconcile

// The planner decides, from a snapshot of a service and its tasks, what the
// scheduler does next. It is a pure function so that the rolling-update
// envelope can be tested step by step without containers or clocks.

// taskInfo is what the planner needs to know about one task of a service.
type taskInfo struct {
	ARN        string
	Deployment string // the deployment ID that started it
	Active     bool   // desired status RUNNING
	Stopped    bool   // last status STOPPED
	Running    bool   // last status RUNNING
	Ready      bool   // RUNNING and passing its health checks, if it has any
	Healthy    bool   // counts towards minimumHealthyPercent (Ready, and 40 s old without health checks)
	FailReason string // ECS's stoppedReason when it failed a health check after the grace period
}

// envelope is the deployment configuration in task counts.
type envelope struct {
	Desired    int
	MinHealthy int // ceil(desired × minimumHealthyPercent / 100)
	Max        int // floor(desired × maximumPercent / 100)
}

func newEnvelope(desired, minPct, maxPct int32) envelope {
	d := int(desired)
	return envelope{
		Desired:    d,
		MinHealthy: (d*int(minPct) + 99) / 100,
		Max:        d * int(maxPct) / 100,
	}
}

// stopAction stops one task for a reason.
type stopAction struct {
	ARN    string
	Reason string // reasonScaling or the health check failure
}

const (
	reasonScaling         = "scaling"
	reasonContainerHealth = "Task failed container health checks"
)

// plan is the scheduler's next step.
type plan struct {
	Launch    int          // tasks to start for the primary deployment
	Stops     []stopAction // tasks to stop now
	Completed bool         // the primary deployment has all its tasks, healthy, and older ones none
	Stalled   bool         // the envelope allows neither a start nor a stop
}

// phase says what the service is doing besides keeping its count.
type phase int

const (
	phaseRunning  phase = iota
	phaseDraining       // deleted: stop everything
	phaseFailed         // the primary deployment FAILED: launch nothing more
)

// planService computes the next step of a REPLICA service.
func planService(env envelope, primary string, ph phase, tasks []taskInfo) plan {
	var p plan
	var live, active []taskInfo
	for _, t := range tasks {
		if t.Stopped {
			continue
		}
		live = append(live, t)
		if t.Active {
			active = append(active, t)
		}
	}
	if ph == phaseDraining {
		for _, t := range active {
			p.Stops = append(p.Stops, stopAction{t.ARN, reasonScaling})
		}
		return p
	}
	// Tasks failing their health checks are replaced whatever the envelope.
	var keep []taskInfo
	for _, t := range active {
		if t.FailReason != "" {
			p.Stops = append(p.Stops, stopAction{t.ARN, t.FailReason})
		} else {
			keep = append(keep, t)
		}
	}
	current, old := splitByDeployment(keep, primary)
	// Scale-in: stop the excess of the primary, least useful first.
	if excess := len(current) - env.Desired; excess > 0 {
		orderForStop(current)
		for _, t := range current[:excess] {
			p.Stops = append(p.Stops, stopAction{t.ARN, reasonScaling})
		}
		current = current[excess:]
	}
	if ph == phaseFailed {
		return p // the circuit breaker stopped this deployment
	}
	p.Stops = append(p.Stops, stopOld(env, current, old)...)
	p.Launch = max(0, min(env.Desired-len(current), env.Max-len(live)))
	// Completed means what ECS means by steady state: every task counts as
	// healthy by ECS's rule (a crash loop whose tasks run for a moment
	// never completes), and no other deployment has tasks left.
	p.Completed = len(current) == env.Desired && allHealthy(current) && len(live) == len(current)
	p.Stalled = p.Launch == 0 && len(p.Stops) == 0 && !p.Completed && len(current) < env.Desired && !anyStarting(live)
	return p
}

func splitByDeployment(tasks []taskInfo, primary string) (current, old []taskInfo) {
	for _, t := range tasks {
		if t.Deployment == primary {
			current = append(current, t)
		} else {
			old = append(old, t)
		}
	}
	return current, old
}

// stopOld stops tasks of older deployments: those not running or failing
// their checks at once, the others only while enough healthy tasks remain.
func stopOld(env envelope, current, old []taskInfo) []stopAction {
	healthy := 0
	for _, t := range append(append([]taskInfo{}, current...), old...) {
		if t.Healthy {
			healthy++
		}
	}
	budget := healthy - env.MinHealthy
	orderForStop(old)
	var stops []stopAction
	for _, t := range old {
		if !t.Ready {
			stops = append(stops, stopAction{t.ARN, reasonScaling})
			continue
		}
		if budget > 0 {
			budget--
			stops = append(stops, stopAction{t.ARN, reasonScaling})
		}
	}
	return stops
}

// orderForStop puts tasks that are not yet running or not healthy first,
// so that scale-in keeps the most useful tasks; otherwise keeps order.
func orderForStop(tasks []taskInfo) {
	rank := func(t taskInfo) int {
		switch {
		case !t.Running:
			return 0
		case !t.Ready:
			return 1
		case !t.Healthy:
			return 2
		}
		return 3
	}
	for i := 1; i < len(tasks); i++ {
		for j := i; j > 0 && rank(tasks[j]) < rank(tasks[j-1]); j-- {
			tasks[j], tasks[j-1] = tasks[j-1], tasks[j]
		}
	}
}

func allHealthy(tasks []taskInfo) bool {
	for _, t := range tasks {
		if !t.Healthy {
			return false
		}
	}
	return true
}

// anyStarting says whether some task is still on its way to healthy or to
// stopped, so that waiting is not a stall.
func anyStarting(tasks []taskInfo) bool {
	for _, t := range tasks {
		if !t.Active || !t.Ready {
			return true
		}
	}
	return false
}
