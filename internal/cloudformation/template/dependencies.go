package template

import (
	"sort"
	"strings"
)

// Dependencies lists the resources logicalID needs before it can be created:
// those it names with Ref, Fn::GetAtt, Fn::Sub (${X}, ${X.Attr}) or
// DependsOn, in declaration order. Parameters and pseudo parameters are not
// dependencies; resources named only in an Fn::If branch are (CloudFormation
// orders statically).
func (t *Template) Dependencies(logicalID string) []string {
	res := t.Resources[logicalID]
	if res == nil {
		return nil
	}
	r := t.resourceReferences(logicalID)
	seen := map[string]bool{}
	var out []string
	for _, group := range [][]string{r.refs, r.getAtts, res.DependsOn} {
		for _, name := range group {
			if _, ok := t.Resources[name]; ok && !seen[name] && name != logicalID {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return t.resourceIndex(out[i]) < t.resourceIndex(out[j]) })
	return out
}

// CreationOrder orders the active resources (nil means all) so that each
// comes after everything it depends on; among resources that are ready at
// the same time, declaration order wins. Dependencies on inactive resources
// are ignored (they can only sit in an Fn::If branch not taken).
func (t *Template) CreationOrder(active map[string]bool) ([]string, error) {
	if err := t.checkCycles(); err != nil {
		return nil, err
	}
	in := func(id string) bool { return active == nil || active[id] }
	pending := map[string]int{} // unmet dependency counts
	dependents := map[string][]string{}
	for _, id := range t.ResourceOrder {
		if !in(id) {
			continue
		}
		pending[id] = 0
		for _, d := range t.Dependencies(id) {
			if in(d) {
				pending[id]++
				dependents[d] = append(dependents[d], id)
			}
		}
	}
	out := make([]string, 0, len(pending))
	for len(out) < len(pending) {
		next := ""
		for _, id := range t.ResourceOrder { // first ready in declaration order
			if n, ok := pending[id]; ok && n == 0 {
				next = id
				break
			}
		}
		pending[next] = -1
		out = append(out, next)
		for _, d := range dependents[next] {
			pending[d]--
		}
	}
	return out, nil
}

// checkCycles reports every resource on a dependency cycle, as
// "Circular dependency between resources: [A, B]", in declaration order.
func (t *Template) checkCycles() error {
	cyclic := t.cyclicResources()
	if len(cyclic) == 0 {
		return nil
	}
	return errorf("Circular dependency between resources: [%s]", strings.Join(cyclic, ", "))
}

// cyclicResources finds the strongly connected components with a cycle
// (Tarjan's algorithm) and returns their members.
func (t *Template) cyclicResources() []string {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack, cyclic []string
	next := 0
	var visit func(id string)
	visit = func(id string) {
		index[id], low[id] = next, next
		next++
		stack = append(stack, id)
		onStack[id] = true
		for _, d := range t.dependencies(id) {
			if _, seen := index[d]; !seen {
				visit(d)
				low[id] = min(low[id], low[d])
			} else if onStack[d] {
				low[id] = min(low[id], index[d])
			}
		}
		if low[id] != index[id] {
			return
		}
		var comp []string
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[top] = false
			comp = append(comp, top)
			if top == id {
				break
			}
		}
		if len(comp) > 1 || t.selfDependent(id) {
			cyclic = append(cyclic, comp...)
		}
	}
	for _, id := range t.ResourceOrder {
		if _, seen := index[id]; !seen {
			visit(id)
		}
	}
	sort.Slice(cyclic, func(i, j int) bool { return t.resourceIndex(cyclic[i]) < t.resourceIndex(cyclic[j]) })
	return cyclic
}

// dependencies is Dependencies including a resource's references to itself.
func (t *Template) dependencies(id string) []string {
	deps := t.Dependencies(id)
	if t.selfDependent(id) {
		deps = append(deps, id)
	}
	return deps
}

func (t *Template) selfDependent(id string) bool {
	r := t.resourceReferences(id)
	for _, group := range [][]string{r.refs, r.getAtts, t.Resources[id].DependsOn} {
		for _, name := range group {
			if name == id {
				return true
			}
		}
	}
	return false
}
