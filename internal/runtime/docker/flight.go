package docker

import (
	"context"
	"sync"
)

// flightGroup runs one call per key at a time and hands its result to every
// caller that asked for the same key meanwhile. It exists so that ten tasks
// starting with one missing image cause one pull, not ten.
type flightGroup struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done    chan struct{}
	err     error
	waiters int // callers attached to this flight, for tests and logs
}

// do runs fn for key unless a run is already in flight, then waits for the
// result or for ctx to end. fn gets a context detached from any single
// caller: a caller that gives up must not cancel the work others wait for,
// so fn is expected to bound itself (e.g. with the pull timeout).
func (g *flightGroup) do(ctx context.Context, key string, fn func(context.Context) error) error {
	f, leader := g.join(key)
	if leader {
		go g.run(context.WithoutCancel(ctx), key, f, fn)
	}
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *flightGroup) join(key string) (*flight, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = make(map[string]*flight)
	}
	if f, ok := g.m[key]; ok {
		f.waiters++
		return f, false
	}
	f := &flight{done: make(chan struct{}), waiters: 1}
	g.m[key] = f
	return f, true
}

func (g *flightGroup) run(ctx context.Context, key string, f *flight, fn func(context.Context) error) {
	f.err = fn(ctx)
	// Forget the flight before waking waiters: a caller arriving after the
	// result is known (say, after a failed pull) starts a fresh attempt.
	g.mu.Lock()
	delete(g.m, key)
	g.mu.Unlock()
	close(f.done)
}

// waiting reports how many callers are attached to the flight for key.
func (g *flightGroup) waiting(key string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if f, ok := g.m[key]; ok {
		return f.waiters
	}
	return 0
}
