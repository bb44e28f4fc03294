package cloudformation

import (
	"context"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/localaws/ecsemu/internal/clone"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/paging"
)

// pageSize is how many items a page of a CloudFormation listing holds.
const pageSize = 100

// page cuts a listing with CloudFormation's NextToken.
func page[T any](items []T, token *string) ([]T, *string, error) {
	pg, next, err := paging.Page(items, deref(token), pageSize, "cloudformation")
	if err != nil {
		return nil, nil, errBadToken()
	}
	if next == "" {
		return pg, nil, nil
	}
	return pg, &next, nil
}

// DescribeStacks describes one stack (a deleted one by ARN only) or every
// live stack.
func (a *API) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput) (*cloudformation.DescribeStacksOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	if name := deref(in.StackName); name != "" {
		s := st.find(name)
		if s == nil {
			return nil, errNoStack(name)
		}
		return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{st.describe(s)}}, nil
	}
	var all []types.Stack
	for i := len(st.stacks) - 1; i >= 0; i-- {
		if s := st.stacks[i]; s.live() {
			all = append(all, st.describe(s))
		}
	}
	pg, next, err := page(all, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cloudformation.DescribeStacksOutput{Stacks: pg, NextToken: next}, nil
}

// describe is a stack as DescribeStacks shows it; st.mu is held.
func (st *store) describe(s *stack) types.Stack {
	out := types.Stack{
		StackName: ptr(s.name), StackId: ptr(s.id), StackStatus: types.StackStatus(s.status), CreationTime: ptr(s.created),
		DisableRollback: ptr(s.disableRollback), EnableTerminationProtection: ptr(s.protection),
		NotificationARNs: slices.Clone(s.notificationARNs), TimeoutInMinutes: s.timeout, Tags: clone.Of(s.tags),
		DriftInformation: &types.StackDriftInformation{StackDriftStatus: types.StackDriftStatusNotChecked},
	}
	if s.reason != "" {
		out.StackStatusReason = ptr(s.reason)
	}
	if s.description != "" {
		out.Description = ptr(s.description)
	}
	if !s.updated.IsZero() {
		out.LastUpdatedTime = ptr(s.updated)
	}
	if !s.deleted.IsZero() {
		out.DeletionTime = ptr(s.deleted)
	}
	if s.roleARN != "" {
		out.RoleARN = ptr(s.roleARN)
	}
	for _, c := range s.capabilities {
		out.Capabilities = append(out.Capabilities, types.Capability(c))
	}
	if s.dep != nil && s.live() {
		out.Parameters = parameters(s.dep.Config, s.values)
		for _, o := range s.dep.Outputs {
			op := types.Output{OutputKey: ptr(o.Key), OutputValue: ptr(o.Value)}
			if o.Description != "" {
				op.Description = ptr(o.Description)
			}
			if o.ExportName != "" {
				op.ExportName = ptr(o.ExportName)
			}
			out.Outputs = append(out.Outputs, op)
		}
	}
	return out
}

// parameters are a stack's parameters as DescribeStacks shows them:
// NoEcho values masked, SSM parameters with their resolved value.
func parameters(cfg engine.Config, values map[string]string) []types.Parameter {
	if cfg.Template == nil {
		return nil
	}
	var out []types.Parameter
	for _, name := range cfg.Template.ParameterOrder {
		decl := cfg.Template.Parameters[name]
		v, ok := values[name]
		if !ok {
			continue
		}
		p := types.Parameter{ParameterKey: ptr(name), ParameterValue: ptr(v)}
		if decl.NoEcho {
			p.ParameterValue = ptr("****")
		}
		if isSSMType(decl.Type) {
			p.ResolvedValue = ptr(paramText(cfg.Params[name]))
			if l, ok := cfg.Params[name].([]string); ok {
				p.ResolvedValue = ptr(joinComma(l))
			}
		}
		out = append(out, p)
	}
	return out
}

// ListStacks lists stack summaries, deleted stacks included, filtered by
// status.
func (a *API) ListStacks(ctx context.Context, in *cloudformation.ListStacksInput) (*cloudformation.ListStacksOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	var all []types.StackSummary
	for i := len(st.stacks) - 1; i >= 0; i-- {
		s := st.stacks[i]
		if len(in.StackStatusFilter) > 0 && !slices.Contains(in.StackStatusFilter, types.StackStatus(s.status)) {
			continue
		}
		sum := types.StackSummary{StackId: ptr(s.id), StackName: ptr(s.name), StackStatus: types.StackStatus(s.status), CreationTime: ptr(s.created),
			DriftInformation: &types.StackDriftInformationSummary{StackDriftStatus: types.StackDriftStatusNotChecked}}
		if s.reason != "" {
			sum.StackStatusReason = ptr(s.reason)
		}
		if s.description != "" {
			sum.TemplateDescription = ptr(s.description)
		}
		if !s.updated.IsZero() {
			sum.LastUpdatedTime = ptr(s.updated)
		}
		if !s.deleted.IsZero() {
			sum.DeletionTime = ptr(s.deleted)
		}
		all = append(all, sum)
	}
	pg, next, err := page(all, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cloudformation.ListStacksOutput{StackSummaries: pg, NextToken: next}, nil
}

// DescribeStackEvents lists a stack's events, newest first.
func (a *API) DescribeStackEvents(ctx context.Context, in *cloudformation.DescribeStackEventsInput) (*cloudformation.DescribeStackEventsOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.find(deref(in.StackName))
	if s == nil {
		return nil, errNoStack(deref(in.StackName))
	}
	// Newest first, with tokens that stay put while the running operation
	// adds events: the CDK CLI pages back until it meets an event it has
	// seen, and a page shifted by new events would stop it early.
	pg, next, err := paging.PageNewestFirst(s.events, deref(in.NextToken), pageSize, "cloudformation")
	if err != nil {
		return nil, errBadToken()
	}
	out := &cloudformation.DescribeStackEventsOutput{StackEvents: clone.Of(pg)}
	if next != "" {
		out.NextToken = &next
	}
	return out, nil
}

// sortedResources are a stack's resources by logical ID; st.mu is held.
func sortedResources(s *stack) []*engine.Resource {
	out := make([]*engine.Resource, 0, len(s.resources))
	for _, r := range s.resources {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// DescribeStackResource describes one resource of a stack.
func (a *API) DescribeStackResource(ctx context.Context, in *cloudformation.DescribeStackResourceInput) (*cloudformation.DescribeStackResourceOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.find(deref(in.StackName))
	if s == nil {
		return nil, errNoStack(deref(in.StackName))
	}
	r := s.resources[deref(in.LogicalResourceId)]
	if r == nil {
		return nil, errValidation("Resource %s does not exist for stack %s", deref(in.LogicalResourceId), s.name)
	}
	d := &types.StackResourceDetail{StackName: ptr(s.name), StackId: ptr(s.id), LogicalResourceId: ptr(r.LogicalID),
		PhysicalResourceId: optional(r.PhysicalID), ResourceType: ptr(r.Type), ResourceStatus: types.ResourceStatus(r.Status),
		ResourceStatusReason: optional(r.Reason), LastUpdatedTimestamp: ptr(r.Updated), Metadata: metadata(s, r.LogicalID),
		DriftInformation: &types.StackResourceDriftInformation{StackResourceDriftStatus: types.StackResourceDriftStatusNotChecked}}
	return &cloudformation.DescribeStackResourceOutput{StackResourceDetail: d}, nil
}

// metadata is a resource's Metadata attribute as JSON text.
func metadata(s *stack, logicalID string) *string {
	if s.dep == nil || s.dep.Template == nil || s.dep.Template.Resources[logicalID] == nil {
		return nil
	}
	if m := s.dep.Template.Resources[logicalID].Metadata; m != nil {
		return ptr(jsonText(m))
	}
	return nil
}

// DescribeStackResources lists the resources of a stack, named by stack or
// by the physical ID of one of its resources.
func (a *API) DescribeStackResources(ctx context.Context, in *cloudformation.DescribeStackResourcesInput) (*cloudformation.DescribeStackResourcesOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	var s *stack
	switch {
	case in.StackName != nil:
		if s = st.find(*in.StackName); s == nil {
			return nil, errNoStack(*in.StackName)
		}
	case in.PhysicalResourceId != nil:
		if s = st.byPhysicalID(*in.PhysicalResourceId); s == nil {
			return nil, errValidation("Stack for %s does not exist", *in.PhysicalResourceId)
		}
	default:
		return nil, errValidation("Either StackName or PhysicalResourceId must be specified.")
	}
	var out []types.StackResource
	for _, r := range sortedResources(s) {
		if in.LogicalResourceId != nil && r.LogicalID != *in.LogicalResourceId {
			continue
		}
		out = append(out, types.StackResource{StackName: ptr(s.name), StackId: ptr(s.id), LogicalResourceId: ptr(r.LogicalID),
			PhysicalResourceId: optional(r.PhysicalID), ResourceType: ptr(r.Type), ResourceStatus: types.ResourceStatus(r.Status),
			ResourceStatusReason: optional(r.Reason), Timestamp: ptr(r.Updated),
			DriftInformation: &types.StackResourceDriftInformation{StackResourceDriftStatus: types.StackResourceDriftStatusNotChecked}})
	}
	return &cloudformation.DescribeStackResourcesOutput{StackResources: out}, nil
}

// byPhysicalID finds the live stack holding a resource.
func (st *store) byPhysicalID(id string) *stack {
	for _, s := range st.stacks {
		if !s.live() {
			continue
		}
		for _, r := range s.resources {
			if r.PhysicalID == id {
				return s
			}
		}
	}
	return nil
}

// ListStackResources lists resource summaries of a stack.
func (a *API) ListStackResources(ctx context.Context, in *cloudformation.ListStackResourcesInput) (*cloudformation.ListStackResourcesOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.find(deref(in.StackName))
	if s == nil {
		return nil, errNoStack(deref(in.StackName))
	}
	var all []types.StackResourceSummary
	for _, r := range sortedResources(s) {
		all = append(all, types.StackResourceSummary{LogicalResourceId: ptr(r.LogicalID), PhysicalResourceId: optional(r.PhysicalID),
			ResourceType: ptr(r.Type), ResourceStatus: types.ResourceStatus(r.Status), ResourceStatusReason: optional(r.Reason),
			LastUpdatedTimestamp: ptr(r.Updated),
			DriftInformation:     &types.StackResourceDriftInformationSummary{StackResourceDriftStatus: types.StackResourceDriftStatusNotChecked}})
	}
	pg, next, err := page(all, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cloudformation.ListStackResourcesOutput{StackResourceSummaries: pg, NextToken: next}, nil
}
