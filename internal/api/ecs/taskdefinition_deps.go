package ecs

import "github.com/aws/aws-sdk-go-v2/service/ecs/types"

// validDependencies checks dependsOn and links as a graph: every edge
// names a container of the task definition, and there is no cycle (a
// container that waits, directly or not, for itself would keep its task
// PENDING forever). A container that others wait on to SUCCEED or
// COMPLETE cannot be essential: its exit would stop the task.
func validDependencies(defs []types.ContainerDefinition) error {
	byName := map[string]types.ContainerDefinition{}
	for _, c := range defs {
		byName[deref(c.Name)] = c
	}
	deps := map[string][]string{}
	links := map[string][]string{}
	for _, c := range defs {
		name := deref(c.Name)
		for _, d := range c.DependsOn {
			target, ok := byName[deref(d.ContainerName)]
			if !ok {
				return errClient("Container '%s' depends on a container that is not in the task definition: '%s'.", name, deref(d.ContainerName))
			}
			if err := validEnum(d.Condition, "dependsOn.condition"); err != nil {
				return err
			}
			if (d.Condition == types.ContainerConditionSuccess || d.Condition == types.ContainerConditionComplete) && (target.Essential == nil || *target.Essential) {
				return errClient("A dependency container with SUCCESS or COMPLETE condition cannot be an essential container")
			}
			deps[name] = append(deps[name], deref(d.ContainerName))
		}
		for _, l := range c.Links {
			links[name] = append(links[name], linkTarget(l))
		}
	}
	if hasCycle(deps) {
		return errClient("Container dependencies should not have a cycle")
	}
	if hasCycle(links) {
		return errClient("Container links should not have a cycle")
	}
	return nil
}

// linkTarget is the container a link "name[:alias]" names.
func linkTarget(link string) string {
	for i := range len(link) {
		if link[i] == ':' {
			return link[:i]
		}
	}
	return link
}

// hasCycle reports whether a directed graph (node → nodes it points to)
// has a cycle, self-loops included, by depth-first search with colours.
func hasCycle(edges map[string][]string) bool {
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var visit func(n string) bool
	visit = func(n string) bool {
		switch state[n] {
		case onPath:
			return true
		case done:
			return false
		}
		state[n] = onPath
		for _, m := range edges[n] {
			if visit(m) {
				return true
			}
		}
		state[n] = done
		return false
	}
	for n := range edges {
		if visit(n) {
			return true
		}
	}
	return false
}
