package engine

import (
	"context"
	"errors"
	"strings"
)

// The reasons CloudFormation gives on resource events.
const (
	reasonInitiated   = "Resource creation Initiated"
	reasonReplacing   = "Requested update requires the creation of a new physical resource; hence creating one."
	reasonCancelled   = "Resource creation cancelled"
	reasonUpdCancel   = "Resource update cancelled"
	reasonUserRequest = "User Initiated"
)

// create carries out a CreateStack (or a CREATE change set).
func (r *run) create(ctx context.Context) {
	cfg := r.op.Next
	r.res = map[string]*Resource{}
	r.stackStatus("CREATE_IN_PROGRESS", reasonUserRequest)
	conds, err := r.conditions(cfg)
	var order []string
	if err == nil {
		order, err = active(cfg.Template, conds)
	}
	if err != nil {
		r.createFailed(cfg, conds, reason(err))
		return
	}
	r.cfg, r.conds = cfg, conds
	failed := walk(ctx, order, cfg.Template.Dependencies, r.e.limit, true, func(ctx context.Context, id string) error {
		return r.provision(ctx, cfg, conds, id, nil)
	})
	if len(failed) > 0 {
		r.createFailed(cfg, conds, "The following resource(s) failed to create: "+failedList(r.failedIDs("CREATE_FAILED"))+". ")
		return
	}
	if err := context.Cause(ctx); err != nil && ctx.Err() != nil {
		r.createFailed(cfg, conds, stoppedReason(err, "creation"))
		return
	}
	outs, exports, err := r.outputs(cfg, conds)
	if err == nil {
		err = r.op.Sink.ClaimExports(exports)
	}
	if err != nil {
		r.createFailed(cfg, conds, reason(err))
		return
	}
	r.finish(cfg, conds, outs, "CREATE_COMPLETE", "")
}

// stoppedReason is the stack reason of a run stopped between resources by
// its timeout or by the user.
func stoppedReason(cause error, what string) string {
	if errors.Is(cause, errTimeout) || errors.Is(cause, context.DeadlineExceeded) {
		return "Stack " + what + " time exceeded the specified timeout. "
	}
	return "Stack " + what + " cancelled by user. "
}

// failedIDs lists the resources now in status.
func (r *run) failedIDs(status string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for id, rec := range r.res {
		if rec.Status == status {
			ids = append(ids, id)
		}
	}
	return ids
}

// withRollback appends AWS's "Rollback requested by user." to a reason.
func withRollback(why string) string {
	why = strings.TrimRight(why, " ")
	if !strings.HasSuffix(why, ".") {
		why += "."
	}
	return why + " Rollback requested by user."
}

// endCreate ends a create cut short (KindEndCreate): what it made is in
// Current; the template is Current's.
func (r *run) endCreate() {
	cur := r.op.Current
	r.res = copyResources(cur.Resources)
	r.cfg, r.conds = &cur.Config, cur.Conditions
	r.createFailed(&cur.Config, cur.Conditions, r.op.Reason)
}

// createFailed ends a failed create as OnFailure says: leave everything
// (DO_NOTHING), or delete what was made (ROLLBACK), then the stack too
// (DELETE).
func (r *run) createFailed(cfg *Config, conds map[string]bool, why string) {
	if r.op.OnFailure == OnFailureDoNothing {
		r.finish(cfg, conds, nil, "CREATE_FAILED", why)
		return
	}
	r.stackStatus("ROLLBACK_IN_PROGRESS", withRollback(why))
	if failed := r.deleteAll(r.base, cfg.Template, nil); len(failed) > 0 {
		r.finish(cfg, conds, nil, "ROLLBACK_FAILED", "The following resource(s) failed to delete: "+failedList(failed)+". ")
		return
	}
	if r.op.OnFailure == OnFailureDelete {
		r.stackStatus("ROLLBACK_COMPLETE", "")
		r.stackStatus("DELETE_IN_PROGRESS", reasonUserRequest)
		r.finish(nil, nil, nil, "DELETE_COMPLETE", "")
		return
	}
	r.finish(cfg, conds, nil, "ROLLBACK_COMPLETE", "")
}

// provision creates one resource of cfg. With old set, it is the
// replacement of old (events UPDATE_*); old stays in place until cleanup.
func (r *run) provision(ctx context.Context, cfg *Config, conds map[string]bool, logicalID string, old *Resource) error {
	tr := cfg.Template.Resources[logicalID]
	rec := &Resource{LogicalID: logicalID, Type: tr.Type, DeletionPolicy: tr.DeletionPolicy, UpdateReplacePolicy: tr.UpdateReplacePolicy}
	prefix, first := "CREATE", ""
	if old != nil {
		prefix, first = "UPDATE", reasonReplacing
		rec.PhysicalID, rec.Ref, rec.Attributes = old.PhysicalID, old.Ref, old.Attributes // until the new one exists
	}
	fail := func(err error) error {
		rec.Status, rec.Reason = prefix+"_FAILED", r.cancelledReason(ctx, err, reasonCancelled)
		if old != nil {
			rec = old.Copy()
			rec.Status, rec.Reason = "UPDATE_FAILED", r.cancelledReason(ctx, err, reasonCancelled)
		}
		r.put(rec)
		r.event(rec, rec.Status, rec.Reason)
		return err
	}
	props, err := r.properties(cfg, conds, logicalID)
	rec.Properties = props
	if err != nil {
		return fail(err)
	}
	p, err := r.e.providerFor(tr.Type)
	if err != nil {
		return fail(err)
	}
	if old == nil {
		rec.Status = "CREATE_IN_PROGRESS"
		r.put(rec)
	}
	r.event(rec, prefix+"_IN_PROGRESS", first)
	r.event(rec, prefix+"_IN_PROGRESS", reasonInitiated)
	req := r.request(logicalID, tr.Type, "", props, cfg.Tags)
	if old == nil { // a replacement's record keeps the old ID until the new one is ready
		req.Created = func(id string) {
			rec.PhysicalID = id
			r.put(rec)
		}
	}
	res, err := p.Create(ctx, req)
	if err != nil {
		if res != nil && res.PhysicalID != "" && old == nil {
			rec.PhysicalID = res.PhysicalID // made, then failed: rollback deletes it
		}
		return fail(err)
	}
	rec.PhysicalID, rec.Ref, rec.Attributes = res.PhysicalID, res.Ref, res.Attributes
	rec.Status, rec.Reason = prefix+"_COMPLETE", ""
	r.put(rec)
	r.event(rec, rec.Status, "")
	return nil
}

// cancelledReason is the reason of a failed resource: "cancelled" when
// the run stopped it (a sibling failed, the timeout, the user), else the
// failure's own message.
func (r *run) cancelledReason(ctx context.Context, err error, cancelled string) string {
	if ctx.Err() != nil {
		return cancelled
	}
	return reason(err)
}
