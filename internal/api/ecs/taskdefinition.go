package ecs

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/localaws/ecsemu/internal/clone"
)

func (s *Store) RegisterTaskDefinition(_ context.Context, in *ecs.RegisterTaskDefinitionInput) (*ecs.RegisterTaskDefinitionOutput, error) {
	if err := validateTaskDefinition(in); err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	td := newTaskDefinition(in)
	unlock := s.lock()
	defer unlock()
	f := s.families[*in.Family]
	if f == nil {
		f = &family{}
		s.families[*in.Family] = f
	}
	// Revisions are never reused, even after deletion.
	td.Revision = int32(len(f.revisions) + 1)
	td.TaskDefinitionArn = ptr(taskDefinitionARN(s.region, s.account, *td.Family, td.Revision))
	td.RegisteredAt = s.timestamp()
	td.RegisteredBy = ptr(s.rootPrincipal())
	f.revisions = append(f.revisions, td)
	s.touchRevision(td)
	s.setTags(*td.TaskDefinitionArn, in.Tags)
	return &ecs.RegisterTaskDefinitionOutput{TaskDefinition: ptr(clone.Of(*td)), Tags: s.getTags(*td.TaskDefinitionArn)}, nil
}

// newTaskDefinition builds the stored task definition with ECS's defaults
// filled in, as RegisterTaskDefinition's response shows them.
func newTaskDefinition(in *ecs.RegisterTaskDefinitionInput) *types.TaskDefinition {
	td := &types.TaskDefinition{
		Family:                  in.Family,
		ContainerDefinitions:    clone.Of(in.ContainerDefinitions),
		Cpu:                     in.Cpu,
		Memory:                  in.Memory,
		NetworkMode:             in.NetworkMode,
		TaskRoleArn:             in.TaskRoleArn,
		ExecutionRoleArn:        in.ExecutionRoleArn,
		Volumes:                 nonNil(clone.Of(in.Volumes)),
		PlacementConstraints:    nonNil(clone.Of(in.PlacementConstraints)),
		RequiresCompatibilities: clone.Of(in.RequiresCompatibilities),
		RuntimePlatform:         clone.Of(in.RuntimePlatform),
		EphemeralStorage:        clone.Of(in.EphemeralStorage),
		ProxyConfiguration:      clone.Of(in.ProxyConfiguration),
		PidMode:                 in.PidMode,
		IpcMode:                 in.IpcMode,
		EnableFaultInjection:    in.EnableFaultInjection,
		InferenceAccelerators:   clone.Of(in.InferenceAccelerators),
		Status:                  types.TaskDefinitionStatusActive,
		RequiresAttributes:      []types.Attribute{},
	}
	if td.NetworkMode == "" {
		td.NetworkMode = types.NetworkModeBridge
	}
	td.Compatibilities = []types.Compatibility{types.CompatibilityEc2}
	if td.NetworkMode == types.NetworkModeAwsvpc && fargateSizeError(deref(td.Cpu), deref(td.Memory)) == "" {
		td.Compatibilities = append(td.Compatibilities, types.CompatibilityFargate)
	}
	for i := range td.ContainerDefinitions {
		containerDefaults(&td.ContainerDefinitions[i], td.NetworkMode)
	}
	return td
}

func containerDefaults(c *types.ContainerDefinition, mode types.NetworkMode) {
	if c.Essential == nil {
		c.Essential = ptr(true)
	}
	c.Environment = nonNil(c.Environment)
	c.MountPoints = nonNil(c.MountPoints)
	c.VolumesFrom = nonNil(c.VolumesFrom)
	c.PortMappings = nonNil(c.PortMappings)
	for i := range c.PortMappings {
		pm := &c.PortMappings[i]
		if pm.Protocol == "" {
			pm.Protocol = types.TransportProtocolTcp
		}
		if mode == types.NetworkModeAwsvpc && pm.HostPort == nil && pm.ContainerPort != nil {
			pm.HostPort = ptr(*pm.ContainerPort)
		}
	}
	if c.HealthCheck != nil {
		hc := c.HealthCheck
		hc.Interval = defaultInt(hc.Interval, 30)
		hc.Timeout = defaultInt(hc.Timeout, 5)
		hc.Retries = defaultInt(hc.Retries, 3)
		hc.StartPeriod = defaultInt(hc.StartPeriod, 0)
	}
}

func defaultInt(p *int32, def int32) *int32 {
	if p == nil {
		return &def
	}
	return p
}

// lookupTaskDefinition resolves "family", "family:revision" or an ARN. A
// bare family resolves to its latest ACTIVE revision; a DELETE_IN_PROGRESS
// revision is not found. Callers hold the lock.
func (s *Store) lookupTaskDefinition(ref string) (*types.TaskDefinition, error) {
	td, err := s.taskDefinitionRevision(ref)
	if err == nil && td.Status == types.TaskDefinitionStatusDeleteInProgress {
		return nil, errClient("Unable to describe task definition.")
	}
	return td, err
}

// taskDefinitionRevision resolves like lookupTaskDefinition but also finds
// DELETE_IN_PROGRESS revisions: the services and tasks that already use one
// keep running on it and may still scale (DeleteTaskDefinitions doc).
// Callers hold the lock.
func (s *Store) taskDefinitionRevision(ref string) (*types.TaskDefinition, error) {
	if res, ok := arnResource(ref); ok {
		ref = strings.TrimPrefix(res, "task-definition/")
	}
	name, rev, hasRev := strings.Cut(ref, ":")
	f := s.families[name]
	if f == nil {
		return nil, errClient("Unable to describe task definition.")
	}
	if !hasRev {
		for i := len(f.revisions) - 1; i >= 0; i-- {
			if f.revisions[i].Status == types.TaskDefinitionStatusActive {
				return f.revisions[i], nil
			}
		}
		return nil, errClient("Unable to describe task definition.")
	}
	n, err := strconv.Atoi(rev)
	if err != nil || n < 1 {
		return nil, errClient("Invalid revision number. Number: %s", rev)
	}
	if n > len(f.revisions) {
		return nil, errClient("Unable to describe task definition.")
	}
	return f.revisions[n-1], nil
}

// usableTaskDefinition resolves a task definition for launching tasks.
func (s *Store) usableTaskDefinition(ref *string) (*types.TaskDefinition, error) {
	if ref == nil || *ref == "" {
		return nil, errInvalidParameter("TaskDefinition can not be blank.")
	}
	td, err := s.lookupTaskDefinition(*ref)
	if err != nil {
		return nil, errClient("TaskDefinition not found.")
	}
	if td.Status != types.TaskDefinitionStatusActive {
		return nil, errClient("TaskDefinition is inactive")
	}
	return td, nil
}

func (s *Store) DescribeTaskDefinition(_ context.Context, in *ecs.DescribeTaskDefinitionInput) (*ecs.DescribeTaskDefinitionOutput, error) {
	unlock := s.lock()
	defer unlock()
	td, err := s.lookupTaskDefinition(deref(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	out := &ecs.DescribeTaskDefinitionOutput{TaskDefinition: ptr(clone.Of(*td))}
	for _, f := range in.Include {
		if f == types.TaskDefinitionFieldTags {
			out.Tags = s.getTags(*td.TaskDefinitionArn)
		}
	}
	return out, nil
}

func (s *Store) DeregisterTaskDefinition(_ context.Context, in *ecs.DeregisterTaskDefinitionInput) (*ecs.DeregisterTaskDefinitionOutput, error) {
	ref := deref(in.TaskDefinition)
	if res, ok := arnResource(ref); ok {
		ref = strings.TrimPrefix(res, "task-definition/")
	}
	if !strings.Contains(ref, ":") {
		return nil, errClient("Revision is missing.")
	}
	unlock := s.lock()
	defer unlock()
	td, err := s.lookupTaskDefinition(ref)
	if err != nil {
		return nil, err
	}
	if td.Status == types.TaskDefinitionStatusActive {
		td.Status = types.TaskDefinitionStatusInactive
		td.DeregisteredAt = s.timestamp()
		s.touchRevision(td)
	}
	return &ecs.DeregisterTaskDefinitionOutput{TaskDefinition: ptr(clone.Of(*td))}, nil
}

func (s *Store) DeleteTaskDefinitions(_ context.Context, in *ecs.DeleteTaskDefinitionsInput) (*ecs.DeleteTaskDefinitionsOutput, error) {
	switch n := len(in.TaskDefinitions); {
	case n == 0:
		return nil, errInvalidParameter("The size of TaskDefinition references list must be greater than 0.")
	case n > 10:
		return nil, errInvalidParameter("The size of TaskDefinition references list cannot exceed 10.")
	}
	unlock := s.lock()
	defer unlock()
	out := &ecs.DeleteTaskDefinitionsOutput{TaskDefinitions: []types.TaskDefinition{}, Failures: []types.Failure{}}
	for _, ref := range in.TaskDefinitions {
		td, err := s.lookupTaskDefinition(ref)
		switch {
		case err != nil || !strings.Contains(strings.TrimPrefix(ref, "arn:"), ":"):
			out.Failures = append(out.Failures, types.Failure{Arn: ptr(ref), Reason: ptr("TASK_DEFINITION_NOT_FOUND"), Detail: ptr("The specified task definition does not exist.")})
		case td.Status == types.TaskDefinitionStatusActive:
			out.Failures = append(out.Failures, types.Failure{Arn: td.TaskDefinitionArn, Reason: ptr("TASK_DEFINITION_IN_USE"),
				Detail: ptr("The specified task definition is still in ACTIVE status. Please deregister the target and try again.")})
		default:
			td.Status = types.TaskDefinitionStatusDeleteInProgress
			td.DeleteRequestedAt = s.timestamp()
			s.touchRevision(td)
			out.TaskDefinitions = append(out.TaskDefinitions, clone.Of(*td))
		}
	}
	return out, nil
}

func (s *Store) ListTaskDefinitions(_ context.Context, in *ecs.ListTaskDefinitionsInput) (*ecs.ListTaskDefinitionsOutput, error) {
	status := in.Status
	if status == "" {
		status = types.TaskDefinitionStatusActive
	}
	unlock := s.lock()
	var tds []*types.TaskDefinition
	for name, f := range s.families {
		// Despite its name, ListTaskDefinitions' familyPrefix is the full
		// family name; only ListTaskDefinitionFamilies matches a prefix.
		if in.FamilyPrefix != nil && name != *in.FamilyPrefix {
			continue
		}
		for _, td := range f.revisions {
			if td.Status == status {
				tds = append(tds, td)
			}
		}
	}
	unlock()
	sort.Slice(tds, func(i, j int) bool {
		a, b := tds[i], tds[j]
		if in.Sort == types.SortOrderDesc {
			a, b = b, a // swap rather than negate: less must stay false for equal items
		}
		return *a.Family < *b.Family || *a.Family == *b.Family && a.Revision < b.Revision
	})
	arns := make([]string, len(tds))
	for i, td := range tds {
		arns[i] = *td.TaskDefinitionArn
	}
	pg, next, err := page(arns, in.NextToken, in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	return &ecs.ListTaskDefinitionsOutput{TaskDefinitionArns: nonNil(pg), NextToken: next}, nil
}

func (s *Store) ListTaskDefinitionFamilies(_ context.Context, in *ecs.ListTaskDefinitionFamiliesInput) (*ecs.ListTaskDefinitionFamiliesOutput, error) {
	unlock := s.lock()
	var names []string
	for name, f := range s.families {
		if in.FamilyPrefix != nil && !strings.HasPrefix(name, *in.FamilyPrefix) {
			continue
		}
		active := false
		for _, td := range f.revisions {
			active = active || td.Status == types.TaskDefinitionStatusActive
		}
		switch in.Status {
		case types.TaskDefinitionFamilyStatusActive:
			if !active {
				continue
			}
		case types.TaskDefinitionFamilyStatusInactive:
			if active {
				continue
			}
		}
		names = append(names, name)
	}
	unlock()
	sort.Strings(names)
	pg, next, err := page(names, in.NextToken, in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	return &ecs.ListTaskDefinitionFamiliesOutput{Families: nonNil(pg), NextToken: next}, nil
}
