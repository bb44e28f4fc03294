package engine

import (
	"context"
	"sort"

	"github.com/localaws/ecsemu/internal/cloudformation/template"
)

// deleteStack carries out a DeleteStack.
func (r *run) deleteStack(ctx context.Context) {
	cur := r.op.Current
	r.res = copyResources(cur.Resources)
	r.cfg, r.conds = &cur.Config, cur.Conditions
	r.stackStatus("DELETE_IN_PROGRESS", reasonUserRequest)
	if err := r.op.Sink.ExportsInUse(); err != nil {
		r.finish(&cur.Config, cur.Conditions, cur.Outputs, "DELETE_FAILED", reason(err))
		return
	}
	if failed := r.deleteAll(ctx, cur.Template, r.op.Retain); len(failed) > 0 {
		r.finish(&cur.Config, cur.Conditions, cur.Outputs, "DELETE_FAILED", "The following resource(s) failed to delete: "+failedList(failed)+". ")
		return
	}
	r.finish(nil, nil, nil, "DELETE_COMPLETE", "")
}

// deleteAll deletes every resource of the run in reverse dependency order
// (t's dependencies) and returns those that failed. Resources retained by
// their DeletionPolicy or by retain are left in place.
func (r *run) deleteAll(ctx context.Context, t *template.Template, retain map[string]bool) []string {
	r.mu.Lock()
	recs := make([]*Resource, 0, len(r.res))
	for _, rec := range r.res {
		recs = append(recs, rec)
	}
	r.mu.Unlock()
	return r.deleteSet(ctx, recs, t, func(rec *Resource) bool {
		return rec.DeletionPolicy == "Retain" || rec.DeletionPolicy == "RetainExceptOnCreate" && r.op.Kind != KindCreate || retain[rec.LogicalID]
	}, true)
}

// deleteSet deletes recs, dependents first (by t's dependencies), and
// returns the logical IDs that failed. forget removes each deleted
// resource from the stack; without it (the replaced resources of an
// update) the logical ID already names the new resource.
func (r *run) deleteSet(ctx context.Context, recs []*Resource, t *template.Template, retained func(*Resource) bool, forget bool) []string {
	byID := map[string]*Resource{}
	ids := make([]string, 0, len(recs))
	for _, rec := range recs {
		byID[rec.LogicalID] = rec
		ids = append(ids, rec.LogicalID)
	}
	sort.Strings(ids)
	deps := func(id string) []string {
		if t == nil || t.Resources[id] == nil {
			return nil
		}
		return t.Dependencies(id)
	}
	return walk(ctx, ids, reverse(ids, deps), r.e.limit, false, func(ctx context.Context, id string) error {
		return r.deleteOne(ctx, byID[id], retained(byID[id]), forget)
	})
}

// deleteOne deletes one resource (or skips it when retained).
func (r *run) deleteOne(ctx context.Context, rec *Resource, retained, forget bool) error {
	rec = rec.Copy()
	done := func() {
		if forget {
			r.remove(rec.LogicalID)
		}
	}
	if retained {
		r.event(rec, "DELETE_SKIPPED", "")
		done()
		return nil
	}
	if forget {
		rec.Status = "DELETE_IN_PROGRESS"
		r.put(rec)
	}
	r.event(rec, "DELETE_IN_PROGRESS", "")
	if rec.PhysicalID != "" {
		if err := r.deleteResource(ctx, rec); err != nil {
			rec.Status, rec.Reason = "DELETE_FAILED", reason(err)
			if forget {
				r.put(rec)
			}
			r.event(rec, rec.Status, rec.Reason)
			return err
		}
	}
	r.event(rec, "DELETE_COMPLETE", "")
	done()
	return nil
}

// deleteResource asks the provider to delete rec.
func (r *run) deleteResource(ctx context.Context, rec *Resource) error {
	p, err := r.e.providerFor(rec.Type)
	if err != nil {
		return err
	}
	req := r.request(rec.LogicalID, rec.Type, rec.PhysicalID, rec.Properties, nil)
	req.PreviousProperties, req.PreviousAttributes = rec.Properties, rec.Attributes
	return p.Delete(ctx, req)
}
