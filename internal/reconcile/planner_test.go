package reconcile

import (
	"fmt"
	"reflect"
	"testing"
)

// sim is a minimal service world for the planner: a launched task runs
// one step later and passes its health checks two steps later (starting
// takes longer than stopping), a stopped task is gone one step later.
type sim struct {
	tasks []taskInfo
	age   map[string]int
	next  int
}

func (s *sim) add(deployment string, n int) {
	if s.age == nil {
		s.age = map[string]int{}
	}
	for range n {
		s.next++
		s.tasks = append(s.tasks, taskInfo{ARN: fmt.Sprintf("t%d", s.next), Deployment: deployment, Active: true})
	}
}

// advance moves time one step on.
func (s *sim) advance() {
	var kept []taskInfo
	for _, t := range s.tasks {
		if !t.Active {
			continue // stopped: gone
		}
		s.age[t.ARN]++
		t.Running = s.age[t.ARN] >= 1
		t.Ready = s.age[t.ARN] >= 2 // health checks pass
		t.Healthy = t.Ready
		kept = append(kept, t)
	}
	s.tasks = kept
}

func (s *sim) apply(p plan, primary string) {
	stop := map[string]bool{}
	for _, a := range p.Stops {
		stop[a.ARN] = true
	}
	for i := range s.tasks {
		if stop[s.tasks[i].ARN] {
			s.tasks[i].Active = false
		}
	}
	s.add(primary, p.Launch)
}

func (s *sim) counts(primary string) (total, healthy, newTasks int) {
	for _, t := range s.tasks {
		total++
		if t.Active && t.Healthy {
			healthy++
		}
		if t.Deployment == primary && t.Active {
			newTasks++
		}
	}
	return
}

type step struct{ Started, Stopped int }

// The seed's three cases (rolling update envelope) as step sequences.
func TestPlannerRollingUpdateEnvelope(t *testing.T) {
	tests := []struct {
		name             string
		desired, min, mx int32
		want             []step
	}{
		{"4 tasks 100/200: start 4 new, then stop 4 old", 4, 100, 200, []step{{4, 0}, {0, 4}}},
		{"4 tasks 50/150: stop 2, start 4, stop 2", 4, 50, 150, []step{{2, 2}, {2, 0}, {0, 2}}},
		{"1 task 100/200: new before old", 1, 100, 200, []step{{1, 0}, {0, 1}}},
		{"3 tasks 50/150: rounding keeps 2 healthy", 3, 50, 150, []step{{1, 1}, {1, 0}, {0, 1}, {1, 1}}},
		{"1 task 0/100: old stops first", 1, 0, 100, []step{{0, 1}, {1, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnvelope(tt.desired, tt.min, tt.mx)
			s := &sim{}
			s.add("old", int(tt.desired))
			s.advance()
			s.advance()
			var got []step
			for i := 0; i < 20; i++ {
				p := planService(env, "new", phaseRunning, s.tasks)
				if p.Completed {
					break
				}
				if p.Launch > 0 || len(p.Stops) > 0 {
					got = append(got, step{p.Launch, len(p.Stops)})
				}
				s.apply(p, "new")
				total, healthy, _ := s.counts("new")
				if total > env.Max {
					t.Fatalf("step %d: %d tasks exist, maximum is %d", i, total, env.Max)
				}
				if healthy < env.MinHealthy {
					t.Fatalf("step %d: %d healthy tasks, minimum is %d", i, healthy, env.MinHealthy)
				}
				s.advance()
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("steps = %v, want %v", got, tt.want)
			}
			if _, _, n := s.counts("new"); n != int(tt.desired) {
				t.Fatalf("%d new tasks at the end, want %d", n, tt.desired)
			}
		})
	}
}

func TestPlannerEnvelopeArithmetic(t *testing.T) {
	tests := []struct {
		desired, min, mx int32
		want             envelope
	}{
		{4, 100, 200, envelope{4, 4, 8}},
		{4, 50, 150, envelope{4, 2, 6}},
		{3, 50, 150, envelope{3, 2, 4}}, // ceil(1.5) = 2, floor(4.5) = 4
		{1, 0, 100, envelope{1, 0, 1}},
		{0, 100, 200, envelope{0, 0, 0}},
	}
	for _, tt := range tests {
		if got := newEnvelope(tt.desired, tt.min, tt.mx); got != tt.want {
			t.Errorf("newEnvelope(%d, %d, %d) = %+v, want %+v", tt.desired, tt.min, tt.mx, got, tt.want)
		}
	}
}

func TestPlannerScaling(t *testing.T) {
	running := func(arn string) taskInfo {
		return taskInfo{ARN: arn, Deployment: "d", Active: true, Running: true, Ready: true, Healthy: true}
	}
	pending := taskInfo{ARN: "p", Deployment: "d", Active: true}
	tests := []struct {
		name      string
		desired   int32
		tasks     []taskInfo
		launch    int
		stops     []stopAction
		completed bool
	}{
		{"scale out from zero", 3, nil, 3, nil, false},
		{"steady", 2, []taskInfo{running("a"), running("b")}, 0, nil, true},
		// Running and passing its (absent) checks, but not yet 40 s old: a
		// crash loop whose tasks run for a moment must never complete.
		{"a settling task is not complete", 1, []taskInfo{{ARN: "a", Deployment: "d", Active: true, Running: true, Ready: true}}, 0, nil, false},
		{"replace a stopped task", 2, []taskInfo{running("a"), {ARN: "b", Deployment: "d", Stopped: true}}, 1, nil, false},
		{"scale in stops pending first", 1, []taskInfo{running("a"), pending}, 0, []stopAction{{"p", reasonScaling}}, false},
		{"scale in to zero", 0, []taskInfo{running("a")}, 0, []stopAction{{"a", reasonScaling}}, false},
		// The replacement starts while the unhealthy task stops (max 2).
		{"unhealthy task is replaced", 1, []taskInfo{{ARN: "u", Deployment: "d", Active: true, Running: true, FailReason: reasonContainerHealth}}, 1, []stopAction{{"u", reasonContainerHealth}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planService(newEnvelope(tt.desired, 100, 200), "d", phaseRunning, tt.tasks)
			if p.Launch != tt.launch || !reflect.DeepEqual(p.Stops, tt.stops) || p.Completed != tt.completed {
				t.Fatalf("plan = %+v, want launch %d stops %v completed %v", p, tt.launch, tt.stops, tt.completed)
			}
		})
	}
}

func TestPlannerDrainingStopsEverything(t *testing.T) {
	tasks := []taskInfo{
		{ARN: "a", Deployment: "d", Active: true, Running: true, Ready: true, Healthy: true},
		{ARN: "b", Deployment: "old", Active: true},
		{ARN: "c", Deployment: "d", Stopped: true},
	}
	p := planService(newEnvelope(0, 100, 200), "d", phaseDraining, tasks)
	want := []stopAction{{"a", reasonScaling}, {"b", reasonScaling}}
	if p.Launch != 0 || !reflect.DeepEqual(p.Stops, want) {
		t.Fatalf("plan = %+v, want stops %v", p, want)
	}
}

func TestPlannerReportsAStalledDeployment(t *testing.T) {
	// desired 1 with 100/100 can neither start a new task (max 1) nor stop
	// the old one (min 1): ECS reports the deployment configuration.
	old := taskInfo{ARN: "o", Deployment: "old", Active: true, Running: true, Ready: true, Healthy: true}
	p := planService(newEnvelope(1, 100, 100), "new", phaseRunning, []taskInfo{old})
	if !p.Stalled || p.Launch != 0 || len(p.Stops) != 0 {
		t.Fatalf("plan = %+v, want a stall", p)
	}
}

func TestPlannerFailedDeploymentLaunchesNothing(t *testing.T) {
	old := taskInfo{ARN: "o", Deployment: "old", Active: true, Running: true, Ready: true, Healthy: true}
	sick := taskInfo{ARN: "s", Deployment: "new", Active: true, Running: true, FailReason: reasonContainerHealth}
	p := planService(newEnvelope(2, 100, 200), "new", phaseFailed, []taskInfo{old, sick})
	want := []stopAction{{"s", reasonContainerHealth}}
	if p.Launch != 0 || !reflect.DeepEqual(p.Stops, want) || p.Completed || p.Stalled {
		t.Fatalf("plan = %+v, want only the unhealthy task stopped", p)
	}
}

// Without health checks a task counts towards minimumHealthyPercent only
// after 40 s of RUNNING: younger old tasks are neither stopped for free nor
// counted, so a rollout waits for them.
func TestPlannerSettlingTasksAreKeptButNotCounted(t *testing.T) {
	young := func(arn, dep string) taskInfo {
		return taskInfo{ARN: arn, Deployment: dep, Active: true, Running: true, Ready: true}
	}
	tasks := []taskInfo{young("o1", "old"), young("o2", "old"), young("n1", "new"), young("n2", "new")}
	p := planService(newEnvelope(2, 100, 200), "new", phaseRunning, tasks)
	if len(p.Stops) != 0 || p.Launch != 0 {
		t.Fatalf("plan = %+v, want to wait for the tasks to settle", p)
	}
	for i := range tasks {
		tasks[i].Healthy = true
	}
	p = planService(newEnvelope(2, 100, 200), "new", phaseRunning, tasks)
	want := []stopAction{{"o1", reasonScaling}, {"o2", reasonScaling}}
	if !reflect.DeepEqual(p.Stops, want) {
		t.Fatalf("plan = %+v, want the old tasks stopped once the new ones count", p)
	}
}
