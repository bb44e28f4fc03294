package engine

import (
	"context"
	"errors"
)

// errSiblingFailed is the cancellation cause of resources still running
// when another resource of the same step failed.
var errSiblingFailed = errors.New("a sibling resource failed")

// walk runs fn for every id once all of its dependencies among ids have
// succeeded, at most limit at a time. After the first failure nothing new
// starts; when cancelRunning is set, the fn still running see their ctx
// cancelled with cause errSiblingFailed. It returns the ids that failed,
// in the order they finished.
func walk(ctx context.Context, ids []string, deps func(string) []string, limit int, cancelRunning bool, fn func(context.Context, string) error) []string {
	if limit < 1 {
		limit = 1
	}
	in := make(map[string]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	waiting := make(map[string]int, len(ids))
	dependents := map[string][]string{}
	for _, id := range ids {
		for _, d := range deps(id) {
			if in[d] && d != id {
				waiting[id]++
				dependents[d] = append(dependents[d], id)
			}
		}
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	type result struct {
		id  string
		err error
	}
	results := make(chan result)
	var ready []string
	for _, id := range ids { // keep the given order among ready ids
		if waiting[id] == 0 {
			ready = append(ready, id)
		}
	}
	running, stopped := 0, false
	var failed []string
	for {
		for !stopped && running < limit && len(ready) > 0 {
			id := ready[0]
			ready = ready[1:]
			running++
			go func() { results <- result{id, fn(runCtx, id)} }()
		}
		if running == 0 {
			return failed
		}
		r := <-results
		running--
		if r.err != nil {
			failed = append(failed, r.id)
			if !stopped {
				stopped = true
				if cancelRunning {
					cancel(errSiblingFailed)
				}
			}
			continue
		}
		for _, d := range dependents[r.id] {
			if waiting[d]--; waiting[d] == 0 {
				ready = append(ready, d)
			}
		}
		if ctx.Err() != nil {
			stopped = true
		}
	}
}

// reverse is the dependency function of deletion: a resource goes once
// everything that depends on it is gone.
func reverse(ids []string, deps func(string) []string) func(string) []string {
	in := make(map[string]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	rev := map[string][]string{}
	for _, id := range ids {
		for _, d := range deps(id) {
			if in[d] {
				rev[d] = append(rev[d], id)
			}
		}
	}
	return func(id string) []string { return rev[id] }
}
