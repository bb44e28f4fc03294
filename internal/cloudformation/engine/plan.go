package engine

import (
	"sort"
	"strings"
)

// Change is one resource change of a change set.
type Change struct {
	Action                      string // Add, Modify, Remove
	LogicalID, PhysicalID, Type string
	Replacement                 string // Modify: True, False or Conditional
	Scope                       []string
	Details                     []ChangeDetail
}

// ChangeDetail is one changed property of a Modify.
type ChangeDetail struct {
	Name               string // the top-level property
	RequiresRecreation string // Never, Conditionally, Always
	Evaluation         string // Static, Dynamic
	ChangeSource       string // DirectModification, ResourceReference, ResourceAttribute
}

// pending marks a value that is only known once a resource has been
// created or replaced.
const pending = "{{pending:"

// Plan says what deploying next over cur (nil for a new stack) would do,
// without doing it: the Changes of a change set, and what tells an
// UpdateStack that there is nothing to do. A value that depends on a
// resource yet to be created or replaced counts as changed.
func (e *Engine) Plan(stack Stack, cur *Deployed, next *Config, sink Sink) ([]Change, error) {
	r := &run{e: e, op: Operation{Stack: stack, Current: cur, Next: next, Sink: sink}, res: map[string]*Resource{}, imports: map[string]bool{}}
	if cur != nil {
		r.res = copyResources(cur.Resources)
	}
	planned := map[string]string{}
	r.resolve = planResolver{resolver{r}, planned}
	conds, err := r.conditions(next)
	if err != nil {
		return nil, err
	}
	order, err := active(next.Template, conds)
	if err != nil {
		return nil, err
	}
	var changes []Change
	in := map[string]bool{}
	for _, id := range order {
		in[id] = true
		if c := r.planOne(next, conds, id, planned); c != nil {
			changes = append(changes, *c)
		}
	}
	for id, rec := range r.res {
		if !in[id] {
			changes = append(changes, Change{Action: "Remove", LogicalID: id, PhysicalID: rec.PhysicalID, Type: rec.Type})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].LogicalID < changes[j].LogicalID })
	return changes, nil
}

// planOne is the change of one resource, nil when it stays as it is.
func (r *run) planOne(next *Config, conds map[string]bool, id string, planned map[string]string) *Change {
	tr := next.Template.Resources[id]
	cur := r.res[id]
	if cur == nil || cur.PhysicalID == "" {
		planned[id] = "add"
		return &Change{Action: "Add", LogicalID: id, Type: tr.Type}
	}
	c := &Change{Action: "Modify", LogicalID: id, PhysicalID: cur.PhysicalID, Type: tr.Type, Scope: []string{"Properties"}}
	if cur.Type != tr.Type {
		planned[id], c.Replacement = "replace", "True"
		return c
	}
	props, err := r.properties(next, conds, id)
	if err != nil { // an attribute that only the deployment will know
		planned[id], c.Replacement = "replace", "Conditional"
		return c
	}
	if SameValue(cur.Properties, props) {
		return nil
	}
	p, _ := r.e.providerFor(tr.Type)
	replaces := p != nil && p.Replaces(cur.Properties, props)
	dynamic := hasPending(props)
	switch {
	case replaces && dynamic:
		c.Replacement = "Conditional"
	case replaces:
		c.Replacement = "True"
	default:
		c.Replacement = "False"
	}
	planned[id] = "modify"
	if replaces {
		planned[id] = "replace"
	}
	c.Details = details(p, cur.Properties, props)
	return c
}

// details lists the changed top-level properties.
func details(p Provider, old, props map[string]any) []ChangeDetail {
	keys := map[string]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range props {
		keys[k] = true
	}
	var out []ChangeDetail
	for k := range keys {
		if SameValue(old[k], props[k]) {
			continue
		}
		d := ChangeDetail{Name: k, RequiresRecreation: "Never", Evaluation: "Static", ChangeSource: "DirectModification"}
		one := make(map[string]any, len(old))
		for kk, v := range old {
			one[kk] = v
		}
		if v, ok := props[k]; ok {
			one[k] = v
		} else {
			delete(one, k)
		}
		if p != nil && p.Replaces(old, one) {
			d.RequiresRecreation = "Always"
		}
		if hasPending(props[k]) {
			d.Evaluation, d.ChangeSource = "Dynamic", "ResourceReference"
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// hasPending reports whether v holds a value not known before deployment.
func hasPending(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, pending)
	case map[string]any:
		for _, e := range x {
			if hasPending(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasPending(e) {
				return true
			}
		}
	}
	return false
}

// planResolver resolves like the deployment would, except that resources
// to be created or replaced have no known identity or attributes yet.
type planResolver struct {
	resolver
	planned map[string]string
}

func (p planResolver) Ref(id string) (string, bool) {
	if k := p.planned[id]; k == "add" || k == "replace" {
		return pending + id + "}}", true
	}
	return p.resolver.Ref(id)
}

func (p planResolver) GetAtt(id, attr string) (any, error) {
	if k := p.planned[id]; k == "add" || k == "replace" {
		return pending + id + "." + attr + "}}", nil
	}
	v, err := p.resolver.GetAtt(id, attr)
	if err != nil {
		return pending + id + "." + attr + "}}", nil
	}
	return v, nil
}
