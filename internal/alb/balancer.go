package alb

import (
	"sync"
	"sync/atomic"
)

// group is the live state of a target group that some listener references.
// It outlives snapshots: its targets keep their health and in-flight counts
// across Update calls while its immutable view is swapped.
type group struct {
	arn  string
	view atomic.Pointer[groupView]
	rr   atomic.Uint64

	// Owned by Server.Update (under Server.mu).
	targets map[TargetKey]*target
	checker *checker
}

// groupView is what a request sees of a target group: one immutable list.
type groupView struct {
	scheme  string // http or https, toward the targets
	targets []*target
}

// acquire chooses a target for a new request and counts the request in
// flight on it. It returns nil when the group has no target that may take
// new requests (503).
//
// The counter is raised before the draining flag is checked again, so a
// request that raced with the fence backs off instead of landing on a
// draining target.
func (g *group) acquire() *target {
	for range 4 {
		t := g.pick()
		if t == nil {
			return nil
		}
		t.inflight.Add(1)
		if !t.draining.Load() {
			return t
		}
		t.release()
	}
	return nil
}

// pick round-robins over the healthy targets that are not draining. When none
// is healthy it fails open to every target that is not draining, as ALB does.
func (g *group) pick() *target {
	v := g.view.Load()
	if v == nil || len(v.targets) == 0 {
		return nil
	}
	var buf [16]*target
	cand := buf[:0]
	for _, t := range v.targets {
		if t.routable.Load() && !t.draining.Load() {
			cand = append(cand, t)
		}
	}
	if len(cand) == 0 {
		for _, t := range v.targets {
			if !t.draining.Load() {
				cand = append(cand, t)
			}
		}
	}
	if len(cand) == 0 {
		return nil
	}
	n := g.rr.Add(1) - 1
	return cand[n%uint64(len(cand))]
}

// forwardAction splits requests between target groups by weight with smooth
// weighted round robin: over any window of sum(weights) requests every group
// gets exactly its share, interleaved rather than in bursts.
type forwardAction struct {
	groups  []*group
	weights []int
	total   int

	mu      sync.Mutex
	current []int
}

func (f *forwardAction) add(g *group, arn string, weight int) {
	if g == nil {
		// A target group missing from the snapshot has no targets: 503.
		g = &group{arn: arn}
	}
	if weight < 0 {
		weight = 0
	}
	f.groups = append(f.groups, g)
	f.weights = append(f.weights, weight)
	f.total += weight
}

func (f *forwardAction) finish() {
	if len(f.groups) == 1 {
		f.weights[0], f.total = 1, 1
	}
	f.current = make([]int, len(f.groups))
}

// choose returns the target group for the next request, or nil when every
// weight is zero.
func (f *forwardAction) choose() *group {
	switch {
	case len(f.groups) == 1:
		return f.groups[0]
	case f.total <= 0:
		return nil
	}
	f.mu.Lock()
	best := -1
	for i, w := range f.weights {
		if w == 0 {
			continue
		}
		f.current[i] += w
		if best < 0 || f.current[i] > f.current[best] {
			best = i
		}
	}
	f.current[best] -= f.total
	f.mu.Unlock()
	return f.groups[best]
}
