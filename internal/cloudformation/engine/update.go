package engine

import (
	"context"
	"sync"
)

// step is what an update did to one resource, kept to roll it back.
type step struct {
	id   string
	kind string    // "add", "modify", "replace"
	old  *Resource // modify, replace: the resource before
}

// update carries out an UpdateStack (or an UPDATE change set).
func (r *run) update(ctx context.Context) {
	cur, next := r.op.Current, r.op.Next
	r.res = copyResources(cur.Resources)
	r.cfg, r.conds = &cur.Config, cur.Conditions
	r.stackStatus("UPDATE_IN_PROGRESS", reasonUserRequest)
	conds, err := r.conditions(next)
	var order []string
	if err == nil {
		order, err = active(next.Template, conds)
	}
	if err != nil {
		r.updateFailed(next, conds, reason(err), nil)
		return
	}
	r.cfg, r.conds = next, conds
	var mu sync.Mutex
	var steps []step
	failed := walk(ctx, order, next.Template.Dependencies, r.e.limit, true, func(ctx context.Context, id string) error {
		s, err := r.updateOne(ctx, next, conds, id)
		if s != nil {
			mu.Lock()
			steps = append(steps, *s)
			mu.Unlock()
		}
		return err
	})
	if len(failed) > 0 {
		r.updateFailed(next, conds, r.failureReason(), steps)
		return
	}
	if err := context.Cause(ctx); err != nil && ctx.Err() != nil {
		r.updateFailed(next, conds, stoppedReason(err, "update"), steps)
		return
	}
	outs, exports, err := r.outputs(next, conds)
	if err == nil {
		err = r.op.Sink.ClaimExports(exports)
	}
	if err != nil {
		r.updateFailed(next, conds, reason(err), steps)
		return
	}
	r.stackStatus("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "")
	r.cleanup(cur, order, steps)
	r.finish(next, conds, outs, "UPDATE_COMPLETE", "")
}

// cleanup deletes what a successful update left over: the resources no
// longer in the template, then the ones replaced. Failures here do not
// fail the update, as on AWS; they show in the events.
func (r *run) cleanup(cur *Deployed, order []string, steps []step) {
	keep := map[string]bool{}
	for _, id := range order {
		keep[id] = true
	}
	var removed, replaced []*Resource
	r.mu.Lock()
	for id, rec := range r.res {
		if !keep[id] {
			removed = append(removed, rec)
		}
	}
	r.mu.Unlock()
	for _, s := range steps {
		if s.kind == "replace" && s.old.PhysicalID != "" {
			replaced = append(replaced, s.old)
		}
	}
	r.deleteSet(r.base, removed, cur.Template, func(rec *Resource) bool {
		return rec.DeletionPolicy == "Retain" || rec.DeletionPolicy == "RetainExceptOnCreate"
	}, true)
	r.deleteSet(r.base, replaced, cur.Template, func(rec *Resource) bool { return rec.UpdateReplacePolicy == "Retain" }, false)
}

// failureReason is the stack reason of failed resources: AWS's "The
// following resource(s) failed to create/update: [..]. ".
func (r *run) failureReason() string {
	why := ""
	if ids := r.failedIDs("CREATE_FAILED"); len(ids) > 0 {
		why += "The following resource(s) failed to create: " + failedList(ids) + ". "
	}
	if ids := r.failedIDs("UPDATE_FAILED"); len(ids) > 0 {
		why += "The following resource(s) failed to update: " + failedList(ids) + ". "
	}
	return why
}

// updateOne brings one resource to next: creates it, leaves it, updates
// it in place or replaces it. It returns what it did (also when that
// failed half-way, for the rollback).
func (r *run) updateOne(ctx context.Context, next *Config, conds map[string]bool, id string) (*step, error) {
	tr := next.Template.Resources[id]
	cur := r.resource(id)
	if cur == nil || cur.PhysicalID == "" {
		return &step{id: id, kind: "add"}, r.provision(ctx, next, conds, id, nil)
	}
	cur = cur.Copy()
	if cur.Type != tr.Type {
		return &step{id: id, kind: "replace", old: cur}, r.provision(ctx, next, conds, id, cur)
	}
	props, err := r.properties(next, conds, id)
	if err != nil {
		return nil, r.failUpdate(ctx, cur, err)
	}
	if SameValue(cur.Properties, props) {
		if cur.DeletionPolicy != tr.DeletionPolicy || cur.UpdateReplacePolicy != tr.UpdateReplacePolicy {
			cur.DeletionPolicy, cur.UpdateReplacePolicy = tr.DeletionPolicy, tr.UpdateReplacePolicy
			r.put(cur)
		}
		return nil, nil
	}
	p, err := r.e.providerFor(tr.Type)
	if err != nil {
		return nil, r.failUpdate(ctx, cur, err)
	}
	if p.Replaces(cur.Properties, props) {
		return &step{id: id, kind: "replace", old: cur}, r.provision(ctx, next, conds, id, cur)
	}
	s := &step{id: id, kind: "modify", old: cur.Copy()}
	rec := cur.Copy()
	rec.Status, rec.Reason = "UPDATE_IN_PROGRESS", ""
	rec.DeletionPolicy, rec.UpdateReplacePolicy = tr.DeletionPolicy, tr.UpdateReplacePolicy
	r.put(rec)
	rec.Properties = props
	r.event(rec, "UPDATE_IN_PROGRESS", "")
	req := r.request(id, tr.Type, cur.PhysicalID, props, next.Tags)
	req.PreviousProperties, req.PreviousAttributes = cur.Properties, cur.Attributes
	res, err := p.Update(ctx, req)
	if err != nil {
		return s, r.failUpdate(ctx, rec, err)
	}
	applyResult(rec, res)
	rec.Status = "UPDATE_COMPLETE"
	r.put(rec)
	r.event(rec, rec.Status, "")
	return s, nil
}

// applyResult takes what an Update returned; an empty result keeps the
// resource's identity and attributes.
func applyResult(rec *Resource, res *Result) {
	if res == nil {
		return
	}
	if res.PhysicalID != "" {
		rec.PhysicalID, rec.Ref = res.PhysicalID, res.Ref
	}
	if res.Attributes != nil {
		rec.Attributes = res.Attributes
	}
}

// failUpdate records a failed in-place update.
func (r *run) failUpdate(ctx context.Context, rec *Resource, err error) error {
	rec = rec.Copy()
	rec.Status, rec.Reason = "UPDATE_FAILED", r.cancelledReason(ctx, err, reasonUpdCancel)
	r.put(rec)
	r.event(rec, rec.Status, rec.Reason)
	return err
}

// updateFailed ends a failed update: with rollback disabled the stack
// stays UPDATE_FAILED; otherwise every step is undone in reverse order,
// then what the update created is deleted.
func (r *run) updateFailed(next *Config, conds map[string]bool, why string, steps []step) {
	cur := r.op.Current
	if r.op.OnFailure == OnFailureDoNothing {
		r.finish(next, conds, cur.Outputs, "UPDATE_FAILED", why)
		return
	}
	r.stackStatus("UPDATE_ROLLBACK_IN_PROGRESS", why)
	var added, orphans []*Resource
	var failed []string
	for i := len(steps) - 1; i >= 0; i-- {
		s := steps[i]
		now := r.resource(s.id)
		switch s.kind {
		case "add":
			if now != nil {
				added = append(added, now)
			}
		case "replace":
			if now != nil && now.PhysicalID != "" && now.PhysicalID != s.old.PhysicalID {
				orphans = append(orphans, now.Copy())
			}
			r.restore(s.old, nil)
		case "modify":
			if err := r.revert(s.old, now); err != nil {
				failed = append(failed, s.id)
			}
		}
	}
	r.stackStatus("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "")
	r.deleteSet(r.base, added, next.Template, func(rec *Resource) bool { return rec.DeletionPolicy == "Retain" }, true)
	r.deleteSet(r.base, orphans, next.Template, func(*Resource) bool { return false }, false)
	if len(failed) > 0 {
		r.finish(&cur.Config, cur.Conditions, cur.Outputs, "UPDATE_ROLLBACK_FAILED", "The following resource(s) failed to update: "+failedList(failed)+". ")
		return
	}
	r.finish(&cur.Config, cur.Conditions, cur.Outputs, "UPDATE_ROLLBACK_COMPLETE", "")
}

// revert updates a resource back to its properties before the update.
func (r *run) revert(old, now *Resource) error {
	p, err := r.e.providerFor(old.Type)
	if err == nil {
		r.event(old, "UPDATE_IN_PROGRESS", "")
		req := r.request(old.LogicalID, old.Type, old.PhysicalID, old.Properties, r.op.Current.Tags)
		if now != nil {
			req.PreviousProperties, req.PreviousAttributes = now.Properties, now.Attributes
		}
		var res *Result
		if res, err = p.Update(r.base, req); err == nil {
			r.restore(old, res)
			return nil
		}
	}
	rec := old.Copy()
	rec.Status, rec.Reason = "UPDATE_FAILED", reason(err)
	r.put(rec)
	r.event(rec, rec.Status, rec.Reason)
	return err
}

// restore puts a resource's record back as it was before the update.
func (r *run) restore(old *Resource, res *Result) {
	rec := old.Copy()
	applyResult(rec, res)
	rec.Status, rec.Reason = "UPDATE_COMPLETE", ""
	r.put(rec)
	r.event(rec, rec.Status, "")
}
